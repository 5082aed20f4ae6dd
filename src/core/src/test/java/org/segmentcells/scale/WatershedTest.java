package org.segmentcells.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.plugin.filter.EDM;
import ij.process.ByteProcessor;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class WatershedTest {

    /** Pairs of touching discs, single discs and specks, some cut by the plane's border. */
    private static byte[] scene(int w, int h, long seed) {
        byte[] m = new byte[w * h];
        SplittableRandom r = new SplittableRandom(seed);
        for (int n = 0; n < 60; n++) {
            double cx = r.nextDouble() * w;
            double cy = r.nextDouble() * h;
            double rad = 3 + r.nextDouble() * 12;
            boolean pair = r.nextBoolean();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean in = Math.hypot(x - cx, y - cy) <= rad
                            || pair && Math.hypot(x - cx - 1.6 * rad, y - cy) <= rad;
                    if (in) {
                        m[y * w + x] = (byte) 255;
                    }
                }
            }
        }
        return m;
    }

    private static int objects(byte[] mask, int w, int h) {
        return ObjectSize.objectDiameters(mask, w, h).size();
    }

    @Test
    void cutsTouchingNucleiAsImageJsWatershedOnTheWholePlaneDoes() {
        int w = 300;
        int h = 220;
        for (long seed = 1; seed <= 4; seed++) {
            byte[] whole = scene(w, h, seed);
            byte[] byObject = whole.clone();
            int before = objects(whole, w, h);
            ByteProcessor bp = new ByteProcessor(w, h, whole);
            new EDM().toWatershed(bp);
            Watershed.split(byObject, w, h, ObjectSize.MIN_AREA);
            int cut = objects(whole, w, h);
            assertTrue(cut > before, "the scene has touching pairs to cut: " + before + " -> " + cut);
            assertEquals(cut, objects(byObject, w, h), "seed " + seed);
            int differ = 0;
            int fg = 0;
            for (int i = 0; i < whole.length; i++) {
                differ += whole[i] != byObject[i] ? 1 : 0;
                fg += whole[i] != 0 ? 1 : 0;
            }
            // ImageJ breaks ties in its own order; the lines may move by a pixel, not more.
            assertTrue(differ <= fg / 200, differ + " of " + fg + " pixels differ (seed " + seed + ")");
        }
    }

    @Test
    void leavesObjectsUnderTheMinimumAreaWhole() {
        // Two discs of radius 4, 7 px apart: a figure eight of about 90 px that the watershed cuts in two.
        int w = 40; // an object over a fifth of the plane would not count as a nucleus
        int h = 30;
        byte[] m = new byte[w * h];
        int area = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (Math.hypot(x - 16, y - 15) <= 4 || Math.hypot(x - 23, y - 15) <= 4) {
                    m[y * w + x] = (byte) 255;
                    area++;
                }
            }
        }
        byte[] cut = m.clone();
        Watershed.split(cut, w, h, area);
        assertEquals(2, objects(cut, w, h), "an object of the minimum area is cut");
        byte[] kept = m.clone();
        Watershed.split(kept, w, h, area + 1);
        assertEquals(1, objects(kept, w, h), "a smaller one is left whole");
    }
}
