package org.segmentcells.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.AtomicFiles;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.nets.Discriminator;
import org.segmentcells.nets.Estimator;
import org.segmentcells.nets.Weights;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;
import org.segmentcells.scale.TrainingSize;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.progress.Progress;
import org.segmentcells.setting.Setting;

/**
 * Runs a training: alternating D and E updates on random crops, periodic validation on held-out
 * frames keeping the best model, checkpoints for resuming, and console-friendly progress.
 */
public final class Trainer {

    /**
     * A held-out annotated frame: raw image and instance labels.
     *
     * @param source the image the frame was cut from, itself when whole: auto scale measures the nuclei
     *               there, since a strip cut from a frame holds too few whole nuclei to measure (the
     *               bottom quarters of two 512×640 new-microscope frames scored the default F 0.47 at
     *               the scales measured on them, 0.75 at those measured on the whole frames)
     */
    public record ValidationFrame(String name, FloatPlane image, LabelPlane labels, FloatPlane source, int top) {

        /**
         * @param source the whole frame when {@code image} is a strip of its rows (a held-out part), else image
         * @param top    the strip's first row in {@code source}; 0 for a whole frame
         */
        public ValidationFrame {
            source = source == null ? image : source;
        }

        /** A whole frame. */
        public ValidationFrame(String name, FloatPlane image, LabelPlane labels) {
            this(name, image, labels, image, 0);
        }

        /** Rows [y0, y1) of this frame, which remember the whole frame they come from. */
        public ValidationFrame rows(int y0, int y1) {
            int w = image.width();
            float[] px = java.util.Arrays.copyOfRange(image.data(), y0 * w, y1 * w);
            return new ValidationFrame(name, new FloatPlane(w, y1 - y0, px), labels.rows(y0, y1), source, top + y0);
        }

        /**
         * This frame's rows of a segmentation of its {@link #source}: a strip is scored as segmenting the whole
         * frame outlines it. Why: a strip segmented on its own cuts the nuclei on its edge into pieces that a
         * minimum size drops, so the check and calibration favoured settings without one (min size 0) on
         * large nuclei.
         */
        public LabelPlane ofSource(LabelPlane segmented) {
            if (source == image) {
                return segmented;
            }
            int y0 = Math.min(top, segmented.height() - image.height());
            return segmented.rows(y0, y0 + image.height());
        }

        /**
         * The frame as another objective would show it: image resized bilinearly, labels by nearest
         * neighbour, and a strip's source resized alike.
         */
        public ValidationFrame scaled(double factor) {
            if (factor == 1) {
                return this;
            }
            int w = org.segmentcells.img.Resample.scaledSize(image.width(), factor);
            int h = org.segmentcells.img.Resample.scaledSize(image.height(), factor);
            FloatPlane from = source == image ? null : org.segmentcells.img.Resample.bilinear(source,
                    org.segmentcells.img.Resample.scaledSize(source.width(), factor),
                    org.segmentcells.img.Resample.scaledSize(source.height(), factor));
            return new ValidationFrame(name, org.segmentcells.img.Resample.bilinear(image, w, h),
                    org.segmentcells.img.Resample.nearest(labels, w, h), from, (int) Math.round(top * factor));
        }
    }

    /**
     * Receives the run's events (log lines, losses, validations) besides {@link Progress}'s fraction of
     * steps done and cancel; every method has a no-op default.
     */
    public interface Listener extends Progress {
        default void log(String line) {
        }

        default void step(int step, int steps, TrainingGraph.StepLosses losses) {
        }

        /**
         * After each E update, with D's losses from its last update in this step ({@code null} when D
         * was not updated: cross-entropy, or D frozen). By default calls the three-argument form.
         */
        default void step(int step, int steps, TrainingGraph.StepLosses e, TrainingGraph.StepLosses d) {
            step(step, steps, e);
        }

        default void validated(int step, Map<String, Double> scores, boolean best) {
        }
    }

