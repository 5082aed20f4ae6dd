package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;

class PatchSamplerTest {

    @Test
    void eightDistinctFlipsAndRotations() {
        Set<String> seen = new HashSet<>();
        for (int t = 0; t < 8; t++) {
            StringBuilder sb = new StringBuilder();
            for (int v = 0; v < 3; v++) {
                for (int u = 0; u < 3; u++) {
                    int[] s = PatchSampler.dihedral(u, v, t, 3);
                    sb.append(s[1] * 3 + s[0]);
                }
            }
            seen.add(sb.toString());
        }
        assertEquals(8, seen.size());
    }

    @Test
    void cropsComeFromTheFrameWithMatchingTargetsAndAreRepeatable() {
        int w = 40;
        int h = 30;
        float[] px = new float[w * h];
        byte[] cl = new byte[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = i;
            cl[i] = (byte) (i % 3);
        }
        TrainingFrame f = TrainingFrame.full("f", new FloatPlane(w, h, px), cl);
        PatchSampler a = new PatchSampler(List.of(f), 3, 16, 0f, 0f, 9);
        PatchSampler b = new PatchSampler(List.of(f), 3, 16, 0f, 0f, 9);
        Batch x = a.next();
        Batch y = b.next();
        assertArrayEquals(x.image(), y.image());
        for (int i = 0; i < x.image().length; i++) {
            int src = (int) x.image()[i];
            assertTrue(src >= 0 && src < w * h);
            // The one-hot target and the map shown to D follow the same pixel.
            assertEquals(1f, x.target()[i * 3 + src % 3]);
            assertEquals(1f, x.real()[i * 3 + src % 3]);
            assertEquals(1f, x.weight()[i]);
        }
    }

    @Test
    void blurredManualMapsSumToOneAndSoftenOnlyBorders() {
        // Left half background, right half nucleus.
        byte[] cl = new byte[64 * 64];
        for (int i = 0; i < cl.length; i++) {
            cl[i] = (byte) (i % 64 >= 32 ? 1 : 0);
        }
        TrainingFrame f = TrainingFrame.full("b", new FloatPlane(64, 64, new float[64 * 64]), cl);
        Batch x = new PatchSampler(List.of(f), 4, 64, 0f, 3f, 1).next();
        int soft = 0;
        for (int i = 0; i < x.weight().length; i++) {
            float s = x.real()[3 * i] + x.real()[3 * i + 1] + x.real()[3 * i + 2];
            assertEquals(1f, s, 1e-5);
            assertEquals(0f, x.real()[3 * i + 2], 1e-7); // no contour anywhere, so none appears
            float m = Math.max(x.real()[3 * i], x.real()[3 * i + 1]);
            if (m < 0.99f) {
                soft++;
            }
            // Far from the border (which is a line through the crop centre) the map stays one-hot.
            int u = i % 64;
            int v = (i / 64) % 64;
            if (Math.min(Math.abs(u - 31.5), Math.abs(v - 31.5)) > 12) {
                assertEquals(1f, m, 1e-5);
            }
        }
        assertTrue(soft > 0, "blur had no effect");
    }

    @Test
    void smallFramesArePaddedAsUnlabelled() {
        TrainingFrame f = TrainingFrame.full("s", new FloatPlane(10, 8, new float[80]), new byte[80]);
        Batch x = new PatchSampler(List.of(f), 2, 16, 0f, 0f, 1).next();
        int unlabelled = 0;
        for (float w : x.weight()) {
            if (w == 0f) {
                unlabelled++;
            }
        }
        assertEquals(2 * (256 - 80), unlabelled);
    }

    /** A 64×64 ramp (value = x) with a nucleus (class 1) where x >= 32. */
    private static TrainingFrame ramp() {
        float[] px = new float[64 * 64];
        byte[] cl = new byte[64 * 64];
        for (int i = 0; i < px.length; i++) {
            px[i] = i % 64;
            cl[i] = (byte) (i % 64 >= 32 ? 1 : 0);
        }
        return TrainingFrame.full("r", new FloatPlane(64, 64, px), cl);
    }

