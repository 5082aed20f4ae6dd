package org.segmentcells.nets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.segmentcells.tf.TensorFlowRuntime;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class NetworksTest {

    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble();
        }
        return a;
    }

    static float[] run(Session s, Operand<TFloat32> out, Object... feeds) {
        Session.Runner r = s.runner();
        List<TFloat32> tensors = new java.util.ArrayList<>();
        for (int i = 0; i < feeds.length; i += 3) {
            @SuppressWarnings("unchecked")
            Placeholder<TFloat32> p = (Placeholder<TFloat32>) feeds[i];
            TFloat32 t = TFloat32.tensorOf((Shape) feeds[i + 1], DataBuffers.of((float[]) feeds[i + 2], true, false));
            tensors.add(t);
            r.feed(p, t);
        }
        try (Result res = r.fetch(out).run()) {
            TFloat32 t = (TFloat32) res.get(0);
            float[] v = new float[(int) t.size()];
            t.copyTo(DataBuffers.of(v, false, false));
            return v;
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }

    @Test
    void estimatorKeepsSizeAndOutputsProbabilities() {
        TensorFlowRuntime.ensureLoaded();
        try (Graph g = new Graph()) {
            Params p = new Params(g, 3, true);
            Ops tf = p.tf();
            Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
            Operand<TFloat32> probs = tf.nn.softmax(Estimator.logits(new Layers(p, false), in));
            try (Session s = new Session(g)) {
                s.initialize();
                float[] out = run(s, probs, in, Shape.of(2, 40, 56, 1), random(2 * 40 * 56, 1));
                assertEquals(2 * 40 * 56 * 3, out.length);
                for (int i = 0; i < out.length; i += 3) {
                    assertEquals(1.0, out[i] + out[i + 1] + out[i + 2], 1e-5);
                }
            }
            // Paper sizes, by hand: conv weights 9*9*1*16 + 7*7*16*32 + 5*5*32*64 + 4*4*64*64 + 1*1*64*3
            // = 1296 + 25088 + 51200 + 65536 + 192, plus BN scale and offset 2*(16+32+64+64+3) = 358.
            assertEquals(143_670, p.countTrainable(Estimator.PREFIX));
            // Running mean and variance exist but are not trainable.
            assertEquals(5 * 5, p.names(Estimator.PREFIX).size()); // weights, scale, offset, mean, variance
        }
    }

    @Test
    void uNetKeepsAnySizeAndSeesFurtherThanThePapersEstimatorButNotBeyondItsRadius() {
        TensorFlowRuntime.ensureLoaded();
        try (Graph g = new Graph()) {
            Params p = new Params(g, 3, true);
            Ops tf = p.tf();
            Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 1)));
            Operand<TFloat32> probs = tf.nn.softmax(UNet.logits(new Layers(p, false), in));
            try (Session s = new Session(g)) {
                s.initialize();
                // Sides that are not multiples of 8: padded inside the graph and cropped back.
                float[] odd = run(s, probs, in, Shape.of(1, 37, 50, 1), random(37 * 50, 1));
                assertEquals(37 * 50 * 3, odd.length);
                for (int i = 0; i < odd.length; i += 3) {
                    assertEquals(1.0, odd[i] + odd[i + 1] + odd[i + 2], 1e-5);
                }
                // Change one input pixel and see which outputs move.
                int n = 200;
                float[] image = random(n * n, 2);
                float[] a = run(s, probs, in, Shape.of(1, n, n, 1), image);
                image[100 * n + 100] += 5;
                float[] b = run(s, probs, in, Shape.of(1, n, n, 1), image);
                int reach = 0;
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        for (int c = 0; c < 3; c++) {
                            if (Math.abs(a[(y * n + x) * 3 + c] - b[(y * n + x) * 3 + c]) > 1e-6) {
                                reach = Math.max(reach, Math.max(Math.abs(x - 100), Math.abs(y - 100)));
                            }
                        }
                    }
                }
                assertTrue(reach <= UNet.RADIUS, "reach " + reach + " beyond the radius " + UNet.RADIUS);
                assertTrue(reach > 2 * Estimator.RADIUS, "reach " + reach);
            }
            // By hand: 3x3 convolutions without bias (in*out*9) of 1-16-16, 16-32-32, 32-64-64, 64-128-128,
            // then (128+64)-64-64, (64+32)-32-32, (32+16)-16-16 = 486288, batch-norm scale and offset
            // 2*2*(16+32+64+128+64+32+16) = 1408, and the 1x1 output layer 16*3 + 3.
            assertEquals(486_288 + 1408 + 51, p.countTrainable(Estimator.PREFIX));
            // Per input pixel, levels at 1, 1/4, 1/16, 1/64 of the pixels: 2448 + 3 * 3456 (encoder and
            // bottom) + 3 * 9216 (decoder) + 48 (output layer).
            assertEquals(2448 + 3 * 3456 + 3 * 9216 + 48, UNet.multiplyAddsPerPixel());
        }
    }

    private static long discriminatorParams(Discriminator d, long[] outShape) {
        try (Graph g = new Graph()) {
            Params p = new Params(g, 3, true);
            Ops tf = p.tf();
            Placeholder<TFloat32> img = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(4, 64, 64, 1)));
            Placeholder<TFloat32> seg = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(4, 64, 64, 3)));
            Operand<TFloat32> logits = d.logits(new Layers(p, true), img, seg);
            assertArrayEquals(outShape, logits.shape().asArray());
            return p.countTrainable(Discriminator.PREFIX);
        }
    }

    @Test
    void discriminatorSizes() {
        TensorFlowRuntime.ensureLoaded();
        // Rib Cage by hand: block1 9*9*(1+3)*8 + 9*9*4*4 = 648+1944+1296, BN 2*(8+8+4) = 40;
        // block2 5*5*8*32*2 + 5*5*(8+8+4)*16 = 12800+8000, BN 2*(32+32+16) = 160;
        // block3 3*3*32*64*2 + 3*3*(32+32+16)*32 = 36864+23040, BN 2*(64+64+32) = 320;
        // FC 8*8*160*64+64 = 655424, 64*64+64 = 4160, 64+1 = 65.
        long rib = discriminatorParams(new RibCageDiscriminator(), new long[] {4, 1});
        assertEquals(3888 + 40 + 20800 + 160 + 59904 + 320 + 655424 + 4160 + 65, rib);
        // ClassDisc: 9*9*4*16+32 + 5*5*16*64+128 + 3*3*64*160+320 + 655424 + 4160 + 65.
        long cls = discriminatorParams(new ClassDiscriminator(), new long[] {4, 1});
        assertEquals(5216 + 25728 + 92480 + 655424 + 4160 + 65, cls);
        // "Of similar size": within 10%.
        assertTrue(Math.abs(cls - rib) < 0.1 * rib, rib + " vs " + cls);
    }

    @Test
    void spineSeesBothInputsAndRibsOnlyTheirOwn() {
        TensorFlowRuntime.ensureLoaded();
        try (Graph g = new Graph()) {
            Params p = new Params(g, 5, true);
            Ops tf = p.tf();
            Shape si = Shape.of(1, 16, 16, 1);
            Shape ss = Shape.of(1, 16, 16, 3);
            Placeholder<TFloat32> img = tf.placeholder(TFloat32.class, Placeholder.shape(si));
            Placeholder<TFloat32> seg = tf.placeholder(TFloat32.class, Placeholder.shape(ss));
            // Inference-mode batch norm so outputs are a fixed function of the inputs.
            RibCageDiscriminator.Streams b = RibCageDiscriminator.block(new Layers(p, false), "D_t", img, seg, null, 3, 8);
            assertEquals(4, b.spine().shape().size(3));
            try (Session s = new Session(g)) {
                s.initialize();
                float[] i0 = random(256, 1);
                float[] i1 = random(256, 2);
                float[] s0 = random(768, 3);
                float[] s1 = random(768, 4);
                float[] spine00 = run(s, b.spine(), img, si, i0, seg, ss, s0);
                float[] spine10 = run(s, b.spine(), img, si, i1, seg, ss, s0);
                float[] spine01 = run(s, b.spine(), img, si, i0, seg, ss, s1);
                assertTrue(differ(spine00, spine10), "spine ignores the image");
                assertTrue(differ(spine00, spine01), "spine ignores the segmentation");
                assertArrayEquals(run(s, b.left(), img, si, i0, seg, ss, s0), run(s, b.left(), img, si, i0, seg, ss, s1));
                assertArrayEquals(run(s, b.right(), img, si, i0, seg, ss, s0), run(s, b.right(), img, si, i1, seg, ss, s0));
                assertTrue(differ(run(s, b.left(), img, si, i0, seg, ss, s0), run(s, b.left(), img, si, i1, seg, ss, s0)));
            }
        }
    }

    @Test
    void wholeDiscriminatorDependsOnImageAndSegmentation() {
        TensorFlowRuntime.ensureLoaded();
        try (Graph g = new Graph()) {
            Params p = new Params(g, 7, true);
            Ops tf = p.tf();
            Shape si = Shape.of(2, 64, 64, 1);
            Shape ss = Shape.of(2, 64, 64, 3);
            Placeholder<TFloat32> img = tf.placeholder(TFloat32.class, Placeholder.shape(si));
            Placeholder<TFloat32> seg = tf.placeholder(TFloat32.class, Placeholder.shape(ss));
            Operand<TFloat32> logits = new RibCageDiscriminator().logits(new Layers(p, false), img, seg);
            try (Session s = new Session(g)) {
                s.initialize();
                float[] base = run(s, logits, img, si, random(8192, 1), seg, ss, random(24576, 2));
                assertTrue(differ(base, run(s, logits, img, si, random(8192, 3), seg, ss, random(24576, 2))));
                assertTrue(differ(base, run(s, logits, img, si, random(8192, 1), seg, ss, random(24576, 4))));
            }
        }
    }

    static boolean differ(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d > 1e-4;
    }

    @Test
    void weightsFileRoundTripAndDamage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Weights w = new Weights();
        w.put("a", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        w.put("b", new long[] {1}, new float[] {-7});
        java.nio.file.Path f = dir.resolve("w.bin");
        w.write(f);
        Weights r = Weights.read(f);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, r.get("a").values());
        assertArrayEquals(new long[] {2, 3}, r.get("a").shape());
        byte[] bytes = java.nio.file.Files.readAllBytes(f);
        java.nio.file.Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> Weights.read(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        java.nio.file.Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> Weights.read(f));
        assertTrue(e.getMessage().contains("not a Segment Cells weights file"), e.getMessage());
    }
}
