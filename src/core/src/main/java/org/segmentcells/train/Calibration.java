package org.segmentcells.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.segmentcells.annotate.Targets;
import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.scale.AutoScale;
import org.segmentcells.scale.ObjectSize;
import org.segmentcells.scale.Sharpness;
import org.segmentcells.scale.TrainingSize;
import org.segmentcells.segment.Scale;
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
     * Scales tried for a model with a fixed scale, or no recorded training size (such as
     * {@code bbbc039-2frames}): below 1 shrinks nuclei larger than those the model learned from. Such a
     * model's training size says little of where it does best, and starting from the labels' size or
     * reaching below 0.45 calibrated it worse on the new-microscope frames (docs/benchmarks-log.md).
     */
    public static final double[] SCALES = {1, 0.85, 0.7, 0.55, 0.45, 1.25, 1.5};
    /**
     * For a model trained at one nucleus size (scale auto), the scale the labels state (their median
     * diameter against that size) is tried with these factors only: full labels give the size exactly,
     * and a wide search of F on one or two frames overfits (a lab-2-like set: 0.70 chosen where 0.4 was
     * right).
     */
    public static final double[] AROUND_LABELS = {1, 0.87, 1.15};
    /**
     * For a model that learned many nucleus sizes and records them (scale auto with a training-size range,
     * such as the shipped {@code default}), the sizes the labelled nuclei are brought to after their own
     * size are its median, the range's centre, high and low ends, and these multiples of the high end
     * (24.5, 19.6, 28.7, 13.4, 35.9 and 43.1 px for default; {@link #toSizes}). Why sizes and not
     * factors: the labels state the nuclei's size exactly, so the same few candidates serve any
     * magnification (nuclei of 110 px get 0.12-0.39, which {@link #SCALES} cannot reach), while the
     * generalist is still tried above its range, where it learned large DSB nuclei at their own size and
     * does best on some (lab2's magnified BBBC039 nuclei at 35 px).
     */
    static final double[] ABOVE_HIGH = {1.25, 1.5};
    /**
     * 0.95 since the U-Net: its generalist chose 0.9, the old top of the grid, at every validation, and
     * on the selection frames 0.95 scored F 0.899 against 0.894 (0.98: 0.863).
     */
    public static final double[] SEED_THRESHOLDS = {0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
    public static final int[] MIN_SIZES = {0, 15, 30, 60, 120, 240, 400};

    /**
     * How much better, in {@link StrokeAgreement#score()}, another scale must agree with the strokes than
     * the measured one before a fine-tune on strokes trains there: ten strokes per frame are few pixels.
     * On BBBC039 val frames (measured scale 1, right) the best other scale led by 0.01; on the
     * new-microscope frames, where 0.45–0.55 scores F 0.82 and the measured 0.80 scores 0.66, by 0.05–0.07.
     */
    public static final double STROKE_MARGIN = 0.03;

    /**
     * How a starting model's segmentation at one scale agrees with annotated pixels that carry no instance
     * labels (scribbles): the share of nucleus strokes in the interior of the nuclei it finds (its 3-class
     * target: not their rim, as the strokes lie in the interior of theirs), and of background strokes on its
     * background; NaN for a class with no strokes.
     */
    public record StrokeAgreement(double scale, double nucleus, double background) {
        /** The mean of the two shares (one alone when the other class has no strokes). */
        public double score() {
            if (Double.isNaN(nucleus)) {
                return background;
            }
            return Double.isNaN(background) ? nucleus : (nucleus + background) / 2;
        }
    }

    /**
     * Segments {@code images} with the model at each scale (its own instance settings) and measures the
     * agreement with the annotated pixels of {@code frames} (the same frames at scale 1: classes, and weight
     * above 0 where annotated).
     */
    public static List<StrokeAgreement> strokes(Path modelFolder, List<FloatPlane> images,
            List<TrainingFrame> frames, double[] scales) throws IOException {
        List<StrokeAgreement> out = new ArrayList<>();
        try (Model m = Model.load(modelFolder)) {
            for (double scale : scales) {
                out.add(agreement(m, SegmentSettings.MODEL.withScale(Scale.of(scale)), images, frames));
            }
        }
        return out;
    }

    /**
     * How the model's segmentation of {@code images} with {@code settings} agrees with the annotated pixels
     * of {@code frames} (the same frames at scale 1); the agreement's scale is the factor used, NaN for auto
     * (chosen per image).
     */
    public static StrokeAgreement agreement(Model m, SegmentSettings settings, List<FloatPlane> images,
            List<TrainingFrame> frames) {
        int contour = m.info().contourWidth;
        long[] hit = new long[3];
        long[] all = new long[3];
        for (int i = 0; i < images.size(); i++) {
            FloatPlane img = images.get(i);
            TrainingFrame f = frames.get(i);
            byte[] predicted = Targets.fromLabels(m.plan(settings, img).segment(img), contour);
            for (int p = 0; p < predicted.length; p++) {
                int c = f.classes()[p];
                if (f.weight()[p] > 0 && c != Targets.CONTOUR) {
                    all[c]++;
                    if (predicted[p] == c) {
                        hit[c]++;
                    }
                }
            }
        }
        int n = Targets.NUCLEUS;
        int b = Targets.BACKGROUND;
        Scale scale = settings.scale() != null ? settings.scale() : m.info().scale;
        return new StrokeAgreement(scale != null && !scale.isAuto() ? scale.factor() : Double.NaN,
                all[n] == 0 ? Double.NaN : (double) hit[n] / all[n], all[b] == 0 ? Double.NaN : (double) hit[b] / all[b]);
    }

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
    public static Result ofModel(java.nio.file.Path modelFolder, List<Trainer.ValidationFrame> frames,
            double[] scales) throws java.io.IOException {
        try (org.segmentcells.model.Model m = org.segmentcells.model.Model.load(modelFolder)) {
            return best(m, m.normalization(), frames, scales, SEED_THRESHOLDS, MIN_SIZES);
        }
    }

    /**
     * The scale at which the labelled nuclei of {@code frames} have the size a model learned from, when
     * the model was trained at one size (its scale is auto and its training size a narrow range,
     * {@link TrainingSize#oneSize()}); empty otherwise, or when the frames label no nucleus. A generalist
     * that learned many sizes (the shipped {@code default}) is tried at several of them instead
     * ({@link #toSizes}): measured on the new-microscope frames, only the scale auto's rule gives for the
     * labels' size calibrated it to F 0.706–0.795 where a grid reached 0.827–0.835.
     */
    public static OptionalDouble labelledScale(ModelInfo model, List<Trainer.ValidationFrame> frames) {
        return labelledScale(model, labelledDiameter(frames));
    }

    /** The median diameter (px) of the nuclei the frames label; NaN without any. */
    public static double labelledDiameter(List<Trainer.ValidationFrame> frames) {
        return ObjectSize.medianDiameter(frames.stream().map(Trainer.ValidationFrame::labels).toList());
    }

    /** As {@link #labelledScale(ModelInfo, List)}, for labelled nuclei of this median diameter. */
    public static OptionalDouble labelledScale(ModelInfo model, double labelled) {
        TrainingSize size = model.trainingSize();
        if (!model.scale.isAuto() || !size.known() || !size.oneSize() || Double.isNaN(labelled)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(AutoScale.fromEstimate(new ObjectSize.Estimate(labelled, 1), size).factor());
    }

    /**
     * The scales to try on the frames: {@link #around} the labelled scale for a model of one size; for a
     * generalist that records its sizes, those bringing the labelled nuclei to the sizes of {@link #toSizes}; else
     * {@link #SCALES}.
     */
    public static double[] scalesFor(ModelInfo model, List<Trainer.ValidationFrame> frames) {
        return scalesFor(model, labelledDiameter(frames));
    }

    /** As {@link #scalesFor(ModelInfo, List)}, for labelled nuclei of this median diameter. */
    public static double[] scalesFor(ModelInfo model, double labelled) {
        OptionalDouble s = labelledScale(model, labelled);
        if (s.isPresent()) {
            return around(s.getAsDouble());
        }
        TrainingSize size = model.trainingSize();
        return model.scale.isAuto() && size.known() && !Double.isNaN(labelled) ? toSizes(labelled, size) : SCALES;
    }

    /**
     * Scale 1 (the nuclei's own size, preferred on ties), then the scales that bring nuclei of
     * {@code labelled} px to each size a generalist of {@code size} is tried at ({@link #ABOVE_HIGH}),
     * rounded to 0.01, kept in the scale range, each once.
     */
    static double[] toSizes(double labelled, TrainingSize size) {
        java.util.LinkedHashSet<Double> out = new java.util.LinkedHashSet<>();
        out.add(1.0);
        double[] sizes = {size.median(), size.centre(), size.high(), size.low(), size.high() * ABOVE_HIGH[0],
                size.high() * ABOVE_HIGH[1]};
        for (double d : sizes) {
            out.add(candidate(d / labelled));
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** {@code scale} times each of {@link #AROUND_LABELS}, rounded to 0.01 and kept in the scale range. */
    public static double[] around(double scale) {
        return Arrays.stream(AROUND_LABELS).map(f -> candidate(scale * f)).toArray();
    }

    /** A scale to try: rounded to 0.01, kept in the scale range. */
    private static double candidate(double scale) {
        return Scale.clamp(Math.round(scale * 100) / 100.0);
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
        // Each frame shrunk as segmenting will shrink it: a noisy one smoothed more (NetworkInput), judged on its
        // whole frame as Model.plan judges it; only asked where a scale shrinks.
        boolean[] noisy = new boolean[frames.size()];
        boolean shrinks = java.util.Arrays.stream(scales).anyMatch(s -> s < 1);
        for (int i = 0; i < noisy.length && shrinks; i++) {
            noisy[i] = Sharpness.isNoisy(frames.get(i).source());
        }
        for (double scale : scales) {
            Segmenter seg = new Segmenter(net, norm, Segmenter.DEFAULT_TILE, scale);
            List<Segmenter.Probabilities> probs = new ArrayList<>();
            // A strip of a frame is segmented whole and scored on its rows (ValidationFrame.ofSource), so the
            // nuclei its edge cuts count as segmenting the frame finds them.
            for (int i = 0; i < frames.size(); i++) {
                probs.add(seg.withNoisy(noisy[i]).probabilities(frames.get(i).source()));
            }
            for (double th : seedThresholds) {
                for (int ms : minSizes) {
                    InstanceOptions opt = new InstanceOptions(th, ms);
                    List<FrameScores> scored = new ArrayList<>();
                    for (int i = 0; i < frames.size(); i++) {
                        Trainer.ValidationFrame v = frames.get(i);
                        scored.add(Evaluator.scoreFrame(v.labels(), v.ofSource(opt.label(probs.get(i), v.source())), 0));
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
