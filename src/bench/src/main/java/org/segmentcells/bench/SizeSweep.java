package org.segmentcells.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

import org.segmentcells.classic.ClassicWorkflow;
import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.train.Trainer;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.scale.ObjectSize;
import org.segmentcells.segment.Scale;
import org.segmentcells.train.TrainingData;

/**
 * Any magnification: annotated frames resized by 0.5 to 4 (image bilinearly with anti-aliasing, labels by
 * nearest neighbour), as a microscope with another objective would show them, segmented by a model with
 * no options (auto scale for the shipped models), next to the classic ImageJ workflow. Per factor: pooled
 * F and SEG, the median ratio of the measured to the labelled nucleus diameter, and seconds per frame.
 */
public final class SizeSweep {

    public static final double[] FACTORS = {0.5, 1, 2, 3, 4};
    /** {@code --scale own}: each frame at 1 / factor ({@link #runAtOwnSize}). */
    public static final String OWN_SIZE = "own";

    /** One cell of the table. */
    public record Cell(String set, String method, double factor, FrameScores scores, double sizeRatio, double seconds,
            double measureSeconds, double fixedSeconds) {
    }

    /**
     * How a method segments a frame; for a model, also again at the scale it chose, given as a number (the
     * same work without measuring the size or checking it), so the table can show what choosing costs.
     */
    private interface Method {
        LabelPlane segment(FloatPlane img);

        /** The last frame again at the scale chosen for it, or null when there is no choice to time. */
        default LabelPlane againAtChosenScale(FloatPlane img) {
            return null;
        }
    }

    private static Method of(Model model, SegmentSettings settings) {
        Model.Plan[] chosen = {null};
        return new Method() {
            @Override
            public LabelPlane segment(FloatPlane img) {
                chosen[0] = model.plan(settings, img);
                return chosen[0].segment(img);
            }

            @Override
            public LabelPlane againAtChosenScale(FloatPlane img) {
                return model.plan(chosen[0].given(settings), img).segment(img);
            }
        };
    }

    private final PrintStream log;

    public SizeSweep(PrintStream log) {
        this.log = log;
    }

    /** Nanoseconds segmenting {@code img} again at the scale chosen for it, or 0 where there is no choice. */
    private static long timeAtChosenScale(Method segmenter, FloatPlane img) {
        long t = System.nanoTime();
        return segmenter.againAtChosenScale(img) != null ? System.nanoTime() - t : 0;
    }

    /** Every factor on one set of frames, for the model (with {@code settings}) and the classic workflow. */
    public List<Cell> run(String set, List<TrainingData.Pair> frames, Model model, SegmentSettings settings,
            double[] factors, boolean classic) throws IOException {
        return run(set, frames, model, f -> settings, "model " + model.folder().getFileName(), factors, classic);
    }

    /**
     * Every factor on one set of frames, each frame segmented at 1 / factor, the scale that gives it back
     * its original size, as if the magnification were known: the table shows how much of a factor's loss
     * the resizing itself takes, which no choice of scale wins back.
     */
    public List<Cell> runAtOwnSize(String set, List<TrainingData.Pair> frames, Model model, SegmentSettings settings,
            double[] factors, boolean classic) throws IOException {
        return run(set, frames, model, f -> settings.withScale(Scale.of(1 / f)),
                "model " + model.folder().getFileName() + " at 1 / factor", factors, classic);
    }

    private List<Cell> run(String set, List<TrainingData.Pair> frames, Model model,
            DoubleFunction<SegmentSettings> settingsAt, String method, double[] factors, boolean classic)
            throws IOException {
        List<Cell> out = new ArrayList<>();
        for (double f : factors) {
            out.add(score(set, method, f, frames, of(model, settingsAt.apply(f)), true));
            if (classic) {
                out.add(score(set, "classic ImageJ", f, frames, ClassicWorkflow::segment, false));
            }
        }
        return out;
    }

    private Cell score(String set, String method, double f, List<TrainingData.Pair> frames,
            Method segmenter, boolean measure) throws IOException {
        List<FrameScores> all = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        long t0 = System.nanoTime();
        long spent = 0;
        long measuring = 0;
        long fixed = 0;
        boolean timedFixed = false;
        int index = 0;
        for (TrainingData.Pair p : frames) {
            FloatPlane img = ImageFiles.readPlane(p.image());
            LabelPlane labels = TrainingData.readLabelsFor(p, img);
            Trainer.ValidationFrame sized = new Trainer.ValidationFrame(p.stem(), img, labels).scaled(f);
            FloatPlane big = sized.image();
            LabelPlane bigLabels = sized.labels();
            if (measure) {
                // Untimed first: TensorFlow's first call on a new input shape is slow, and the given-scale run
                // timed next would find the shape warm; so both are timed warm, as over a folder of such images.
                segmenter.segment(big);
            }
            // Every other frame the given scale runs first, so that neither run gains from following the
            // other (the ×1 cells, where both run at the same scale, had differed by more than the measuring).
            boolean givenFirst = measure && index++ % 2 == 1;
            if (givenFirst) {
                fixed += timeAtChosenScale(segmenter, big);
            }
            long t = System.nanoTime();
            LabelPlane pred = segmenter.segment(big);
            spent += System.nanoTime() - t;
            if (!givenFirst) {
                fixed += timeAtChosenScale(segmenter, big);
            }
            timedFixed |= fixed > 0;
            all.add(Evaluator.scoreFrame(bigLabels, pred, 0));
            if (measure) {
                long tm = System.nanoTime();
                ObjectSize.Estimate e = ObjectSize.of(big);
                measuring += System.nanoTime() - tm;
                double truth = ObjectSize.medianDiameter(List.of(bigLabels));
                if (e.found() && truth > 0) {
                    ratios.add(e.diameter() / truth);
                    if (!EstimatorAccuracy.near(e.diameter() / truth)) {
                        log.printf(Locale.ROOT, "    %s x%.1f: measured %.1f px, labels %.1f px%n", p.stem(), f,
                                e.diameter(), truth);
                    }
                }
            }
        }
        FrameScores s = Evaluator.pool(all);
        double ratio = ratios.isEmpty() ? Double.NaN : ObjectSize.median(ratios);
        Cell c = new Cell(set, method, f, s, ratio, spent / 1e9 / frames.size(), measuring / 1e9 / frames.size(),
                timedFixed ? fixed / 1e9 / frames.size() : Double.NaN);
        log.printf(Locale.ROOT, "  %s x%.1f %s: F %.3f SEG %.3f size ratio %.2f, %.2f s/frame (%.2f at the chosen scale"
                + " given), of which measuring the size %.3f s (%.0f s)%n", set, f, method, s.f(), s.seg(), ratio, c.seconds(),
                c.fixedSeconds(), c.measureSeconds(), (System.nanoTime() - t0) / 1e9);
        return c;
    }

