package org.segmentcells.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.io.AtomicFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.progress.Cancelled;
import org.segmentcells.progress.Progress;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;
import org.segmentcells.setting.Setting;
import org.segmentcells.segment.Scale;

/**
 * The training recipe, in one place for the command line ({@code train}), Fiji's Fine-tune Model and the
 * benchmarks: where a fine-tune starts ({@link FineTuneStart}: calibration on full labels, the scale
 * the labels state, a held-out part of each annotated frame or every 4th stroke), pseudo-labels for scribbles, training
 * with the final calibration on the validation frames (or else the annotated ones), and the check that
 * keeps the best of the fine-tune, its start and the start as calibrated ({@link FineTuneCheck}). Front ends read their
 * inputs and build the {@link TrainConfig}; what is done with them is decided here. Without a starting
 * model it trains from scratch (no calibration, no check).
 *
 * <pre>
 * FineTune.from("default", folder).frames(frames).config(cfg).commandLine("train ...").run(output, listener);
 * </pre>
 */
public final class FineTune {

    /**
     * The frames of image and annotation files ({@link TrainingData#pairs}), as both front ends read folders:
     * label or RGB 3-class images, or scribbles. {@code calibrates} is false for RGB 3-class images, whose
     * nuclei serve only the check.
     */
    public record FolderFrames(Frames frames, boolean calibrates) {

        /**
         * What a folder's annotations are and what the run has besides, by name:
         * {@code Use.SCRIBBLES.fineTuning(true).validated(false)}.
         *
         * @param scribbles the annotations are scribbles (else label or RGB 3-class images)
         * @param fineTunes a starting model is given (only then are frames annotated: calibration and check)
         * @param validates validation frames are given (RGB 3-class images then hold out nothing)
         */
        public record Use(boolean scribbles, boolean fineTunes, boolean validates) {
            public static final Use LABELS = new Use(false, false, false);
            public static final Use SCRIBBLES = new Use(true, false, false);

            public static Use of(boolean scribbles) {
                return scribbles ? SCRIBBLES : LABELS;
            }

            public Use fineTuning(boolean on) {
                return new Use(scribbles, on, validates);
            }

            public Use validated(boolean on) {
                return new Use(scribbles, fineTunes, on);
            }
        }

        public static FolderFrames of(List<TrainingData.Pair> pairs, Use use, Normalization norm, int contourWidth)
                throws IOException {
            boolean scribbles = use.scribbles();
            TrainingData.Annotated a = use.fineTunes() ? TrainingData.annotated(pairs, scribbles, use.validates())
                    : TrainingData.Annotated.NONE;
            return new FolderFrames(new Frames(pairs.stream().map(TrainingData.Pair::stem).toList(), a.frames(),
                    () -> TrainingData.images(pairs), s -> scribbles ? TrainingData.scribbleFrames(pairs, norm, s)
                            : TrainingData.trainingFrames(pairs, norm, contourWidth, s), scribbles), !a.checkOnly());
        }
    }

    /** The frames a model learns from. */
    public record Frames(List<String> names, List<Trainer.ValidationFrame> annotated,
            Supplier<List<FloatPlane>> images, FineTuneStart.FramesAtScale atScale, boolean scribbles) {
        /**
         * @param names     the frames' names, for model.json
         * @param annotated fully annotated frames as instance labels, which calibrate the start (unless
         *                  {@link FineTune#calibrate} is off) and may be held out in part; empty for
         *                  scribbles; for RGB 3-class images the nuclei they draw
         *                  ({@link TrainingData#checkFrames}), with calibration off
         * @param images    the training images as read, measured when the scale is auto and nothing is
         *                  annotated
         * @param atScale   the training frames at a scale
         * @param scribbles whether the frames are scribbles (pseudo-labels apply)
         */
        public Frames {
            names = List.copyOf(names);
            annotated = List.copyOf(annotated);
            Objects.requireNonNull(images);
            Objects.requireNonNull(atScale);
        }
    }

