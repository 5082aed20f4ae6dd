package org.segmentcells.segment;


import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.nets.Architecture;
import org.segmentcells.progress.Cancelled;
import org.segmentcells.progress.Progress;

/**
 * Image → probabilities → instances. The image is normalised once, cut into near-equal tile cores of
 * at most {@code tile - 2 margin} px a side, each core goes through E with the estimator's
 * {@link Architecture#margin() margin} of context around it, and only the core is kept. As E's output at
 * a pixel depends on inputs at most {@link Architecture#radius() radius} ≤ margin px away, and cores
 * (hence windows) start on the estimator's pooling grid ({@link Architecture#alignment() alignment}),
 * the stitched result equals the untiled one.
 *
 * <p>With a {@link #scale} other than 1 the image is resized by that factor before E ({@link NetworkInput}:
 * normalised, then resized; a noisy one shrunk, resized with more smoothing, then normalised) and the
 * probabilities are resized back, so nuclei larger (or smaller) than those the model learned from meet
 * E at a size it knows; instances are then found at the image's own resolution.
 */
public final class Segmenter {

    /**
     * Heap the in-memory path needs per pixel of the plane being segmented, roughly: the image, its
     * normalised copy and three probability planes as floats (20 B), the labelling's mask, labels and
     * queue (9 B), the label copies of the two filters (8 B).
     */
    public static final long IN_MEMORY_BYTES_PER_PIXEL = 40;

    /**
     * Heap per pixel of the input for the in-memory path when the plane is enlarged {@code factor} times:
     * {@link #IN_MEMORY_BYTES_PER_PIXEL} plus its enlarged normalised copy and three probability planes at
     * the enlarged size (16 B per enlarged pixel). Shrinking needs no more than scale 1.
     */
    public static long inMemoryBytesPerPixel(double factor) {
        return IN_MEMORY_BYTES_PER_PIXEL + (factor > 1 ? (long) Math.ceil(16 * factor * factor) : 0);
    }

    /** Overlap kept on each side of a tile core by the paper's estimator ({@link Architecture#PAPER}). */
    public static final int MARGIN = org.segmentcells.nets.Estimator.MARGIN;
    /** Frames up to this size go through E whole; tiles cost overlap (a 696×520 frame in 512 tiles is 2.9× the pixels). */
    public static final int DEFAULT_TILE = 1024;

    /** The three class probability planes of one image. */
    public record Probabilities(FloatPlane background, FloatPlane nucleus, FloatPlane contour) {
    }

    private final ProbabilityNet net;
    private final Normalization normalization;
    private final int tile;
    private final double scale;
    private final boolean noisy;
    private final int margin;
    private final int alignment;

    public Segmenter(ProbabilityNet net, Normalization normalization, int tile) {
        this(net, normalization, tile, 1);
    }

    /** @param scale factor applied to the image before E (below 1 shrinks large nuclei) */
    public Segmenter(ProbabilityNet net, Normalization normalization, int tile, double scale) {
        this(net, normalization, tile, scale, false);
    }

    private Segmenter(ProbabilityNet net, Normalization normalization, int tile, double scale, boolean noisy) {
        Architecture a = net.architecture();
        checkTile(a, tile);
        checkScale(scale);
        this.margin = a.margin();
        this.alignment = a.alignment();
        this.net = net;
        this.normalization = normalization;
        this.tile = tile;
        this.scale = scale;
        this.noisy = noisy;
    }

    /** Refuses a tile smaller than {@link #minTile} (an IllegalArgumentException naming the setting). */
    public static void checkTile(Architecture a, int tile) {
        if (tile < minTile(a)) {
            throw new IllegalArgumentException(org.segmentcells.setting.Setting.TILE.mention() + " must be at least "
                    + minTile(a) + " for the " + a.settingName() + " estimator, got " + tile);
        }
    }

    /**
     * Smallest tile for this estimator: its margins plus a core of 16 px, or of four alignments, so that
     * aligned cuts stay distinct.
     */
    public static int minTile(Architecture a) {
        return 2 * a.margin() + Math.max(16, 4 * a.alignment());
    }

    /** Smallest and largest scale accepted: beyond these, nuclei would be resampled beyond recognition. */
    public static final double MIN_SCALE = 0.1;
    public static final double MAX_SCALE = 4;

    public static void checkScale(double scale) {
        if (!(scale >= MIN_SCALE && scale <= MAX_SCALE)) {
            throw new IllegalArgumentException("scale must be between " + MIN_SCALE + " and " + MAX_SCALE + ", got " + scale);
        }
    }

    /** The same segmenter with another scale. */
    public Segmenter withScale(double s) {
        return new Segmenter(net, normalization, tile, s, noisy);
    }

    /**
     * The same segmenter for planes that are noisy ({@code Sharpness.NOISY}) or not: a noisy plane it shrinks
     * is smoothed more ({@link NetworkInput}).
     */
    public Segmenter withNoisy(boolean n) {
        return new Segmenter(net, normalization, tile, scale, n);
    }

    public double scale() {
        return scale;
    }

    /** Whether the planes are taken as noisy ({@link #withNoisy}). */
    public boolean noisy() {
        return noisy;
    }

