package org.segmentcells.fiji;

import ij.IJ;

import java.awt.GraphicsEnvironment;

/** Error reporting that suits where ImageJ runs. */
final class Reports {

    private Reports() {
    }

    /**
     * An error dialog with a GUI; without one, the message also goes to stderr, since ImageJ then only
     * prints it to stdout. In a macro, IJ.error aborts the macro with this message, as ImageJ's own
     * commands do.
     */
    static void error(String title, String message) {
        if (GraphicsEnvironment.isHeadless()) {
            System.err.println(title + ": " + message);
        }
        IJ.error(title, message);
    }

    /** The message for a class missing at run time: the dependency jars were not all installed. */
    static String incompleteInstall(LinkageError e) {
        return "Segment Cells is not completely installed (" + e + "). Copy every jar in src/fiji/target/fiji/jars"
                + " into Fiji.app/jars, next to the plugin in Fiji.app/plugins, then restart Fiji.";
    }
}
