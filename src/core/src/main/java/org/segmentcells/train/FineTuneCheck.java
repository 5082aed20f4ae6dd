package org.segmentcells.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Scale;
import org.segmentcells.setting.Setting;

/**
 * A fine-tune never ends worse than where it started, silently, nor does calibration alone (no steps;
 * {@link Tuning}): the fine-tuned model and its start are scored, each with its own settings, on annotated
 * data neither trained on
 * (validation frames, the held-out parts of the annotated frames, or for scribbles the strokes held out of
 * training, {@link FineTuneStart}); the better
 * one (of three, below) stays in the output folder, and model.json and the log say which and by how much. Why: on two
 * frames of a new microscope a fine-tune was measured to end below the untuned model (F 0.63 against
 * 0.74), with nothing telling the user. A start with a fixed scale that records its training size is
 * also scored at auto scale, and the higher counts: on the lab-2-like set the default scored 0.34 at its
 * own scale 1 where auto gives about 0.9, so comparing at scale 1 alone would keep any fine-tune.
 *
 * <p>A fine-tune that calibrated its start on full labels is also compared with that calibration alone (the
 * start's weights with the scale and instance settings chosen on the annotated frames, {@link Calibrated}),
 * and the best of the three stays. Why: training on one or two frames can lose what calibrating gained; on the
 * new microscope's 2 frames the fine-tune scored 0.727 on the held-out parts, its start 0.765 and the
 * calibration 0.839, and on the test frames calibration alone scores 0.830 against the start's 0.812.
 */
public final class FineTuneCheck {

    /**
     * How much better the start must agree with the held-out strokes to be kept: a few strokes are few
     * pixels. With 5 nucleus and 2 background strokes held out of the new microscope's frames 1–2, the start
     * led by 0.007, and the fine-tune it would have replaced scored higher on frames 3–4 (docs/benchmarks-log.md,
     * stop 44); on lab2's frames 3–4 it led by 0.098, and kept the better model. The same size as
     * {@link Calibration#STROKE_MARGIN}, by which strokes move a scale, but a separate setting.
     */
    public static final double STROKE_MARGIN = 0.03;

    private FineTuneCheck() {
    }

    /** What is checked against its start: weights trained further, or the start only calibrated (no steps). */
    public enum Tuning {
        FINE_TUNE("fine-tuned", "the fine-tune"),
        CALIBRATION("calibrated", "calibration alone");

        private final String adjective;
        private final String noun;

        Tuning(String adjective, String noun) {
            this.adjective = adjective;
            this.noun = noun;
        }
    }

    /**
     * The start's weights with the settings its calibration before training chose on the annotated frames'
     * training rows (a fixed scale; the minimum size in the images' pixels, as a calibrated model.json holds
     * it): a third candidate for a fine-tune's check.
     */
    public record Calibrated(Calibration.Result result) {
        double scale() {
            return result.scale();
        }

        SegmentSettings settings() {
            return SegmentSettings.MODEL.withScale(Scale.of(scale())).withSeedThreshold(
                    result.instances().seedThreshold()).withMinSize(result.instances().minSize());
        }

        String describe() {
            return String.format(Locale.ROOT, "scale %.2f, seed threshold %.2f, min size %d", scale(),
                    result.instances().seedThreshold(), result.instances().minSize());
        }

        /** The start's description with these settings, and their calibration scores, as calibration alone writes. */
        void applyTo(ModelInfo info) {
            info.scale = Scale.of(scale());
            info.seedThreshold = result.instances().seedThreshold();
            info.minSize = result.instances().minSize();
            info.validation = new java.util.LinkedHashMap<>(result.scores());
            info.validation.put("seed_threshold", info.seedThreshold);
            info.validation.put("min_size", (double) info.minSize);
            info.validation.put("scale", scale());
        }
    }

