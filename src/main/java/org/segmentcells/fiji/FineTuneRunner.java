package org.segmentcells.fiji;

import ij.IJ;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.segmentcells.io.AtomicFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.nets.Weights;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;
import org.segmentcells.train.Mode;
import org.segmentcells.train.TrainConfig;
import org.segmentcells.train.Trainer;
import org.segmentcells.train.TrainingData;
import org.segmentcells.train.TrainingFrame;
import org.segmentcells.train.TrainingGraph;

/**
 * Fine-tune Model, shared by the SciJava command and the ImageJ 1.x plugin: trains a copy of a model on
 * a folder of images and their label or scribble images with the core {@link Trainer}, exactly as
 * {@code train --init MODEL (--labels|--scribbles) DIR --steps N} does with the default recipe.
 */
public final class FineTuneRunner {

    public static final String TITLE = "Fine-tune Model";
    public static final String IMAGES = "images";
    public static final String ANNOTATIONS = "annotations";
    public static final String ANNOTATION_TYPE = "annotation_type";
    public static final String INIT = "init";
    public static final String STEPS = "steps";
    public static final String OUTPUT = "output";
    public static final String LABELS = "labels";
    public static final String SCRIBBLES = "scribbles";
    public static final String[] TYPES = {LABELS, SCRIBBLES};
    /** A few hundred steps adapt the shipped model to a new microscope from a few frames (the full recipe is 3000). */
    public static final int DEFAULT_STEPS = 500;

    private FineTuneRunner() {
    }

    /** What to fine-tune; validated on construction. */
    public record Options(String images, String annotations, String annotationType, String init, int steps,
            String output) {
        public Options {
            if (images == null || images.isBlank() || annotations == null || annotations.isBlank()) {
                throw new IllegalArgumentException("give the " + IMAGES + " and " + ANNOTATIONS + " folders");
            }
            if (!LABELS.equals(annotationType) && !SCRIBBLES.equals(annotationType)) {
                throw new IllegalArgumentException(ANNOTATION_TYPE + " must be " + LABELS + " or " + SCRIBBLES
                        + ", got '" + annotationType + "'");
            }
            if (init == null || init.isBlank()) {
                throw new IllegalArgumentException("give the starting model (" + INIT + "), e.g. " + INIT + "=default");
            }
            if (steps < 1) {
                throw new IllegalArgumentException(STEPS + " must be at least 1, got " + steps);
            }
            if (output == null || output.isBlank()) {
                throw new IllegalArgumentException("give the " + OUTPUT + " model folder");
            }
        }

        /** The options as macro arguments, recorded in model.json. */
        String macroString() {
            return IMAGES + "=[" + images + "] " + ANNOTATIONS + "=[" + annotations + "] " + ANNOTATION_TYPE + "="
                    + annotationType + " " + INIT + "=[" + init + "] " + STEPS + "=" + steps + " " + OUTPUT + "=["
                    + output + "]";
        }
    }

    /** A finished run: the core's outcome, or the error message already shown to the user. */
    public record Outcome(Trainer.Outcome training, String error) {
    }

    /** Runs with ImageJ's progress bar and log, reporting errors to the user. */
    public static Outcome runAndShow(Options options, Progress progress) {
        try {
            Trainer.Outcome o = run(options, progress, IJ::log);
            IJ.showProgress(1.0);
            IJ.showStatus(TITLE + ": " + (o.cancelled() ? "cancelled at step " + o.stepsDone() + "; " : "")
                    + "model written to " + options.output());
            return new Outcome(o, null);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            IJ.showProgress(1.0);
            Reports.error(TITLE, e.getMessage());
            return new Outcome(null, e.getMessage());
        } catch (LinkageError e) {
            Reports.error(TITLE, Reports.incompleteInstall(e));
            return new Outcome(null, e.toString());
        }
    }

