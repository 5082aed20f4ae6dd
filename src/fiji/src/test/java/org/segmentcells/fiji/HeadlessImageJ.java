package org.segmentcells.fiji;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Main class of the ImageJ 1.x process the integration tests start: runs one macro file in ij1-patcher's
 * headless environment (batch mode always on, GenericDialog reading macro options), then exits, since
 * AWT and TensorFlow threads would otherwise keep the JVM alive.
 *
 * <p>Usage: {@code HeadlessImageJ MACRO_FILE [ARGUMENT]}; the macro reads ARGUMENT with getArgument().
 */
public final class HeadlessImageJ {

    private HeadlessImageJ() {
    }

    public static void main(String[] args) throws Exception {
        String macro = Files.readString(Path.of(args[0]));
        String argument = args.length > 1 ? args[1] : "";
        int code = 0;
        try {
            new net.imagej.patcher.LegacyEnvironment(null, true).runMacro(macro, argument);
            System.out.println("[HeadlessImageJ] macro returned");
        } catch (Throwable t) {
            t.printStackTrace();
            code = 3;
        }
        System.out.flush();
        System.exit(code);
    }
}