    /**
     * Compares and keeps the best model in {@code output}, on the validation frames if there are any,
     * else on the held-out parts of the annotated frames ({@link FineTuneStart.Start#heldOut()}); returns
     * what was recorded, or null (and says why) when there is nothing to compare on. {@code calibrated}, when
     * not null, is the start as calibrated before a fine-tune, compared too.
     */
    public static ModelInfo.Check keepBetter(String init, Path start, Path output,
            List<Trainer.ValidationFrame> validation, List<Trainer.ValidationFrame> heldOut, Tuning tuning,
            Calibrated calibrated, Consumer<String> log) throws IOException {
        return validation.isEmpty()
                ? keepBetter(init, start, output, heldOut, "the held-out parts of the annotated frames", tuning,
                        calibrated, log)
                : keepBetter(init, start, output, validation, "the validation frames", tuning, calibrated, log);
    }

    /** As above, on {@code frames}; {@code on} says what they are, for the log and model.json. */
    static ModelInfo.Check keepBetter(String init, Path start, Path output, List<Trainer.ValidationFrame> frames,
            String on, Tuning tuning, Calibrated calibrated, Consumer<String> log) throws IOException {
        if (frames.isEmpty()) {
            log.accept("not checked against " + init + ": nothing was held out to check on (validation frames give"
                    + " the check its data)");
            return null;
        }
        return keepBetter(init, start, output, on, frames.size(), false, tuning, calibrated,
                (m, s) -> score(m, frames, s), log);
    }

    /**
     * As above, for a fine-tune on scribbles without validation frames: the models are compared by how
     * their segmentations of the whole {@code images} agree with the strokes held out of training
     * ({@link Calibration#agreement}, the mean of the nucleus and background shares), and the start is kept
     * only when it agrees better by more than {@link #STROKE_MARGIN}.
     */
    public static ModelInfo.Check keepBetterOnStrokes(String init, Path start, Path output, List<FloatPlane> images,
            HeldOutStrokes strokes, Consumer<String> log) throws IOException {
        if (!strokes.matches(images)) {
            // After training, a mismatch must not cost the user the fine-tune: it stays, unchecked, and is named.
            log.accept("not checked against " + init + ": the images read again do not match the frames the"
                    + " strokes were held out of");
            return null;
        }
        List<TrainingFrame> held = strokes.onImages(images);
        String on = String.format(Locale.ROOT, "the held-out strokes (%d nucleus, %d background)", strokes.nucleus(),
                strokes.background());
        return keepBetter(init, start, output, on, images.size(), true, Tuning.FINE_TUNE, null,
                (m, s) -> Score.of(Calibration.agreement(m, s, images, held).score()), log);
    }

    /** A model's score on the checked data with some settings. */
    @FunctionalInterface
    interface Measure {
        Score of(Model m, SegmentSettings settings);
    }

    /**
     * F (or the agreement with strokes), and SEG, which decides only when F ties exactly (NaN on strokes). Why:
     * held-out parts hold few nuclei, so F ties often (lab2's fine-tunes tied their start at 0.878 on the strips
     * and scored on their test frames 0.915 and 0.919 against the start's 0.924), and how well the matched
     * nuclei are outlined still tells the two models apart.
     */
    record Score(double value, double seg) {
        static Score of(double value) {
            return new Score(value, Double.NaN);
        }

        /** Positive when this scores higher: F first, then SEG when both have one. */
        int compareTo(Score o) {
            int c = Double.compare(value, o.value);
            return c != 0 || Double.isNaN(seg) || Double.isNaN(o.seg) ? c : Double.compare(seg, o.seg);
        }

        boolean tiesOnF(Score o) {
            return value == o.value && !Double.isNaN(seg) && !Double.isNaN(o.seg);
        }
    }