    /**
     * What a run produced.
     *
     * @param diverged when the loss stopped being a number in a run a check judges ({@link #judgedAfter()}):
     *     when, e.g. "at step 4 (the loss is not a number)"; null otherwise
     */
    public record Outcome(int stepsDone, int bestStep, Map<String, Double> bestScores, double seconds,
            boolean cancelled, String diverged) {
    }

    /** Persistent state next to the checkpoint, for a resumed run ({@code Setting.RESUME}). */
    static final class State {
        int step;
        int bestStep;
        double bestF = -1;
        Map<String, Double> bestScores = new LinkedHashMap<>();
        double seconds;
        /** What a resumed run must share with this one ({@link #runOf}); null in checkpoints before it. */
        Map<String, String> run;
    }

    /**
     * The settings a checkpoint belongs to: a run that differs in them would continue another's weights under
     * its own name and history (more steps, or a later learning-rate drop, are fine).
     */
    static Map<String, String> runOf(TrainConfig config, ModelInfo info, double scale) {
        Map<String, String> run = new LinkedHashMap<>();
        run.put("scale", String.format(Locale.ROOT, "%.3f", scale));
        run.put("mode", config.mode().id());
        run.put("estimator", config.estimator().settingName());
        run.put("patch", Integer.toString(config.patch()));
        run.put("batch", Integer.toString(config.batch()));
        run.put("seed", Long.toString(config.seed()));
        run.put("frames", info.training.frames == null ? "" : String.join(",", info.training.frames));
        return run;
    }

