package org.segmentcells.nets;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The paper's estimator E: a 5-layer fully convolutional network, each layer conv → batch norm →
 * leaky ReLU, with layer sizes C(9,16), C(7,32), C(5,64), C(4,64), C(1,3), followed by a per-pixel
 * softmax over background, nucleus and contour. Input is NHWC with one channel; output has the input's
 * height and width (SAME padding).
 *
 * <p>Its receptive field is 9+7+5+4+1-4 = 22 pixels wide, so a pixel's output depends only on input
 * pixels at most {@link #RADIUS} away; tiling relies on this.
 */
public final class Estimator {

    /** Variable-name prefix of E. */
    public static final String PREFIX = "E_";
    /** Architecture id written into model.json. */
    public static final String ARCHITECTURE = "paper-estimator-v1";
    public static final int[][] LAYERS = {{9, 16}, {7, 32}, {5, 64}, {4, 64}, {1, 3}};
    /** Largest distance (px) from an output pixel to an input pixel that influences it. */
    public static final int RADIUS = 4 + 3 + 2 + 2 + 0;
    /** Context kept around each tile core for this E (≥ {@link #RADIUS}). */
    public static final int MARGIN = 16;
    public static final int CLASSES = 3;

    private Estimator() {
    }

    /** Per-pixel class logits, shape [n, h, w, 3]. */
    public static Operand<TFloat32> logits(Layers layers, Operand<TFloat32> image) {
        Operand<TFloat32> x = image;
        for (int i = 0; i < LAYERS.length; i++) {
            x = layers.convBnLrelu(PREFIX + "conv" + (i + 1), x, LAYERS[i][0], LAYERS[i][1]);
        }
        return x;
    }

    /** Multiply-adds of one forward pass per output pixel (convolutions only). */
    public static long multiplyAddsPerPixel() {
        long total = 0;
        int in = 1;
        for (int[] l : LAYERS) {
            total += (long) l[0] * l[0] * in * l[1];
            in = l[1];
        }
        return total;
    }
}
