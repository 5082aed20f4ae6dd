package org.segmentcells.fiji;

import static org.segmentcells.fiji.plugin.FineTuneOptions.*;

import ij.IJ;
import ij.ImagePlus;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.segmentcells.fiji.plugin.FineTuneOptions;
import org.segmentcells.fiji.plugin.FineTuneOutcome;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.progress.Cancelled;
import org.segmentcells.segment.Normalization;
import org.segmentcells.train.FineTune;
import org.segmentcells.train.FineTuneStart;
import org.segmentcells.train.Mode;
import org.segmentcells.train.TrainConfig;
import org.segmentcells.train.Trainer;
import org.segmentcells.train.TrainingData;
import org.segmentcells.train.TrainingGraph;
import org.segmentcells.fiji.plugin.Progress;
import org.segmentcells.fiji.plugin.Reports;

/**
 * Fine-tune Model, shared by the SciJava command and the ImageJ 1.x plugin: trains a copy of a model on
 * a folder of images and their label or scribble images with the core {@link Trainer}, exactly as
 * {@code train --init MODEL (--labels|--scribbles) DIR --steps N} does with the default recipe; or on
 * one open image annotated with ROIs ({@link RoiAnnotations}).
 */
public final class FineTuneRunner {

    private FineTuneRunner() {
    }

    /**
     * Runs with ImageJ's progress bar, log and (with a screen, outside batch mode) a live plot, reporting
     * errors to the user. {@code image} is the image annotated with ROIs, for roi_manager only.
     */
    public static FineTuneOutcome runAndShow(FineTuneOptions options, ImagePlus image, Progress progress) {
        try {
            LivePlot plot = LivePlot.openIfShown(TITLE + " (" + options.output() + ")");
            Trainer.Outcome o = run(options, image, progress, IJ::log, plot);
            IJ.showProgress(1.0);
            IJ.showStatus(TITLE + ": " + (o.cancelled() ? "cancelled at step " + o.stepsDone() + "; " : "")
                    + "model written to " + FijiModels.outputFolder(options.output(), FijiModels.imageJModels()));
            return new FineTuneOutcome(new FineTuneOutcome.Training(o.stepsDone(), o.bestStep(), o.bestScores(),
                    o.seconds(), o.cancelled()), null);
        } catch (Cancelled e) {
            // Esc before training began: nothing was written, which is no error to report in a dialog.
            IJ.showProgress(1.0);
            IJ.showStatus(TITLE + ": " + e.getMessage());
            IJ.log(TITLE + ": " + e.getMessage());
            return new FineTuneOutcome(null, e.getMessage());
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            IJ.showProgress(1.0);
            String message = MacroSpelling.message(e);
            Reports.error(TITLE, message);
            return new FineTuneOutcome(null, message);
        } catch (LinkageError e) {
            Reports.error(TITLE, Reports.incompleteInstall(e));
            return new FineTuneOutcome(null, e.toString());
        }
    }

    /**
     * Trains and writes {@code options.output()}. Cancelling (Esc) stops after the current step and
     * still writes the model as it is then, as the CLI's Trainer does.
     */
    public static Trainer.Outcome run(FineTuneOptions options, Progress progress, Consumer<String> log) throws IOException {
        return run(options, null, progress, log, null);
    }

