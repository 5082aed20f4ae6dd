package org.segmentcells.fiji.plugin;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

/**
 * ImageJ 1.x entry for Plugins &gt; Segment Cells &gt; Evaluate Segmentation (see plugins.config):
 * {@code run("Evaluate Segmentation", "ground_truth=[gt.tif] prediction=[seg.tif]")}, where the values
 * are titles of open images. Writes the Results table.
 */
public class EvaluateSegmentationPlugin implements PlugIn {

    @Override
    public void run(String arg) {
        String[] titles = WindowManager.getImageTitles();
        boolean macro = MacroOptions.inMacro();
        if (!MacroOptions.readyForDialog(EvaluateOptions.TITLE, EvaluateOptions.KEYS)) {
            return;
        }
        if (!macro && titles.length < 2) {
            IJ.error(EvaluateOptions.TITLE, "Open two label images first: the ground truth and the prediction.");
            return;
        }
        GenericDialog gd = new GenericDialog(EvaluateOptions.TITLE);
        if (macro) {
            // Text fields, so an unknown title is reported instead of silently replaced by the first image
            // (which a headless Choice would do).
            gd.addStringField(EvaluateOptions.GROUND_TRUTH, "", 30);
            gd.addStringField(EvaluateOptions.PREDICTION, "", 30);
        } else {
            ImagePlus current = WindowManager.getCurrentImage();
            String pred = current != null ? current.getTitle() : titles[0];
            String gt = titles[0].equals(pred) ? titles[1] : titles[0];
            gd.addChoice(EvaluateOptions.GROUND_TRUTH, titles, gt);
            gd.addChoice(EvaluateOptions.PREDICTION, titles, pred);
        }
        gd.addNumericField(EvaluateOptions.MIN_SIZE, 0, 0, 6, "px (" + EvaluateOptions.MIN_SIZE_HELP + ")");
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String gtTitle = macro ? gd.getNextString() : gd.getNextChoice();
        String predTitle = macro ? gd.getNextString() : gd.getNextChoice();
        double minSize = gd.getNextNumber();
        if (gd.invalidNumber() || minSize != Math.rint(minSize) || minSize < 0) {
            Reports.error(EvaluateOptions.TITLE, EvaluateOptions.MIN_SIZE + " must be a whole number of pixels, 0 or more");
            return;
        }
        ImagePlus gt = image(gtTitle, EvaluateOptions.GROUND_TRUTH);
        ImagePlus pred = gt == null ? null : image(predTitle, EvaluateOptions.PREDICTION);
        if (pred == null) {
            return;
        }
        FijiEngine engine = Reports.engine(EvaluateOptions.TITLE);
        if (engine != null) {
            engine.evaluate(new EvaluateOptions(gt, pred, (int) minSize));
        }
    }

    private static ImagePlus image(String title, String key) {
        ImagePlus imp = title == null || title.isEmpty() ? null : WindowManager.getImage(title);
        String ambiguous = imp == null ? null : EvaluateOptions.ambiguous(title, key);
        if (ambiguous != null) {
            Reports.error(EvaluateOptions.TITLE, ambiguous);
            return null;
        }
        if (imp == null) {
            Reports.error(EvaluateOptions.TITLE, (title == null || title.isEmpty() ? "no " + key + " image given"
                    : "there is no open image titled \"" + title + "\" (" + key + ")")
                    + "; give the titles of two open images, e.g. " + EvaluateOptions.GROUND_TRUTH
                    + "=[gt.tif] " + EvaluateOptions.PREDICTION + "=[seg.tif]");
        }
        return imp;
    }
}