    /** The slow steps before and after training, for a front end's status line. */
    public enum Stage {
        /** calibrating the starting model on the annotated frames */
        CALIBRATING,
        /** pseudo-labelling the unscribbled pixels with the starting model */
        PSEUDO_LABELLING,
        /** comparing the fine-tune with its start */
        CHECKING
    }

    /** What training did, and where it started. */
    public record Result(Trainer.Outcome outcome, FineTuneStart.Start start, int frames) {
    }

    private final String init;
    private final Path initFolder;
    private final Model.Start model;
    private Frames frames;
    private TrainConfig config;
    private Scale scale;
    private InstanceOptions instances;
    private boolean calibrate = true;
    private float pseudoLabels;
    private List<Trainer.ValidationFrame> validation = List.of();
    private List<String> validationNames = List.of();
    private boolean resume;
    private boolean keepCheckpoint;
    private String commandLine;
    private BiConsumer<FineTuneStart.Start, List<TrainingFrame>> beforeTraining = (s, f) -> { };
    private java.util.function.Consumer<Trainer.Outcome> afterTraining = o -> { };
    private java.util.function.Consumer<String> notes;
    private java.util.function.Consumer<Stage> stages = s -> { };

    private FineTune(String init, Path initFolder, Model.Start model) {
        this.init = init;
        this.initFolder = initFolder;
        this.model = model;
    }

    /** A fine-tune of the model in {@code folder}, called {@code name} in logs and model.json. */
    public static FineTune from(String name, Path folder) throws IOException {
        return new FineTune(name, folder, Model.readStart(folder));
    }

    /** The same, with the model already read from {@code folder}. */
    public static FineTune from(String name, Path folder, Model.Start start) {
        return new FineTune(name, folder, Objects.requireNonNull(start));
    }

    /** Training from scratch (random weights; no calibration of a start, no check against it). */
    public static FineTune fromScratch() {
        return new FineTune(null, null, null);
    }

    /** The starting model as read, or null from scratch. */
    public Model.Start start() {
        return model;
    }

    public FineTune frames(Frames f) {
        this.frames = f;
        return this;
    }

    public FineTune config(TrainConfig c) {
        this.config = c;
        return this;
    }

    /** The scale the user gave, or null for the start's own (auto, or its calibrated number). */
    public FineTune scale(Scale s) {
        this.scale = s;
        return this;
    }

    /** Instance settings when nothing calibrates them; default: the starting model's. */
    public FineTune instances(InstanceOptions i) {
        this.instances = i;
        return this;
    }

    /**
     * Whether calibration, at the start and at the end, may choose scale and instance settings (off when
     * the user fixed them; annotated frames then only give the check its held-out rows).
     */
    public FineTune calibrate(boolean on) {
        this.calibrate = on;
        return this;
    }

    /** The weight of the starting model's classes on unscribbled pixels (scribble frames only; 0: off). */
    public FineTune pseudoLabels(float weight) {
        this.pseudoLabels = weight;
        return this;
    }

    /**
     * Validation frames: the best checkpoint by F on them is kept, the final calibration and the check use
     * them, and no part of the annotated frames (no stroke) is held out.
     */
    public FineTune validation(List<Trainer.ValidationFrame> frames, List<String> names) {
        this.validation = List.copyOf(frames);
        this.validationNames = List.copyOf(names);
        return this;
    }

    /** {@link #validation(List, List)} of annotated image files, read here, named by their stems. */
    public FineTune validation(List<TrainingData.Pair> pairs) throws IOException {
        return validation(TrainingData.validationFrames(pairs), pairs.stream().map(TrainingData.Pair::stem).toList());
    }

    /** Continue from the output's checkpoint. */
    public FineTune resume(boolean on) {
        this.resume = on;
        return this;
    }

