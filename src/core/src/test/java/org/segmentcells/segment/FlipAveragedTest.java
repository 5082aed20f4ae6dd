package org.segmentcells.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.synth.SyntheticNuclei;

class FlipAveragedTest {

    /** Nucleus probability x / (w - 1), contour y / (h - 1): a net that knows where it is, as no real one should. */
    private static final ProbabilityNet POSITION = (in, w, h, out) -> {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                out[i + 1] = x / (w - 1f);
                out[i + 2] = y / (h - 1f);
                out[i] = 1 - out[i + 1] - out[i + 2];
            }
        }
    };

    @Test
    void eachFlipIsMappedBackBeforeAveraging() {
        // Left-right flips see x and w-1-x at the same pixel, so their mean is 0.5 everywhere; a copy left
        // unmapped would keep x / (w - 1) at some pixels.
        int w = 7;
        int h = 4;
        float[] out = new float[w * h * 3];
        new FlipAveraged(POSITION).probabilities(new float[w * h], w, h, out);
        for (int i = 0; i < w * h; i++) {
            assertEquals(0.5f, out[i * 3 + 1], 1e-6, "nucleus at " + i);
            assertEquals(0.5f, out[i * 3 + 2], 1e-6, "contour at " + i);
            assertEquals(0f, out[i * 3], 1e-6, "background at " + i);
        }
    }

    @Test
    void copiesAreTheFourFlipsOfTheTile() {
        // Pixel values 0..w*h-1; each copy the net sees must hold (x, y) at the flipped place.
        int w = 5;
        int h = 3;
        float[] tile = new float[w * h];
        for (int i = 0; i < tile.length; i++) {
            tile[i] = i;
        }
        List<float[]> seen = new ArrayList<>();
        ProbabilityNet recorder = (in, tw, th, out) -> {
            assertEquals(w, tw);
            assertEquals(h, th);
            seen.add(in.clone());
        };
        new FlipAveraged(recorder).probabilities(tile, w, h, new float[w * h * 3]);
        assertEquals(FlipAveraged.COPIES, seen.size());
        for (int f = 0; f < 4; f++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sx = (f & 1) != 0 ? w - 1 - x : x;
                    int sy = (f & 2) != 0 ? h - 1 - y : y;
                    assertEquals(tile[sy * w + sx], seen.get(f)[y * w + x], "copy " + f + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void aNetThatIgnoresFlipsIsLeftAsItIs() {
        // A per-pixel net commutes with flips, so averaging its copies must give its own output.
        ProbabilityNet bright = (in, w, h, out) -> {
            for (int i = 0; i < w * h; i++) {
                float p = 1 / (1 + (float) Math.exp(-in[i]));
                out[i * 3] = 1 - p;
                out[i * 3 + 1] = p * 0.7f;
                out[i * 3 + 2] = p * 0.3f;
            }
        };
        FloatPlane img = SyntheticNuclei.generate(61, 37, 5, 3).image();
        Segmenter.Probabilities a = new Segmenter(bright, Normalization.DEFAULT, 1024).probabilities(img);
        Segmenter.Probabilities b = new Segmenter(new FlipAveraged(bright), Normalization.DEFAULT, 1024).probabilities(img);
        assertEquals(0, SegmenterTest.maxDifference(a, b), 1e-6);
    }

    @Test
    void tiledEqualsUntiledForThePaperEstimator() {
        // A flipped window is a window of the flipped image, so the tiling stays exact for E without
        // pooling; and the averaged output is not just the plain one.
        FloatPlane image = SyntheticNuclei.generate(151, 103, 12, 5).image();
        SegmenterTest.withRandomEstimator(net -> {
            ProbabilityNet tta = new FlipAveraged(net);
            Segmenter.Probabilities whole = new Segmenter(tta, Normalization.DEFAULT, 512).probabilities(image);
            Segmenter.Probabilities tiled = new Segmenter(tta, Normalization.DEFAULT, 64).probabilities(image);
            assertEquals(0, SegmenterTest.maxDifference(whole, tiled), 1e-5);
            Segmenter.Probabilities plain = new Segmenter(net, Normalization.DEFAULT, 512).probabilities(image);
            assertTrue(SegmenterTest.maxDifference(whole, plain) > 1e-3, "averaging changed nothing");
        });
    }
}
