package org.segmentcells.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.annotate.Targets;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.segment.Instances;

class SyntheticNucleiTest {

    @Test
    void sameSeedSameImageOtherSeedOtherImage() {
        SyntheticNuclei.Sample a = SyntheticNuclei.generate(128, 96, 10, 42);
        SyntheticNuclei.Sample b = SyntheticNuclei.generate(128, 96, 10, 42);
        SyntheticNuclei.Sample c = SyntheticNuclei.generate(128, 96, 10, 43);
        assertArrayEquals(a.image().data(), b.image().data());
        assertArrayEquals(a.labels().data(), b.labels().data());
        assertFalse(Arrays.equals(a.image().data(), c.image().data()));
        assertFalse(Arrays.equals(a.labels().data(), c.labels().data()));
    }

    @Test
    void labelsHoldExactlyTheRequestedConnectedObjects() {
        for (long seed = 1; seed <= 5; seed++) {
            SyntheticNuclei.Sample s = SyntheticNuclei.generate(256, 256, 25, seed);
            LabelPlane l = s.labels();
            assertEquals(25, l.countObjects(), "seed " + seed);
            assertEquals(25, l.maxLabel(), "seed " + seed);
            for (int k = 1; k <= 25; k++) {
                assertEquals(1, components(l, k), "object " + k + " of seed " + seed + " is in pieces");
            }
        }
    }

    @Test
    void nucleiAreBrightAndValuesAreCameraLike() {
        SyntheticNuclei.Sample s = SyntheticNuclei.generate(256, 256, 25, 3);
        float[] px = s.image().data();
        int[] lab = s.labels().data();
        double in = 0;
        double out = 0;
        int nIn = 0;
        int nOut = 0;
        for (int i = 0; i < px.length; i++) {
            float v = px[i];
            assertTrue(v >= 0 && v <= 65535 && v == Math.rint(v), "pixel " + i + " = " + v);
            if (lab[i] > 0) {
                in += v;
                nIn++;
            } else {
                out += v;
                nOut++;
            }
        }
        in /= nIn;
        out /= nOut;
        assertTrue(in / out > 2, "inside " + in + " outside " + out);
        assertTrue(out > 250 && out < 700, "background mean " + out);
        assertTrue(in > 1000 && in < 4500, "nucleus mean " + in);
    }

    @Test
    void someNucleiTouch() {
        for (long seed = 1; seed <= 5; seed++) {
            LabelPlane l = SyntheticNuclei.generate(256, 256, 25, seed).labels();
            int w = l.width();
            int[] d = l.data();
            boolean touching = false;
            for (int i = 0; i < d.length && !touching; i++) {
                int x = i % w;
                touching = d[i] > 0 && ((x + 1 < w && d[i + 1] > 0 && d[i + 1] != d[i])
                        || (i + w < d.length && d[i + w] > 0 && d[i + w] != d[i]));
            }
            assertTrue(touching, "seed " + seed + " has no touching pair");
        }
    }

    @Test
    void labelsSurviveTheTargetRoundTrip() {
        // Real-looking shapes are not all exactly recoverable through nearest-seed growth, but nearly.
        LabelPlane l = SyntheticNuclei.generate(256, 256, 25, 5).labels();
        for (int width = 1; width <= 2; width++) {
            LabelPlane back = Instances.fromClasses(Targets.fromLabels(l, width), l.width(), l.height(), 0);
            assertEquals(l.countObjects(), back.countObjects(), "width " + width);
            int[] want = rasterOrder(l.data());
            int same = 0;
            for (int i = 0; i < want.length; i++) {
                if (want[i] == back.data()[i]) { // both numbered in raster order of first pixel
                    same++;
                }
            }
            assertTrue(same > 0.995 * l.data().length, "width " + width + ": " + same + " pixels agree");
        }
    }

    @Test
    void writeSetWritesReadableSixteenBitFiles(@TempDir Path dir) throws Exception {
        SyntheticNuclei.writeSet(dir, 2, 64, 48, 3, 9);
        for (String stem : new String[] {"synth-00", "synth-01"}) {
            Path img = dir.resolve("images").resolve(stem + ".tif");
            Path lab = dir.resolve("labels").resolve(stem + ".tif");
            assertTrue(Files.size(img) < 64 * 48 * 2 + 4096, "size " + Files.size(img));
            assertEquals(3, ImageFiles.readLabels(lab).countObjects());
            assertEquals(64, ImageFiles.readPlane(img).width());
        }
        SyntheticNuclei.Sample first = SyntheticNuclei.generate(64, 48, 3,
                new java.util.SplittableRandom(9).nextLong());
        assertArrayEquals(first.image().data(),
                ImageFiles.readPlane(dir.resolve("images/synth-00.tif")).data());
        assertArrayEquals(first.labels().data(), ImageFiles.readLabels(dir.resolve("labels/synth-00.tif")).data());
    }

    static int[] rasterOrder(int[] d) {
        java.util.Map<Integer, Integer> ids = new java.util.HashMap<>();
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] > 0) {
                out[i] = ids.computeIfAbsent(d[i], k -> ids.size() + 1);
            }
        }
        return out;
    }

    /** Number of 4-connected components of object k. */
    static int components(LabelPlane l, int k) {
        int w = l.width();
        int[] d = l.data();
        boolean[] seen = new boolean[d.length];
        int[] queue = new int[d.length];
        int count = 0;
        for (int s = 0; s < d.length; s++) {
            if (d[s] != k || seen[s]) {
                continue;
            }
            count++;
            int head = 0;
            int tail = 0;
            queue[tail++] = s;
            seen[s] = true;
            while (head < tail) {
                int i = queue[head++];
                int x = i % w;
                int[] nb = {x > 0 ? i - 1 : -1, x + 1 < w ? i + 1 : -1, i - w, i + w};
                for (int j : nb) {
                    if (j >= 0 && j < d.length && !seen[j] && d[j] == k) {
                        seen[j] = true;
                        queue[tail++] = j;
                    }
                }
            }
        }
        return count;
    }
}
