package org.segmentcells.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.segmentcells.model.Model;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.model.ModelStore;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.Normalization;
import org.segmentcells.train.Cropping;
import org.segmentcells.train.FineTune;
import org.segmentcells.train.Mode;
import org.segmentcells.train.TrainConfig;
import org.segmentcells.nets.Architecture;
import org.segmentcells.train.Trainer;
import org.segmentcells.train.TrainingData;

/** {@code train}: trains or fine-tunes a model on annotated frames. */
public final class TrainCommand implements Main.Command {

    @Override
    public String summary() {
        return "train or fine-tune a model on annotated frames";
    }

    @Override
    public String usage() {
        TrainConfig d = TrainConfig.defaults();
        return String.format(Locale.ROOT, """
                usage: train --images DIR (--labels DIR | --scribbles DIR) --output MODEL_DIR [options]

                Labels are instance label images (0 background, k nucleus k) or RGB annotations in the
                paper's encoding (red background, green nucleus, blue contour), named like their images.
                Scribbles are images named like their images with 0 unlabelled, 1 background, 2 nucleus,
                3 contour; only marked pixels enter the loss. Scribble training needs --init: in the
                adversarial modes D is then frozen (--d-steps 0) and acts as the starting model's learned
                shape prior, since scribbles give D no full manual maps to learn from.

                  --images DIR            training images
                  --labels DIR            their label images
                  --scribbles DIR         their scribble images (instead of --labels; fine-tuning)
                  --list FILE             file of image stems to use, in order (default: all images)
                  --frames N              use only the first N frames
                  --mode M                adversarial | classdisc | cross-entropy (default %s; with --init
                                          %s: measured, see docs/benchmarks.md "shape prior")
                  --init MODEL            start from this model (name or folder) instead of random weights
                  --estimator E           paper | unet: the paper's 5-layer E or a larger U-Net (default
                                          paper; with --init the starting model's)
                  --freeze-d              do not update the discriminator (same as --d-steps 0)
                  --steps N               estimator updates (default %d; with --init %d)
                  --seed S                random seed (default %d)
                  --validation-images DIR, --validation-labels DIR, --validation-list FILE, --validation-frames N
                                          held-out frames; the model with the best F is kept
                  --validate-every N      validation interval in steps (default %d; with --init and
                                          validation frames %d; a fine-tune without them is scored at
                                          the end only, and checkpoints every %d steps for --resume)
                  --output MODEL_DIR      model folder to write
                  --resume                continue from MODEL_DIR.checkpoint
                  --overwrite             replace an existing model folder
                advanced:
                  --batch N (%d)  --patch N (%d; with --init, the starting model's if it has a D)
                  --optimizer adam|rmsprop (adam)  --lr X (%s; with --init %s, from a U-Net %s)  --lr-d X (%s)
                  --lr-drop-at N          both learning rates drop tenfold after step N (default: never)
                  --ce-weight X (%s)  --adv-weight X (%s)  --d-steps N (%d)  --real-noise X (%s)  --real-blur X (%s)  --real-scale X (%s)
                  --contour-width N (%d)
                  --zoom Z (1)  --gamma G (1)  crops resized by a factor in [1/Z, Z] and raised to a power
                                          in [1/G, G] (1: off), for models meant for many microscopes
                  --crops-by-area         draw frames in proportion to their size, not uniformly
                  --blur S (0)            each crop blurred by a Gaussian of sigma in [0, S] px, as resizing
                                          there and back softens frames (0: off)
                  --noise N (0)           Gaussian noise of a standard deviation in [0, N] added to each
                                          normalised crop (1: the normalised range; 0: off), for dim,
                                          noisy microscopes
                  --freeze-batch-norm     E's batch norm keeps its running averages instead of learning
                                          (always so when fine-tuning a U-Net: measured better)
                  --train-batch-norm      E's batch norm learns even when fine-tuning a U-Net
                  --pseudo-labels W       with --scribbles: unscribbled pixels take the starting model's
                                          class at cross-entropy weight W, 0 to 1 (with --init: %s,
                                          %s in the adversarial modes; 0 turns it off)
                  --seed-threshold P, --min-size N, --scale S   instance settings and scale stored in the
                                          model; S also resizes the training frames (default: calibrated on the
                                          validation frames, else the starting model's, or 0.5, 30 and auto)

                Calibration: when fine-tuning (--init) from full labels without these three options, the
                starting model is first calibrated on the training frames (scale, seed threshold, min
                size: the best F; for an auto model, over the scales that bring the labelled nuclei to the
                sizes it learned), trained on them resized by that scale, and calibrated on
                them again at the end unless validation frames are given. Scribbles train at the auto
                scale of their images, or at the size of the nuclei they outline whole (nucleus pixels
                ringed by contour, 3 or more), unless a scale of the calibration grid agrees better with
                their strokes by 0.03 or more.

                Check: without validation frames, a fine-tune holds out the bottom quarter of each labelled
                frame (instance labels or RGB 3-class images), or every 4th scribble stroke of each kind
                (given 4 of each), and at the end keeps the best there of itself, its start and, when
                the start was calibrated on the labels, that calibration alone (the log and
                fineTuneCheck in model.json say which, and by how much; an exact tie of F goes to
                SEG). --steps 0 (calibration alone) is checked the same way on instance labels, or on
                the validation frames when given.
                """, d.mode().id(), TrainConfig.fineTuneDefaults().mode().id(), d.steps(), TrainConfig.FINE_TUNE_STEPS, d.seed(), d.validateEvery(), TrainConfig.FINE_TUNE_VALIDATE_EVERY,
                org.segmentcells.train.Trainer.CHECKPOINT_EVERY, d.batch(), d.patch(),
                d.learningRate(), TrainConfig.FINE_TUNE_LR, TrainConfig.FINE_TUNE_LR_UNET,
                d.learningRateD(), d.ceWeight(), d.advWeight(), d.dSteps(), d.realNoise(), d.realBlur(), d.realScale(), d.contourWidth(),
                TrainConfig.SCRIBBLE_PSEUDO_LABELS, TrainConfig.SCRIBBLE_PSEUDO_LABELS_ADVERSARIAL);
    }