    /** A Markdown table: one row per set and method, F / SEG per factor, then the measured size ratio. */
    public static String markdown(List<Cell> cells, double[] factors) {
        StringBuilder sb = new StringBuilder("| set | method |");
        for (double f : factors) {
            sb.append(String.format(Locale.ROOT, " ×%s F / SEG |", trim(f)));
        }
        sb.append(" measured / true size, ×").append(trim(factors[0])).append("…×").append(trim(factors[factors.length - 1]))
                .append(" | s/frame, ×").append(trim(factors[0])).append("…×").append(trim(factors[factors.length - 1]))
                .append(" | of which measuring the size | s/frame at the chosen scale given (auto over it) |\n|---|---|");
        sb.append("---|".repeat(factors.length + 4)).append('\n');
        List<String> keys = new ArrayList<>();
        for (Cell c : cells) {
            String k = c.set() + "\u0000" + c.method();
            if (!keys.contains(k)) {
                keys.add(k);
            }
        }
        for (String k : keys) {
            List<Cell> row = cells.stream().filter(c -> (c.set() + "\u0000" + c.method()).equals(k)).toList();
            sb.append("| ").append(row.get(0).set()).append(" | ").append(row.get(0).method()).append(" |");
            for (Cell c : row) {
                sb.append(String.format(Locale.ROOT, " %.3f / %.3f |", c.scores().f(), c.scores().seg()));
            }
            List<String> r = row.stream().filter(c -> !Double.isNaN(c.sizeRatio()))
                    .map(c -> String.format(Locale.ROOT, "%.2f", c.sizeRatio())).toList();
            sb.append(' ').append(r.isEmpty() ? "–" : String.join(", ", r)).append(" |");
            boolean classic = row.get(0).method().startsWith("classic");
            sb.append(String.format(Locale.ROOT, " %s | %s | %s |%n",
                    String.join(", ", row.stream().map(c -> String.format(Locale.ROOT, "%.2f", c.seconds())).toList()),
                    classic ? "–" : String.join(", ", row.stream()
                            .map(c -> String.format(Locale.ROOT, "%.3f", c.measureSeconds())).toList()),
                    classic ? "–" : String.join(", ", row.stream().map(SizeSweep::givenAndCost).toList())));
        }
        return sb.toString();
    }

    /**
     * Seconds per frame at the chosen scale given, and what auto adds to them, from the unrounded times (below
     * 0.2 s a frame, percentages of the rounded times were off by up to 4 points).
     */
    static String givenAndCost(Cell c) {
        if (!(c.fixedSeconds() > 0)) {
            return String.format(Locale.ROOT, "%.2f", c.fixedSeconds());
        }
        return String.format(Locale.ROOT, "%.2f (%+.0f%%)", c.fixedSeconds(), 100 * (c.seconds() / c.fixedSeconds() - 1));
    }

    private static String trim(double f) {
        return f == Math.rint(f) ? String.valueOf((int) f) : String.valueOf(f);
    }

    /** BBBC039 val.txt frames. */
    public static List<TrainingData.Pair> bbbc039Val(Path bbbc) throws IOException {
        return PaperProtocol.pairs(bbbc, DataSets.stems(bbbc.resolve("val.txt")));
    }

    /** The DSB images the shipped default never saw ({@link GeneralistProtocol}'s held-out split). */
    public static List<TrainingData.Pair> dsbHeldOut(Path bbbc, Path dsb) throws IOException {
        return new GeneralistProtocol(bbbc, dsb, new PrintStream(PrintStream.nullOutputStream())).split().dsbHeldOut();
    }

    /** Keeps every k-th frame (k from the count wanted), so a quick run still spans the set. */
    public static List<TrainingData.Pair> spread(List<TrainingData.Pair> frames, int count) {
        if (count <= 0 || count >= frames.size()) {
            return frames;
        }
        List<TrainingData.Pair> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(frames.get((int) ((long) i * frames.size() / count)));
        }
        return out;
    }
}
