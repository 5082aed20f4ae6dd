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
}
