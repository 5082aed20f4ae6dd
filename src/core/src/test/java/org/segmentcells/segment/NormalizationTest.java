package org.segmentcells.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;

class NormalizationTest {

    /** Rows normalised by the whole plane's percentiles: what the auto-scale check's band is compared on. */
    @Test
    void rowsAreTheWholePlaneNormalisedThenCut() {
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
        FloatPlane whole = Normalization.DEFAULT.apply(in);
        for (int[] rows : new int[][] {{0, h}, {0, 1}, {4, 11}, {h - 1, h}}) {
            FloatPlane cut = Normalization.DEFAULT.applyToRows(in, rows[0], rows[1]);
            assertEquals(rows[1] - rows[0], cut.height());
            assertArrayEquals(whole.rows(rows[0], rows[1]).data(), cut.data(), 0f);
        }
        FloatPlane own = Normalization.DEFAULT.apply(in.rows(20, 29));
        float[] cut = Normalization.DEFAULT.applyToRows(in, 20, 29).data();
        boolean differs = false;
        for (int i = 0; i < cut.length; i++) {
            differs |= Math.abs(cut[i] - own.data()[i]) > 1e-3;
        }
        assertTrue(differs, "the rows' own percentiles would give other values");
    }
}