    /**
     * With {@code byStrokes}, the measure is the agreement with held-out strokes, and the start needs a margin;
     * {@code calibrated} (null: none) is a third candidate, for a fine-tune that calibrated its start.
     */
    static ModelInfo.Check keepBetter(String init, Path start, Path output, String on, int frames,
            boolean byStrokes, Tuning tuning, Calibrated calibrated, Measure measure, Consumer<String> log)
            throws IOException {
        if (byStrokes || tuning == Tuning.CALIBRATION) {
            calibrated = null; // strokes calibrate nothing; calibration alone is what is checked
        }
        double margin = byStrokes ? STROKE_MARGIN : 0;
        StartScore st;
        Score tuned;
        Score cal = null;
        boolean runs = true;
        try {
            st = scoreStart(start, measure);
            if (calibrated != null) {
                try (Model m = Model.load(start)) {
                    cal = measure.of(m, calibrated.settings());
                }
            }
            try (Model m = Model.load(output)) {
                tuned = measure.of(m, SegmentSettings.MODEL);
            } catch (Model.DamagedWeights e) {
                // Diverged weights (NaN) make the model unusable: the start is better by definition.
                // A log line reaches every front end as it is, so settings are named in plain words.
                log.accept("the fine-tuned model does not run (" + Setting.spell(e, Setting.PLAIN) + ")");
                tuned = new Score(0, 0);
                runs = false;
            }
        } catch (IllegalStateException e) {
            // TensorFlow failed on the way (out of memory, say, with another command on the GPU): that says
            // nothing of the fine-tune, which stays, unchecked, and is named.
            log.accept("not checked against " + init + ": scoring failed (" + Setting.spell(e, Setting.PLAIN)
                    + "); " + output + " holds the " + tuning.adjective + " model");
            return null;
        }
        double fStart = st.score().value();
        double fTuned = tuned.value();
        boolean tie = tuned.tiesOnF(st.score());
        String startName = st.auto() ? init + " at scale auto" : init;
        ModelInfo.Check c = new ModelInfo.Check();
        c.commandLine = commandLineIn(output);
        c.on = on;
        c.frames = frames;
        if (byStrokes) {
            c.strokesStart = round(fStart);
            c.strokesFineTuned = round(fTuned);
        } else {
            c.fStart = round(fStart);
            c.fFineTuned = round(fTuned);
            c.segStart = round(st.score().seg());
            c.segFineTuned = round(tuned.seg());
        }
        if (cal != null) {
            c.fCalibrated = round(cal.value());
            c.segCalibrated = round(cal.seg());
            c.calibratedScale = calibrated.scale();
        }
        c.startScale = st.auto() ? Scale.AUTO_NAME : null;
        if (tuning == Tuning.CALIBRATION) {
            // Calibration alone checked the start with calibrated settings: its scores are the calibration's.
            c.fCalibrated = c.fFineTuned;
            c.segCalibrated = c.segFineTuned;
            c.fFineTuned = null;
            c.segFineTuned = null;
            Scale calibratedScale = ModelFolder.readInfo(output).scale;
            c.calibratedScale = calibratedScale.isAuto() ? null : calibratedScale.factor();
        }
        String checked = String.format(Locale.ROOT, "checked on %s: %s %s %.3f against %.3f for %s (%+.3f%s)%s; ",
                on, tuning.adjective, byStrokes ? "stroke agreement" : "F", fTuned, fStart, startName, fTuned - fStart,
                tie ? String.format(Locale.ROOT, ", a tie: SEG %.3f against %.3f", tuned.seg(), st.score().seg()) : "",
                cal == null ? "" : String.format(Locale.ROOT, " and %.3f for %s as calibrated before training"
                        + " (%s%s)", cal.value(), init, calibrated.describe(), cal.tiesOnF(st.score()) ? String.format(
                        Locale.ROOT, "; a tie with %s: SEG %.3f against %.3f", startName, cal.seg(), st.score().seg())
                        : tuned.tiesOnF(cal) ? String.format(Locale.ROOT, "; a tie with the fine-tune: SEG %.3f against"
                        + " %.3f", cal.seg(), tuned.seg()) : ""));
        // A tie of F goes to SEG. A calibration that ties on both keeps the start: its fixed scale and minimum size
        // would change what users get for no measured gain. A fine-tune that ties on both learned the user's
        // images, so it stays; strokes allow their margin, which they cannot resolve.
        int cmp = tuned.compareTo(st.score());
        boolean keep = margin > 0 ? fTuned >= fStart - margin : tuning == Tuning.CALIBRATION ? cmp > 0 : cmp >= 0;
        boolean beatsCalibration = cal == null || tuned.compareTo(cal) >= 0;
        if (runs && keep && beatsCalibration) {
            c.kept = tuning == Tuning.CALIBRATION ? ModelInfo.Check.CALIBRATED : ModelInfo.Check.FINE_TUNED;
            ModelInfo info = ModelFolder.readInfo(output);
            info.fineTuneCheck = c;
            info.unchecked = null;
            ModelFolder.writeInfo(output, info);
            log.accept(checked + "kept the " + tuning.adjective + " model" + (fTuned < fStart ? String.format(Locale.ROOT,
                    " (within the %.2f a few strokes cannot tell apart)", margin) : ""));
        } else if (cal != null && cal.compareTo(st.score()) > 0) {
            // The same rule as calibration alone: it must beat the start to replace it.
            c.kept = ModelInfo.Check.CALIBRATED;
            Model.Start s = Model.readStart(start);
            ModelInfo info = s.info();
            info.fineTuneCheck = c;
            calibrated.applyTo(info);
            ModelFolder.save(output, info, s.estimator(), s.discriminator());
            log.accept(checked + String.format(Locale.ROOT, "%s did worse than calibration alone, so %s holds %s with"
                    + " the calibrated settings (%s; see fineTuneCheck in model.json)", tuning.noun, output, init, calibrated.describe()));
        } else {
            c.kept = ModelInfo.Check.START;
            Model.Start s = Model.readStart(start);
            ModelInfo info = s.info();
            info.fineTuneCheck = c;
            if (st.auto()) {
                info.toAutoScale(); // as it was scored: its minimum size counted at the training size
            }
            ModelFolder.save(output, info, s.estimator(), s.discriminator());
            log.accept(checked + String.format(Locale.ROOT, "%s did %s, so %s holds %s unchanged%s (see"
                    + " fineTuneCheck in model.json)", tuning.noun, cmp < 0 ? "worse" : "no better", output, init,
                    st.auto() ? ", set to scale auto" : ""));
        }
        return c;
    }

