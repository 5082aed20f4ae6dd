package org.segmentcells.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;
import org.segmentcells.segment.ProbabilityNet;
import org.segmentcells.segment.Segmenter;

/**
 * Chooses a model's scale, seed threshold and minimum size on annotated frames: each scale's
 * probabilities are computed once per frame, every instance setting is scored on them, and the best
 * pooled F wins (earlier grid entries win ties, so scale 1 and the lower thresholds are preferred).
 *
 * <p>Why: on frames from another microscope the default model's settings can be far off. On the 13
 * dense DSB frames (nuclei about 40 px across against BBBC039's 29 px) the default model scores F 0.60
 * as it is and about 0.7 at scale 0.55 with a larger minimum size (docs/benchmarks.md). A user who
 * annotated a frame has what is needed to find that out, in seconds.
 */
public final class Calibration {

    /**
     * Scales tried; below 1 shrinks nuclei larger than those the model learned from. Not derived from the
     * labels' size, nor reaching below 0.45: both were measured on the new-microscope frames and both
     * calibrated the default worse there (docs/benchmarks.md).
     */
    public static final double[] SCALES = {1, 0.85, 0.7, 0.55, 0.45, 1.25, 1.5};
    /**
     * 0.95 since the U-Net: its generalist chose 0.9, the old top of the grid, at every validation, and
     * on the selection frames 0.95 scored F 0.899 against 0.894 (0.98: 0.863).
     */
    public static final double[] SEED_THRESHOLDS = {0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
    public static final int[] MIN_SIZES = {0, 15, 30, 60, 120, 240, 400};

    /** A setting and its pooled scores on the frames (keys as {@link FrameScores#asMap()}). */
    public record Result(double scale, InstanceOptions instances, Map<String, Double> scores) {
    }

    private Calibration() {
    }

    /** The best setting over the full grid. */
    public static Result best(ProbabilityNet net, Normalization norm, List<Trainer.ValidationFrame> frames) {
        return best(net, norm, frames, SCALES, SEED_THRESHOLDS, MIN_SIZES);
    }

    /** Scores one fixed setting. */
    public static Result score(ProbabilityNet net, Normalization norm, List<Trainer.ValidationFrame> frames,
            double scale, InstanceOptions instances) {
        return best(net, norm, frames, new double[] {scale}, new double[] {instances.seedThreshold()},
                new int[] {instances.minSize()});
    }

    /**
     * Calibrates a saved model (the start of a fine-tune) on fully annotated frames, so that training can
     * run at the scale where the model already does best.
     */
    public static Result ofModel(java.nio.file.Path modelFolder, List<Trainer.ValidationFrame> frames)
            throws java.io.IOException {
        try (org.segmentcells.model.Model m = org.segmentcells.model.Model.load(modelFolder)) {
            return best(m, m.normalization(), frames);
        }
    }

    /** One line for logs: the setting and its pooled F on the frames it was chosen on. */
    public static String describe(Result r) {
        return String.format(java.util.Locale.ROOT, "scale %.2f, seed threshold %.2f, min size %d (F %.3f)",
                r.scale(), r.instances().seedThreshold(), r.instances().minSize(), r.scores().get("f"));
    }

    public static Result best(ProbabilityNet net, Normalization norm, List<Trainer.ValidationFrame> frames,
            double[] scales, double[] seedThresholds, int[] minSizes) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one annotated frame");
        }
        Result best = null;
        for (double scale : scales) {
            Segmenter seg = new Segmenter(net, norm, Segmenter.DEFAULT_TILE, scale);
            List<Segmenter.Probabilities> probs = new ArrayList<>();
            for (Trainer.ValidationFrame v : frames) {
                probs.add(seg.probabilities(v.image()));
            }
            for (double th : seedThresholds) {
                for (int ms : minSizes) {
                    InstanceOptions opt = new InstanceOptions(th, ms);
                    List<FrameScores> scored = new ArrayList<>();
                    for (int i = 0; i < frames.size(); i++) {
                        Trainer.ValidationFrame v = frames.get(i);
                        scored.add(Evaluator.scoreFrame(v.labels(), opt.label(probs.get(i), v.image()), 0));
                    }
                    Map<String, Double> s = new LinkedHashMap<>(Evaluator.pool(scored).asMap());
                    if (best == null || s.get("f") > best.scores().get("f")) {
                        best = new Result(scale, opt, s);
                    }
                }
            }
        }
        return best;
    }
}
