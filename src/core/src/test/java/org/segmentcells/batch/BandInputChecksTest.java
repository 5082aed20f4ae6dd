package org.segmentcells.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TIFFs that bands cannot read through, or whose label image could not be written, are refused up front. */
class BandInputChecksTest {

    /** The header of an uncompressed 8-bit TIFF of {@code w}×{@code h} in one strip (its pixels left out). */
    static void header(Path file, int w, int h) throws IOException {
        header(file, w, h, 1, h);
    }

    /**
     * As above in {@code strips} strips of {@code rowsPerStrip} rows (their offsets and byte counts at 400 and
     * 400 + 4 × strips when there are several).
     */
    static void header(Path file, int w, int h, int strips, int rowsPerStrip) throws IOException {
        int at = strips == 1 ? 1024 : 400;
        int count = strips == 1 ? (int) ((long) w * h) : 400 + 4 * strips;
        int[][] tags = {{256, 4, 1, w}, {257, 4, 1, h}, {258, 3, 1, 8}, {259, 3, 1, 1}, {262, 3, 1, 1},
            {273, 4, strips, at}, {277, 3, 1, 1}, {278, 4, 1, rowsPerStrip}, {279, 4, strips, count}};
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) tags.length);
        for (int[] t : tags) {
            b.putShort((short) t[0]).putShort((short) t[1]).putInt(t[2]);
            if (t[1] == 3) {
                b.putShort((short) t[3]).putShort((short) 0);
            } else {
                b.putInt(t[3]);
            }
        }
        b.putInt(0);
        for (int i = 0; i < strips && strips > 1; i++) {
            b.putInt(400 + 4 * i, 1024 + i * rowsPerStrip * w); // offsets
            b.putInt(400 + 4 * strips + 4 * i, rowsPerStrip * w); // byte counts
        }
        Files.write(file, b.array());
    }

    /** Strips that hold fewer rows than the height claims: named corrupt before any band reads past them. */
    @Test
    void stripsShortOfTheHeightAreRefused(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole.tif");
        header(whole, 100, 40, 4, 10);
        FileSegmentation.requireRowReadable(whole, "bands");
        Path shortOf = tmp.resolve("short.tif");
        header(shortOf, 100, 40, 2, 10);
        IOException e = assertThrows(IOException.class, () -> FileSegmentation.requireRowReadable(shortOf, "bands"));
        assertTrue(e.getMessage().endsWith("short.tif: corrupt TIFF (its strips hold fewer rows than its height)"),
                e.getMessage());
    }

    @Test
    void aSlideWhoseLabelsPassFourGigabytesIsRefusedUpFront(@TempDir Path tmp) throws Exception {
        Path ok = tmp.resolve("ok.tif");
        header(ok, 40000, 40000); // 3.2 GB of 16-bit labels: fits
        FileSegmentation.requireRowReadable(ok, "bands");
        // 6.4 GB at 32 bits: said up front, since the count of nuclei is known only at the end.
        assertTrue(FileSegmentation.labelSizeWarning(ok).endsWith("ok.tif: 40000x40000 with more than 65535 nuclei"
                + " would need 32-bit labels, over the 4 GB a classic TIFF holds, and fail after its bands; split it"
                + " into parts if it may hold that many"), FileSegmentation.labelSizeWarning(ok));
        Path fits = tmp.resolve("fits.tif");
        header(fits, 30000, 30000); // 3.6 GB at 32 bits
        assertEquals(null, FileSegmentation.labelSizeWarning(fits));
        Path big = tmp.resolve("big.tif");
        header(big, 50000, 50000); // 5 GB of 16-bit labels
        IOException e = assertThrows(IOException.class, () -> FileSegmentation.requireRowReadable(big, "bands"));
        assertTrue(e.getMessage().endsWith("big.tif: 50000x50000 is too big for its label image (16-bit, over the 4 GB a"
                + " classic TIFF holds); split it into parts first"), e.getMessage());
    }
}
