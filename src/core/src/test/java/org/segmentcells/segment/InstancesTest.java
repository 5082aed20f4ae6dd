package org.segmentcells.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.segmentcells.annotate.Targets;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;

class InstancesTest {

    /**
     * Probability planes from rows of characters: '.' background, 'n' confident nucleus, 'w' weaker
     * nucleus (0.6), 'c' contour.
     */
    static LabelPlane segment(double seedThreshold, int minSize, String... rows) {
        int h = rows.length;
        int w = rows[0].length();
        FloatPlane bg = new FloatPlane(w, h);
        FloatPlane nu = new FloatPlane(w, h);
        FloatPlane co = new FloatPlane(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float[] p = switch (rows[y].charAt(x)) {
                    case '.' -> new float[] {0.8f, 0.1f, 0.1f};
                    case 'n' -> new float[] {0.05f, 0.9f, 0.05f};
                    case 'w' -> new float[] {0.2f, 0.6f, 0.2f};
                    case 'c' -> new float[] {0.2f, 0.2f, 0.6f};
                    default -> throw new IllegalArgumentException(rows[y]);
                };
                bg.set(x, y, p[0]);
                nu.set(x, y, p[1]);
                co.set(x, y, p[2]);
            }
        }
        return Instances.fromProbabilities(bg, nu, co, seedThreshold, minSize);
    }

    static String[] render(LabelPlane l) {
        String[] rows = new String[l.height()];
        for (int y = 0; y < l.height(); y++) {
            StringBuilder sb = new StringBuilder();
            for (int x = 0; x < l.width(); x++) {
                int v = l.get(x, y);
                sb.append(v == 0 ? '.' : (char) ('0' + v));
            }
            rows[y] = sb.toString();
        }
        return rows;
    }

    @Test
    void touchingNucleiSeparatedByContourStayTwo() {
        LabelPlane l = segment(0.5, 0,
                "...........",
                ".ccccccccc.",
                ".cnnncnnnc.",
                ".cnnncnnnc.",
                ".cnnncnnnc.",
                ".ccccccccc.",
                "...........");
        // The shared contour column goes to the seed dequeued first (object 1, raster order).
        assertArrayEquals(new String[] {
                "...........",
                ".111112222.",
                ".111112222.",
                ".111112222.",
                ".111112222.",
                ".111112222.",
                "..........."}, render(l));
    }

    @Test
    void contourPixelJoinsItsNearestSeed() {
        LabelPlane l = segment(0.5, 0,
                "nnccccnn",
                "nnccccnn");
        assertArrayEquals(new String[] {"11112222", "11112222"}, render(l));
        LabelPlane far = segment(0.5, 0, "ncccnnnn");
        // The middle contour pixel is 2 steps from either seed: tie goes to the first-enqueued seed.
        assertArrayEquals(new String[] {"11122222"}, render(far));
    }

    @Test
    void minSizeRemovesSpeckAndRenumbers() {
        LabelPlane l = segment(0.5, 2,
                "n.nnn..n",
                "..nnn...",
                "......nn");
        assertArrayEquals(new String[] {
                "..111...",
                "..111...",
                "......22"}, render(l));
    }

    @Test
    void contourRingWithoutSeedVanishes() {
        LabelPlane l = segment(0.5, 0,
                ".......",
                ".ccccc.",
                ".c...c.",
                ".ccccc.",
                ".......");
        assertEquals(0, l.maxLabel());
    }

    @Test
    void idsAreConsecutiveInRasterOrder() {
        LabelPlane l = segment(0.5, 2,
                "...nn.n..nn",
                "nn.......nn",
                "nn..nnn....");
        assertArrayEquals(new String[] {
                "...11....22",
                "33.......22",
                "33..444...."}, render(l));
    }

    @Test
    void higherSeedThresholdSplitsAtAProbabilityDip() {
        String[] rows = {
                "............",
                ".nnnnwwnnnn.",
                ".nnnnwwnnnn.",
                "............"};
        assertEquals(1, segment(0.5, 0, rows).countObjects());
        LabelPlane split = segment(0.7, 0, rows);
        assertArrayEquals(new String[] {
                "............",
                ".1111122222.",
                ".1111122222.",
                "............"}, render(split));
    }

    @Test
    void backgroundArgmaxIsNeverForeground() {
        // Nucleus 0.45 > threshold 0.4 but background 0.5 wins the argmax: not a seed.
        FloatPlane bg = new FloatPlane(1, 1, new float[] {0.5f});
        FloatPlane nu = new FloatPlane(1, 1, new float[] {0.45f});
        FloatPlane co = new FloatPlane(1, 1, new float[] {0.05f});
        assertEquals(0, Instances.fromProbabilities(bg, nu, co, 0.4, 0).maxLabel());
    }

    // --- Targets.fromLabels -> fromClasses round trip ---

    static LabelPlane touchingShapes() {
        int w = 64;
        int h = 48;
        int[] d = new int[w * h];
        // Two touching rectangles sharing a whole vertical edge.
        fill(d, w, 2, 2, 10, 10, 1);
        fill(d, w, 12, 2, 9, 10, 7);
        // A 2x2 block of rectangles of different sizes meeting at one corner.
        fill(d, w, 30, 2, 8, 9, 3);
        fill(d, w, 38, 2, 11, 9, 4);
        fill(d, w, 30, 11, 8, 10, 5);
        fill(d, w, 38, 11, 11, 10, 6);
        // Two overlapping discs, the second drawn over the first.
        disc(d, w, h, 12, 34, 8, 9);
        disc(d, w, h, 25, 35, 7, 8);
        // A disc cut by the right edge of the frame, touching a smaller disc.
        disc(d, w, h, 60, 36, 8, 2);
        disc(d, w, h, 47, 38, 6, 11);
        return new LabelPlane(w, h, d);
    }

    static void fill(int[] d, int w, int x0, int y0, int rw, int rh, int id) {
        for (int y = y0; y < y0 + rh; y++) {
            for (int x = x0; x < x0 + rw; x++) {
                d[y * w + x] = id;
            }
        }
    }

    static void disc(int[] d, int w, int h, int cx, int cy, int r, int id) {
        for (int y = Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++) {
            for (int x = Math.max(0, cx - r); x <= Math.min(w - 1, cx + r); x++) {
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                    d[y * w + x] = id;
                }
            }
        }
    }

    /** Asserts that both images partition the pixels identically, up to renaming of ids. */
    static void assertSamePartition(LabelPlane want, LabelPlane got) {
        Map<Integer, Integer> fwd = new HashMap<>();
        Map<Integer, Integer> back = new HashMap<>();
        Map<Integer, Integer> areaWant = new HashMap<>();
        Map<Integer, Integer> areaGot = new HashMap<>();
        for (int i = 0; i < want.data().length; i++) {
            int a = want.data()[i];
            int b = got.data()[i];
            assertEquals(a == 0, b == 0, "foreground differs at " + i % want.width() + "," + i / want.width());
            if (a == 0) {
                continue;
            }
            areaWant.merge(a, 1, Integer::sum);
            areaGot.merge(b, 1, Integer::sum);
            assertEquals(b, (int) fwd.computeIfAbsent(a, k -> b),
                    "object " + a + " split at " + i % want.width() + "," + i / want.width());
            assertEquals(a, (int) back.computeIfAbsent(b, k -> a),
                    "objects merged at " + i % want.width() + "," + i / want.width());
        }
        assertEquals(want.countObjects(), got.countObjects());
        for (Map.Entry<Integer, Integer> e : fwd.entrySet()) {
            assertEquals(areaWant.get(e.getKey()), areaGot.get(e.getValue()), "area of object " + e.getKey());
        }
    }

    @Test
    void roundTripRecoversTouchingObjectsWidthOne() {
        LabelPlane l = touchingShapes();
        LabelPlane back = Instances.fromClasses(Targets.fromLabels(l, 1), l.width(), l.height(), 0);
        assertEquals(10, back.countObjects());
        assertSamePartition(l, back);
    }

    @Test
    void roundTripRecoversTouchingObjectsWidthTwo() {
        LabelPlane l = touchingShapes();
        LabelPlane back = Instances.fromClasses(Targets.fromLabels(l, 2), l.width(), l.height(), 0);
        assertEquals(10, back.countObjects());
        assertSamePartition(l, back);
    }

    @Test
    void offsetTouchingObjectsKeepTheirCountButMayTradeRimPixels() {
        // Known limitation of nearest-seed growth: the square on the right starts two rows lower, so its
        // top-left rim pixels are nearer (through the shared contour) to the left square's interior.
        int w = 24;
        int h = 16;
        int[] d = new int[w * h];
        fill(d, w, 1, 1, 10, 10, 1);
        fill(d, w, 11, 3, 10, 10, 2);
        LabelPlane l = new LabelPlane(w, h, d);
        for (int width = 1; width <= 2; width++) {
            LabelPlane back = Instances.fromClasses(Targets.fromLabels(l, width), w, h, 0);
            assertEquals(2, back.countObjects());
            int moved = 0;
            for (int i = 0; i < d.length; i++) {
                assertEquals(d[i] == 0, back.data()[i] == 0);
                if (d[i] != back.data()[i]) {
                    moved++;
                }
            }
            assertTrue(moved > 0 && moved <= 2 * width * width, "width " + width + ": " + moved + " moved");
        }
    }

    @Test
    void objectWithoutInteriorSurvivesTheRoundTrip() {
        // A 2-pixel-wide bar has no pixel deeper than width 1; its targets keep it a nucleus core as the
        // seed, so it comes back whole.
        int[] d = new int[8 * 4];
        fill(d, 8, 1, 1, 6, 2, 1);
        LabelPlane l = new LabelPlane(8, 4, d);
        LabelPlane back = Instances.fromClasses(Targets.fromLabels(l, 1), 8, 4, 0);
        assertEquals(1, back.maxLabel());
        assertArrayEquals(d, back.data());
    }

    @Test
    void largePlaneIsFast() {
        int w = 4096;
        int h = 4096;
        byte[] cls = new byte[w * h];
        // A grid of 30x30 nuclei with a 2-pixel contour and 4-pixel gaps; 121 x 121 of them, edge ones cut.
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int cx = x % 34;
                int cy = y % 34;
                if (cx < 30 && cy < 30) {
                    boolean rim = cx < 2 || cx >= 28 || cy < 2 || cy >= 28;
                    cls[y * w + x] = (byte) (rim ? 2 : 1);
                }
            }
        }
        long t0 = System.nanoTime();
        LabelPlane l = Instances.fromClasses(cls, w, h, 10);
        double s = (System.nanoTime() - t0) / 1e9;
        assertEquals((4096 / 34 + 1) * (4096 / 34 + 1), l.maxLabel());
        // Generous bound: the machine is shared; typically a few hundred milliseconds.
        assertTrue(s < 5, "took " + s + " s");
    }
}
