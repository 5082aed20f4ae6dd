package org.segmentcells.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.scale.ObjectSize;
import org.segmentcells.train.TrainingData;

/**
 * What a user who knows their nuclei's size gets: each frame segmented with no options (auto scale) and with
 * {@code diameter} set to its labels' median diameter, as measuring a few nuclei would give it; pooled F
 * over a set's test frames. The gap is what auto's size estimate costs there.
 */
final class DiameterGiven {

    /** One set's pooled scores. */
    record Row(String set, int frames, double fAuto, double fGiven) {
    }

    private final PrintStream out;

    DiameterGiven(PrintStream out) {
        this.out = out;
    }

    Row score(String set, Model model, List<TrainingData.Pair> frames) throws IOException {
        int[] auto = new int[3];
        int[] given = new int[3];
        for (TrainingData.Pair p : frames) {
            FloatPlane image = ImageFiles.readPlane(p.image());
            LabelPlane truth = ImageFiles.readLabels(p.labels());
            double d = ObjectSize.medianDiameter(List.of(truth));
            Model.Plan a = model.plan(SegmentSettings.MODEL, image);
            Model.Plan g = model.plan(SegmentSettings.MODEL.withDiameter(d), image);
            FrameScores fa = add(auto, Evaluator.scoreFrame(truth, a.segment(image), 0));
            FrameScores fg = add(given, Evaluator.scoreFrame(truth, g.segment(image), 0));
            out.printf(Locale.ROOT, "%s %s: labels %.1f px; auto %s F %.3f; given %s F %.3f%n", set, p.stem(), d,
                    a.scale().describe(), fa.f(), g.scale().describe(), fg.f());
        }
        return new Row(set, frames.size(), f(auto), f(given));
    }

    private static FrameScores add(int[] pooled, FrameScores s) {
        pooled[0] += s.tp();
        pooled[1] += s.fp();
        pooled[2] += s.fn();
        return s;
    }

    private static double f(int[] pooled) {
        int d = 2 * pooled[0] + pooled[1] + pooled[2];
        return d == 0 ? 0 : 2.0 * pooled[0] / d;
    }

    static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| set | test frames | F, no options (auto) | F, diameter given (labels' median) |\n"
                + "|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f |%n", r.set(), r.frames(), r.fAuto(), r.fGiven()));
        }
        return b.toString();
    }
}
