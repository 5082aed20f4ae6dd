package org.segmentcells.fiji.plugin;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;
import ij.plugin.frame.RoiManager;

import java.awt.GraphicsEnvironment;

/**
 * Plugins &gt; Segment Cells &gt; Add Background / Nucleus / Contour Scribble (see plugins.config): adds
 * the current selection, drawn with any ImageJ tool, to the ROI Manager tagged with its class (group
 * 1, 2 or 3, a name such as {@code nucleus-scribble-0007} and the colour red, green or blue), ready for
 * Fine-tune Model with {@code annotation_type=roi_manager}. No dialog, so each can be bound to a key
 * (Plugins &gt; Shortcuts &gt; Add Shortcut). Headless, where there is no ROI Manager, the scribble goes
 * into the image's overlay, which Fine-tune Model reads there instead.
 */
public class AddScribblePlugin implements PlugIn {

    static final String TITLE = "Add Scribble";

    @Override
    public void run(String arg) {
        int cls = ScribbleTags.classOf(arg);
        if (cls < 0) {
            Reports.error(TITLE, "unknown scribble class '" + arg + "'; use background, nucleus or contour");
            return;
        }
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            IJ.noImage();
            return;
        }
        try {
            Roi added = add(imp, cls);
            IJ.showStatus(TITLE + ": " + added.getName());
        } catch (IllegalArgumentException e) {
            Reports.error(TITLE, e.getMessage());
        }
    }

    /** Adds a tagged copy of {@code imp}'s selection to the ROI Manager (headless: its overlay) and returns it. */
    public static Roi add(ImagePlus imp, int cls) {
        Roi selection = imp.getRoi();
        if (selection == null) {
            throw new IllegalArgumentException("no selection on \"" + imp.getTitle() + "\": draw the "
                    + ScribbleTags.CLASS_NAMES[cls] + " scribble with a line or selection tool first");
        }
        Roi roi = (Roi) selection.clone();
        if (GraphicsEnvironment.isHeadless()) {
            // The ROI Manager is a window and cannot exist here.
            Overlay overlay = imp.getOverlay() == null ? new Overlay() : imp.getOverlay();
            ScribbleTags.tagAsScribble(roi, cls, overlay.size() + 1);
            overlay.add(roi);
            imp.setOverlay(overlay);
            return roi;
        }
        RoiManager rm = RoiManager.getInstance(); // in a batch-mode macro, the hidden one
        if (rm == null) {
            rm = RoiManager.getRoiManager();
        }
        ScribbleTags.tagAsScribble(roi, cls, rm.getCount() + 1);
        rm.add(imp, roi, -1); // -1 keeps the name
        if (!Interpreter.isBatchMode()) {
            rm.runCommand("show all"); // so the classes' colours show on the image
        }
        return roi;
    }
}
