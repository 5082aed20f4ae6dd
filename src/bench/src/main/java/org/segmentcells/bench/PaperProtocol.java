package org.segmentcells.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.AtomicFiles;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;
import org.segmentcells.train.Mode;
import org.segmentcells.train.TrainConfig;
import org.segmentcells.train.Trainer;
import org.segmentcells.train.TrainingData;
import org.segmentcells.train.TrainingFrame;

/**
 * The paper's Table 1 protocol on BBBC039: train on the first N frames of train.txt for each N and
 * mode with the same step budget and seed, pick the checkpoint and instance settings on the last 10
 * frames of train.txt (never trained on), and score on all of val.txt. Plus the classic ImageJ
 * workflow as a reference row.
 */
public final class PaperProtocol {

    /** One table row. */
    public record Row(String method, int frames, int steps, FrameScores scores, double trainSeconds,
            double segmentSeconds) {
    }

    private final Path set;
    private final TrainConfig base;
    private final Path work;
    private final PrintStream log;

    public PaperProtocol(Path set, TrainConfig base, Path work, PrintStream log) {
        this.set = set;
        this.base = base;
        this.work = work;
        this.log = log;
    }

    public Row train(Mode mode, int n) throws IOException {
        List<String> train = DataSets.stems(set.resolve("train.txt"));
        List<String> select = train.subList(train.size() - 10, train.size());
        if (n > train.size() - 10) {
            throw new IllegalArgumentException("at most " + (train.size() - 10) + " training frames");
        }
        List<TrainingFrame> frames = TrainingData.trainingFrames(pairs(train.subList(0, n)), Normalization.DEFAULT,
                base.contourWidth());
        List<Trainer.ValidationFrame> selection = TrainingData.validationFrames(pairs(select));
        TrainConfig cfg = base.withMode(mode);
        Path out = work.resolve(mode.id() + "-" + n);
        ModelInfo info = new ModelInfo();
        info.training.frames = train.subList(0, n);
        info.training.validationFrames = select;
        info.training.commandLine = "benchmark table1 (" + mode.id() + ", " + n + " frames)";
        log.printf(Locale.ROOT, "== %s, %d frame(s), %d steps%n", mode.id(), n, cfg.steps());
        // Scale stays 1, as in the rows measured before calibration could change it: the modes are
        // compared on the same pixels, and all of BBBC039 comes from one microscope.
        Trainer.Outcome o = new Trainer(cfg, Normalization.DEFAULT, InstanceOptions.DEFAULT, true).atFixedScale().train(frames,
                selection, null, null, info, out, false, new Trainer.Listener() {
                    @Override
                    public void log(String line) {
                        log.println(line);
                    }
                });
        AtomicFiles.deleteTree(Trainer.checkpointFolder(out));
        try (Model m = Model.load(out)) {
            long t = System.nanoTime();
            FrameScores s = scoreVal(img -> m.plan(org.segmentcells.model.SegmentSettings.MODEL, img.image())
                    .segment(img.image()));
            return new Row(label(mode), n, cfg.steps(), s, o.seconds(), (System.nanoTime() - t) / 1e9);
        }
    }

    public Row classic() throws IOException {
        long t = System.nanoTime();
        FrameScores s = scoreVal(f -> org.segmentcells.classic.ClassicWorkflow.segment(f.path()));
        return new Row("classic ImageJ (Otsu + watershed)", 0, 0, s, 0, (System.nanoTime() - t) / 1e9);
    }

    record ValFrame(Path path, FloatPlane image) {
    }

    private FrameScores scoreVal(Function<ValFrame, LabelPlane> segmenter) throws IOException {
        return score(pairs(DataSets.stems(set.resolve("val.txt"))), segmenter);
    }

    /** Pooled scores of a segmenter over image/label pairs. */
    static FrameScores score(List<TrainingData.Pair> frames, Function<ValFrame, LabelPlane> segmenter)
            throws IOException {
        List<FrameScores> all = new ArrayList<>();
        for (TrainingData.Pair p : frames) {
            FloatPlane img = ImageFiles.readPlane(p.image());
            all.add(Evaluator.scoreFrame(TrainingData.readLabelsFor(p, img), segmenter.apply(new ValFrame(p.image(), img)), 0));
        }
        return Evaluator.pool(all);
    }

    private List<TrainingData.Pair> pairs(List<String> stems) throws IOException {
        return pairs(set, stems);
    }

    /** Image/label pairs of a data set folder with images/ and labels/. */
    static List<TrainingData.Pair> pairs(Path set, List<String> stems) throws IOException {
        List<TrainingData.Pair> out = new ArrayList<>();
        for (String s : stems) {
            out.add(new TrainingData.Pair(s, TrainingData.find(set.resolve("images"), s, "image"),
                    TrainingData.find(set.resolve("labels"), s, "label image")));
        }
        return out;
    }

    static String label(Mode m) {
        return switch (m) {
            case ADVERSARIAL -> "ADV (Rib Cage)";
            case CLASSDISC -> "ClassDisc";
            case CROSS_ENTROPY -> "CE";
        };
    }

    /** The rows as a Markdown table. */
    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder(
                "| method | N_train | steps | precision | recall | F | fg J | matched J | SEG | AP@0.5 | train s | segment s |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            FrameScores s = r.scores();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %s | %.0f |%n",
                    r.method(), r.frames() == 0 ? "–" : Integer.toString(r.frames()),
                    r.steps() == 0 ? "–" : Integer.toString(r.steps()), s.precision(), s.recall(), s.f(),
                    s.fgJaccard(), s.matchedJaccard(), s.seg(), s.ap50(),
                    r.trainSeconds() == 0 ? "–" : String.format(Locale.ROOT, "%.0f", r.trainSeconds()),
                    r.segmentSeconds()));
        }
        return sb.toString();
    }

    /** Replaces the text between {@code <!-- KEY:start -->} and {@code <!-- KEY:end -->} in a file. */
    public static void replaceSection(Path doc, String key, String content) throws IOException {
        String start = "<!-- " + key + ":start -->";
        String end = "<!-- " + key + ":end -->";
        String text = Files.exists(doc) ? Files.readString(doc) : "";
        int a = text.indexOf(start);
        int b = text.indexOf(end);
        String block = start + "\n" + content + end;
        text = a >= 0 && b > a ? text.substring(0, a) + block + text.substring(b + end.length())
                : text + "\n" + block + "\n";
        AtomicFiles.writeString(doc, text);
    }
}