    /** Absolute differences between neighbours along rows and columns of every crop. */
    private static Set<Float> steps(Batch x, int patch) {
        Set<Float> d = new HashSet<>();
        for (int b = 0; b < x.image().length / (patch * patch); b++) {
            for (int v = 0; v + 1 < patch; v++) {
                for (int u = 0; u + 1 < patch; u++) {
                    int i = b * patch * patch + v * patch + u;
                    d.add(Math.abs(x.image()[i + 1] - x.image()[i]));
                    d.add(Math.abs(x.image()[i + patch] - x.image()[i]));
                }
            }
        }
        return d;
    }

    @Test
    void withoutZoomCropsKeepThePixelGrid() {
        Batch x = new PatchSampler(List.of(ramp()), 8, 16, 0f, 0f, 3, Cropping.NONE).next();
        assertEquals(Set.of(0f, 1f), steps(x, 16));
    }

    @Test
    void zoomResizesCropsWithinItsRangeAndLabelsFollowTheImage() {
        Batch x = new PatchSampler(List.of(ramp()), 32, 16, 0f, 0f, 3, new Cropping(1.5, 1, false)).next();
        Set<Float> d = steps(x, 16);
        d.remove(0f);
        // One step of the crop covers 1/zoom source pixels: between 1/1.5 and 1.5 (the window is rounded).
        assertTrue(d.size() > 2, "no zoom seen: " + d);
        for (float s : d) {
            assertTrue(s > 0.6f && s < 1.6f, "step " + s + " outside the zoom range");
        }
        for (int i = 0; i < x.weight().length; i++) {
            float v = x.image()[i];
            // Away from the class border (x = 31.5) image and class agree whatever the zoom.
            if (Math.abs(v - 31.5f) > 1.5f) {
                assertEquals(v > 31.5f ? 1f : 0f, x.target()[i * 3 + 1], "at " + i + ", value " + v);
            }
        }
    }

    @Test
    void gammaBendsIntensitiesWithinItsRange() {
        float[] px = new float[32 * 32];
        java.util.Arrays.fill(px, 0.5f);
        px[0] = -0.25f;
        TrainingFrame f = TrainingFrame.full("g", new FloatPlane(32, 32, px), new byte[px.length]);
        Batch x = new PatchSampler(List.of(f), 16, 32, 0f, 0f, 5, new Cropping(1, 1.5, false)).next();
        Set<Float> values = new HashSet<>();
        for (float v : x.image()) {
            if (v < 0) {
                assertEquals(-0.25f, v); // below the low percentile: left alone
            } else {
                assertTrue(v >= Math.pow(0.5, 1.5) - 1e-6 && v <= Math.pow(0.5, 1 / 1.5) + 1e-6, "value " + v);
                values.add(v);
            }
        }
        assertTrue(values.size() > 8, "gamma barely varied: " + values);
    }

    @Test
    void framesAreDrawnByAreaWhenAsked() {
        TrainingFrame small = TrainingFrame.full("s", new FloatPlane(16, 16, new float[256]), new byte[256]);
        float[] ones = new float[64 * 64];
        java.util.Arrays.fill(ones, 1f);
        TrainingFrame large = TrainingFrame.full("l", new FloatPlane(64, 64, ones), new byte[ones.length]);
        // 16 times the pixels: about 16/17 of the crops by area, about half when drawn uniformly.
        assertEquals(16 / 17.0, shareFromLarge(new PatchSampler(List.of(small, large), 1000, 16, 0f, 0f, 2,
                new Cropping(1, 1, true))), 0.03);
        assertEquals(0.5, shareFromLarge(new PatchSampler(List.of(small, large), 1000, 16, 0f, 0f, 2,
                Cropping.NONE)), 0.06);
    }

    private static double shareFromLarge(PatchSampler sampler) {
        Batch x = sampler.next();
        int fromLarge = 0;
        for (int b = 0; b < 1000; b++) {
            fromLarge += x.image()[b * 256] == 1f ? 1 : 0;
        }
        return fromLarge / 1000.0;
    }

