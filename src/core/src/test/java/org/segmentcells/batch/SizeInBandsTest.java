package org.segmentcells.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.io.TiffStripWriter;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.scale.ObjectSize;
import org.segmentcells.synth.SyntheticNuclei;

/**
 * The size of a TIFF segmented in bands: measured on full-resolution crops picked on an overview, so it
 * is right where the overview shrinks nuclei to a few pixels (measured on the overview alone, the
 * 8192-px slide below came out at 35 px for 22 px nuclei), and for large nuclei too.
 */
class SizeInBandsTest {

    @TempDir
    Path tmp;

    /** One synthetic 1024-px frame repeated {@code times}×{@code times}; returns the measured/true diameter ratio. */
    private double ratio(String name, int times, int nuclei, double zoom, Model model) throws Exception {
        SyntheticNuclei.Sample tile = SyntheticNuclei.generate(1024, 1024, nuclei, 5, zoom);
        int side = 1024 * times;
        Path image = tmp.resolve(name + ".tif");
        try (TiffStripWriter w = new TiffStripWriter(image, side, side, TiffStripWriter.Type.GRAY16)) {
            int[] row = new int[side];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    row[x] = Math.round(tile.image().data()[(y % 1024) * 1024 + x % 1024]);
                }
                w.writeRows(row, 0, 1);
            }
            w.commit();
        }
        ObjectSize.Estimate e = FileSegmentation.sizeInBands(image, model);
        assertTrue(e.objects() >= 100, e.objects() + " nuclei measured");
        return e.diameter() / ObjectSize.medianDiameter(List.of(tile.labels()));
    }

    /** A strip one row high and over a megapixel long is measured (nothing there) instead of read past its end. */
    @Test
    void aStripOneRowHigh() throws Exception {
        int w = 1_200_000;
        Path image = tmp.resolve("strip.tif");
        try (TiffStripWriter out = new TiffStripWriter(image, w, 1, TiffStripWriter.Type.GRAY16)) {
            int[] row = new int[w];
            for (int x = 0; x < w; x++) {
                row[x] = 100 + (x % 50 < 10 ? 400 : 0);
            }
            out.writeRows(row, 0, 1);
            out.commit();
        }
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            ObjectSize.Estimate e = FileSegmentation.sizeInBands(image, model);
            assertTrue(!e.found() || e.diameter() > 0, "an estimate or none, not an exception: " + e);
        }
    }

    @Test
    void smallNucleiOnABigSlideAndLargeOnes() throws Exception {
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            // 8192 px: the overview is 8 times smaller, where these nuclei (about 22 px) would be under 3 px.
            assertEquals(1, ratio("usual", 8, 400, 1, model), 0.15, "usual nuclei");
            assertEquals(1, ratio("large", 5, 45, 3, model), 0.15, "nuclei three times as large");
        }
    }
}