    /** Keep the checkpoint folder beside the output (for a later resume); default: delete it. */
    public FineTune keepCheckpoint(boolean on) {
        this.keepCheckpoint = on;
        return this;
    }

    /** How the run was asked for, for model.json. */
    public FineTune commandLine(String line) {
        this.commandLine = line;
        return this;
    }

    /** Told where the fine-tune starts and which frames it trains on, just before training (for a log line). */
    public FineTune beforeTraining(BiConsumer<FineTuneStart.Start, List<TrainingFrame>> hook) {
        this.beforeTraining = hook;
        return this;
    }

    /** Told what training did, before the check against the start (whose verdict is the last line). */
    public FineTune afterTraining(java.util.function.Consumer<Trainer.Outcome> hook) {
        this.afterTraining = hook;
        return this;
    }

    /**
     * Where the recipe's own lines go (the start it chose, the check's verdict); default: the listener's
     * log, with the training lines.
     */
    public FineTune notes(java.util.function.Consumer<String> log) {
        this.notes = log;
        return this;
    }

    /** Told when a slow step other than training begins. */
    public FineTune stages(java.util.function.Consumer<Stage> hook) {
        this.stages = hook;
        return this;
    }

    /** Runs the recipe and writes the model folder {@code output}; {@code listener} hears every log line. */
    public Result run(Path output, Trainer.Listener listener) throws IOException {
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(config, "config");
        ModelInfo base = model == null ? null : model.info();
        Normalization norm = base != null ? new Normalization(base.normLow, base.normHigh) : Normalization.DEFAULT;
        // A calibrated start fine-tuned to scale auto: its minimum size goes with it to the training size.
        boolean toAuto = base != null && scale != null && scale.isAuto() && !base.scale.isAuto();
        InstanceOptions inst = instances != null ? instances
                : base != null ? new InstanceOptions(base.seedThreshold,
                        toAuto ? (int) Math.round(base.minSizeAtTrainingSize()) : base.minSize)
                : InstanceOptions.DEFAULT;
        java.util.function.Consumer<String> note = notes != null ? notes : listener::log;
        boolean validates = !validation.isEmpty();
        if (model != null && ((calibrate && !frames.annotated().isEmpty()) || (frames.scribbles()
                && (scale != null ? scale : base.scale).isAuto()))) {
            // Full labels calibrate the start; scribbles check an automatic scale against the strokes.
            stages.accept(Stage.CALIBRATING);
        }
        // Only instance labels and scribbles have something to hold out for the check. Calibration alone
        // (no steps) is checked too where it calibrates on instance labels or validation frames: on one or two
        // frames it can choose a scale that loses to the start at auto (docs/benchmarks.md, the new-microscope
        // tables).
        boolean trains = config.steps() > 0;
        boolean calibratesOnly = !trains && model != null && calibrate && (validates || !frames.annotated().isEmpty());
        if (!trains && model != null && !calibratesOnly && scale == null && instances == null) {
            // Nothing would change: the "fine-tune" would be a copy of its start.
            throw new IllegalArgumentException(Setting.STEPS.is(0) + " only calibrates the model, which needs fully"
                    + " annotated frames (label images or ROI outlines) or validation frames, not " + (frames.scribbles() ? "scribbles"
                    : frames.names().isEmpty() ? "none" : "RGB 3-class images"));
        }
        if (!frames.annotated().isEmpty() && frames.annotated().stream().allMatch(v -> v.labels().countObjects() == 0)) {
            // Calibration and the check would learn "no nuclei" (a huge minimum size) and keep it.
            throw new IllegalArgumentException("the annotated frames (" + String.join(", ", frames.names())
                    + ") hold no nuclei: label each nucleus with its own number above 0, background 0");
        }
        if (validates) {
            warnOfValidationTrainedOn(frames, note);
        }
        boolean holdOut = !validates && (trains ? frames.scribbles() || !frames.annotated().isEmpty() : calibratesOnly);
        FineTuneStart.Start begin = FineTuneStart.of(init, initFolder, base, scale, inst, frames.annotated(),
                calibrate, holdOut, frames.images(), frames.atScale(), note);
        // A cancel asked for while calibrating is heard here, before anything is written.
        checkCancelledBeforeTraining(listener);
        List<TrainingFrame> train = begin.frames();
        float pseudo = frames.scribbles() && model != null && trains ? pseudoLabels : 0; // nothing to train them for
        if (pseudo > 0) {
            stages.accept(Stage.PSEUDO_LABELLING);
            // Unscribbled pixels keep the starting model's classes at a small weight (see TrainConfig).
            train = PseudoLabels.fill(train, initFolder, pseudo);
            if (begin.strokes() != null) {
                train = begin.strokes().training(train); // held-out strokes take no pseudo-label either
            }
            checkCancelledBeforeTraining(listener);
        }
        // Without validation frames, settings are calibrated again on the annotated frames at the end.
        List<Trainer.ValidationFrame> calibrateOn = validates ? validation : begin.annotated();
        ModelInfo info = ModelInfo.fineTunedFrom(base);
        if (!trains && base != null) {
            // A calibration alone trains nothing: its weights learned as the start's did (auto scale reads this).
            info.trainedAcrossRange = base.trainedAcrossRange;
            info.training.blur = base.training != null ? base.training.blur : 0;
        }
        info.training.init = init;
        info.training.pseudoLabels = pseudo;
        info.training.scale = begin.chosen();
        info.training.frames = frames.names();
        info.training.validationFrames = validationNames;
        info.training.commandLine = commandLine;
        if (model != null && model.discriminatorProblem() != null && config.mode().adversarial()) {
            // Asked for adversarial by name (the default mode switches to cross-entropy): say why D is new.
            note.accept(model.discriminatorProblem() + "; D starts from random weights");
        }
        beforeTraining.accept(begin, train);
        boolean endCalibrates = calibrate && !calibrateOn.isEmpty();
        Trainer trainer = new Trainer(config, norm, begin.instances(), begin.scale(), endCalibrates)
                .calibratingOver(endScales(base, begin, validation));
        boolean startsFixed = scale == null && base != null && !base.scale.isAuto()
                && begin.scale() == base.scale.factor();
        if ((scale != null && !scale.isAuto()) || (startsFixed && !endCalibrates)) {
            // A number given, or the start's own fixed scale that nothing replaced: the model keeps it.
            trainer = trainer.withFixedScale();
        }
        if (!validates) {
            trainer = trainer.scoringTrainingFrames();
        }
        if (model != null && (validates || !begin.heldOut().isEmpty() || begin.strokes() != null)) {
            trainer = trainer.judgedAfter(); // a diverged run is then the check's to judge, and the start comes back
        }
        if (model != null && config.mode().adversarial() && model.discriminatorProblem() == null
                && !config.mode().fits(model)) {
            note.accept(init + "'s discriminator is " + (model.info().discriminator == null ? "none"
                    : model.info().discriminator) + ", not mode " + config.mode().id() + "'s; D starts from random weights");
        }
        Trainer.Outcome o;
        try {
            // Cross-entropy leaves the start's D as it was: carried along, a later adversarial fine-tune has it.
            boolean carriesD = !config.mode().adversarial() && model != null && model.discriminator() != null
                    && base.discriminator != null;
            if (carriesD) {
                info.discriminator = base.discriminator;
                info.discriminatorTraining = base.discriminatorRun();
            }
            o = trainer.train(train, calibrateOn, model == null ? null : model.estimator(),
                    carriesD ? model.discriminator() : config.mode().startingDiscriminator(model), info, output,
                    resume, listener);
            afterTraining.accept(o);
            ModelInfo.Check verdict = null;
            // An Esc after the loop's last look is heard here: the user is not kept waiting for the check.
            if ((o.cancelled() || listener.cancelRequested()) && model != null) {
                // The user asked to stop: the model so far is written; scoring two models would keep them waiting.
                note.accept("cancelled: not checked against " + init);
            } else if (model != null && (trains || calibratesOnly)) {
                stages.accept(Stage.CHECKING);
                if (!validates && begin.strokes() != null) {
                    List<FloatPlane> images = null;
                    try {
                        images = frames.images().get();
                    } catch (java.io.UncheckedIOException e) {
                        // The model is written: a file gone since must not fail the run, only its check.
                        note.accept("not checked against " + init + ": the images could not be read again ("
                                + e.getCause().getMessage() + ")");
                    }
                    if (images != null) {
                        verdict = FineTuneCheck.keepBetterOnStrokes(init, initFolder, output, images, begin.strokes(),
                                note);
                    }
                } else {
                    // A fine-tune that calibrated its start is also compared with that calibration alone.
                    FineTuneCheck.Calibrated calibrated = trains && begin.calibrated()
                            ? new FineTuneCheck.Calibrated(begin.calibration()) : null;
                    verdict = FineTuneCheck.keepBetter(init, initFolder, output, validates ? validation : List.of(),
                            begin.heldOut(), trains ? FineTuneCheck.Tuning.FINE_TUNE : FineTuneCheck.Tuning.CALIBRATION,
                            calibrated, note);
                }
            }
            if (verdict == null && model != null && (trains || calibratesOnly) && o.diverged() == null) {
                // Not judged (cancelled, nothing held out, a check that could not run): segmenting warns.
                ModelInfo written = ModelFolder.readInfo(output);
                written.unchecked = Trainer.unchecked(o.stepsDone(), config.steps());
                ModelFolder.writeInfo(output, written);
            }
            if (o.diverged() != null && verdict == null) {
                // Left to the check, which did not judge it: weights that may segment nothing are not a result.
                throw Trainer.diverged(o.diverged() + ", and no check judged the result", output
                        + " holds its last weights, which may segment nothing");
            }
        } finally {
            // Only now (training or the check may fail half-way); kept when asked, for a resumed run.
            if (!keepCheckpoint) {
                AtomicFiles.deleteTree(Trainer.checkpointFolder(output));
            }
        }
        return new Result(o, begin, train.size());
    }

