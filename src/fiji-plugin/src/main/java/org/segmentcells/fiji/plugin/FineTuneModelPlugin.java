package org.segmentcells.fiji.plugin;

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
        FineTuneOptions options = showDialog();
        if (options != null) {
            // The active image only matters for roi_manager; the runner says so if it is missing.
            FijiEngine engine = Reports.engine(FineTuneOptions.TITLE);
            if (engine != null) {
                engine.fineTune(options, WindowManager.getCurrentImage(), Progress.imageJ());
            }
        }
    }

    /** The dialog (or, in a macro, the macro options); null if cancelled or invalid (already reported). */
    static FineTuneOptions showDialog() {
        boolean macro = MacroOptions.inMacro();
        MacroOptions.keyFirst(FineTuneOptions.IMAGES); // not validation_images' value
        if (!MacroOptions.readyForDialog(FineTuneOptions.TITLE, FineTuneOptions.KEYS)) {
            return null;
        }
        GenericDialog gd = new GenericDialog(FineTuneOptions.TITLE);
        String images = macro ? "" : Prefs.get(PREFS + FineTuneOptions.IMAGES, "");
        String annotations = macro ? "" : Prefs.get(PREFS + FineTuneOptions.ANNOTATIONS, "");
        String type = macro ? FineTuneOptions.LABELS : Prefs.get(PREFS + FineTuneOptions.ANNOTATION_TYPE, FineTuneOptions.LABELS);
        String init = macro ? "default" : Prefs.get(PREFS + FineTuneOptions.INIT, "default");
        String mode = macro ? FineTuneOptions.DEFAULT_MODE : Prefs.get(PREFS + FineTuneOptions.MODE, FineTuneOptions.DEFAULT_MODE);
        int steps = macro ? FineTuneOptions.DEFAULT_STEPS : (int) Prefs.get(PREFS + FineTuneOptions.STEPS, FineTuneOptions.DEFAULT_STEPS);
        boolean unmarked = !macro && Prefs.get(PREFS + FineTuneOptions.UNMARKED_UNLABELLED, false);
        // Not remembered, as in the Fine-tune Model command: a remembered weight would quietly change later,
        // unrelated scribble fine-tunes (and keep one from before the default changed).
        double pseudo = FineTuneOptions.MODE_PSEUDO_LABELS;
        if (macro) {
            // Text fields: a headless Choice silently falls back to its first item for an unknown value.
            gd.addStringField(FineTuneOptions.IMAGES, images, 40);
            gd.addStringField(FineTuneOptions.ANNOTATIONS, annotations, 40);
            gd.addStringField(FineTuneOptions.ANNOTATION_TYPE, type, 10);
        } else {
            gd.addDirectoryField(FineTuneOptions.IMAGES, images, 40);
            gd.addDirectoryField(FineTuneOptions.ANNOTATIONS, annotations, 40);
            gd.addChoice(FineTuneOptions.ANNOTATION_TYPE, FineTuneOptions.TYPES, type);
        }
        gd.addCheckbox(FineTuneOptions.UNMARKED_UNLABELLED, unmarked);
        gd.addNumericField(FineTuneOptions.PSEUDO_LABELS, pseudo, 2, 6, "(scribbles; " + FineTuneOptions.PSEUDO_LABELS_HELP + ")");
        if (macro) {
            gd.addStringField(FineTuneOptions.MODE, mode, 14);
        } else {
            gd.addChoice(FineTuneOptions.MODE, FineTuneOptions.MODES, mode);
        }
        gd.addStringField(FineTuneOptions.INIT, init, 30);
        gd.addNumericField(FineTuneOptions.STEPS, steps, 0, 6, "");
        // Not remembered, like the output: a stale folder would quietly validate an unrelated fine-tune.
        String valImages = "";
        String valLabels = "";
        if (macro) {
            gd.addStringField(FineTuneOptions.VALIDATION_IMAGES, valImages, 40);
            gd.addStringField(FineTuneOptions.VALIDATION_LABELS, valLabels, 40);
        } else {
            gd.addDirectoryField(FineTuneOptions.VALIDATION_IMAGES, valImages, 40);
            gd.addDirectoryField(FineTuneOptions.VALIDATION_LABELS, valLabels, 40);
        }
        if (macro) {
            gd.addStringField(FineTuneOptions.OUTPUT, "", 40);
        } else {
            gd.addDirectoryField(FineTuneOptions.OUTPUT, "", 40);
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
        FineTuneOptions options;
        try {
            if (pseudoInvalid) {
                throw new IllegalArgumentException(FineTuneOptions.PSEUDO_LABELS + " must be a number from 0 to 1, or -1");
            }
            if (gd.invalidNumber() || n != Math.rint(n)) {
                throw new IllegalArgumentException(FineTuneOptions.STEPS + " must be a whole number");
            }
            options = FineTuneOptions.builder().annotated(images.strip(), annotations.strip(), type.strip())
                    .init(init.strip()).steps((int) n).output(output.strip()).unmarkedUnlabelled(unmarked)
                    .validation(valImages.strip(), valLabels.strip()).pseudoLabels((float) pseudo).mode(mode.strip())
                    .build();
        } catch (IllegalArgumentException e) {
            Reports.error(FineTuneOptions.TITLE, e.getMessage());
            return null;
        }
        if (!macro) {
            Prefs.set(PREFS + FineTuneOptions.IMAGES, options.images());
            Prefs.set(PREFS + FineTuneOptions.ANNOTATIONS, options.annotations());
            Prefs.set(PREFS + FineTuneOptions.ANNOTATION_TYPE, options.annotationType());
            Prefs.set(PREFS + FineTuneOptions.INIT, options.init());
            Prefs.set(PREFS + FineTuneOptions.STEPS, options.steps());
            Prefs.set(PREFS + FineTuneOptions.UNMARKED_UNLABELLED, options.unmarkedUnlabelled());
            Prefs.set(PREFS + FineTuneOptions.MODE, options.mode());
        }
        return options;
    }
}
