package org.segmentcells.segment;

import java.util.function.IntConsumer;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.nets.Estimator;

/**
 * Image → probabilities → instances. The image is normalised once, cut into overlapping square tiles
 * of a fixed size, each tile goes through E, and only each tile's core (at least {@link #MARGIN} px
 * from any cut) is kept. As E's output at a pixel depends on inputs at most {@link Estimator#RADIUS}
 * px away, the stitched result equals the untiled one.
 */
public final class Segmenter {

    /** Overlap kept on each side of a tile core; must be at least E's receptive radius. */
    public static final int MARGIN = 16;
    /** Frames up to this size go through E whole; tiles cost overlap (a 696×520 frame in 512 tiles is 2.9× the pixels). */
    public static final int DEFAULT_TILE = 1024;

    static {
        if (MARGIN < Estimator.RADIUS) {
            throw new AssertionError("tile margin smaller than the receptive radius");
        }
    }

    /** The three class probability planes of one image. */
    public record Probabilities(FloatPlane background, FloatPlane nucleus, FloatPlane contour) {
    }

    private final ProbabilityNet net;
    private final Normalization normalization;
    private final int tile;

    public Segmenter(ProbabilityNet net, Normalization normalization, int tile) {
        if (tile < 2 * MARGIN + 16) {
            throw new IllegalArgumentException("tile size must be at least " + (2 * MARGIN + 16) + ", got " + tile);
        }
        this.net = net;
        this.normalization = normalization;
        this.tile = tile;
    }

    ProbabilityNet net() {
        return net;
    }

    Normalization normalization() {
        return normalization;
    }

    public int tileSize() {
        return tile;
    }

    /** Number of tiles an image of this size is cut into. */
    public int tileCount(int width, int height) {
        return starts(width).length * starts(height).length;
    }

    public Probabilities probabilities(FloatPlane image) {
        return probabilities(image, t -> { });
    }

    /**
     * @param progress called with the number of finished tiles after each tile
     */
    public Probabilities probabilities(FloatPlane image, IntConsumer progress) {
        FloatPlane norm = normalization.apply(image);
        int w = image.width();
        int h = image.height();
        float[] bg = new float[w * h];
        float[] nuc = new float[w * h];
        float[] con = new float[w * h];
        int core = tile - 2 * MARGIN;
        int[] xs = starts(w);
        int[] ys = starts(h);
        int tw = Math.min(tile, w);
        int th = Math.min(tile, h);
        float[] in = new float[tw * th];
        float[] out = new float[tw * th * 3];
        int done = 0;
        for (int cy : ys) {
            int y0 = window(cy, h);
            int cyEnd = coreEnd(cy, h);
            for (int cx : xs) {
                int x0 = window(cx, w);
                int cxEnd = coreEnd(cx, w);
                for (int y = 0; y < th; y++) {
                    System.arraycopy(norm.data(), (y0 + y) * w + x0, in, y * tw, tw);
                }
                net.probabilities(in, tw, th, out);
                for (int y = cy; y < cyEnd; y++) {
                    int src = ((y - y0) * tw + (cx - x0)) * 3;
                    int dst = y * w + cx;
                    for (int x = cx; x < cxEnd; x++, src += 3, dst++) {
                        bg[dst] = out[src];
                        nuc[dst] = out[src + 1];
                        con[dst] = out[src + 2];
                    }
                }
                progress.accept(++done);
            }
        }
        return new Probabilities(new FloatPlane(w, h, bg), new FloatPlane(w, h, nuc), new FloatPlane(w, h, con));
    }

    /** Segments an image into instances. */
    public LabelPlane segment(FloatPlane image, InstanceOptions options) {
        return options.label(probabilities(image), image);
    }

    /** Starts of tile cores along one axis. */
    int[] starts(int size) {
        int core = tile - 2 * MARGIN;
        if (size <= tile) {
            return new int[] {0};
        }
        int n = (size + core - 1) / core;
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = i * core;
        }
        return s;
    }

    /**
     * End of the core starting at {@code coreStart}. A side that fits one tile is one core, whole: a
     * side between the core size and the tile size would otherwise lose its last pixels.
     */
    int coreEnd(int coreStart, int size) {
        return size <= tile ? size : Math.min(coreStart + tile - 2 * MARGIN, size);
    }

    /**
     * Start of the input window for a core starting at {@code coreStart}: MARGIN before it, shifted
     * inwards at the image edges so every window has the full tile size. Shifting keeps at least MARGIN
     * px around the core (see the class comment in the tests for the argument).
     */
    int window(int coreStart, int size) {
        if (size <= tile) {
            return 0;
        }
        return Math.max(0, Math.min(coreStart - MARGIN, size - tile));
    }
}
