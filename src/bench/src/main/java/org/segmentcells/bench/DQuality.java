package org.segmentcells.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.progress.Progress;
import org.segmentcells.quality.DiscriminatorScore;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.train.Trainer;
import org.segmentcells.train.TrainingData;

/**
 * D as a quality signal (beyond the paper): does D's "looks manual" score of a segmentation predict its
 * real F? Per frame (D's mean over the frame's tiles against the frame's F) and per tile (D's score of a
 * tile against F of the objects cut to that tile's region), as Spearman's rank correlation, on held-out
 * annotated frames. Two conditions spread the F range the way users meet it: the frames as they are,
 * segmented with the model's own settings, and the same frames at twice the magnification segmented at
 * scale 1, where nuclei break into pieces.
 */
public final class DQuality {

    /** One set under one condition. */
    public record Row(String set, String condition, int frames, double meanF, double meanScore, double rhoFrames,
            int tiles, double rhoTiles) {
    }

    private final PrintStream log;

    public DQuality(PrintStream log) {
        this.log = log;
    }

    /** Paired scores and F, per frame and per tile. */
    private record Samples(List<Double> frameScore, List<Double> frameF, List<Double> tileScore, List<Double> tileF) {
        Samples() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        Samples plus(Samples o) {
            Samples m = new Samples();
            for (Samples x : List.of(this, o)) {
                m.frameScore.addAll(x.frameScore);
                m.frameF.addAll(x.frameF);
                m.tileScore.addAll(x.tileScore);
                m.tileF.addAll(x.tileF);
            }
            return m;
        }

        Row row(String set, String condition) {
            return new Row(set, condition, frameF.size(), mean(frameF), mean(frameScore), spearman(frameScore, frameF),
                    tileF.size(), spearman(tileScore, tileF));
        }
    }

    public List<Row> run(String set, List<TrainingData.Pair> frames, Model model, DiscriminatorScore d) throws IOException {
        Samples given = condition(frames, model, d, 1, SegmentSettings.MODEL);
        Samples broken = condition(frames, model, d, 2, SegmentSettings.MODEL.withScale(Scale.ONE));
        List<Row> rows = List.of(given.row(set, "as given, model's settings"), broken.row(set, "x2, scale 1"),
                given.plus(broken).row(set, "both"));
        for (Row r : rows) {
            log.printf(Locale.ROOT, "%s, %s: %d frames, mean F %.3f, mean D %.3f, rho frames %.2f, %d tiles, rho tiles %.2f%n",
                    r.set(), r.condition(), r.frames(), r.meanF(), r.meanScore(), r.rhoFrames(), r.tiles(), r.rhoTiles());
        }
        return rows;
    }

    private Samples condition(List<TrainingData.Pair> frames, Model model, DiscriminatorScore d, double magnify,
            SegmentSettings settings) throws IOException {
        Samples out = new Samples();
        List<Double> frameScore = out.frameScore();
        List<Double> frameF = out.frameF();
        List<Double> tileScore = out.tileScore();
        List<Double> tileF = out.tileF();
        for (TrainingData.Pair p : frames) {
            FloatPlane raw = ImageFiles.readPlane(p.image());
            Trainer.ValidationFrame fr = new Trainer.ValidationFrame(p.stem(), raw, TrainingData.readLabelsFor(p, raw))
                    .scaled(magnify);
            FloatPlane img = fr.image();
            Model.Plan plan = model.plan(settings, img);
            Segmenter seg = plan.segmenter();
            double s = seg.scale();
            // What E and D see: the normalised image at the network's scale, and E's output there.
            FloatPlane norm = model.normalization().apply(img);
            if (s != 1) {
                norm = Resample.bilinear(norm, Resample.scaledSize(img.width(), s), Resample.scaledSize(img.height(), s));
            }
            Segmenter.Probabilities atNet = seg.probabilitiesOfNormalised(norm, Progress.NONE);
            // E ran once: its output at the image's size is the same pass resized back, as Segmenter does.
            Segmenter.Probabilities atImage = plan.scale().nothing() ? plan.probabilities(img, Progress.NONE)
                    : s == 1 ? atNet : new Segmenter.Probabilities(
                            Resample.bilinear(atNet.background(), img.width(), img.height()),
                            Resample.bilinear(atNet.nucleus(), img.width(), img.height()),
                            Resample.bilinear(atNet.contour(), img.width(), img.height()));
            LabelPlane pred = plan.instances().label(atImage, img);
            List<DiscriminatorScore.Tile> tiles = d.tiles(norm, atNet);
            if (tiles.isEmpty()) {
                continue;
            }
            frameScore.add(tiles.stream().mapToDouble(DiscriminatorScore.Tile::manual).average().orElseThrow());
            frameF.add(Evaluator.scoreFrame(fr.labels(), pred, 0).f());
            for (DiscriminatorScore.Tile t : tiles) {
                // The tile's region in the image's own pixels.
                int x0 = (int) Math.floor(t.x() / s);
                int y0 = (int) Math.floor(t.y() / s);
                int x1 = Math.min(img.width(), (int) Math.ceil((t.x() + d.patch()) / s));
                int y1 = Math.min(img.height(), (int) Math.ceil((t.y() + d.patch()) / s));
                FrameScores fs = Evaluator.scoreFrame(crop(fr.labels(), x0, y0, x1, y1), crop(pred, x0, y0, x1, y1), 0);
                if (fs.nGt() + fs.nPred() > 0) {
                    tileScore.add(t.manual());
                    tileF.add(fs.f());
                }
            }
        }
        return out;
    }

    static LabelPlane crop(LabelPlane l, int x0, int y0, int x1, int y1) {
        int w = x1 - x0;
        int h = y1 - y0;
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(l.data(), (y0 + y) * l.width() + x0, out, y * w, w);
        }
        return new LabelPlane(w, h, out);
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Spearman's rank correlation (ties get their mean rank); NaN with fewer than 3 pairs or a constant side. */
    static double spearman(List<Double> a, List<Double> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("paired lists differ in length: " + a.size() + " and " + b.size());
        }
        if (a.size() < 3) {
            return Double.NaN;
        }
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElseThrow();
        double mb = Arrays.stream(rb).average().orElseThrow();
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < ra.length; i++) {
            cov += (ra[i] - ma) * (rb[i] - mb);
            va += (ra[i] - ma) * (ra[i] - ma);
            vb += (rb[i] - mb) * (rb[i] - mb);
        }
        return va == 0 || vb == 0 ? Double.NaN : cov / Math.sqrt(va * vb);
    }

    private static double[] ranks(List<Double> v) {
        Integer[] order = new Integer[v.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(v.get(i), v.get(j)));
        double[] r = new double[v.size()];
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && v.get(order[j + 1]).equals(v.get(order[i]))) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = mean;
            }
            i = j + 1;
        }
        return r;
    }

    /** The table for docs/benchmarks.md. */
    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| set | condition | frames | mean F | mean D | Spearman ρ, frames | tiles | Spearman ρ, tiles |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %.3f | %.3f | %.2f | %d | %.2f |%n", r.set(), r.condition(),
                    r.frames(), r.meanF(), r.meanScore(), r.rhoFrames(), r.tiles(), r.rhoTiles()));
        }
        return b.toString();
    }
}
