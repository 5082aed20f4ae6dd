package org.segmentcells.segment;

import org.segmentcells.nets.Architecture;

/**
 * Test-time augmentation: a net whose probabilities are the mean of another net's over the 4 flips of
 * each tile (as it is, left-right, up-down, both), each flipped back before averaging. E was trained on
 * crops under all flips and rotations, so each copy is an equally valid view; their mean has less of
 * the noise any one view has in where a contour runs. It costs 4 times the network time. Averaging the
 * 4 transposes as well (all 8 symmetries) scored the same on the generalist's selection and test frames
 * at twice the cost (docs/benchmarks.md), so it is not offered.
 *
 * <p>Tiling stays exact for an estimator without pooling: a flipped window is a window of the flipped
 * image. A U-Net's output also depends on where its pooling grid starts, which a flip moves to the
 * window's other edge, so near tile seams its tiled and untiled averages may differ slightly.
 */
public final class FlipAveraged implements ProbabilityNet {

    /** Copies per tile. */
    public static final int COPIES = 4;

    private final ProbabilityNet net;

    public FlipAveraged(ProbabilityNet net) {
        this.net = net;
    }

    @Override
    public Architecture architecture() {
        return net.architecture();
    }

    @Override
    public void probabilities(float[] tile, int width, int height, float[] out) {
        int n = width * height;
        float[] copy = new float[n];
        float[] res = new float[n * 3];
        float[] sum = new float[n * 3];
        // One copy at a time, not as a batch of 4: E's memory for a large tile stays what it is without.
        for (int f = 0; f < COPIES; f++) {
            for (int i = 0; i < n; i++) {
                copy[flipped(f, i % width, i / width, width, height)] = tile[i];
            }
            net.probabilities(copy, width, height, res);
            for (int i = 0; i < n; i++) {
                int src = flipped(f, i % width, i / width, width, height) * 3;
                sum[i * 3] += res[src];
                sum[i * 3 + 1] += res[src + 1];
                sum[i * 3 + 2] += res[src + 2];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            out[i] = sum[i] / COPIES;
        }
    }

    /** Index of pixel (x, y) in copy {@code f}: bit 0 flips left-right, bit 1 up-down. */
    private static int flipped(int f, int x, int y, int w, int h) {
        int u = (f & 1) != 0 ? w - 1 - x : x;
        int v = (f & 2) != 0 ? h - 1 - y : y;
        return v * w + u;
    }
}
