package org.segmentcells.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;

class NormalizationTest {

    /** Rows normalised by the whole plane's percentiles: what the auto-scale check's band is compared on. */
    @Test
    void rowsAreNormalisedByTheWholePlane() {
        Random r = new Random(3);
        int w = 37;
        int h = 29;
        float[] px = new float[w * h];
        for (int i = 0; i < px.length; i++) {
            // Brighter towards the bottom, so rows alone would have other percentiles.
            px[i] = (float) (r.nextGaussian() * 10 + 5 * (i / w));
        }
        px[5 * w + 3] = Float.NaN;
        FloatPlane in = new FloatPlane(w, h, px);
        float[] range = Normalization.DEFAULT.range(px);
        float scale = 1f / (range[1] - range[0]);
        for (int[] rows : new int[][] {{0, h}, {0, 1}, {4, 11}, {h - 1, h}}) {
            FloatPlane cut = Normalization.DEFAULT.applyToRows(in, rows[0], rows[1]);
            assertEquals(w, cut.width());
            assertEquals(rows[1] - rows[0], cut.height());
            for (int y = rows[0]; y < rows[1]; y++) {
                for (int x = 0; x < w; x++) {
                    float v = px[y * w + x];
                    float expected = Float.isFinite(v) ? (v - range[0]) * scale : 0f;
                    assertEquals(expected, cut.data()[(y - rows[0]) * w + x], 1e-6f, "row " + y + ", column " + x);
                }
            }
        }
        assertEquals(0f, Normalization.DEFAULT.applyToRows(in, 4, 11).data()[(5 - 4) * w + 3], "NaN is background");
        FloatPlane own = Normalization.DEFAULT.apply(in.rows(20, 29));
        float[] cut = Normalization.DEFAULT.applyToRows(in, 20, 29).data();
        boolean differs = false;
        for (int i = 0; i < cut.length; i++) {
            differs |= Math.abs(cut[i] - own.data()[i]) > 1e-3;
        }
        assertTrue(differs, "the rows' own percentiles would give other values");
    }

    @Test
    void rowsOutsideThePlaneAreRefused() {
        FloatPlane in = new FloatPlane(4, 3, new float[12]);
        for (int[] rows : new int[][] {{-1, 2}, {2, 1}, {0, 4}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Normalization.DEFAULT.applyToRows(in, rows[0], rows[1]));
            assertTrue(e.getMessage().contains("3 rows"), e.getMessage());
        }
    }
}
