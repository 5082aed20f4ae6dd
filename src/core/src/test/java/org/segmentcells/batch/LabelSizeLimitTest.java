package org.segmentcells.batch;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A slide whose label image cannot be a classic TIFF is refused before any band is segmented. */
class LabelSizeLimitTest {

    /** The header of an uncompressed 8-bit TIFF of {@code w}×{@code h} in one strip (its pixels left out). */
    static void header(Path file, int w, int h) throws IOException {
        int[][] tags = {{256, 4, w}, {257, 4, h}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1}, {273, 4, 512}, {277, 3, 1},
            {278, 4, h}, {279, 4, (int) ((long) w * h)}};
        ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) tags.length);
        for (int[] t : tags) {
            b.putShort((short) t[0]).putShort((short) t[1]).putInt(1);
            if (t[1] == 3) {
                b.putShort((short) t[2]).putShort((short) 0);
            } else {
                b.putInt(t[2]);
            }
        }
        b.putInt(0);
        Files.write(file, b.array());
    }

    @Test
    void aSlideWhoseLabelsPassFourGigabytesIsRefusedUpFront(@TempDir Path tmp) throws Exception {
        Path ok = tmp.resolve("ok.tif");
        header(ok, 40000, 40000); // 3.2 GB of 16-bit labels: fits
        FileSegmentation.requireRowReadable(ok, "bands");
        Path big = tmp.resolve("big.tif");
        header(big, 50000, 50000); // 5 GB of 16-bit labels
        IOException e = assertThrows(IOException.class, () -> FileSegmentation.requireRowReadable(big, "bands"));
        assertTrue(e.getMessage().endsWith("big.tif: 50000x50000 is too big for its label image (16-bit, over the 4 GB a"
                + " classic TIFF holds); split it into parts first"), e.getMessage());
    }
}
