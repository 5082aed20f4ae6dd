package org.segmentcells.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;

class FaintObjectsTest {

    /** Background 100 with Gaussian noise σ = 4, plus two 10×10 objects at given mean offsets. */
    static FloatPlane image(double brightOffset, double faintOffset) {
        SplittableRandom r = new SplittableRandom(1);
        FloatPlane p = new FloatPlane(60, 40);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 60; x++) {
                double u = 1 - r.nextDouble();
                double g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
                double v = 100 + 4 * g;
                if (x >= 5 && x < 15 && y >= 5 && y < 15) {
                    v += brightOffset;
                }
                if (x >= 30 && x < 40 && y >= 20 && y < 30) {
                    v += faintOffset;
                }
                p.set(x, y, (float) v);
            }
        }
        return p;
    }

    static LabelPlane twoSquares() {
        LabelPlane l = new LabelPlane(60, 40);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 60; x++) {
                if (x >= 5 && x < 15 && y >= 5 && y < 15) {
                    l.data()[y * 60 + x] = 3;
                }
                if (x >= 30 && x < 40 && y >= 20 && y < 30) {
                    l.data()[y * 60 + x] = 9;
                }
            }
        }
        return l;
    }

    @Test
    void noiseSigmaIsEstimated() {
        assertEquals(4.0, FaintObjects.noiseSigma(image(0, 0)), 0.5);
    }

    @Test
    void objectsAtNoiseLevelAreDroppedAndRealOnesKept() {
        // 40 above background = 10σ: kept. 4 above = 1σ: dropped. Kept ids are renumbered from 1.
        LabelPlane out = FaintObjects.drop(twoSquares(), image(40, 4), FaintObjects.MIN_CONTRAST);
        assertEquals(1, out.maxLabel());
        assertEquals(1, out.get(10, 10));
        assertEquals(0, out.get(35, 25));
        // Both bright: nothing changes.
        LabelPlane both = twoSquares();
        assertSame(both, FaintObjects.drop(both, image(40, 30), FaintObjects.MIN_CONTRAST));
        // A pure-noise frame: every "object" goes.
        assertEquals(0, FaintObjects.drop(twoSquares(), image(0, 0), FaintObjects.MIN_CONTRAST).maxLabel());
    }

    /** NaN pixels (stitching padding, say) show no contrast: an object of them goes, and they set no level. */
    @Test
    void objectsOfNaNPixelsAreDroppedAndNaNBackgroundSetsNoLevel() {
        FloatPlane img = image(40, 40);
        for (int y = 20; y < 30; y++) {
            for (int x = 30; x < 40; x++) {
                img.set(x, y, Float.NaN);
            }
        }
        LabelPlane out = FaintObjects.drop(twoSquares(), img, FaintObjects.MIN_CONTRAST);
        assertEquals(1, out.maxLabel());
        assertEquals(1, out.get(10, 10));
        assertEquals(0, out.get(35, 25));
        // Most of the background NaN (58%): counted as 0, NaN would make the level 0 and keep an object at noise level.
        FloatPlane half = image(40, 4);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 60; x++) {
                if (x >= 41 || y >= 31 || x < 5) {
                    half.set(x, y, Float.NaN);
                }
            }
        }
        assertEquals(1, FaintObjects.drop(twoSquares(), half, FaintObjects.MIN_CONTRAST).maxLabel());
    }

    @Test
    void noiselessImagesKeepAnyObjectBrighterThanTheBackground() {
        FloatPlane flat = new FloatPlane(60, 40);
        java.util.Arrays.fill(flat.data(), 10f);
        for (int y = 5; y < 15; y++) {
            for (int x = 5; x < 15; x++) {
                flat.set(x, y, 11f);
            }
        }
        LabelPlane out = FaintObjects.drop(twoSquares(), flat, FaintObjects.MIN_CONTRAST);
        assertEquals(1, out.maxLabel());
        assertEquals(1, out.get(6, 6));
    }
}
