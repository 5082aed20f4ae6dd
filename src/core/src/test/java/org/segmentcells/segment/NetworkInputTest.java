package org.segmentcells.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.scale.Sharpness;
import org.segmentcells.synth.SyntheticNuclei;
import org.segmentcells.synth.TestImages;

class NetworkInputTest {

    private static final FloatPlane GRAINY = TestImages.withNoise(SyntheticNuclei.generate(400, 300, 30, 4).image(), 0.1, 1);

    /**
     * A noisy plane shrunk is smoothed by NOISY_SMOOTHING px at the network's scale more than the shrink's
     * anti-aliasing, and normalised by the percentiles of the result; any other plane, or scale, is
     * normalised and then resized, as before.
     */
    @Test
    void aNoisyPlaneShrunkIsSmoothedMoreAndNormalisedAfter() {
        assertTrue(Sharpness.isNoisy(GRAINY), "sharpness " + Sharpness.of(GRAINY));
        Normalization n = Normalization.DEFAULT;
        FloatPlane in = NetworkInput.of(GRAINY, n, 0.4, true);
        assertEquals(2.5, NetworkInput.smoothing(0.4, true), 1e-12, "1 px at the network's scale");
        assertArrayEquals(n.apply(Resample.bilinear(GRAINY, 160, 120, 2.5)).data(), in.data());
        float[] range = n.range(in.data());
        assertEquals(0, range[0], 1e-6, "its own low percentile maps to 0");
        assertEquals(1, range[1], 1e-6, "its own high percentile maps to 1");
        FloatPlane plain = NetworkInput.of(GRAINY, n, 0.4, false);
        assertArrayEquals(Resample.bilinear(n.apply(GRAINY), 160, 120).data(), plain.data(), "not noisy: as before");
        assertTrue(Sharpness.of(in) < Sharpness.of(plain), "smoother: " + Sharpness.of(in) + " against " + Sharpness.of(plain));
        // Only a shrink: at its own size or enlarged the plane is normalised and resized as any other.
        for (double scale : new double[] {1, 1.5}) {
            assertEquals(0, NetworkInput.smoothing(scale, true), 0);
            assertArrayEquals(NetworkInput.of(GRAINY, n, scale, false).data(), NetworkInput.of(GRAINY, n, scale, true).data(),
                    "scale " + scale);
        }
        assertArrayEquals(n.apply(GRAINY).data(), NetworkInput.of(GRAINY, n, 1, true).data());
    }

    /**
     * A NaN or infinite pixel of a noisy plane is background before the smoothing, as normalising makes it,
     * rather than spread over its neighbours.
     */
    @Test
    void aNonFinitePixelIsBackgroundBeforeTheSmoothing() {
        FloatPlane holed = new FloatPlane(GRAINY.width(), GRAINY.height(), GRAINY.data().clone());
        holed.data()[150 * 400 + 200] = Float.NaN;
        holed.data()[10] = Float.POSITIVE_INFINITY;
        FloatPlane in = NetworkInput.of(holed, Normalization.DEFAULT, 0.4, true);
        assertEquals(0, Normalization.countNonFinite(in.data()), "no NaN reaches the network");
        FloatPlane filled = new FloatPlane(holed.width(), holed.height(), holed.data().clone());
        float lo = Normalization.DEFAULT.range(holed.data())[0];
        filled.data()[150 * 400 + 200] = lo;
        filled.data()[10] = lo;
        assertArrayEquals(NetworkInput.of(filled, Normalization.DEFAULT, 0.4, true).data(), in.data());
    }

    /** The segmenter gives the network what NetworkInput makes, for the planes it is told are noisy. */
    @Test
    void theSegmenterShowsTheNetworkThatInput() {
        float[][] seen = new float[1][];
        ProbabilityNet recording = (in, w, h, out) -> {
            seen[0] = java.util.Arrays.copyOf(in, w * h);
            java.util.Arrays.fill(out, 1f / 3);
        };
        Segmenter seg = new Segmenter(recording, Normalization.DEFAULT, 1024, 0.4);
        seg.withNoisy(true).probabilities(GRAINY);
        assertArrayEquals(NetworkInput.of(GRAINY, Normalization.DEFAULT, 0.4, true).data(), seen[0]);
        seg.probabilities(GRAINY);
        assertArrayEquals(NetworkInput.of(GRAINY, Normalization.DEFAULT, 0.4, false).data(), seen[0]);
        assertTrue(seg.withNoisy(true).withScale(0.5).noisy(), "a new scale keeps it");
    }

    /**
     * Hot pixels (here 40, at 40 times the brightest nucleus) do not erase the nuclei around them: the network
     * is given at most {@link NetworkInput#MAX_VALUE}. Unclipped, the two segmentations agreed at F 0.51.
     */
    @Test
    void hotPixelsLeaveTheNucleiAroundThemAlone() throws Exception {
        FloatPlane p = org.segmentcells.io.ImageFiles.readPlane(java.nio.file.Path.of("test-images/images/synth-00.tif"));
        float max = 0;
        for (float v : p.data()) {
            max = Math.max(max, v);
        }
        FloatPlane hot = new FloatPlane(p.width(), p.height(), p.data().clone());
        for (int i = 0; i < 40; i++) {
            hot.data()[(5 + i * 6) * p.width() + 5 + i * 6] = max * 40;
        }
        try (org.segmentcells.model.Model m = org.segmentcells.model.Model.load(
                org.segmentcells.model.ModelStore.resolve("default"))) {
            org.segmentcells.model.SegmentSettings s = org.segmentcells.model.SegmentSettings.MODEL;
            org.segmentcells.img.LabelPlane clean = m.plan(s, p).segment(p, org.segmentcells.progress.Progress.NONE);
            org.segmentcells.img.LabelPlane withHot = m.plan(s, hot).segment(hot, org.segmentcells.progress.Progress.NONE);
            double f = org.segmentcells.eval.Evaluator.scoreFrame(clean, withHot, 0).f();
            assertTrue(f >= 0.9, "F between the two " + f);
        }
        float[] v = {-1, 0.5f, 2, 3, Float.MAX_VALUE};
        NetworkInput.clip(v, 4);
        assertArrayEquals(new float[] {-1, 0.5f, 2, 2, Float.MAX_VALUE}, v, "only the first n, only above the top");
    }
}