    /**
     * Says so where a validation frame is a training frame (the same pixels): the best step, the calibration and
     * the check would then be chosen on what the model learned, and say nothing of the user's other images.
     */
    private void warnOfValidationTrainedOn(Frames frames, java.util.function.Consumer<String> note) {
        List<FloatPlane> images = frames.images().get();
        for (Trainer.ValidationFrame v : validation) {
            for (int k = 0; k < images.size(); k++) {
                FloatPlane t = images.get(k);
                if (t.width() == v.source().width() && t.height() == v.source().height()
                        && java.util.Arrays.equals(t.data(), v.source().data())) {
                    note.accept("warning: validation frame " + v.name() + " is training frame "
                            + (k < frames.names().size() ? frames.names().get(k) : Integer.toString(k + 1))
                            + ": its scores say nothing of images the model did not learn; set other frames aside"
                            + " for validation");
                }
            }
        }
    }

    private static void checkCancelledBeforeTraining(Progress listener) {
        if (listener.cancelRequested()) {
            throw new Cancelled("cancelled before training; nothing written");
        }
    }

    /**
     * The scales the end's calibration tries: on validation frames, the candidates their own labels state
     * ({@link Calibration#scalesFor}), since they may show another magnification than the training frames;
     * otherwise the start's ({@link FineTuneStart.Start#scales}).
     */
    static double[] endScales(ModelInfo base, FineTuneStart.Start begin, List<Trainer.ValidationFrame> validation) {
        return base != null && !validation.isEmpty() ? Calibration.scalesFor(base, validation) : begin.scales();
    }
}