    /**
     * As {@link #run(FineTuneOptions, Progress, Consumer)}; {@code image} carries the ROIs for roi_manager (see
     * {@link RoiAnnotations#rois}); {@code plot} (may be null) shows the losses as they come.
     */
    static Trainer.Outcome run(FineTuneOptions options, ImagePlus image, Progress progress, Consumer<String> log,
            LivePlot plot) throws IOException {
        Path output = FijiModels.outputFolder(options.output(), FijiModels.imageJModels());
        if (Files.exists(output)) {
            // Never overwrite a model folder from a dialog: it may be the model being fine-tuned.
            throw new IOException(output + ": already exists; choose a new " + OUTPUT + " folder");
        }
        ModelStore.checkNotHidingShipped(output, java.util.Collections.singletonList(FijiModels.imageJModels()));
        if (options.fromRois()) {
            checkImage(image);
        }
        progress.status(TITLE + ": loading " + options.init());
        Path initFolder = FijiModels.resolve(options.init());
        Model.Start start = Model.readStart(initFolder);
        ModelInfo base = start.info();
        Normalization norm = new Normalization(base.normLow, base.normHigh);

        progress.status(TITLE + ": reading " + options.annotationType());
        List<String> frameNames;
        boolean scribbles;
        // Fully annotated frames as instance labels, to calibrate on (none for scribbles); RGB 3-class images
        // give them only to hold out rows for the check, since calibration needs the nuclei as labelled.
        List<Trainer.ValidationFrame> annotated = List.of();
        boolean rgbCheckOnly = false;
        FineTuneStart.FramesAtScale framesAt;
        java.util.function.Supplier<List<FloatPlane>> images;
        if (options.fromRois()) {
            RoiAnnotations.Annotation a = roiAnnotation(image, options.unmarkedUnlabelled(), base.contourWidth);
            FloatPlane pixels = plane(image);
            images = () -> List.of(pixels);
            framesAt = s -> List.of(RoiAnnotations.frame(image.getTitle(), pixels, a, norm, base.contourWidth).scaled(s, norm));
            if (a.full()) {
                annotated = List.of(new Trainer.ValidationFrame(image.getTitle(), pixels, a.labels()));
            }
            frameNames = List.of(image.getTitle());
            scribbles = !a.full();
            log.accept(String.format(Locale.ROOT, "%s: \"%s\": %d outlines, %d scribbles: %s", TITLE,
                    image.getTitle(), a.outlines(), a.scribbleRois(), a.full()
                            ? "a full annotation (every unmarked pixel is background)"
                            : "a scribble frame (unmarked pixels are unlabelled)"));
        } else {
            List<TrainingData.Pair> pairs = TrainingData.pairs(Path.of(options.images()),
                    Path.of(options.annotations()), null, 0);
            scribbles = SCRIBBLES.equals(options.annotationType());
            FineTune.FolderFrames folder = FineTune.FolderFrames.of(pairs, FineTune.FolderFrames.Use.of(scribbles)
                    .fineTuning(true).validated(options.validates()), norm, base.contourWidth);
            images = folder.frames().images();
            framesAt = folder.frames().atScale();
            annotated = folder.frames().annotated();
            rgbCheckOnly = !folder.calibrates();
            frameNames = folder.frames().names();
        }
        // Adversarial continues the starting model's D (frozen for scribbles); decided before any work.
        Mode mode = Mode.parse(options.mode());
        if (scribbles) {
            mode.checkScribbles(start, options.init());
        }
        List<TrainingData.Pair> validation = List.of();
        if (options.validates()) {
            progress.status(TITLE + ": reading the validation frames");
            validation = TrainingData.pairs(Path.of(options.validationImages()), Path.of(options.validationLabels()),
                    null, 0);
        }
        boolean validates = !validation.isEmpty();
        TrainConfig cfg = TrainConfig.fineTune(start, mode, scribbles, validates).withSteps(options.steps())
                .fittedTo(base);
        Eta eta = new Eta();
        int validationFrames = validation.size();
        // Full labels leave no pixel to pseudo-label; -1 is "not given".
        float pseudo = !scribbles ? 0 : TrainConfig.pseudoLabels(options.pseudoLabels() == FineTuneOptions.MODE_PSEUDO_LABELS
                ? null : options.pseudoLabels(), true, mode);
        FineTune.Result r = FineTune.from(options.init(), initFolder, start)
                .frames(new FineTune.Frames(frameNames, annotated, images, framesAt, scribbles))
                .config(cfg).pseudoLabels(pseudo).calibrate(!rgbCheckOnly)
                .validation(validation)
                .commandLine("run(\"" + TITLE + "\", \"" + options.macroString() + "\")")
                .notes(line -> log.accept(TITLE + ": " + line))
                .stages(stage -> progress.status(TITLE + ": " + switch (stage) {
                    case CALIBRATING -> "calibrating " + options.init() + " on the annotated frames";
                    case PSEUDO_LABELLING -> "pseudo-labelling the unscribbled pixels with " + options.init();
                    case CHECKING -> "checking the fine-tune against " + options.init();
                }))
                .beforeTraining((begin, frames) -> log.accept(String.format(Locale.ROOT,
                        "%s: %s from %s on %s with %s, %d steps%s%s", TITLE, mode.id(), options.init(),
                        org.segmentcells.setting.Counts.of(frames.size(), "frame"), !scribbles ? LABELS : pseudo > 0
                                ? String.format(Locale.ROOT, "%s (pseudo-labels %.2f)", SCRIBBLES, pseudo)
                                : SCRIBBLES, cfg.steps(),
                        mode.adversarial() && cfg.dSteps() == 0 ? " (D frozen)" : "", !validates ? ""
                                : "; keeping the best of every " + cfg.validateEvery() + " steps by F on "
                                        + validationFrames + " validation frames")))
                .afterTraining(o -> {
                    if (plot != null) {
                        plot.finish();
                    }
                    log.accept(String.format(Locale.ROOT, "%s: %s%d steps in %.1f s; model written to %s", TITLE,
                            o.cancelled() ? "cancelled after " : "", o.stepsDone(), o.seconds(), output));
                })
                .run(output, new Trainer.Listener() {
                    @Override
                    public void log(String line) {
                        log.accept(line);
                    }

                    @Override
                    public void step(int step, int steps, TrainingGraph.StepLosses e, TrainingGraph.StepLosses dl) {
                        eta.step(step, System.nanoTime());
                        progress.fraction(step, steps);
                        String left = eta.text(steps);
                        progress.status(String.format(Locale.ROOT, "%s: step %d/%d, ce %.4f%s (Esc stops and keeps"
                                + " the model so far)", TITLE, step, steps, e.ce(), left.isEmpty() ? "" : ", " + left));
                        if (plot != null) {
                            // E's loss as TrainingGraph minimises it.
                            double eLoss = cfg.mode().adversarial()
                                    ? cfg.advWeight() * e.adv() + cfg.ceWeight() * e.ce() : e.ce();
                            plot.step(step, eLoss, dl == null ? Double.NaN : dl.d());
                        }
                    }

                    @Override
                    public void validated(int step, Map<String, Double> scores, boolean best) {
                        if (plot != null && scores.containsKey("f")) {
                            plot.validated(step, scores.get("f"));
                        }
                    }

                    @Override
                    public boolean cancelRequested() {
                        return progress.cancelRequested();
                    }
                });
        return r.outcome();
    }

