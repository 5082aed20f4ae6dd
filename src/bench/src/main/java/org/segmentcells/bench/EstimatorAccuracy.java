package org.segmentcells.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.scale.ObjectSize;
import org.segmentcells.train.TrainingData;

/**
 * How well auto scale's size estimate ({@link ObjectSize}, no network) measures real nuclei at their own
 * size: per set, the share of frames measured within 15% and 30% of the median diameter of their labels,
 * and the median of measured / labelled. The training splits come first: a change to the estimator is
 * judged there, and the scored sets (the ones the segmentation tables report) only confirm it, so the
 * estimator is never tuned on the frames its results are scored on.
 */
public final class EstimatorAccuracy {

    public static final String TRAINING = "training split";
    public static final String SCORED = "scored";

    /** A frame counts as measured well within this factor of its labels' median diameter. */
    static final double CLOSE = 1.15;
    static final double NEAR = 1.3;

    /**
     * One set's result.
     *
     * @param role     {@link #TRAINING} or {@link #SCORED}
     * @param frames   frames with labelled nuclei (a frame where the estimate finds nothing counts as off)
     * @param within15 share of frames measured within {@link #CLOSE} of their labels' median
     * @param within30 the same within {@link #NEAR}
     * @param ratio    median of measured / labelled over the frames measured
     * @param seconds  seconds per frame of the estimate
     */
    public record Row(String set, String role, int frames, double within15, double within30, double ratio,
            double seconds) {
    }

    private final PrintStream log;

    public EstimatorAccuracy(PrintStream log) {
        this.log = log;
    }

    /** Measures every frame of a set; frames whose labels hold no nucleus are left out. */
    public Row score(String set, String role, List<TrainingData.Pair> frames) throws IOException {
        List<Double> ratios = new ArrayList<>();
        long nanos = 0;
        for (TrainingData.Pair p : frames) {
            FloatPlane img = ImageFiles.readPlane(p.image());
            LabelPlane labels = TrainingData.readLabelsFor(p, img);
            double truth = ObjectSize.medianDiameter(List.of(labels));
            if (!(truth > 0)) {
                continue;
            }
            long t = System.nanoTime();
            ObjectSize.Estimate e = ObjectSize.of(img);
            nanos += System.nanoTime() - t;
            double r = e.found() ? e.diameter() / truth : Double.NaN;
            ratios.add(r);
            if (!near(r)) {
                log.printf(Locale.ROOT, "    %s %s: measured %.1f px, labels %.1f px%n", set, p.stem(), e.diameter(), truth);
            }
        }
        Row row = summary(set, role, ratios, ratios.isEmpty() ? Double.NaN : nanos / 1e9 / ratios.size());
        log.printf(Locale.ROOT, "  %s: %d frames, within 15%% %.2f, within 30%% %.2f, measured / labels %.2f%n", set,
                row.frames(), row.within15(), row.within30(), row.ratio());
        return row;
    }

    /** Whether a measured / labelled diameter is within {@link #NEAR} either way (false for NaN). */
    static boolean near(double ratio) {
        return Math.abs(Math.log(ratio)) <= Math.log(NEAR);
    }

    /** A set's row from each frame's measured / labelled diameter (NaN where nothing was measured). */
    static Row summary(String set, String role, List<Double> ratios, double seconds) {
        int n = ratios.size();
        int close = 0;
        int nearCount = 0;
        List<Double> measured = new ArrayList<>();
        for (double r : ratios) {
            if (Double.isNaN(r)) {
                continue;
            }
            measured.add(r);
            close += Math.abs(Math.log(r)) <= Math.log(CLOSE) ? 1 : 0;
            nearCount += near(r) ? 1 : 0;
        }
        return new Row(set, role, n, n == 0 ? Double.NaN : close / (double) n, n == 0 ? Double.NaN : nearCount / (double) n,
                measured.isEmpty() ? Double.NaN : ObjectSize.median(measured), seconds);
    }

    /** The rows as a Markdown table. */
    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder(
                "| set | role | frames | within 15% | within 30% | measured / labels, median | s per frame |\n"
                        + "|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.2f | %.2f | %.3f |%n", r.set(), r.role(),
                    r.frames(), r.within15(), r.within30(), r.ratio(), r.seconds()));
        }
        return sb.toString();
    }
}
