package org.segmentcells.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.img.LabelPlane;

/**
 * A label file records the image it came from, written whole or in bands, and the record tells two images
 * of one name and size apart, but not an image from its copy elsewhere.
 */
class SourceImageTest {

    @Test
    void labelsRecordTheirImageWhetherWrittenWholeOrInBands(@TempDir Path tmp) throws Exception {
        byte[] a = new byte[300_000];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (i * 7);
        }
        byte[] b = a.clone();
        b[150_001]++; // one byte apart, in the middle block
        Path plate1 = Files.write(Files.createDirectories(tmp.resolve("plate 1")).resolve("A01.tif"), a);
        Path plate2 = Files.write(Files.createDirectories(tmp.resolve("plate2")).resolve("A01.tif"), b);
        Path moved = Files.write(Files.createDirectories(tmp.resolve("moved")).resolve("A01.tif"), a);
        SourceImage s1 = SourceImage.of(plate1);
        assertEquals(plate1.toAbsolutePath().toString(), s1.path());
        assertFalse(s1.sameImage(SourceImage.of(plate2)));
        assertTrue(s1.sameImage(SourceImage.of(moved)));

        Path whole = tmp.resolve("whole.tif");
        ImageFiles.writeLabels(List.of(new LabelPlane(20, 10, new int[200])), whole, null, s1);
        // In bands: many strips (rows of 70000 px of 16 bits, 1 MB strips), and a note of odd and even length.
        int w = 70_000;
        int[] ids = new int[w * 20];
        for (int i = 0; i < ids.length; i += w) {
            ids[i] = 1 + i / w; // one pixel of nucleus k at the start of row k - 1
        }
        for (SourceImage s : List.of(s1, new SourceImage(s1.path() + "x", s1.fingerprint()))) {
            Path bands = tmp.resolve("bands.tif");
            try (TiffStripWriter out = new TiffStripWriter(bands, w, 20, TiffStripWriter.Type.GRAY16,
                    TiffStripWriter.PixelSize.NONE, s.line())) {
                out.writeRows(ids, 0, 20);
                out.commit();
            }
            assertEquals(s, SourceImage.recordedIn(bands));
            assertEquals(java.util.Arrays.stream(ids).boxed().toList(),
                    java.util.Arrays.stream(ImageFiles.readLabels(bands).data()).boxed().toList(), "pixels where they were");
        }
        // A Windows path: its backslashes (and the u after one) neither break ImageJ's reading nor the record.
        SourceImage windows = new SourceImage("D:\\data\\u2os\\A01.tif", s1.fingerprint());
        Path win = tmp.resolve("win.tif");
        try (TiffStripWriter out = new TiffStripWriter(win, 20, 10, TiffStripWriter.Type.GRAY16,
                TiffStripWriter.PixelSize.NONE, windows.line())) {
            out.writeRows(new int[200], 0, 10);
            out.commit();
        }
        assertEquals(20, ImageFiles.readLabels(win).width());
        assertEquals(windows, SourceImage.recordedIn(win));
        assertEquals(s1, SourceImage.recordedIn(whole));
        assertEquals(0, ImageFiles.readLabels(whole).maxLabel(), "still a label image ImageJ reads");
        ImageFiles.writeLabels(new LabelPlane(20, 10, new int[200]), tmp.resolve("none.tif"));
        assertNull(SourceImage.recordedIn(tmp.resolve("none.tif")), "labels written before the record");
        assertNull(SourceImage.recordedIn(Files.writeString(tmp.resolve("note.tif"), "not a TIFF")));
    }
}
