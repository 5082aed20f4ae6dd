package org.segmentcells.fiji.plugin;

import ij.ImagePlus;

import java.io.File;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/**
 * SciJava command for Plugins &gt; Segment Cells &gt; Fine-tune Model; parameter names are the macro keys.
 * In Fiji it takes over the ImageJ 1.x entry of the same name; both call {@link FijiEngine#fineTune}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segment Cells>Fine-tune Model", headless = true)
public class FineTuneModelCommand extends ContextCommand {

    /** The image annotated with ROIs (roi_manager); never persisted, as a restored ImagePlus is empty. */
    @Parameter(label = FineTuneOptions.IMAGE, required = false, persist = false,
            description = "for roi_manager: the training image; its ROIs are those in the ROI Manager"
                    + " (or, if that is empty, its overlay)")
    private ImagePlus image;

    @Parameter(label = FineTuneOptions.IMAGES, style = FileWidget.DIRECTORY_STYLE, required = false,
            description = "folder of training images (labels and scribbles)")
    private File images;

    @Parameter(label = FineTuneOptions.ANNOTATIONS, style = FileWidget.DIRECTORY_STYLE, required = false,
            description = "folder of label images (0 background, k nucleus k) or scribble images (0 unlabelled,"
                    + " 1 background, 2 nucleus, 3 contour), named like the images")
    private File annotations;

    @Parameter(label = FineTuneOptions.ANNOTATION_TYPE,
            choices = {FineTuneOptions.LABELS, FineTuneOptions.SCRIBBLES, FineTuneOptions.ROI_MANAGER},
            description = "labels, scribbles (only marked pixels are learned from; the discriminator stays frozen),"
                    + " or roi_manager (nucleus outlines and tagged scribbles drawn as ROIs on the image)")
    private String annotation_type = FineTuneOptions.LABELS;

    @Parameter(label = FineTuneOptions.UNMARKED_UNLABELLED,
            description = "for roi_manager with outlines only: leave pixels outside the outlines unlabelled"
                    + " instead of background (when not every nucleus is outlined)")
    private boolean unmarked_unlabelled;

    // Not persisted: a remembered weight would quietly change later, unrelated scribble fine-tunes.
    @Parameter(label = FineTuneOptions.PSEUDO_LABELS, min = "-1", max = "1", stepSize = "0.01", persist = false,
            description = "for scribbles: weight (0 to 1) of the starting model's own classes on unscribbled pixels,"
                    + " which keeps a few strokes from pulling the model away everywhere else; "
                    + FineTuneOptions.PSEUDO_LABELS_HELP)
    private float pseudo_labels = FineTuneOptions.MODE_PSEUDO_LABELS;

    @Parameter(label = FineTuneOptions.MODE, choices = {"adversarial", "cross-entropy", "classdisc"},
            description = "cross-entropy (default): pixel loss only; adversarial: the starting model's Rib Cage"
                    + " discriminator acts as a shape prior (the paper's method; measured on two new microscopes it"
                    + " scored at or below cross-entropy, in about twice the time); classdisc: the paper's plain"
                    + " classification discriminator baseline")
    private String mode = FineTuneOptions.DEFAULT_MODE;

    @Parameter(label = FineTuneOptions.INIT, description = "the model to start from: 'default', a name or a folder")
    private String init = "default";

    @Parameter(label = FineTuneOptions.STEPS, min = "0",
            description = "training steps (Esc stops early); 0 only calibrates the model on the annotated frames")
    private int steps = FineTuneOptions.DEFAULT_STEPS;

    // Not persisted: a remembered folder would quietly validate a later, unrelated fine-tune.
    @Parameter(label = FineTuneOptions.VALIDATION_IMAGES, style = FileWidget.DIRECTORY_STYLE, required = false,
            persist = false,
            description = "optional: folder of annotated images set aside; the model with the best F on them is kept")
    private File validation_images;

    @Parameter(label = FineTuneOptions.VALIDATION_LABELS, style = FileWidget.DIRECTORY_STYLE, required = false,
            persist = false,
            description = "optional: their label images, named like them")
    private File validation_labels;

    @Parameter(label = FineTuneOptions.OUTPUT, style = FileWidget.DIRECTORY_STYLE, persist = false,
            description = "the new model folder (must not exist yet)")
    private File output;

    private FineTuneOutcome.Training outcome;

    @Override
    public void run() {
        FineTuneOptions options;
        try {
            options = FineTuneOptions.builder().annotated(path(images), path(annotations),
                    annotation_type).init(init)
                    .steps(steps).output(path(output)).unmarkedUnlabelled(unmarked_unlabelled)
                    .validation(path(validation_images), path(validation_labels)).pseudoLabels(pseudo_labels).mode(mode)
                    .build();
        } catch (IllegalArgumentException e) {
            Reports.error(FineTuneOptions.TITLE, e.getMessage());
            cancel(e.getMessage());
            return;
        }
        FijiEngine engine = Reports.engine(FineTuneOptions.TITLE);
        if (engine == null) {
            cancel("the engine could not start");
            return;
        }
        FineTuneOutcome o = engine.fineTune(options, image, Progress.imageJ());
        if (o.error() != null) {
            cancel(o.error());
        }
        outcome = o.training();
    }

    private static String path(File f) {
        return f == null ? null : f.getPath();
    }

    /** The training outcome of the last run; null if it failed. */
    public FineTuneOutcome.Training outcome() {
        return outcome;
    }
}