    /** The start's score, and whether auto scale gave it (above its own fixed scale). */
    record StartScore(Score score, boolean auto) {
    }

    static StartScore scoreStart(Path folder, List<Trainer.ValidationFrame> frames) throws IOException {
        return scoreStart(folder, (m, s) -> score(m, frames, s));
    }

    /** The command line of the run whose model {@code output} holds now (before the check may replace it). */
    private static String commandLineIn(Path output) {
        try {
            ModelInfo run = ModelFolder.readInfo(output);
            return run.training == null ? null : run.training.commandLine;
        } catch (IOException | RuntimeException e) {
            return null; // nothing there yet
        }
    }

    private static StartScore scoreStart(Path folder, Measure measure) throws IOException {
        try (Model m = Model.load(folder)) {
            Score own = measure.of(m, SegmentSettings.MODEL);
            if (!m.info().scale.isAuto() && m.info().trainingSize().known()) {
                Score auto = measure.of(m, SegmentSettings.MODEL.withScale(Scale.AUTO));
                if (auto.compareTo(own) > 0) {
                    return new StartScore(auto, true);
                }
            }
            return new StartScore(own, false);
        }
    }

    /** Pooled F and SEG of a model folder, with its own settings, on annotated frames. */
    static Score score(Path folder, List<Trainer.ValidationFrame> frames) throws IOException {
        try (Model m = Model.load(folder)) {
            return score(m, frames, SegmentSettings.MODEL);
        }
    }

    /**
     * Each frame segmented whole, at the scale chosen on it (auto scale measures the whole frame), and a strip
     * scored on its rows of that ({@link Trainer.ValidationFrame#ofSource}).
     */
    static Score score(Model m, List<Trainer.ValidationFrame> frames, SegmentSettings settings) {
        List<FrameScores> all = new ArrayList<>();
        for (Trainer.ValidationFrame v : frames) {
            all.add(Evaluator.scoreFrame(v.labels(), v.ofSource(m.plan(settings, v.source()).segment(v.source())), 0));
        }
        FrameScores pooled = Evaluator.pool(all);
        return new Score(pooled.f(), pooled.seg());
    }

    private static Double round(double f) {
        return Double.isNaN(f) ? null : Math.round(f * 10000) / 10000.0;
    }
}