    /** A 40 px frame, background (0) left of x = 19.5 and nucleus (1) right of it. */
    private static TrainingFrame edge() {
        int n = 40;
        float[] px = new float[n * n];
        byte[] cl = new byte[n * n];
        for (int i = 0; i < px.length; i++) {
            boolean in = i % n >= 20;
            px[i] = in ? 1f : 0f;
            cl[i] = (byte) (in ? 1 : 0);
        }
        return TrainingFrame.full("edge", new FloatPlane(n, n, px), cl);
    }

    @Test
    void blurSoftensTheImageOnlyAndKeepsItsMean() {
        // A 40 px frame, background left of x = 19.5 and nucleus right of it: every 32 px crop holds the edge
        // at least 12 px from its sides, beyond the reach of a sigma of 2 (radius 6).
        TrainingFrame f = edge();
        int pp = 32 * 32;
        for (long seed = 1; seed <= 5; seed++) {
            // The first crop is cut at the same place with and without blur (the blur's draw comes after it).
            Batch sharp = new PatchSampler(List.of(f), 1, 32, 0f, 0f, seed, Cropping.NONE).next();
            Batch soft = new PatchSampler(List.of(f), 1, 32, 0f, 0f, seed, new Cropping(1, 1, false, 2)).next();
            assertArrayEquals(sharp.target(), soft.target());
            assertArrayEquals(sharp.weight(), soft.weight());
            double sumSharp = 0;
            double sumSoft = 0;
            int between = 0;
            for (int i = 0; i < pp; i++) {
                sumSharp += sharp.image()[i];
                sumSoft += soft.image()[i];
                assertTrue(soft.image()[i] >= -1e-6 && soft.image()[i] <= 1 + 1e-6);
                between += soft.image()[i] > 0.02f && soft.image()[i] < 0.98f ? 1 : 0;
            }
            assertEquals(sumSharp, sumSoft, 1e-2, "blur moved intensity");
            // A sigma of at most 2 softens at most 8 px either side of the edge along each of its 32 rows.
            assertTrue(between <= 17 * 32, "softened too far: " + between);
        }
        Batch many = new PatchSampler(List.of(f), 64, 32, 0f, 0f, 7, new Cropping(1, 1, false, 2)).next();
        int softened = 0;
        for (int b = 0; b < 64; b++) {
            for (int i = b * pp; i < (b + 1) * pp; i++) {
                if (many.image()[i] > 0.02f && many.image()[i] < 0.98f) {
                    softened++;
                    break;
                }
            }
        }
        assertTrue(softened > 48, "too few crops blurred: " + softened + " of 64");
    }

    @Test
    void croppingOutsideItsRangeIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Cropping(0.5, 1, false));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Cropping(1, 5, false));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Cropping(1, 1, false, -0.5));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Cropping(1, 1, false, 5));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Cropping(1, 1, false, 0, -0.1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Cropping(1, 1, false, 0, 1.5));
    }

    @Test
    void noiseIsAddedToTheImageOnlyWithinItsStandardDeviation() {
        TrainingFrame f = edge();
        int pp = 32 * 32;
        double largest = 0;
        for (long seed = 1; seed <= 20; seed++) {
            // The same crop with and without noise (the noise's draws come after the crop's).
            Batch clean = new PatchSampler(List.of(f), 1, 32, 0f, 0f, seed, Cropping.NONE).next();
            Batch noisy = new PatchSampler(List.of(f), 1, 32, 0f, 0f, seed, new Cropping(1, 1, false, 0, 0.2)).next();
            assertArrayEquals(clean.target(), noisy.target());
            assertArrayEquals(clean.weight(), noisy.weight());
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < pp; i++) {
                double d = noisy.image()[i] - clean.image()[i];
                sum += d;
                sq += d * d;
            }
            double sd = Math.sqrt(sq / pp - (sum / pp) * (sum / pp));
            assertTrue(sd < 0.2 * 1.1, "noise beyond its largest standard deviation: " + sd);
            assertEquals(0, sum / pp, 4 * 0.2 / 32, "noise of mean 0");
            largest = Math.max(largest, sd);
        }
        assertTrue(largest > 0.1, "20 crops drew standard deviations up to " + largest);
    }
}
