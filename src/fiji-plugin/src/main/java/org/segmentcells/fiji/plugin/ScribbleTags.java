package org.segmentcells.fiji.plugin;

import ij.gui.Roi;

import java.awt.Color;
import java.util.Locale;

/**
 * How a ROI says it is a scribble: its group is the class value (1 background, 2 nucleus, 3 contour, the
 * scribble values of the engine's annotations) and its name holds the class word. Add Nucleus Scribble
 * and friends tag ROIs this way; the engine's ROI annotations read them back.
 */
public final class ScribbleTags {

    /** Class names by scribble value; also the words looked for in ROI names. */
    public static final String[] CLASS_NAMES = {"unlabelled", "background", "nucleus", "contour"};
    /** Scribble colours: the paper's encoding, red background, green nucleus, blue contour. */
    static final Color[] CLASS_COLOURS = {null, Color.RED, Color.GREEN, Color.BLUE};

    private ScribbleTags() {
    }

    /** The class value of a scribble class name ("background", "nucleus", "contour"), or -1. */
    public static int classOf(String name) {
        for (int c = 1; c < CLASS_NAMES.length; c++) {
            if (CLASS_NAMES[c].equals(name)) {
                return c;
            }
        }
        return -1;
    }

    /** Tags a ROI as a scribble of class {@code cls}: its group, a name with the class word, its colour. */
    public static void tagAsScribble(Roi roi, int cls, int number) {
        roi.setGroup(cls);
        roi.setName(String.format(Locale.ROOT, "%s-scribble-%04d", CLASS_NAMES[cls], number));
        roi.setStrokeColor(CLASS_COLOURS[cls]);
    }
}