    @Override
    public String whenStopped(String[] args) {
        String output = Args.lastValue(args, "output");
        // Asked as this JVM stops: a checkpoint written since it started is this run's, not an earlier run's.
        long started = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        try {
            if (output != null && org.segmentcells.train.Trainer.checkpointWrittenSince(Path.of(output), started)) {
                return "the same command with --resume goes on from its last checkpoint, "
                        + org.segmentcells.train.Trainer.checkpointFolder(Path.of(output));
            }
        } catch (IOException e) {
            return "its checkpoint, if it reached one, is in " + org.segmentcells.train.Trainer.checkpointFolder(
                    Path.of(output)) + " (" + e.getMessage() + ")";
        }
        return "it reached no checkpoint of its own (one every " + org.segmentcells.train.Trainer.CHECKPOINT_EVERY
                + " steps, or at each validation), so the same command run again starts from the beginning";
    }

    @Override
    public void run(String[] argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of("images", "labels", "scribbles", "list", "frames", "mode", "init", "steps", "seed",
                "validation-images", "validation-labels", "validation-list", "validation-frames", "validate-every",
                "output", "batch", "patch", "optimizer", "lr", "lr-d", "lr-drop-at", "ce-weight", "adv-weight", "d-steps",
                "real-noise", "real-blur", "real-scale", "contour-width", "seed-threshold", "min-size", "scale",
                "pseudo-labels", "estimator", "zoom", "gamma", "blur", "noise"), Set.of("resume", "overwrite", "freeze-d",
                "freeze-batch-norm", "train-batch-norm", "crops-by-area"));
        if (!a.positional().isEmpty()) {
            throw new Args.UsageException("unexpected argument " + a.positional().get(0));
        }
        if (a.has("labels") == a.has("scribbles")) {
            throw new Args.UsageException("give either --labels or --scribbles");
        }
        boolean scribbles = a.has("scribbles");
        if (scribbles && !a.has("init")) {
            throw new Args.UsageException("--scribbles fine-tune a model: give --init (e.g. --init default); strokes"
                    + " alone cannot train one from random weights");
        }
        for (String f : new String[] {"frames", "validation-frames"}) {
            if (a.has(f) && a.integer(f, 0) < 1) {
                throw new Args.UsageException("--" + f + " must be at least 1, got " + a.get(f, ""));
            }
        }
        Mode mode;
        try {
            mode = Mode.parse(a.get("mode", "cross-entropy"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--mode: " + e.getMessage());
        }
        Path output = Path.of(a.require("output"));
        boolean resume = a.has("resume");
        if (Files.exists(output) && !resume && !a.has("overwrite")) {
            throw new IOException(output + ": already exists (use --overwrite to replace it, or --resume)");
        }
        Model.Start start = null;
        ModelInfo base = null;
        String init = a.get("init", null);
        Path initFolder = null;
        if (init != null) {
            initFolder = ModelStore.resolve(init);
            start = Model.readStart(initFolder);
            base = start.info();
        }
        ModelStore.checkNotHidingShipped(output, java.util.List.of());
        // Also with --resume: its first save replaces the output as --overwrite does.
        ModelFolder.checkReplaceable(output, java.util.Arrays.asList(initFolder, a.path("images"), a.path("labels"),
                a.path("scribbles"), a.path("list"), a.path("validation-images"), a.path("validation-labels"),
                a.path("validation-list")));
        if (Files.exists(output) && resume && !a.has("overwrite")
                && !org.segmentcells.train.Trainer.hasCheckpoint(output)) {
            // --resume would start over and replace a model it has nothing of (its checkpoint deleted, or another's).
            throw new IOException(output + ": already exists, and there is no checkpoint to resume ("
                    + org.segmentcells.train.Trainer.checkpointFolder(output) + "); use --overwrite to replace it");
        }
        // With --init, an explicit --mode adversarial continues the start's D, or trains a new one from full
        // labels when it has none (refused for scribbles below).
        mode = a.has("mode") ? mode : init != null ? TrainConfig.fineTuneDefaults().mode() : TrainConfig.defaults().mode();
        // Fine-tuning (--init) has core's recipe (Fine-tune Model's too): fewer steps, a smaller learning rate for
        // E, D frozen for scribbles, the start's contour width; the flags below change it.
        TrainConfig d = init != null ? TrainConfig.fineTune(start, mode, scribbles, a.has("validation-images"))
                : TrainConfig.defaults();
        // Frozen D by default with scribbles: D's update needs full manual maps.
        boolean freezeD = a.has("freeze-d") || scribbles;
        if (freezeD && a.integer("d-steps", 0) != 0) {
            throw new Args.UsageException(scribbles ? "--scribbles freezes the discriminator; --d-steps must be 0"
                    : "--freeze-d and --d-steps " + a.get("d-steps", "") + " contradict each other");
        }
        if (scribbles) {
            try {
                mode.checkScribbles(start, init);
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException(e.getMessage());
            }
        }
        int contourWidth = a.integer("contour-width", d.contourWidth());
        Scale given = a.has("scale") ? SegmentCommand.scale(a) : null;
        // Explicit instance settings are kept; otherwise they are calibrated (see the usage).
        boolean calibrate = !a.has("seed-threshold") && !a.has("min-size") && !a.has("scale");
        List<TrainingData.Pair> pairs = TrainingData.pairs(Path.of(a.require("images")),
                Path.of(a.require(scribbles ? "scribbles" : "labels")), a.path("list"), a.integer("frames", 0));
        requireFrames(a, "frames", pairs.size(), a.has("list") ? "the list " + a.get("list", "") : a.get("images", ""));
        // Without validation frames, the training frames as annotated are the only ones to calibrate the end on
        // (so no periodic validation), or, with the settings fixed, to hold out rows of for the check.
        boolean checkOnTraining = init != null && !scribbles && !a.has("validation-images");
        // As Fine-tune Model gives them: label images calibrate the start also when validation frames are given;
        // RGB 3-class images hold out rows for the check, but calibration needs the nuclei as labelled.
        Normalization norm = base != null ? new Normalization(base.normLow, base.normHigh) : Normalization.DEFAULT;
        FineTune.FolderFrames folder = FineTune.FolderFrames.of(pairs, FineTune.FolderFrames.Use.of(scribbles)
                .fineTuning(init != null).validated(a.has("validation-images")), norm, contourWidth);
        boolean rgbCheckOnly = !folder.calibrates();
        boolean calibrateOnTraining = calibrate && checkOnTraining && !rgbCheckOnly;
        Architecture startArchitecture = base != null ? Architecture.ofId(base.architecture) : null;
        if (a.has("estimator") && startArchitecture != null && estimator(a) != startArchitecture) {
            throw new Args.UsageException("--estimator " + a.get("estimator", "") + " contradicts --init " + init
                    + ", whose estimator is " + startArchitecture.settingName());
        }
        TrainConfig built;
        InstanceOptions inst = base != null ? new InstanceOptions(base.seedThreshold, base.minSize) : InstanceOptions.DEFAULT;
        try {
            inst = new InstanceOptions(a.number("seed-threshold", (float) inst.seedThreshold()),
                    a.integer("min-size", inst.minSize()));
            built = d.toBuilder().mode(mode).steps(a.integer("steps", d.steps()))
                .batch(a.integer("batch", d.batch())).patch(a.integer("patch", d.patch()))
                .seed(a.longValue("seed", d.seed()))
                .optimizer(optimizer(a))
                .learningRate(a.number("lr", d.learningRate())).learningRateD(a.number("lr-d", d.learningRateD()))
                .ceWeight(a.number("ce-weight", d.ceWeight())).advWeight(a.number("adv-weight", d.advWeight()))
                .dSteps(freezeD ? 0 : a.integer("d-steps", d.dSteps())).realNoise(a.number("real-noise", d.realNoise()))
                .realBlur(a.number("real-blur", d.realBlur())).realScale(a.number("real-scale", d.realScale()))
                .contourWidth(contourWidth)
                // Calibrated on its own frames, a fine-tune is scored once, at the end (scoring them on the way
                // would pick the step that fits them best); the trainer still checkpoints for --resume.
                .validateEvery(calibrateOnTraining ? 0 : a.integer("validate-every", a.has("validation-images")
                        ? d.validateEvery() : TrainConfig.defaults().validateEvery()))
                .freezeBatchNorm(a.has("freeze-batch-norm")).estimator(estimator(a)).cropping(cropping(a))
                .lrDropAt(lrDropAt(a)).build();
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage()); // a value out of range is a command-line mistake
        }
        // A fine-tune keeps the starting model's estimator and, unless --patch says otherwise, its crop size.
        TrainConfig fitted = base == null ? built : built.fittedTo(base, a.has("patch"));
        if (a.has("train-batch-norm") && a.has("freeze-batch-norm")) {
            throw new Args.UsageException("--freeze-batch-norm and --train-batch-norm contradict each other");
        }
        TrainConfig cfg = a.has("train-batch-norm") ? fitted.withFreezeBatchNorm(false) : fitted;
        out.println(org.segmentcells.tf.TensorFlowRuntime.deviceSummary());
        if (!scribbles && a.has("pseudo-labels")) {
            throw new Args.UsageException("--pseudo-labels goes with --scribbles");
        }
        // On by default when fine-tuning from scribbles (measured, see TrainConfig); a model to take them from is needed.
        float pseudo = TrainConfig.pseudoLabels(a.has("pseudo-labels") ? a.number("pseudo-labels", 0f) : null, scribbles, mode);
        if (!(pseudo >= 0 && pseudo <= 1)) {
            throw new Args.UsageException("--pseudo-labels must be from 0 (off) to 1, got " + a.get("pseudo-labels", ""));
        }
        if (pseudo > 0 && initFolder == null) {
            throw new Args.UsageException("--pseudo-labels needs a starting model (--init)");
        }
        List<TrainingData.Pair> valPairs = List.of();
        if (a.has("validation-images") || a.has("validation-labels")) {
            valPairs = TrainingData.pairs(Path.of(a.require("validation-images")),
                    Path.of(a.require("validation-labels")), a.path("validation-list"), a.integer("validation-frames", 0));
            requireFrames(a, "validation-frames", valPairs.size(), a.has("validation-list")
                    ? "the list " + a.get("validation-list", "") : a.get("validation-images", ""));
        }
        List<TrainingData.Pair> validation = valPairs;
        FineTune.Frames frames = folder.frames();
        FineTune run = init == null ? FineTune.fromScratch() : FineTune.from(init, initFolder, start);
        run.frames(frames).config(cfg).scale(given)
                .instances(a.has("seed-threshold") || a.has("min-size") ? inst : null).calibrate(calibrate && !rgbCheckOnly)
                .pseudoLabels(pseudo).validation(validation)
                .resume(resume).keepCheckpoint(true).commandLine("train " + String.join(" ", argv))
                .notes(out::println)
                .beforeTraining((begin, trainFrames) -> out.printf(Locale.ROOT,
                        "training %s%s on %s (%s)%s at scale %.2f, %s, %d steps, seed %d%n",
                        cfg.mode().id(), cfg.mode().adversarial() && cfg.dSteps() == 0 ? " (D frozen)" : "",
                        org.segmentcells.setting.Counts.of(trainFrames.size(), scribbles ? "scribbled frame" : "frame"),
                        summarize(pairs),
                        pseudo > 0 ? String.format(Locale.ROOT, ", pseudo-labels %.2f", pseudo) : "", begin.scale(),
                        !validation.isEmpty() ? "validating on " + validation.size()
                                : begin.annotated().isEmpty() ? "no frames to score (strokes only)"
                                : (calibrateOnTraining ? "calibrating at the end on " : "scoring the training frames: ")
                                        + begin.annotated().size(),
                        cfg.steps(), cfg.seed()))
                .afterTraining(o -> {
                    out.printf(Locale.ROOT, "done: %d steps in %.1f s; model (step %d) written to %s%n", o.stepsDone(),
                            o.seconds(), o.bestStep(), output);
                    if (!o.bestScores().isEmpty()) {
                        out.printf(Locale.ROOT, "%s: %s%n", validation.isEmpty() ? "on the training frames" : "validation",
                                scores(o.bestScores()));
                    }
                })
                .run(output, new Trainer.Listener() {
                    @Override
                    public void log(String line) {
                        out.println(line);
                        out.flush();
                    }
                });
    }