    /** Refuses an image roi_manager cannot train on, before any slow work. */
    private static void checkImage(ImagePlus image) {
        if (image == null) {
            throw new IllegalArgumentException("no image: open the training image, then outline nuclei or scribble"
                    + " on it and add the ROIs to the ROI Manager (" + ANNOTATION_TYPE + "=" + ROI_MANAGER + ")");
        }
        if (image.getStackSize() > 1) {
            throw new IllegalArgumentException("\"" + image.getTitle() + "\" has " + image.getStackSize()
                    + " planes; " + ANNOTATION_TYPE + "=" + ROI_MANAGER + " trains on one 2D image (Image > Duplicate"
                    + " the annotated plane)");
        }
        if (image.getBitDepth() == 24) {
            throw new IllegalArgumentException("\"" + image.getTitle() + "\" is RGB; convert it to 8, 16 or 32 bits"
                    + " (Image > Type) first");
        }
    }

    /** The ROIs of {@code image} as an annotation. */
    private static RoiAnnotations.Annotation roiAnnotation(ImagePlus image, boolean unmarkedUnlabelled,
            int contourWidth) {
        try {
            return RoiAnnotations.convert(RoiAnnotations.rois(image), image.getWidth(), image.getHeight(),
                    unmarkedUnlabelled, contourWidth);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + image.getTitle() + "\": " + e.getMessage(), e);
        }
    }

    /** The image's pixels as the CLI reads them (calibrated values, e.g. signed 16-bit). */
    private static FloatPlane plane(ImagePlus image) {
        ImageProcessor ip = image.getProcessor().duplicate();
        ip.setCalibrationTable(image.getCalibration().getCTable());
        FloatProcessor fp = ip.convertToFloatProcessor();
        return new FloatPlane(fp.getWidth(), fp.getHeight(), (float[]) fp.getPixels());
    }
}
