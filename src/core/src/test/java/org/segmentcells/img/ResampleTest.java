package org.segmentcells.img;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResampleTest {

    @Test
    void theGaussianIsTheReflectedConvolutionBitForBitInsideAndAtTheEdges() {
        java.util.Random rnd = new java.util.Random(3);
        // The last is over Resample.PARALLEL_PIXELS, so its rows are shared among the cores.
        int[][] sizes = {{1, 1}, {5, 3}, {40, 30}, {200, 7}, {7, 90}, {600, 450}};
        for (int[] wh : sizes) {
            float[] v = new float[wh[0] * wh[1]];
            for (int i = 0; i < v.length; i++) {
                v[i] = rnd.nextFloat() * 100;
            }
            FloatPlane p = new FloatPlane(wh[0], wh[1], v);
            assertEquals(wh[0] * wh[1] >= Resample.PARALLEL_PIXELS, wh[0] == 600, "which planes are shared");
            for (double[] sigma : new double[][] {{0.5, 0.5}, {1, 1}, {3, 3}, {12, 12}, {1, 3}, {22.6, 0.5}, {0, 2}, {2, 0}}) {
                assertArrayEquals(referenceGaussian(p, sigma[0], sigma[1]), Resample.gaussian(p, sigma[0], sigma[1]).data(),
                        wh[0] + "x" + wh[1] + " sigma " + sigma[0] + ", " + sigma[1]);
            }
        }
    }

    /**
     * The plain separable convolution (Resample's kernel) with repeatedly reflected indices, x then y; a
     * sigma of 0 leaves that axis alone.
     */
    private static float[] referenceGaussian(FloatPlane p, double sigmaX, double sigmaY) {
        float[] a = p.data().clone();
        a = sigmaX > 0 ? referencePass(a, p.width(), p.height(), sigmaX, true) : a;
        return sigmaY > 0 ? referencePass(a, p.width(), p.height(), sigmaY, false) : a;
    }

    /** One axis of {@link #referenceGaussian}: along rows ({@code alongX}) or along columns. */
    private static float[] referencePass(float[] a, int w, int h, double sigma, boolean alongX) {
        float[] k = Resample.kernel(sigma);
        int r = k.length / 2;
        float[] out = new float[a.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int i = -r; i <= r; i++) {
                    s += k[i + r] * a[alongX ? y * w + reflect(x + i, w) : reflect(y + i, h) * w + x];
                }
                out[y * w + x] = s;
            }
        }
        return out;
    }

    private static int reflect(int i, int n) {
        int m = Math.floorMod(i, 2 * n);
        return m < n ? m : 2 * n - 1 - m;
    }

    @Test
    void sameSizeIsACopy() {
        FloatPlane p = new FloatPlane(3, 2, new float[] {1, 2, 3, 4, 5, 6});
        FloatPlane q = Resample.bilinear(p, 3, 2);
        assertArrayEquals(p.data(), q.data());
        q.data()[0] = 9;
        assertEquals(1, p.data()[0], "the input is not changed");
    }

    @Test
    void aConstantStaysConstantAtAnySize() {
        FloatPlane p = new FloatPlane(37, 23);
        java.util.Arrays.fill(p.data(), 5f);
        for (int[] size : new int[][] {{18, 11}, {74, 46}, {1, 1}, {100, 7}}) {
            for (float v : Resample.bilinear(p, size[0], size[1]).data()) {
                assertEquals(5f, v, 1e-5);
            }
        }
    }

    @Test
    void aLinearRampIsReproducedInsideWhenUpscaling() {
        // Pixel centres are aligned, so the ramp x -> x at scale 2 maps output x to (x + 0.5) / 2 - 0.5.
        FloatPlane p = new FloatPlane(10, 1);
        for (int x = 0; x < 10; x++) {
            p.set(x, 0, x);
        }
        FloatPlane q = Resample.bilinear(p, 20, 1);
        for (int x = 1; x < 19; x++) {
            assertEquals((x + 0.5) / 2 - 0.5, q.get(x, 0), 1e-5, "x=" + x);
        }
        assertEquals(0, q.get(0, 0), 1e-6, "clamped at the border");
    }

    @Test
    void shrinkingAveragesFineTextureInsteadOfAliasingIt() {
        // A 1-px checkerboard shrunk by 3 would alias to any value in 0..1; smoothed first, it is near 0.5.
        FloatPlane p = new FloatPlane(90, 90);
        for (int y = 0; y < 90; y++) {
            for (int x = 0; x < 90; x++) {
                p.set(x, y, (x + y) % 2);
            }
        }
        for (float v : Resample.bilinear(p, 30, 30).data()) {
            assertEquals(0.5, v, 0.1);
        }
    }

    @Test
    void aPointSampleInterpolatesBetweenPixelsAndClampsAtTheEdges() {
        float[] px = {0, 10, 20, 30, 40, 50}; // 3 wide, 2 high
        assertEquals(10f, Resample.sample(px, 3, 2, 1, 0), 1e-6);
        assertEquals(5f, Resample.sample(px, 3, 2, 0.5, 0), 1e-6);
        assertEquals(25f, Resample.sample(px, 3, 2, 1, 0.5), 1e-6); // between 10 and 40
        assertEquals(50f, Resample.sample(px, 3, 2, 7, 3), 1e-6);
        assertEquals(0f, Resample.sample(px, 3, 2, -2, -1), 1e-6);
    }

    @Test
    void nearestKeepsIdsAndScalesAreasAndCentres() {
        LabelPlane l = new LabelPlane(40, 40);
        for (int y = 10; y < 20; y++) {
            for (int x = 20; x < 30; x++) {
                l.data()[y * 40 + x] = 7;
            }
        }
        LabelPlane half = Resample.nearest(l, 20, 20);
        int n = 0;
        double cx = 0;
        double cy = 0;
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                int v = half.get(x, y);
                assertTrue(v == 0 || v == 7, "only existing ids, got " + v);
                if (v == 7) {
                    n++;
                    cx += x;
                    cy += y;
                }
            }
        }
        assertEquals(25, n, "a 10x10 square becomes 5x5");
        assertEquals((24.5 + 0.5) / 2 - 0.5, cx / n, 1e-9, "centre x maps with the pixel centres");
        assertEquals((14.5 + 0.5) / 2 - 0.5, cy / n, 1e-9);
        assertArrayEquals(l.data(), Resample.nearest(Resample.nearest(l, 80, 80), 40, 40).data(),
                "doubling and halving gives the labels back");
    }

    @Test
    void scaledSizesRoundAndNeverVanish() {
        assertEquals(352, Resample.scaledSize(640, 0.55));
        assertEquals(1, Resample.scaledSize(1, 0.1));
    }

    /**
     * A shrink's extra smoothing is a Gaussian of that sigma before the shrink, to within the rounding of
     * combining the two kernels, and does nothing where the plane is not shrunk.
     */
    @Test
    void extraSmoothingOfAShrinkIsAGaussianFirst() {
        FloatPlane src = random(120, 90, 5);
        FloatPlane plain = Resample.bilinear(src, 48, 36);
        FloatPlane smoothed = Resample.bilinear(src, 48, 36, 2.5);
        FloatPlane first = Resample.bilinear(Resample.gaussian(src, 2.5, 2.5), 48, 36);
        double off = 0;
        for (int i = 0; i < first.data().length; i++) {
            off = Math.max(off, Math.abs(first.data()[i] - smoothed.data()[i]));
        }
        assertTrue(off < 0.01, "differs from a Gaussian first by " + off);
        assertTrue(sd(smoothed) < 0.6 * sd(plain), "noise left: " + sd(smoothed) + " against " + sd(plain));
        assertArrayEquals(Resample.bilinear(src, 240, 180).data(), Resample.bilinear(src, 240, 180, 2.5).data(), "enlarged");
        assertArrayEquals(src.data(), Resample.bilinear(src, 120, 90, 2.5).data(), "same size");
    }

    /** A {@code w}×{@code h} plane of uniform noise in [0, 1) from {@code seed}. */
    private static FloatPlane random(int w, int h, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        FloatPlane p = new FloatPlane(w, h);
        for (int i = 0; i < p.data().length; i++) {
            p.data()[i] = rnd.nextFloat();
        }
        return p;
    }

    private static double sd(FloatPlane p) {
        double sum = 0;
        double sq = 0;
        for (float v : p.data()) {
            sum += v;
            sq += v * v;
        }
        int n = p.data().length;
        return Math.sqrt(sq / n - (sum / n) * (sum / n));
    }

    @Test
    void bandsOfRowsEqualTheWholeResizeBitForBit() {
        FloatPlane src = random(53, 71, 3);
        // With a noisy plane's extra smoothing too (NetworkInput), whose wider kernel needs more rows.
        for (double extra : new double[] {0, 2.5}) {
            for (double scale : new double[] {0.25, 0.4, 0.77, 1.0, 1.3, 2.5}) {
                int w = Resample.scaledSize(53, scale);
                int h = Resample.scaledSize(71, scale);
                FloatPlane whole = Resample.bilinear(src, w, h, extra);
                for (int from = 0; from < h; from += Math.max(1, h / 4)) {
                    int to = Math.min(h, from + Math.max(1, h / 3));
                    int[] need = Resample.sourceRows(71, h, from, to, extra);
                    float[] rows = java.util.Arrays.copyOfRange(src.data(), need[0] * 53, need[1] * 53);
                    FloatPlane band = Resample.bilinearRows(new FloatPlane(53, need[1] - need[0], rows), need[0], 71, w, h,
                            from, to, extra);
                    assertArrayEquals(java.util.Arrays.copyOfRange(whole.data(), from * w, to * w), band.data(),
                            "scale " + scale + ", extra " + extra + ", rows " + from + ".." + to);
                }
            }
        }
        // Too few rows given: said, not read out of bounds.
        assertThrows(IllegalArgumentException.class, () -> Resample.bilinearRows(new FloatPlane(53, 2), 30, 71, 13, 18, 0, 18));
    }
}