    /** The extra smoothing (sigma, px of the input) of each plane before E ({@link NetworkInput#smoothing}). */
    public double smoothing() {
        return NetworkInput.smoothing(scale, noisy);
    }

    ProbabilityNet net() {
        return net;
    }

    Normalization normalization() {
        return normalization;
    }

    /** Rows of context E needs on each side of the rows it is asked for (at least its receptive radius). */
    int margin() {
        return margin;
    }

    /** Multiple that a window's first row must be on for E's output to equal the whole image's. */
    int alignment() {
        return alignment;
    }

    /** First row (or column) of the input window of the core starting at {@code coreStart}. */
    int windowStart(int coreStart) {
        return Math.max(0, coreStart - margin);
    }

    /** End (exclusive) of the input window of the core ending at {@code coreEnd}. */
    int windowEnd(int coreEnd, int size) {
        return Math.min(size, coreEnd + margin);
    }

    public int tileSize() {
        return tile;
    }

    /** Number of tiles an image of this size is cut into (after scaling). */
    public int tileCount(int width, int height) {
        return (cuts(scaled(width)).length - 1) * (cuts(scaled(height)).length - 1);
    }

    private int scaled(int size) {
        return Resample.scaledSize(size, scale);
    }

    public Probabilities probabilities(FloatPlane image) {
        return probabilities(image, Progress.NONE);
    }

    /**
     * @param progress told the tiles done after each tile, and asked whether to stop ({@link Cancelled})
     */
    public Probabilities probabilities(FloatPlane image, Progress progress) {
        FloatPlane input = NetworkInput.of(image, normalization, scale, noisy);
        if (scale == 1) {
            return probabilitiesOfNormalised(input, progress);
        }
        int w = image.width();
        int h = image.height();
        Probabilities p = probabilitiesOfNormalised(input, progress);
        return new Probabilities(Resample.bilinear(p.background(), w, h), Resample.bilinear(p.nucleus(), w, h),
                Resample.bilinear(p.contour(), w, h));
    }

    /** As {@link #probabilities(FloatPlane, Progress)} for an image already normalised, at scale 1. */
    public Probabilities probabilitiesOfNormalised(FloatPlane norm, Progress progress) {
        int w = norm.width();
        int h = norm.height();
        float[] bg = new float[w * h];
        float[] nuc = new float[w * h];
        float[] con = new float[w * h];
        int[] xs = cuts(w);
        int[] ys = cuts(h);
        float[] in = new float[0];
        float[] out = new float[0];
        int done = 0;
        int tiles = (xs.length - 1) * (ys.length - 1);
        for (int j = 0; j + 1 < ys.length; j++) {
            int cy = ys[j];
            int cyEnd = ys[j + 1];
            int y0 = windowStart(cy);
            int th = windowEnd(cyEnd, h) - y0;
            for (int i = 0; i + 1 < xs.length; i++) {
                int cx = xs[i];
                int cxEnd = xs[i + 1];
                int x0 = windowStart(cx);
                int tw = windowEnd(cxEnd, w) - x0;
                if (in.length < tw * th) {
                    in = new float[tw * th];
                    out = new float[tw * th * 3];
                }
                for (int y = 0; y < th; y++) {
                    System.arraycopy(norm.data(), (y0 + y) * w + x0, in, y * tw, tw);
                }
                progress.checkCancelled(); // before the tile: a cancel never waits for the network
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
                progress.fraction(++done, tiles);
            }
        }
        return new Probabilities(new FloatPlane(w, h, bg), new FloatPlane(w, h, nuc), new FloatPlane(w, h, con));
    }

    /** Segments an image into instances. */
    public LabelPlane segment(FloatPlane image, InstanceOptions options) {
        return options.label(probabilities(image), image);
    }

    /**
     * Borders of the tile cores along one axis: {@code n + 1} cuts for n cores of equal size (± the
     * alignment), inner cuts on multiples of the alignment. A core's input window reaches the margin
     * beyond each cut and stops at the image border, where E pads exactly as it does for the whole image. Equal cores keep the overlap small: fixed-size windows
     * shifted inwards at the edges would make E see 1.56× the pixels of a 4096² image in 1024 tiles,
     * equal ones 1.07×.
     */
    int[] cuts(int size) {
        int core = tile - 2 * margin;
        // Aligning a cut moves it down by at most alignment - 1 px, which the core must leave room for
        // (for alignment 1 this is the plain equal split).
        int room = core - (alignment - 1);
        int n = size <= tile ? 1 : (size + room - 1) / room;
        int[] c = new int[n + 1];
        for (int i = 0; i < n; i++) {
            c[i] = (int) ((long) size * i / n) / alignment * alignment;
        }
        c[n] = size;
        return c;
    }

    /** Pixels E sees for an image of this size, overlap included; the tiling's cost over the image. */
    public long pixelsThroughNetwork(int width, int height) {
        int w = scaled(width);
        int h = scaled(height);
        return (long) windowSum(cuts(w), w) * windowSum(cuts(h), h);
    }

    private int windowSum(int[] cuts, int size) {
        int sum = 0;
        for (int i = 0; i + 1 < cuts.length; i++) {
            sum += windowEnd(cuts[i + 1], size) - windowStart(cuts[i]);
        }
        return sum;
    }
}
