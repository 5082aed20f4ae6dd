package org.segmentcells.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;

/**
 * A re-run keeps only what this tool wrote: label ids that first appear in raster order 1, 2, 3, ..., checked
 * alike on a file read whole and on one read in bands of rows (a slide over the heap).
 */
class EarlierLabelsTest {

    @Test
    void onlyIdsNumberedInRasterOrderAreTakenForLabels(@TempDir Path tmp) throws Exception {
        int w = 40;
        int h = 30;
        int[] ours = new int[w * h];
        int[] swapped = new int[w * h];
        int[] gap = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int id = y < 10 ? 0 : x < 20 ? 1 : 2; // 1 starts before 2 on row 10
                ours[y * w + x] = id;
                swapped[y * w + x] = id == 0 ? 0 : 3 - id;
                gap[y * w + x] = id == 2 ? 3 : id;
            }
        }
        for (Object[] k : new Object[][] {{ours, true}, {swapped, false}, {gap, false}, {new int[w * h], true}}) {
            Path f = tmp.resolve("l" + k.hashCode() + ".tif");
            ImageFiles.writeLabels(new LabelPlane(w, h, (int[]) k[0]), f);
            ImageFiles.Header t = ImageFiles.checkInput(f, null, 0);
            assertEquals(k[1], FileSegmentation.numberedInRasterOrder(f, t), "read whole");
            assertEquals(k[1], FileSegmentation.numberedInRasterOrder(f, t, 0), "read in bands");
        }
    }

    /** Past 65535 nuclei labels are 32-bit: a slide's are checked in bands too, so a re-run keeps them. */
    @Test
    void thirtyTwoBitLabelsAreCheckedInBands(@TempDir Path tmp) throws Exception {
        int w = 300;
        int h = 240;
        int[] ours = new int[w * h];
        for (int i = 0; i < ours.length; i++) {
            ours[i] = i + 1; // 72000 one-pixel nuclei
        }
        int[] swapped = ours.clone();
        swapped[w * h - 2] = ours[w * h - 1];
        swapped[w * h - 1] = ours[w * h - 2];
        for (Object[] k : new Object[][] {{ours, true}, {swapped, false}}) {
            Path f = tmp.resolve("l" + k.hashCode() + ".tif");
            ImageFiles.writeLabels(new LabelPlane(w, h, (int[]) k[0]), f);
            ImageFiles.Header t = ImageFiles.checkInput(f, null, 0);
            assertEquals(4, t.bytesPerPixel());
            assertEquals(k[1], FileSegmentation.numberedInRasterOrder(f, t, 0), "read in bands");
        }
    }
}
