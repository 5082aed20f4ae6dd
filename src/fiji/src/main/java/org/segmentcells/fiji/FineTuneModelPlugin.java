package org.segmentcells.fiji;

import ij.Macro;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

/**
 * ImageJ 1.x entry for Plugins &gt; Segment Cells &gt; Fine-tune Model (see plugins.config):
 * {@code run("Fine-tune Model", "images=[dir] annotations=[dir] annotation_type=labels init=default
 * steps=500 output=[dir]")}, or with {@code annotation_type=roi_manager} on the active image and its ROIs.
 * The dialog labels are the macro keys.
 */
public class FineTuneModelPlugin implements PlugIn {

    private static final String PREFS = "segmentcells.finetune.";

    @Override
    public void run(String arg) {
        FineTuneRunner.Options options = showDialog();
        if (options != null) {
            // The active image only matters for roi_manager; the runner says so if it is missing.
            FineTuneRunner.runAndShow(options, WindowManager.getCurrentImage(), Progress.imageJ());
        }
    }

    /** The dialog (or, in a macro, the macro options); null if cancelled or invalid (already reported). */
    static FineTuneRunner.Options showDialog() {
        boolean macro = Macro.getOptions() != null;
        GenericDialog gd = new GenericDialog(FineTuneRunner.TITLE);
        String images = macro ? "" : Prefs.get(PREFS + FineTuneRunner.IMAGES, "");
        String annotations = macro ? "" : Prefs.get(PREFS + FineTuneRunner.ANNOTATIONS, "");
        String type = macro ? FineTuneRunner.LABELS : Prefs.get(PREFS + FineTuneRunner.ANNOTATION_TYPE, FineTuneRunner.LABELS);
        String init = macro ? "default" : Prefs.get(PREFS + FineTuneRunner.INIT, "default");
        String mode = macro ? FineTuneRunner.DEFAULT_MODE : Prefs.get(PREFS + FineTuneRunner.MODE, FineTuneRunner.DEFAULT_MODE);
        int steps = macro ? FineTuneRunner.DEFAULT_STEPS : (int) Prefs.get(PREFS + FineTuneRunner.STEPS, FineTuneRunner.DEFAULT_STEPS);
        boolean unmarked = !macro && Prefs.get(PREFS + FineTuneRunner.UNMARKED_UNLABELLED, false);
        double pseudo = macro ? FineTuneRunner.DEFAULT_PSEUDO_LABELS
                : Prefs.get(PREFS + FineTuneRunner.PSEUDO_LABELS, FineTuneRunner.DEFAULT_PSEUDO_LABELS);
        if (macro) {
            // Text fields: a headless Choice silently falls back to its first item for an unknown value.
            gd.addStringField(FineTuneRunner.IMAGES, images, 40);
            gd.addStringField(FineTuneRunner.ANNOTATIONS, annotations, 40);
            gd.addStringField(FineTuneRunner.ANNOTATION_TYPE, type, 10);
        } else {
            gd.addDirectoryField(FineTuneRunner.IMAGES, images, 40);
            gd.addDirectoryField(FineTuneRunner.ANNOTATIONS, annotations, 40);
            gd.addChoice(FineTuneRunner.ANNOTATION_TYPE, FineTuneRunner.TYPES, type);
        }
        gd.addCheckbox(FineTuneRunner.UNMARKED_UNLABELLED, unmarked);
        gd.addNumericField(FineTuneRunner.PSEUDO_LABELS, pseudo, 2, 6, "(scribbles; 0 = off)");
        if (macro) {
            gd.addStringField(FineTuneRunner.MODE, mode, 14);
        } else {
            gd.addChoice(FineTuneRunner.MODE, FineTuneRunner.MODES, mode);
        }
        gd.addStringField(FineTuneRunner.INIT, init, 30);
        gd.addNumericField(FineTuneRunner.STEPS, steps, 0, 6, "");
        // Not remembered, like the output: a stale folder would quietly validate an unrelated fine-tune.
        String valImages = "";
        String valLabels = "";
        if (macro) {
            gd.addStringField(FineTuneRunner.VALIDATION_IMAGES, valImages, 40);
            gd.addStringField(FineTuneRunner.VALIDATION_LABELS, valLabels, 40);
        } else {
            gd.addDirectoryField(FineTuneRunner.VALIDATION_IMAGES, valImages, 40);
            gd.addDirectoryField(FineTuneRunner.VALIDATION_LABELS, valLabels, 40);
        }
        if (macro) {
            gd.addStringField(FineTuneRunner.OUTPUT, "", 40);
        } else {
            gd.addDirectoryField(FineTuneRunner.OUTPUT, "", 40);
            gd.addMessage("Label images: 0 background, k nucleus k. Scribbles: 0 unlabelled, 1 background,\n"
                    + "2 nucleus, 3 contour. Annotations are named like their images.\n"
                    + "roi_manager: the active image with nucleus outlines and tagged scribbles in the ROI Manager\n"
                    + "(images and annotations are then not needed). Esc stops and keeps the model.\n"
                    + "Validation (optional): annotated frames set aside; the best model by F on them is kept.");
        }
        gd.showDialog();
        if (gd.wasCanceled()) {
            return null;
        }
        images = gd.getNextString();
        annotations = gd.getNextString();
        type = macro ? gd.getNextString() : gd.getNextChoice();
        unmarked = gd.getNextBoolean();
        pseudo = gd.getNextNumber();
        mode = macro ? gd.getNextString() : gd.getNextChoice();
        boolean pseudoInvalid = gd.invalidNumber();
        init = gd.getNextString();
        double n = gd.getNextNumber();
        valImages = gd.getNextString();
        valLabels = gd.getNextString();
        String output = gd.getNextString();
        FineTuneRunner.Options options;
        try {
            if (pseudoInvalid) {
                throw new IllegalArgumentException(FineTuneRunner.PSEUDO_LABELS + " must be a number from 0 to 1");
            }
            if (gd.invalidNumber() || n != Math.rint(n)) {
                throw new IllegalArgumentException(FineTuneRunner.STEPS + " must be a whole number");
            }
            options = new FineTuneRunner.Options(images.strip(), annotations.strip(), type.strip(), init.strip(),
                    (int) n, output.strip(), unmarked, valImages.strip(), valLabels.strip(), (float) pseudo,
                    mode.strip());
        } catch (IllegalArgumentException e) {
            Reports.error(FineTuneRunner.TITLE, e.getMessage());
            return null;
        }
        if (!macro) {
            Prefs.set(PREFS + FineTuneRunner.IMAGES, options.images());
            Prefs.set(PREFS + FineTuneRunner.ANNOTATIONS, options.annotations());
            Prefs.set(PREFS + FineTuneRunner.ANNOTATION_TYPE, options.annotationType());
            Prefs.set(PREFS + FineTuneRunner.INIT, options.init());
            Prefs.set(PREFS + FineTuneRunner.STEPS, options.steps());
            Prefs.set(PREFS + FineTuneRunner.UNMARKED_UNLABELLED, options.unmarkedUnlabelled());
            Prefs.set(PREFS + FineTuneRunner.PSEUDO_LABELS, options.pseudoLabels());
            Prefs.set(PREFS + FineTuneRunner.MODE, options.mode());
        }
        return options;
    }
}
