package org.segmentcells.nets;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A larger estimator, offered next to the paper's: a U-Net (as in the original code's alternative
 * network) of {@link #DEPTH} 2×2 max-pool levels, each level two 3×3 conv → batch norm → leaky ReLU
 * layers of {@link #BASE}·2^level filters, nearest-neighbour upsampling with skip connections, and a 1×1
 * convolution to the three class logits. Same input and output as {@link Estimator}; its variables share
 * the {@link Estimator#PREFIX}, so training, fine-tuning and model files treat both alike.
 *
 * <p>Why: the paper's E sees 22 px, less than a large nucleus, so it cannot tell a nucleus's inner
 * dark patch from background or see that two touching blobs are two; this one sees {@link #RADIUS} px
 * to each side for about the same multiply-adds per pixel.
 *
 * <p>Pooling needs sides divisible by {@link #ALIGNMENT}: other inputs are zero-padded at the bottom and
 * right inside the graph and the output cropped back, so any size works. For tiling to give the untiled
 * result, tiles must start at multiples of {@link #ALIGNMENT} (the pooling grid), see Segmenter.
 */
public final class UNet {

    public static final String ARCHITECTURE = "unet-v1";
    public static final int DEPTH = 3;
    public static final int BASE = 16;
    public static final int ALIGNMENT = 1 << DEPTH;
    /** Largest distance (px) from an output pixel to an input pixel that influences it. */
    public static final int RADIUS = radius();

    private UNet() {
    }

    /** Per-pixel class logits, shape [n, h, w, 3]. */
    public static Operand<TFloat32> logits(Layers layers, Operand<TFloat32> image) {
        Ops tf = layers.tf();
        long h = image.shape().size(1);
        long w = image.shape().size(2);
        boolean aligned = h > 0 && w > 0 && h % ALIGNMENT == 0 && w % ALIGNMENT == 0;
        Operand<TFloat32> x = aligned ? image : padToAlignment(tf, image);
        List<Operand<TFloat32>> skips = new ArrayList<>();
        int filters = BASE;
        for (int level = 0; level < DEPTH; level++) {
            x = block(layers, Estimator.PREFIX + "down" + level, x, filters);
            skips.add(x);
            x = layers.pool(x);
            filters *= 2;
        }
        x = block(layers, Estimator.PREFIX + "bottom", x, filters);
        for (int level = DEPTH - 1; level >= 0; level--) {
            filters /= 2;
            Operand<TFloat32> up = tf.image.resizeNearestNeighbor(x,
                    tf.math.mul(tf.slice(tf.shape(x), tf.constant(new int[] {1}), tf.constant(new int[] {2})),
                            tf.constant(2)));
            x = tf.concat(List.of(skips.get(level), up), tf.constant(3));
            x = block(layers, Estimator.PREFIX + "up" + level, x, filters);
        }
        x = layers.convBias(Estimator.PREFIX + "out", x, 1, Estimator.CLASSES);
        if (aligned) {
            return x;
        }
        // Crop to the input's size: begin 0, size [-1, h, w, -1].
        Operand<TInt32> size = tf.math.add(tf.math.mul(tf.shape(image), tf.constant(new int[] {0, 1, 1, 0})),
                tf.constant(new int[] {-1, 0, 0, -1}));
        return tf.slice(x, tf.constant(new int[] {0, 0, 0, 0}), size);
    }

    private static Operand<TFloat32> block(Layers layers, String name, Operand<TFloat32> x, int filters) {
        return layers.convBnLrelu(name + "b", layers.convBnLrelu(name + "a", x, 3, filters), 3, filters);
    }

    /** Zero rows and columns at the bottom and right up to the next multiple of {@link #ALIGNMENT}. */
    private static Operand<TFloat32> padToAlignment(Ops tf, Operand<TFloat32> image) {
        // (-side) mod A is the padding after each side; batch and channel get none.
        Operand<TInt32> after = tf.math.mul(tf.math.floorMod(tf.math.neg(tf.shape(image)), tf.constant(ALIGNMENT)),
                tf.constant(new int[] {0, 1, 1, 0}));
        Operand<TInt32> paddings = tf.stack(List.of(tf.constant(new int[] {0, 0, 0, 0}), after),
                org.tensorflow.op.core.Stack.axis(1L));
        // Dynamic paddings hide the channel count, which the first convolution needs to know.
        return tf.ensureShape(tf.pad(image, paddings, tf.constant(0f)), org.tensorflow.ndarray.Shape.of(-1, -1, -1,
                image.shape().size(3)));
    }

    /**
     * The receptive radius, walking the layers: a 3×3 convolution at stride s reaches s px further, a
     * 2×2 pooling s px (its window's far pixel), a 2× upsampling s/2 px (the nearest source pixel).
     */
    private static int radius() {
        int r = 0;
        int s = 1;
        for (int level = 0; level < DEPTH; level++) {
            r += 2 * s + s;
            s *= 2;
        }
        r += 2 * s;
        for (int level = DEPTH - 1; level >= 0; level--) {
            r += s / 2;
            s /= 2;
            r += 2 * s;
        }
        return r;
    }

    /** Multiply-adds of one forward pass per input pixel (convolutions only). */
    public static long multiplyAddsPerPixel() {
        double total = 0;
        int in = 1;
        int filters = BASE;
        double pixels = 1;
        for (int level = 0; level < DEPTH; level++) {
            total += pixels * 9 * ((double) in * filters + (double) filters * filters);
            in = filters;
            filters *= 2;
            pixels /= 4;
        }
        total += pixels * 9 * ((double) in * filters + (double) filters * filters);
        for (int level = DEPTH - 1; level >= 0; level--) {
            int up = filters;
            filters /= 2;
            pixels *= 4;
            total += pixels * 9 * ((double) (filters + up) * filters + (double) filters * filters);
        }
        total += (double) filters * Estimator.CLASSES;
        return Math.round(total);
    }
}