    /**
     * Trains and writes {@code options.output()}. Cancelling (Esc) stops after the current step and
     * still writes the model as it is then, as the CLI's Trainer does.
     */
    public static Trainer.Outcome run(Options options, Progress progress, Consumer<String> log) throws IOException {
        Path output = Path.of(options.output()).toAbsolutePath();
        if (Files.exists(output)) {
            // Never overwrite a model folder from a dialog: it may be the model being fine-tuned.
            throw new IOException(output + ": already exists; choose a new " + OUTPUT + " folder");
        }
        progress.status(TITLE + ": loading " + options.init());
        Model.Start start = Model.readStart(FijiModels.resolve(options.init()));
        Weights initE = start.estimator();
        Weights initD = start.discriminator();
        ModelInfo base = start.info();
        boolean scribbles = SCRIBBLES.equals(options.annotationType());
        TrainConfig d = TrainConfig.defaults();
        // The starting model's discriminator keeps acting as the shape prior; without one (a
        // cross-entropy model) fine-tuning continues in cross-entropy.
        Mode mode = initD != null && d.mode().discriminator().architecture().equals(base.discriminator)
                ? d.mode() : Mode.CROSS_ENTROPY;
        if (mode != d.mode()) {
            log.accept(TITLE + ": " + options.init() + " has no " + d.mode().discriminator().architecture()
                    + " discriminator; fine-tuning with cross-entropy only");
        }
        // Scribbles give D no full manual maps to learn from, so D is frozen (see TrainCommand).
        TrainConfig cfg = new TrainConfig(mode, options.steps(), d.batch(), d.patch(), d.seed(), d.optimizer(),
                d.learningRate(), d.learningRateD(), d.ceWeight(), d.advWeight(), scribbles ? 0 : d.dSteps(),
                d.realNoise(), d.realBlur(), d.realScale(), base.contourWidth, 0);
        Normalization norm = new Normalization(base.normLow, base.normHigh);
        InstanceOptions inst = new InstanceOptions(base.seedThreshold, base.minSize);

        progress.status(TITLE + ": reading " + options.annotationType());
        List<TrainingData.Pair> pairs = TrainingData.pairs(Path.of(options.images()), Path.of(options.annotations()),
                null, 0);
        List<TrainingFrame> frames = scribbles ? TrainingData.scribbleFrames(pairs, norm)
                : TrainingData.trainingFrames(pairs, norm, cfg.contourWidth());
        log.accept(String.format(Locale.ROOT, "%s: %s from %s on %d frames with %s, %d steps%s", TITLE,
                mode.id(), options.init(), frames.size(), options.annotationType(), cfg.steps(),
                mode.adversarial() && cfg.dSteps() == 0 ? " (D frozen)" : ""));

        ModelInfo info = new ModelInfo();
        info.training.init = options.init();
        info.training.frames = pairs.stream().map(TrainingData.Pair::stem).toList();
        info.training.commandLine = "run(\"" + TITLE + "\", \"" + options.macroString() + "\")";
        Trainer.Outcome o = new Trainer(cfg, norm, inst, false).train(frames, List.of(), initE, initD, info, output,
                false, new Trainer.Listener() {
                    @Override
                    public void log(String line) {
                        log.accept(line);
                    }

                    @Override
                    public void step(int step, int steps, TrainingGraph.StepLosses losses) {
                        progress.fraction(step, steps);
                        progress.status(String.format(Locale.ROOT, "%s: step %d/%d, ce %.4f (Esc stops and keeps"
                                + " the model so far)", TITLE, step, steps, losses.ce()));
                    }

                    @Override
                    public boolean cancelled() {
                        return progress.cancelRequested();
                    }
                });
        // The checkpoint only serves the CLI's --resume; here it would just clutter the user's folder.
        AtomicFiles.deleteTree(Trainer.checkpointFolder(output));
        log.accept(String.format(Locale.ROOT, "%s: %s%d steps in %.1f s; model written to %s", TITLE,
                o.cancelled() ? "cancelled after " : "", o.stepsDone(), o.seconds(), output));
        return o;
    }
}
