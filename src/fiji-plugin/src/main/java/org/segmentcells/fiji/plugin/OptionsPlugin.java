package org.segmentcells.fiji.plugin;

import ij.Prefs;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

/**
 * ImageJ 1.x entry for Plugins &gt; Segment Cells &gt; Segment Cells Options (see plugins.config):
 * {@code run("Segment Cells Options...", "verbose")}. {@code verbose}, as the command line's
 * {@code --verbose}, lets TensorFlow's C++ start-up lines through to the terminal Fiji was started from
 * (they never reach the Console or the Log). Kept in ImageJ's preferences; it applies when TensorFlow
 * starts, so a change after the first segmentation takes effect at Fiji's next start.
 */
public class OptionsPlugin implements PlugIn {

    static final String TITLE = "Segment Cells Options";
    /** The preference key (ImageJ adds its leading dot), read by the engine before TensorFlow loads. */
    public static final String VERBOSE_PREF = "segmentcells.verbose";
    static final String VERBOSE = "verbose";

    /** Whether the user asked for TensorFlow's start-up lines: this option, or {@code -Dsegmentcells.verbose=true}. */
    public static boolean verbose() {
        return Prefs.get(VERBOSE_PREF, false) || Boolean.getBoolean(VERBOSE_PREF);
    }

    @Override
    public void run(String arg) {
        if (MacroOptions.batchWithoutOptions()) {
            return; // nothing asked: the preference stays as it is (a dialog would stop a batch run)
        }
        // verbose=true as the other commands take a tick box; an unknown key is an error, not ignored.
        if (!MacroOptions.readyForDialog(TITLE, MacroOptions.Keys.of().tickBoxes(VERBOSE))) {
            return;
        }
        GenericDialog gd = new GenericDialog(TITLE);
        gd.addCheckbox(VERBOSE, Prefs.get(VERBOSE_PREF, false));
        gd.addMessage("verbose: show TensorFlow's start-up messages in the terminal Fiji was started from\n"
                + "(takes effect when TensorFlow starts: at the first segmentation after Fiji's start).");
        gd.showDialog();
        if (!gd.wasCanceled()) {
            Prefs.set(VERBOSE_PREF, gd.getNextBoolean());
        }
    }
}