    private static void checkSameRun(Path checkpoint, Map<String, String> was, Map<String, String> now) {
        if (was == null || was.equals(now)) {
            return;
        }
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, String> e : now.entrySet()) {
            String before = was.get(e.getKey());
            // A setting a checkpoint of an earlier version did not record is taken as this run's.
            if (before != null && !e.getValue().equals(before)) {
                differ.add(e.getKey().equals("frames") ? "the training frames" : e.getKey() + " " + before
                        + " (now " + e.getValue() + ")");
            }
        }
        if (differ.isEmpty()) {
            return;
        }
        throw new IllegalArgumentException(checkpoint + " is of another run: " + String.join(", ", differ) + "; resume"
                + " with that run's settings, or start again with " + Setting.OVERWRITE.mention() + " instead of "
                + Setting.RESUME.mention());
    }

    private final TrainConfig config;
    private final Normalization normalization;
    private final InstanceOptions instances;

    private final boolean calibrate;
    private final double scale;
    /** Scales calibration may choose from; only the training scale for a generalist model. */
    private final double[] scales;
    private final Flags flags;
    /** A cross-entropy run's starting D, saved with its E unchanged ({@link #train}); null otherwise. */
    private Weights carriedD;

    /** Steps between checkpoints of a run that scores nothing before its end ({@link TrainConfig#validateEvery} 0). */
    public static final int CHECKPOINT_EVERY = 250;

    /**
     * @param scaleFixed whether {@link Trainer#scale} is fixed (stored in the model) rather than chosen for the
     *     frames
     * @param scoresTrainingFrames whether the frames scored are the training frames themselves
     *     ({@link Trainer#scoringTrainingFrames})
     * @param judgedAfter whether a check against the start judges the result ({@link Trainer#judgedAfter()})
     */
    private record Flags(boolean scaleFixed, boolean scoresTrainingFrames, boolean judgedAfter) {
    }

    /**
     * @param instances instance settings written into the model
     * @param calibrate choose the scale, seed threshold and minimum size on the validation frames instead
     */
    public Trainer(TrainConfig config, Normalization normalization, InstanceOptions instances, boolean calibrate) {
        this(config, normalization, instances, 1, calibrate);
    }

    /**
     * @param scale the scale the training frames were resized by; written into the model unless
     *     calibration chooses another
     */
    public Trainer(TrainConfig config, Normalization normalization, InstanceOptions instances, double scale,
            boolean calibrate) {
        this(config, normalization, instances, scale, calibrate, Calibration.SCALES);
    }

    private Trainer(TrainConfig config, Normalization normalization, InstanceOptions instances, double scale,
            boolean calibrate, double[] scales) {
        this(config, normalization, instances, scale, calibrate, scales, new Flags(false, false, false));
    }

    private Trainer(TrainConfig config, Normalization normalization, InstanceOptions instances, double scale,
            boolean calibrate, double[] scales, Flags flags) {
        Segmenter.checkScale(scale);
        this.scales = scales;
        this.config = config;
        this.normalization = normalization;
        this.instances = instances;
        this.scale = scale;
        this.calibrate = calibrate;
        this.flags = flags;
    }

    /**
     * The training scale is fixed (the user's number, or the start's own fixed scale that nothing replaced), so
     * the model keeps it ({@code scale} in model.json) instead of measuring images at auto: a number given
     * always wins, in segment as in train.
     */
    public Trainer withFixedScale() {
        return new Trainer(config, normalization, instances, scale, calibrate, scales, new Flags(true,
                flags.scoresTrainingFrames(), flags.judgedAfter()));
    }

    /**
     * The frames scored at the end are the training frames (no validation frames were given): the log calls
     * their scores calibration, not validation, since nothing was held out of them.
     */
    public Trainer scoringTrainingFrames() {
        return new Trainer(config, normalization, instances, scale, calibrate, scales, new Flags(flags.scaleFixed(), true,
                flags.judgedAfter()));
    }

    /**
     * A check against the starting model judges what this run saves (a fine-tune with data held out): a run
     * whose loss stops being a number trains on and is saved, the outcome says so ({@link Outcome#diverged}),
     * and the check, which finds it worse or unable to run, puts the start back; if no check reaches a verdict
     * (cancelled, say), the caller stops with the error. Without one, such a run stops with it at once.
     */
    public Trainer judgedAfter() {
        return new Trainer(config, normalization, instances, scale, calibrate, scales, new Flags(flags.scaleFixed(),
                flags.scoresTrainingFrames(), true));
    }

    /**
     * Calibration keeps the training scale and chooses only the instance settings: for a model meant
     * for images of every size, where no one scale fits the validation frames' mix of microscopes.
     */
    public Trainer atFixedScale() {
        return calibratingOver(new double[] {scale});
    }

    /** Calibration chooses among these scales (default {@link Calibration#SCALES}). */
    public Trainer calibratingOver(double[] scales) {
        if (scales.length == 0) {
            throw new IllegalArgumentException("calibration needs at least one scale to try");
        }
        return new Trainer(config, normalization, instances, scale, calibrate, scales.clone(), flags);
    }

    /**
     * The nucleus size of the fully annotated frames, as E sees them (at the training scale): what
     * {@code scale auto} brings images to. Unknown without such frames, when the caller's value (the starting
     * model's) stays. Scribbles filled with pseudo-labels count as full: the size is then the pseudo-labels',
     * at which the fine-tuned weights score better than at the start's (docs/benchmarks-log.md, stop 43).
     */
    static TrainingSize trainingSize(List<TrainingFrame> frames) {
        List<LabelPlane> labels = new ArrayList<>();
        for (TrainingFrame f : frames) {
            int labelled = 0;
            for (float w : f.weight()) {
                if (w > 0) {
                    labelled++;
                }
            }
            // Padding is unlabelled too, so "full" means mostly labelled rather than every pixel.
            if (2 * labelled >= f.weight().length) {
                labels.add(org.segmentcells.segment.Instances.fromClasses(f.classes(), f.image().width(),
                        f.image().height(), 0));
            }
        }
        return TrainingSize.of(labels);
    }

    /**
     * Whether a run into {@code output} left a checkpoint that {@code Setting.RESUME} goes on from (or one a
     * stopped swap set aside, which {@link #recoverCheckpoint} puts back).
     */
    public static boolean hasCheckpoint(Path output) {
        return checkpointStates(output).stream().anyMatch(Files::isRegularFile);
    }

    /**
     * Whether a run into {@code output} wrote a checkpoint at or after {@code sinceMillis} (the current one, or the
     * previous one a stopped swap left aside, which {@link #recoverCheckpoint} puts back): one of the run that
     * started then, not one an earlier run left.
     */
    public static boolean checkpointWrittenSince(Path output, long sinceMillis) throws IOException {
        for (Path state : checkpointStates(output)) {
            if (Files.isRegularFile(state) && Files.getLastModifiedTime(state).toMillis() >= sinceMillis) {
                return true;
            }
        }
        return false;
    }

    /** The state files of {@code output}'s checkpoint: the current one, and one a stopped swap set aside. */
    private static List<Path> checkpointStates(Path output) {
        Path checkpoint = checkpointFolder(output);
        return List.of(checkpoint.resolve("state.json"), previous(checkpoint).resolve("state.json"));
    }

    /** The checkpoint folder used for a model output folder. */
    public static Path checkpointFolder(Path output) {
        Path abs = output.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".checkpoint");
    }

    /**
     * Trains and writes the model folder {@code output} (the best one by validation F when validation
     * frames are given, else the last).
     *
     * @param initE starting weights of E (fine-tuning), or null for random
     * @param initD starting weights of D, or null; in cross-entropy mode, D is not trained but saved with the
     *     model as it was (when {@code info} names its architecture), so a later adversarial fine-tune has it
     * @param info template for model.json (training data, command line); scores and steps are filled in
     */
    public Outcome train(List<TrainingFrame> frames, List<ValidationFrame> validation, Weights initE, Weights initD,
            ModelInfo info, Path output, boolean resume, Listener listener) throws IOException {
        Path checkpoint = checkpointFolder(output);
        long t0 = System.nanoTime();
        carriedD = !config.mode().adversarial() && info.discriminator != null ? initD : null;
        TrainingSize size = trainingSize(frames);
        if (config.steps() > 0 && size.known()) {
            // Weights that train learn these frames' sizes; a calibration alone keeps the start's description.
            info.setTrainingSize(size);
        }
        listener.log("training: " + config.summary());
        if (resume) {
            recoverCheckpoint(checkpoint);
        }
        boolean resuming = resume && hasCheckpoint(output);
        // The check after the earlier run may have put the start back in the output: the best so far is gone.
        boolean startInOutput = resuming && holdsStart(output);
        State state = resuming ? ModelFolder.readJson(checkpoint.resolve("state.json"), State.class) : new State();
        Map<String, String> run = runOf(config, info, scale);
        if (resuming) {
            checkSameRun(checkpoint, state.run, run);
        }
        state.run = run;
        // The graph holds the learning rates as constants: built for the step it starts at.
        TrainConfig first = config.atStep(state.step + 1);
        TrainingGraph g = new TrainingGraph(first);
        try {
            if (resuming) {
                try {
                    g.session().restore(checkpoint.resolve("ckpt").toString());
                } catch (org.tensorflow.exceptions.TensorFlowException e) {
                    throw new IllegalArgumentException(checkpoint + " does not fit this run's "
                            + config.estimator().settingName() + " estimator (" + e.getMessage().lines().findFirst()
                            .orElse("") + "); start again with " + Setting.OVERWRITE.mention() + " instead of "
                            + Setting.RESUME.mention());
                }
                // Nothing scored yet (bestStep 0): no best to name.
                listener.log(String.format(Locale.ROOT, "resumed from %s at step %d%s%s", checkpoint, state.step,
                        state.bestStep > 0 && !state.bestScores.isEmpty() ? String.format(Locale.ROOT, " (best F %.4f at step %d)", state.bestF,
                                state.bestStep) : "", config.droppedAt(state.step + 1) ? "; " + droppedRates(first) : ""));
                if (startInOutput) {
                    if (state.step >= config.steps()) {
                        // Nothing left to train: saving the checkpoint's last weights would drop what the run's
                        // end calibrated, and the check has already judged this run.
                        throw new IllegalArgumentException(output + ": its run finished at step " + state.step
                                + " and the check kept the starting model's weights; give more " + Setting.STEPS.mention()
                                + " to train on, or " + Setting.OVERWRITE.mention() + " to start again");
                    }
                    // This run saves its own again, and the check compares that with the start.
                    listener.log("the output holds the starting model's weights (its check kept them); this run's best will"
                            + " replace it");
                    state.bestF = Double.NEGATIVE_INFINITY;
                }
            } else {
                if (resume) {
                    listener.log("no checkpoint at " + checkpoint + "; starting from the beginning");
                }
                if (initE != null) {
                    int set = g.params().assign(g.session(), initE);
                    int needed = g.params().names(Estimator.PREFIX).size();
                    if (set != needed) {
                        throw new IllegalArgumentException("the starting model's estimator does not fit the "
                                + config.estimator().settingName() + " estimator (" + set + " of " + needed
                                + " variables match)");
                    }
                }
                if (initD != null && config.mode().adversarial()) {
                    try {
                        g.params().assign(g.session(), initD);
                    } catch (IllegalArgumentException e) {
                        if (config.dSteps() == 0) {
                            // A frozen random D would only push E around at random.
                            throw new IllegalArgumentException("the starting model's discriminator does not fit this"
                                    + " run (" + e.getMessage() + ") and D is frozen; use the starting model's crop size"
                                    + " or " + Setting.MODE.is(Mode.CROSS_ENTROPY.id()), e);
                        }
                        listener.log("starting model's discriminator does not fit mode " + config.mode().id()
                                + " (" + e.getMessage() + "); D starts from random weights");
                    }
                }
            }
            double secondsBefore = state.seconds;
            if (config.steps() == 0 && !validation.isEmpty()) {
                // No training: the starting weights, calibrated (or scored) on the validation frames.
                state.bestScores = new LinkedHashMap<>(validate(g, validation, listener, 0, state));
                state.bestF = state.bestScores.get("f");
                save(g, info, output, state);
                listener.validated(0, state.bestScores, true);
                state.seconds = (System.nanoTime() - t0) / 1e9;
                return new Outcome(0, 0, state.bestScores, state.seconds, false, null);
            }
            PatchSampler sampler = new PatchSampler(frames, config.batch(), config.patch(), config.realNoise(), config.realBlur(),
                    config.seed() * 1_000_003L, config.cropping());
            // A resumed run draws what the uninterrupted run would have drawn after its checkpoint's step (each step
            // draws a batch per D step and one for E, unless E learns nothing), so stopping does not change the model.
            boolean dAlone = config.mode().adversarial() && config.dSteps() > 0 && config.learningRate() == 0;
            sampler.skip((long) state.step * ((config.mode().adversarial() ? config.dSteps() : 0) + (dAlone ? 0 : 1)));
            boolean cancelled = false;
            String diverged = null;
            boolean saved = Files.isRegularFile(output.resolve(ModelFolder.INFO)) && state.step > 0 && !startInOutput;
            long tLog = System.nanoTime();
            int logEvery = 50;
            int done = state.step;
            for (int step = state.step + 1; step <= config.steps(); step++) {
                if (listener.cancelRequested()) {
                    cancelled = true;
                    break;
                }
                TrainingGraph.StepLosses d = null;
                for (int k = 0; k < config.dSteps() && config.mode().adversarial(); k++) {
                    d = g.trainD(sampler.next());
                }
                // D alone (E's learning rate 0): E's update would change nothing and cost most of a step.
                TrainingGraph.StepLosses e = d != null && config.learningRate() == 0 ? d : g.trainE(sampler.next());
                if (!Float.isFinite(e.ce()) || !Float.isFinite(e.adv()) || (d != null && !Float.isFinite(d.d()))) {
                    if (flags.judgedAfter()) {
                        // The check will judge what is saved; the caller learns of it if no check does.
                        diverged = diverged != null ? diverged : "at step " + step + " (the loss is not a number)";
                    } else {
                        // NaN weights would segment nothing (F 0) and be saved as if trained: stop and say so.
                        throw diverged("at step " + step + " (the loss is not a number)", saved
                                ? output + " holds the model saved at step " + state.bestStep + ", unchecked"
                                : "no model was written");
                    }
                }
                done = step;
                listener.step(step, config.steps(), e, d);
                listener.fraction(step, config.steps());
                if (step % logEvery == 0 || step == 1) {
                    double sPerStep = (System.nanoTime() - tLog) / 1e9 / (step == 1 ? 1 : logEvery);
                    tLog = System.nanoTime();
                    // D's numbers only where D plays a part: in cross-entropy they would be zeros.
                    listener.log(config.mode().adversarial() ? String.format(Locale.ROOT,
                            "step %5d/%d  ce %.4f  adv %.4f  d %.4f  D(manual) %.3f  D(estimated) %.3f  %.3f s/step",
                            step, config.steps(), e.ce(), e.adv(), d == null ? 0f : d.d(), e.dReal(), e.dFake(), sPerStep)
                            : String.format(Locale.ROOT, "step %5d/%d  ce %.4f  %.3f s/step", step, config.steps(), e.ce(),
                                    sPerStep));
                }
                boolean last = step == config.steps();
                if (last || (config.validateEvery() > 0 && step % config.validateEvery() == 0)) {
                    state.step = step;
                    state.seconds = secondsBefore + (System.nanoTime() - t0) / 1e9;
                    Map<String, Double> scores = validation.isEmpty() ? Map.of()
                            : validate(g, validation, listener, step, state);
                    double f = scores.getOrDefault("f", 0.0);
                    if (validation.isEmpty() || f > state.bestF) {
                        state.bestF = validation.isEmpty() ? 0 : f;
                        state.bestStep = step;
                        state.bestScores = new LinkedHashMap<>(scores);
                        save(g, info, output, state);
                        saved = true;
                        if (!validation.isEmpty()) {
                            listener.log(String.format(Locale.ROOT, "  new best F %.4f: saved %s", f, output));
                        }
                    }
                    listener.validated(step, scores, state.bestStep == step);
                    writeCheckpoint(g, checkpoint, state);
                } else if (config.validateEvery() == 0 && step % CHECKPOINT_EVERY == 0) {
                    // Scored only at the end (a fine-tune calibrated on its own frames): a run stopped before it
                    // can still be resumed from here.
                    state.step = step;
                    state.seconds = secondsBefore + (System.nanoTime() - t0) / 1e9;
                    writeCheckpoint(g, checkpoint, state);
                }
                if (!last && step == config.lrDropAt()) {
                    g = dropLearningRates(g, step, checkpoint, state, secondsBefore + (System.nanoTime() - t0) / 1e9,
                            listener);
                }
            }
            state.seconds = secondsBefore + (System.nanoTime() - t0) / 1e9;
            if (!saved || (cancelled && validation.isEmpty() && done > state.step)) {
                // Cancelled before the first validation, or with nothing to validate on (so the latest
                // is the best we know): keep what we have, under the step it really is.
                state.step = done;
                state.bestStep = done;
                state.bestScores = new LinkedHashMap<>();
                save(g, info, output, state);
            }
            return new Outcome(state.step, state.bestStep, state.bestScores, state.seconds, cancelled, diverged);
        } finally {
            g.close();
        }
    }

    /**
     * Continues after {@code step} in a graph built with the dropped learning rates: the weights, batch
     * norm averages and optimizer moments go across through a checkpoint, which a resumed run would
     * also start from.
     */
    private TrainingGraph dropLearningRates(TrainingGraph g, int step, Path checkpoint, State state, double seconds,
            Listener listener) throws IOException {
        if (state.step != step) { // else a validation at this step has just written it
            state.step = step;
            state.seconds = seconds;
            writeCheckpoint(g, checkpoint, state);
        }
        g.close();
        TrainConfig next = config.atStep(step + 1);
        TrainingGraph dropped = new TrainingGraph(next);
        try {
            dropped.session().restore(checkpoint.resolve("ckpt").toString());
        } catch (RuntimeException e) {
            dropped.close();
            throw e;
        }
        listener.log("after step " + step + ": " + droppedRates(next));
        return dropped;
    }

    private static String droppedRates(TrainConfig c) {
        return "learning rates dropped to " + c.learningRate() + " (E) and " + c.learningRateD() + " (D)";
    }

    /**
     * Scores the current E on the validation frames. With calibration on, the scale and instance
     * settings are chosen on these frames too ({@link Calibration}); otherwise the training scale and
     * the given instance settings are scored.
     */
    private Map<String, Double> validate(TrainingGraph g, List<ValidationFrame> validation, Listener listener,
            int step, State state) {
        long t = System.nanoTime();
        Calibration.Result r = calibrate ? Calibration.best(g.inference(), normalization, validation, scales,
                Calibration.SEED_THRESHOLDS, Calibration.MIN_SIZES)
                : Calibration.score(g.inference(), normalization, validation, scale, instances);
        Map<String, Double> best = new LinkedHashMap<>(r.scores());
        best.put("seed_threshold", r.instances().seedThreshold());
        best.put("min_size", (double) r.instances().minSize());
        best.put("scale", r.scale());
        listener.log(String.format(Locale.ROOT,
                "  %s at step %d on %s: precision %.4f  recall %.4f  F %.4f  SEG %.4f"
                        + "  (scale %.2f, seed threshold %.2f, min size %d; %.1f s)",
                !flags.scoresTrainingFrames() ? "validation" : calibrate ? "calibration" : "score", step,
                org.segmentcells.setting.Counts.of(validation.size(), flags.scoresTrainingFrames() ? "training frame"
                        : "frame"), best.get("precision"), best.get("recall"), best.get("f"), best.get("seg"),
                r.scale(), r.instances().seedThreshold(), r.instances().minSize(), (System.nanoTime() - t) / 1e9));
        return best;
    }

    /** Whether {@code output} holds the starting model a fine-tune's check put back (not this run's save). */
    private static boolean holdsStart(Path output) {
        try {
            ModelInfo i = ModelFolder.readInfo(output);
            return i.fineTuneCheck != null && i.fineTuneCheck.keptStartWeights();
        } catch (IOException | RuntimeException e) {
            return false; // no model there (yet), or not one of ours: nothing to keep from being overwritten
        }
    }

    private static boolean finite(Weights w) {
        for (Weights.Entry entry : w.entries().values()) {
            for (float v : entry.values()) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A run whose loss or weights are no longer numbers: it stops, saying what was written. */
    static IllegalStateException diverged(String when, String output) {
        return new IllegalStateException("training diverged " + when + "; " + output + "; a smaller "
                + Setting.LR.mention() + " may help");
    }

    private void save(TrainingGraph g, ModelInfo info, Path output, State state) throws IOException {
        Weights e = g.params().read(g.session(), Estimator.PREFIX);
        // The loss is fetched before a step's update, so the update of the step saved may itself have diverged.
        if (!flags.judgedAfter() && !finite(e)) {
            throw diverged("by step " + state.step + " (the weights are not numbers)", "nothing was saved then");
        }
        Weights d = config.mode().adversarial() ? g.params().read(g.session(), Discriminator.PREFIX) : carriedD;
        info.architecture = config.estimator().id();
        info.discriminator = config.mode().adversarial() ? config.mode().discriminator().architecture()
                : carriedD != null ? info.discriminator : null;
        info.normLow = normalization.low();
        info.normHigh = normalization.high();
        info.contourWidth = config.contourWidth();
        Double th = state.bestScores.get("seed_threshold");
        Double ms = state.bestScores.get("min_size");
        info.seedThreshold = th != null ? th : instances.seedThreshold();
        info.minSize = ms != null ? ms.intValue() : instances.minSize();
        Double sc = state.bestScores.get("scale");
        // A scale chosen by calibration or given is kept; otherwise images are measured against the training size.
        info.scale = calibrate && scales.length > 1 && sc != null ? Scale.of(sc) : flags.scaleFixed() ? Scale.of(scale) : Scale.AUTO;
        ModelInfo.Training t = info.training;
        t.mode = config.mode().id();
        t.steps = state.step;
        t.bestStep = state.bestStep;
        t.seed = config.seed();
        t.batch = config.batch();
        t.patch = config.patch();
        t.optimizer = config.optimizer().name().toLowerCase(Locale.ROOT);
        t.learningRate = config.learningRate();
        t.learningRateD = config.learningRateD();
        t.ceWeight = config.ceWeight();
        t.advWeight = config.advWeight();
        t.dSteps = config.dSteps();
        t.realNoise = config.realNoise();
        t.realBlur = config.realBlur();
        t.realScale = config.realScale();
        t.lrDropAt = config.lrDropAt();
        t.freezeBatchNorm = config.freezeBatchNorm();
        t.zoom = config.cropping().zoom();
        t.gamma = config.cropping().gamma();
        t.cropsByArea = config.cropping().byArea();
        if (config.steps() > 0) {
            t.blur = config.cropping().blur();
        }
        t.noise = config.cropping().noise();
        t.wallSeconds = Math.round(state.seconds * 10) / 10.0;
        info.validation = new LinkedHashMap<>(state.bestScores);
        // The check clears it; a run stopped before the check leaves it, for segmenting to warn.
        info.unchecked = flags.judgedAfter() ? unchecked(state.step, config.steps()) : null;
        ModelFolder.save(output, info, e, d);
    }

    /** What a fine-tune its check has not judged did ({@link ModelInfo#unchecked}). */
    static String unchecked(int steps, int planned) {
        return planned == 0 ? "calibrated" : String.format(Locale.ROOT, "fine-tuned %d of %d steps", steps, planned);
    }

    /** Where {@link #writeCheckpoint} keeps the previous checkpoint while it moves the new one in. */
    private static Path previous(Path checkpoint) {
        return checkpoint.getParent().resolve("." + checkpoint.getFileName() + ".old");
    }

    /**
     * A run stopped between {@link #writeCheckpoint}'s two moves left the previous checkpoint aside and none in
     * its place: it is the latest complete one, so it goes back.
     */
    static void recoverCheckpoint(Path checkpoint) throws IOException {
        Path old = previous(checkpoint);
        if (!Files.exists(checkpoint) && Files.isRegularFile(old.resolve("state.json"))) {
            Files.move(old, checkpoint);
        }
    }

    private static void writeCheckpoint(TrainingGraph g, Path checkpoint, State state) throws IOException {
        Path parent = checkpoint.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createDirectory(AtomicFiles.tempSibling(checkpoint));
        try {
            g.session().save(tmp.resolve("ckpt").toString());
            ModelFolder.writeJson(tmp.resolve("state.json"), state);
            Path old = previous(checkpoint);
            AtomicFiles.deleteTree(old);
            if (Files.exists(checkpoint)) {
                Files.move(checkpoint, old);
            }
            Files.move(tmp, checkpoint);
            AtomicFiles.deleteTree(old);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
    }
}
