package org.segmentcells.fiji;

import ij.ImagePlus;

import java.io.File;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.segmentcells.train.Trainer;

/**
 * SciJava command for Plugins &gt; Segment Cells &gt; Fine-tune Model; parameter names are the macro keys.
 * In Fiji it takes over the ImageJ 1.x entry of the same name; both call {@link FineTuneRunner}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segment Cells>Fine-tune Model", headless = true)
public class FineTuneModelCommand extends ContextCommand {

    /** The image annotated with ROIs (roi_manager); never persisted, as a restored ImagePlus is empty. */
    @Parameter(label = FineTuneRunner.IMAGE, required = false, persist = false,
            description = "for roi_manager: the training image; its ROIs are those in the ROI Manager"
                    + " (or, if that is empty, its overlay)")
    private ImagePlus image;

    @Parameter(label = FineTuneRunner.IMAGES, style = FileWidget.DIRECTORY_STYLE, required = false,
            description = "folder of training images (labels and scribbles)")
    private File images;

    @Parameter(label = FineTuneRunner.ANNOTATIONS, style = FileWidget.DIRECTORY_STYLE, required = false,
            description = "folder of label images (0 background, k nucleus k) or scribble images (0 unlabelled,"
                    + " 1 background, 2 nucleus, 3 contour), named like the images")
    private File annotations;

    @Parameter(label = FineTuneRunner.ANNOTATION_TYPE,
            choices = {FineTuneRunner.LABELS, FineTuneRunner.SCRIBBLES, FineTuneRunner.ROI_MANAGER},
            description = "labels, scribbles (only marked pixels are learned from; the discriminator stays frozen),"
                    + " or roi_manager (nucleus outlines and tagged scribbles drawn as ROIs on the image)")
    private String annotation_type = FineTuneRunner.LABELS;

    @Parameter(label = FineTuneRunner.UNMARKED_UNLABELLED,
            description = "for roi_manager with outlines only: leave pixels outside the outlines unlabelled"
                    + " instead of background (when not every nucleus is outlined)")
    private boolean unmarked_unlabelled;

    // Not persisted: a remembered weight would quietly change later, unrelated scribble fine-tunes.
    @Parameter(label = FineTuneRunner.PSEUDO_LABELS, min = "0", max = "1", persist = false,
            description = "for scribbles: weight (0 to 1; 0 turns it off) of the starting model's own classes on"
                    + " unscribbled pixels, which keeps a few strokes from pulling the model away everywhere else")
    private float pseudo_labels = FineTuneRunner.DEFAULT_PSEUDO_LABELS;

    @Parameter(label = FineTuneRunner.MODE, choices = {"adversarial", "cross-entropy", "classdisc"},
            description = "adversarial: the starting model's Rib Cage discriminator keeps acting as a shape prior"
                    + " (the paper's method); cross-entropy: pixel loss only (about half the time); classdisc: the"
                    + " paper's plain classification discriminator baseline")
    private String mode = FineTuneRunner.DEFAULT_MODE;

    @Parameter(label = FineTuneRunner.INIT, description = "the model to start from: 'default', a name or a folder")
    private String init = "default";

    @Parameter(label = FineTuneRunner.STEPS, min = "0",
            description = "training steps (Esc stops early); 0 only calibrates the model on the annotated frames")
    private int steps = FineTuneRunner.DEFAULT_STEPS;

    // Not persisted: a remembered folder would quietly validate a later, unrelated fine-tune.
    @Parameter(label = FineTuneRunner.VALIDATION_IMAGES, style = FileWidget.DIRECTORY_STYLE, required = false,
            persist = false,
            description = "optional: folder of annotated images set aside; the model with the best F on them is kept")
    private File validation_images;

    @Parameter(label = FineTuneRunner.VALIDATION_LABELS, style = FileWidget.DIRECTORY_STYLE, required = false,
            persist = false,
            description = "optional: their label images, named like them")
    private File validation_labels;

    @Parameter(label = FineTuneRunner.OUTPUT, style = FileWidget.DIRECTORY_STYLE, persist = false,
            description = "the new model folder (must not exist yet)")
    private File output;

    private Trainer.Outcome outcome;

    @Override
    public void run() {
        FineTuneRunner.Options options;
        try {
            options = new FineTuneRunner.Options(path(images), path(annotations), annotation_type, init, steps,
                    path(output), unmarked_unlabelled, path(validation_images), path(validation_labels),
                    pseudo_labels, mode);
        } catch (IllegalArgumentException e) {
            Reports.error(FineTuneRunner.TITLE, e.getMessage());
            cancel(e.getMessage());
            return;
        }
        FineTuneRunner.Outcome o = FineTuneRunner.runAndShow(options, image, Progress.imageJ());
        if (o.error() != null) {
            cancel(o.error());
        }
        outcome = o.training();
    }

    private static String path(File f) {
        return f == null ? null : f.getPath();
    }

    /** The training outcome of the last run; null if it failed. */
    public Trainer.Outcome outcome() {
        return outcome;
    }
}
