package org.segmentcells.fiji.plugin;

import ij.IJ;

import java.awt.GraphicsEnvironment;

/** Error reporting that suits where ImageJ runs. */
public final class Reports {

    private Reports() {
    }

    /**
     * An error dialog with a GUI; without one, the message also goes to stderr, since ImageJ then only
     * prints it to stdout. In a macro, IJ.error aborts the macro with this message, as ImageJ's own
     * commands do; in batch mode it prints, so nothing waits for a click.
     */
    public static void error(String title, String message) {
        if (GraphicsEnvironment.isHeadless()) {
            System.err.println(title + ": " + message);
        }
        IJ.error(title, message);
    }

    /** The message for a class missing at run time: the engine's jars were not all installed. */
    public static String incompleteInstall(LinkageError e) {
        return "Segment Cells is not completely installed (" + e + ")" + EngineLoader.reinstall();
    }

    /** The engine, or null after telling the user why it cannot start (one message, never a hang). */
    static FijiEngine engine(String title) {
        try {
            return EngineLoader.engine();
        } catch (EngineLoader.Unavailable e) {
            error(title, e.getMessage());
            return null;
        }
    }
}
