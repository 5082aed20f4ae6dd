package org.segmentcells.io;

import java.nio.file.Path;

/**
 * Child JVM for {@link InterruptedWriteTest}: starts writing {@code args[0]} through a
 * {@link TiffStripWriter}, says so on stdout, and waits to be killed halfway through the file.
 */
public final class KilledWriterMain {

    private KilledWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        int w = 1000;
        TiffStripWriter out = new TiffStripWriter(Path.of(args[0]), w, 1000, TiffStripWriter.Type.GRAY16);
        out.writeRows(new int[w * 100], 0, 100);
        System.out.println("writing");
        System.out.flush();
        Thread.sleep(600_000);
        out.commit();
    }
}
