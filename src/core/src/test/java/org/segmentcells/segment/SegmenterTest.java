package org.segmentcells.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.nets.Architecture;
import org.segmentcells.nets.Layers;
import org.segmentcells.nets.Params;
import org.segmentcells.synth.SyntheticNuclei;
import org.segmentcells.tf.TensorFlowRuntime;
import org.segmentcells.progress.Cancelled;
import org.segmentcells.progress.Progress;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class SegmenterTest {

    /** Runs a randomly initialised E (inference mode); enough to test tiling, which must not care. */
    static void withRandomEstimator(java.util.function.Consumer<ProbabilityNet> body) {
        withRandomEstimator(Architecture.PAPER, body);
    }

    static void withRandomEstimator(Architecture architecture, java.util.function.Consumer<ProbabilityNet> body) {
        TensorFlowRuntime.ensureLoaded();
        try (Graph g = new Graph()) {
            Params p = new Params(g, 11, true);
            Ops tf = p.tf();
            Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 1)));
            Operand<TFloat32> probs = tf.nn.softmax(architecture.logits(new Layers(p, false), in));
            try (Session s = new Session(g)) {
                s.initialize();
                body.accept(new ProbabilityNet() {
                    @Override
                    public void probabilities(float[] tile, int w, int h, float[] out) {
                        try (TFloat32 t = TFloat32.tensorOf(Shape.of(1, h, w, 1), DataBuffers.of(tile, true, false));
                             Result r = s.runner().feed(in, t).fetch(probs).run()) {
                            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
                        }
                    }

                    @Override
                    public Architecture architecture() {
                        return architecture;
                    }
                });
            }
        }
    }

    @Test
    void tiledEqualsUntiled() {
        // Sizes that are not multiples of the tile core, plus one smaller than a tile in one axis.
        FloatPlane image = SyntheticNuclei.generate(301, 203, 30, 5).image();
        FloatPlane thin = SyntheticNuclei.generate(250, 70, 8, 6).image();
        withRandomEstimator(net -> {
            for (FloatPlane img : new FloatPlane[] {image, thin}) {
                Segmenter whole = new Segmenter(net, Normalization.DEFAULT, 512);
                Segmenter tiled = new Segmenter(net, Normalization.DEFAULT, 64);
                assertEquals(1, whole.tileCount(img.width(), img.height()));
                assertTrue(tiled.tileCount(img.width(), img.height()) > 6);
                AtomicInteger calls = new AtomicInteger();
                Segmenter.Probabilities a = whole.probabilities(img);
                java.util.List<Long> totals = new java.util.ArrayList<>();
                Segmenter.Probabilities b = tiled.probabilities(img, new Progress() {
                    @Override
                    public void fraction(long done, long total) {
                        assertEquals(calls.incrementAndGet(), done);
                        totals.add(total);
                    }
                });
                assertEquals(tiled.tileCount(img.width(), img.height()), calls.get());
                assertEquals(java.util.Set.of((long) calls.get()), java.util.Set.copyOf(totals), "every tile of the same total");
                // A cancel stops after the tile it was asked in.
                AtomicInteger before = new AtomicInteger();
                assertThrows(Cancelled.class, () -> tiled.probabilities(img, new Progress() {
                    @Override
                    public void fraction(long done, long total) {
                        before.set((int) done);
                    }

                    @Override
                    public boolean cancelRequested() {
                        return before.get() >= 2;
                    }
                }));
                assertEquals(2, before.get(), "no tile after the cancel");
                double maxDiff = maxDifference(a, b);
                // Equal everywhere, up to float summation order inside the convolution kernels.
                assertTrue(maxDiff < 1e-5, "tiled and untiled differ by " + maxDiff);
                double sum = 0;
                for (int i = 0; i < 100; i++) {
                    sum += a.background().data()[i] + a.nucleus().data()[i] + a.contour().data()[i];
                }
                assertEquals(100, sum, 1e-3);
            }
        });
    }

    @Test
    void uNetTiledEqualsUntiledWhenTilesStartOnItsPoolingGrid() {
        // Neither side a multiple of 8, so E pads inside its graph; tiles of 160 px have 32 px cores.
        FloatPlane image = SyntheticNuclei.generate(301, 203, 30, 5).image();
        withRandomEstimator(Architecture.UNET, net -> {
            Segmenter whole = new Segmenter(net, Normalization.DEFAULT, 512);
            Segmenter tiled = new Segmenter(net, Normalization.DEFAULT, Segmenter.minTile(Architecture.UNET));
            int[] cuts = tiled.cuts(301);
            assertTrue(cuts.length > 4);
            for (int i = 0; i + 1 < cuts.length; i++) {
                assertEquals(0, cuts[i] % 8, "cut " + cuts[i]);
                assertTrue(cuts[i + 1] - cuts[i] <= 32, "core " + (cuts[i + 1] - cuts[i]));
            }
            assertEquals(0, maxDifference(whole.probabilities(image), tiled.probabilities(image)), 1e-5);
        });
        // With the paper's margin of 16 px the U-Net's tiles would visibly differ: the margin matters.
        assertThrows(IllegalArgumentException.class, () -> new Segmenter(new ProbabilityNet() {
            @Override
            public void probabilities(float[] tile, int w, int h, float[] out) {
            }

            @Override
            public Architecture architecture() {
                return Architecture.UNET;
            }
        }, Normalization.DEFAULT, 64));
    }

    static double maxDifference(Segmenter.Probabilities a, Segmenter.Probabilities b) {
        double maxDiff = 0;
        FloatPlane[] pa = {a.background(), a.nucleus(), a.contour()};
        FloatPlane[] pb = {b.background(), b.nucleus(), b.contour()};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < pa[c].size(); i++) {
                maxDiff = Math.max(maxDiff, Math.abs(pa[c].data()[i] - pb[c].data()[i]));
            }
        }
        return maxDiff;
    }

    @Test
    void tileCoresAreEqualSoOverlapStaysSmall() {
        Segmenter s = new Segmenter((tile, w, h, out) -> { }, Normalization.DEFAULT, 1024);
        // 4096 px in cores of at most 992 px: 5 cores of 819 or 820 px.
        int[] cuts = s.cuts(4096);
        assertEquals(6, cuts.length);
        assertEquals(0, cuts[0]);
        assertEquals(4096, cuts[5]);
        for (int i = 0; i < 5; i++) {
            int core = cuts[i + 1] - cuts[i];
            assertTrue(core == 819 || core == 820, "core " + core);
        }
        // Windows: 4 inner borders add 2 × 16 px each → 4096 + 128 px per axis.
        assertEquals(4224L * 4224L, s.pixelsThroughNetwork(4096, 4096));
        assertEquals(25, s.tileCount(4096, 4096));
        // A frame up to the tile size goes through whole, with no overlap at all.
        assertEquals(696L * 520L, s.pixelsThroughNetwork(696, 520));
        assertEquals(1, s.tileCount(1024, 1024));
        assertEquals(2, s.tileCount(1025, 10));
    }

    @Test
    void atAScaleENetSeesTheResizedImageAndProbabilitiesComeBackAtFullSize() {
        FloatPlane image = SyntheticNuclei.generate(300, 200, 20, 3).image();
        int[] seen = new int[2];
        ProbabilityNet sizeRecorder = (tile, w, h, out) -> {
            seen[0] = w;
            seen[1] = h;
            StreamingSegmenterTest.THRESHOLDS.probabilities(tile, w, h, out);
        };
        Segmenter half = new Segmenter(sizeRecorder, Normalization.DEFAULT, 1024, 0.5);
        Segmenter.Probabilities p = half.probabilities(image);
        assertEquals(150, seen[0]);
        assertEquals(100, seen[1]);
        assertEquals(300, p.nucleus().width());
        assertEquals(200, p.nucleus().height());
        assertEquals(150L * 100, half.pixelsThroughNetwork(300, 200));
        // Through a half-size detour, 12 px squares come back where they were, edges blurred a little.
        FloatPlane squares = new FloatPlane(120, 120);
        for (int k = 0; k < 9; k++) {
            for (int y = 10 + 40 * (k / 3); y < 22 + 40 * (k / 3); y++) {
                for (int x = 10 + 40 * (k % 3); x < 22 + 40 * (k % 3); x++) {
                    squares.set(x, y, 1000);
                }
            }
        }
        Segmenter full = new Segmenter(StreamingSegmenterTest.THRESHOLDS, Normalization.DEFAULT, 1024);
        org.segmentcells.img.LabelPlane a = full.segment(squares, new InstanceOptions(0.5, 20));
        org.segmentcells.img.LabelPlane b = half.segment(squares, new InstanceOptions(0.5, 20));
        org.segmentcells.eval.FrameScores sc = org.segmentcells.eval.Evaluator.scoreFrame(a, b, 0);
        assertEquals(9, a.countObjects());
        assertEquals(1.0, sc.f(), 1e-9);
        assertTrue(sc.matchedJaccard() > 0.8, "IoU between full and half scale " + sc.matchedJaccard());
        assertEquals(full.tileCount(2000, 2000), new Segmenter(sizeRecorder, Normalization.DEFAULT, 1024, 2)
                .tileCount(1000, 1000), "tiles are counted on the resized image");
        assertEquals(1, full.tileCount(1000, 1000));
    }

    @Test
    void scalesOutsideTheSupportedRangeAreRefused() {
        for (double bad : new double[] {0, -1, 0.05, 5, Double.NaN}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new Segmenter(StreamingSegmenterTest.THRESHOLDS, Normalization.DEFAULT, 1024, bad));
            assertTrue(e.getMessage().contains("scale must be between"), e.getMessage());
        }
    }

    @Test
    void sidesBetweenTheCoreAndTheTileSizeAreCoveredToTheLastPixel() {
        // 70 px is more than the core of a 64 px tile (32) and less than a 96 px tile: one tile, all of it kept.
        FloatPlane image = SyntheticNuclei.generate(70, 90, 3, 4).image();
        withRandomEstimator(net -> {
            Segmenter.Probabilities p = new Segmenter(net, Normalization.DEFAULT, 96).probabilities(image);
            for (int y = 0; y < 90; y++) {
                for (int x = 0; x < 70; x++) {
                    double sum = p.background().get(x, y) + p.nucleus().get(x, y) + p.contour().get(x, y);
                    assertEquals(1.0, sum, 1e-4, "probabilities at (" + x + "," + y + ")");
                }
            }
        });
    }

    @Test
    void imagesSmallerThanTheReceptiveFieldWork() {
        FloatPlane tiny = new FloatPlane(7, 5);
        tiny.set(3, 2, 100f);
        withRandomEstimator(net -> {
            Segmenter.Probabilities p = new Segmenter(net, Normalization.DEFAULT, 64).probabilities(tiny);
            assertEquals(35, p.nucleus().size());
            assertEquals(1.0, p.background().get(0, 0) + p.nucleus().get(0, 0) + p.contour().get(0, 0), 1e-5);
        });
    }

    @Test
    void inputIsNotModified() {
        FloatPlane image = SyntheticNuclei.generate(100, 90, 5, 2).image();
        float[] copy = image.data().clone();
        withRandomEstimator(net -> new Segmenter(net, Normalization.DEFAULT, 64).probabilities(image));
        org.junit.jupiter.api.Assertions.assertArrayEquals(copy, image.data());
    }

    @Test
    void normalisationMapsPercentiles() {
        float[] px = new float[1001];
        for (int i = 0; i < px.length; i++) {
            px[i] = i * 2f; // 0..2000
        }
        px[5] = Float.NaN;
        FloatPlane n = new Normalization(1, 99).apply(new FloatPlane(1001, 1, px));
        // With the NaN skipped the 1st percentile is about 22 and the 99th about 1982.
        assertEquals(0.0, n.get(11, 0), 0.01);
        assertEquals(1.0, n.get(991, 0), 0.01);
        assertEquals(0f, n.get(5, 0));
        // A constant image maps to zeros rather than dividing by zero.
        FloatPlane c = Normalization.DEFAULT.apply(new FloatPlane(4, 4, new float[16]));
        for (float v : c.data()) {
            assertEquals(0f, v);
        }
    }
}