    /** Scores as a line a user reads: {@code precision 0.993, recall 0.981, f 0.987, ...}. */
    static String scores(java.util.Map<String, Double> scores) {
        return String.join(", ", scores.entrySet().stream().map(e -> e.getKey() + " "
                + (e.getValue() == Math.rint(e.getValue()) && Math.abs(e.getValue()) < 1e6
                        ? String.valueOf(e.getValue().longValue()) : String.format(Locale.ROOT, "%.3f", e.getValue())))
                .toList());
    }

    private static String summarize(List<TrainingData.Pair> pairs) {
        String names = String.join(", ", pairs.stream().limit(3).map(TrainingData.Pair::stem).toList());
        return pairs.size() > 3 ? names + ", ..." : names;
    }

    /** {@code --lr-drop-at}: the step after which the learning rates drop tenfold, 0 (default) for never. */
    public static int lrDropAt(Args a) throws Args.UsageException {
        int step = a.integer("lr-drop-at", 0);
        if (step < 0) {
            throw new Args.UsageException("--lr-drop-at must be a step (or 0 for never), got " + step);
        }
        return step;
    }

    /**
     * {@code --zoom}, {@code --gamma}, {@code --crops-by-area}, {@code --blur} and {@code --noise}; out-of-range
     * values are usage errors.
     */
    public static Cropping cropping(Args a) throws Args.UsageException {
        try {
            return new Cropping(a.number("zoom", 1f), a.number("gamma", 1f), a.has("crops-by-area"),
                    a.number("blur", 0f), a.number("noise", 0f));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--zoom/--gamma/--blur/--noise: " + e.getMessage());
        }
    }

    /** {@code --optimizer}, adam by default; an unknown name is a usage error. */
    static TrainConfig.OptimizerKind optimizer(Args a) throws Args.UsageException {
        String v = a.get("optimizer", "adam");
        try {
            return TrainConfig.OptimizerKind.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--optimizer must be adam or rmsprop, got '" + v + "'");
        }
    }

    /** {@code --estimator}, the paper's by default; an unknown name is a usage error. */
    public static Architecture estimator(Args a) throws Args.UsageException {
        try {
            return Architecture.ofName(a.get("estimator", Architecture.PAPER.settingName()));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--estimator: " + e.getMessage());
        }
    }

    /** {@code --frames N} asks for N frames: fewer in the folder is a mistake to say, not to train around. */
    private static void requireFrames(Args a, String flag, int found, String folder) {
        if (a.has(flag) && a.integer(flag, 0) > found) {
            throw new IllegalArgumentException("--" + flag + " " + a.get(flag, "") + ": " + folder + " has only " + found
                    + " annotated frame" + (found == 1 ? "" : "s"));
        }
    }
}
