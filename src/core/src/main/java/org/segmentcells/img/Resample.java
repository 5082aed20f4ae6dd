package org.segmentcells.img;

/**
 * Resizing planes, for bringing nuclei to the size a model was trained on and back. Pixel centres are
 * aligned ({@code src = (dst + 0.5) / scale - 0.5}), so a resize there and back does not shift objects.
 */
public final class Resample {

    private Resample() {
    }

    /** Size of one side after scaling, at least 1 px. */
    public static int scaledSize(int size, double scale) {
        return Math.max(1, (int) Math.round(size * scale));
    }

    /**
     * Bilinear resize to {@code w × h}. When shrinking, the plane is first smoothed with a Gaussian of
     * sigma {@code sqrt(f² - 1) / 2} (f the shrink factor) so that fine texture does not alias into the
     * smaller image.
     */
    public static FloatPlane bilinear(FloatPlane src, int w, int h) {
        return bilinear(src, w, h, 0);
    }

    /**
     * {@link #bilinear(FloatPlane, int, int)} with a shrink smoothed more: by a Gaussian of sigma
     * {@code sqrt(antiAlias² + extra²)} source px, as if the plane were smoothed by {@code extra} first.
     * {@code extra} does nothing where the plane is not shrunk.
     */
    public static FloatPlane bilinear(FloatPlane src, int w, int h, double extra) {
        return bilinearRows(src, 0, src.height(), w, h, 0, h, extra);
    }

    /**
     * Rows {@code [from, to)} of {@link #bilinear bilinear(src, w, h)} for a {@code src} of {@code srcHeight}
     * rows of which only rows {@code [rowsY0, rowsY0 + rows.height())} are given; they must include
     * {@link #sourceRows sourceRows(srcHeight, h, from, to)}. Bit for bit the rows of the whole resize (the
     * same operations in the same order), so an image resized in bands of rows equals one resized whole.
     */
    public static FloatPlane bilinearRows(FloatPlane rows, int rowsY0, int srcHeight, int w, int h, int from, int to) {
        return bilinearRows(rows, rowsY0, srcHeight, w, h, from, to, 0);
    }

    /** As above, with a shrink's {@code extra} smoothing ({@link #bilinear(FloatPlane, int, int, double)}). */
    public static FloatPlane bilinearRows(FloatPlane rows, int rowsY0, int srcHeight, int w, int h, int from, int to,
            double extra) {
        int sw = rows.width();
        float[] given = rows.data();
        if (w == sw && h == srcHeight && from >= rowsY0 && to <= rowsY0 + rows.height()) {
            float[] out = new float[(to - from) * w];
            System.arraycopy(given, (from - rowsY0) * sw, out, 0, out.length);
            return new FloatPlane(w, to - from, out);
        }
        int[] need = sourceRows(srcHeight, h, from, to, extra);
        if (need[0] < rowsY0 || need[1] > rowsY0 + rows.height()) {
            throw new IllegalArgumentException("rows " + from + ".." + to + " of the resize need source rows " + need[0]
                    + ".." + need[1] + ", given " + rowsY0 + ".." + (rowsY0 + rows.height()));
        }
        double sx = (double) w / sw;
        double sy = (double) h / srcHeight;
        boolean smooth = sx < 1 || sy < 1;
        double sigmaX = smooth ? shrinkSigma(sx, extra) : 0;
        double sigmaY = smooth ? shrinkSigma(sy, extra) : 0;
        // Smoothing along x, then along y for the rows the interpolation reads, as gaussian() does.
        float[] a = sigmaX > 0 ? smoothRows(given, sw, kernel(sigmaX)) : given;
        int lo = interpolationRow(from, sy, srcHeight);
        int hi = Math.min(srcHeight - 1, interpolationRow(to - 1, sy, srcHeight) + 1);
        float[] d;
        int dY0;
        if (sigmaY > 0) {
            float[] k = kernel(sigmaY);
            int r = k.length / 2;
            d = new float[(hi - lo + 1) * sw];
            for (int y = lo; y <= hi; y++) {
                for (int x = 0; x < sw; x++) {
                    float s = 0;
                    for (int i = -r; i <= r; i++) {
                        s += k[i + r] * a[(mirror(y + i, srcHeight) - rowsY0) * sw + x];
                    }
                    d[(y - lo) * sw + x] = s;
                }
            }
            dY0 = lo;
        } else {
            d = a;
            dY0 = rowsY0;
        }
        int[] x0 = new int[w];
        float[] fx = new float[w];
        for (int x = 0; x < w; x++) {
            double p = clamp((x + 0.5) / sx - 0.5, sw - 1);
            x0[x] = Math.min((int) p, Math.max(0, sw - 2));
            fx[x] = (float) (p - x0[x]);
        }
        float[] out = new float[(to - from) * w];
        for (int y = from; y < to; y++) {
            double q = clamp((y + 0.5) / sy - 0.5, srcHeight - 1);
            int y0 = interpolationRow(y, sy, srcHeight);
            float fy = (float) (q - y0);
            int r0 = (y0 - dY0) * sw;
            int r1 = srcHeight > 1 ? r0 + sw : r0;
            for (int x = 0; x < w; x++) {
                int xa = x0[x];
                int xb = sw > 1 ? xa + 1 : xa;
                float top = d[r0 + xa] + fx[x] * (d[r0 + xb] - d[r0 + xa]);
                float bottom = d[r1 + xa] + fx[x] * (d[r1 + xb] - d[r1 + xa]);
                out[(y - from) * w + x] = top + fy * (bottom - top);
            }
        }
        return new FloatPlane(w, to - from, out);
    }

    /**
     * The source rows {@code [first, end)} that rows {@code [from, to)} of a resize from {@code srcHeight} to
     * {@code h} rows read (with the smoothing of a shrink), for {@link #bilinearRows}; the width changes by
     * the same factor.
     */
    public static int[] sourceRows(int srcHeight, int h, int from, int to) {
        return sourceRows(srcHeight, h, from, to, 0);
    }

    /** As above, for a resize with a shrink's {@code extra} smoothing ({@link #bilinear(FloatPlane, int, int, double)}). */
    public static int[] sourceRows(int srcHeight, int h, int from, int to, double extra) {
        if (from < 0 || to > h || from >= to) {
            throw new IllegalArgumentException("rows " + from + ".." + to + " of " + h);
        }
        double sy = (double) h / srcHeight;
        int lo = interpolationRow(from, sy, srcHeight);
        int hi = Math.min(srcHeight - 1, interpolationRow(to - 1, sy, srcHeight) + 1);
        // Rows are smoothed only when they shrink (shrinkSigma is 0 otherwise).
        int r = sy < 1 ? kernel(shrinkSigma(sy, extra)).length / 2 : 0;
        return new int[] {Math.max(0, lo - r), Math.min(srcHeight, hi + r + 1)};
    }

    /** The upper of the two source rows output row {@code y} interpolates between. */
    private static int interpolationRow(int y, double sy, int srcHeight) {
        double q = clamp((y + 0.5) / sy - 0.5, srcHeight - 1);
        return Math.min((int) q, Math.max(0, srcHeight - 2));
    }

    /** Gaussian along x of every row, mirrored at the row ends (the x pass of {@link #gaussian}). */
    private static float[] smoothRows(float[] a, int w, float[] k) {
        int r = k.length / 2;
        float[] b = new float[a.length];
        for (int row = 0; row < a.length; row += w) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int i = -r; i <= r; i++) {
                    s += k[i + r] * a[row + mirror(x + i, w)];
                }
                b[row + x] = s;
            }
        }
        return b;
    }

    /**
     * Bilinear sample of a {@code w}-px-wide pixel array at (x, y), edges clamped: one point, for crops
     * taken at any zoom and angle (training), where {@link #bilinear} resizes whole planes.
     */
    public static float sample(float[] px, int w, int h, double x, double y) {
        x = Math.max(0, Math.min(w - 1, x));
        y = Math.max(0, Math.min(h - 1, y));
        int xa = (int) x;
        int ya = (int) y;
        int xb = Math.min(w - 1, xa + 1);
        int yb = Math.min(h - 1, ya + 1);
        double ax = x - xa;
        double ay = y - ya;
        double top = px[ya * w + xa] * (1 - ax) + px[ya * w + xb] * ax;
        double bottom = px[yb * w + xa] * (1 - ax) + px[yb * w + xb] * ax;
        return (float) (top * (1 - ay) + bottom * ay);
    }

    /**
     * Nearest-neighbour resize of a label image (ids must not be blended). A small object can vanish
     * when shrinking; that is the price of training at the model's scale.
     */
    public static LabelPlane nearest(LabelPlane src, int w, int h) {
        double sx = (double) w / src.width();
        double sy = (double) h / src.height();
        int[] xs = new int[w];
        for (int x = 0; x < w; x++) {
            xs[x] = Math.min(src.width() - 1, (int) ((x + 0.5) / sx));
        }
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            int row = Math.min(src.height() - 1, (int) ((y + 0.5) / sy)) * src.width();
            for (int x = 0; x < w; x++) {
                out[y * w + x] = src.data()[row + xs[x]];
            }
        }
        return new LabelPlane(w, h, out);
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    private static double antiAliasSigma(double scale) {
        return scale >= 1 ? 0 : Math.sqrt(1 / (scale * scale) - 1) / 2;
    }

    /** The Gaussian of a shrink by {@code scale} along one axis: anti-aliasing and {@code extra}, combined. */
    private static double shrinkSigma(double scale, double extra) {
        if (scale >= 1) {
            return 0;
        }
        double a = antiAliasSigma(scale);
        return extra > 0 ? Math.sqrt(a * a + extra * extra) : a;
    }

    /** Separable Gaussian with mirrored borders; a sigma of 0 leaves that axis alone. */
    public static FloatPlane gaussian(FloatPlane p, double sigmaX, double sigmaY) {
        int w = p.width();
        int h = p.height();
        float[] a = p.data().clone();
        float[] b = new float[a.length];
        // Both passes sum each pixel's taps in kernel order over reflected neighbours; the reflection is
        // looked up once (a padded row, a table of rows), not per tap, since auto scale's estimate spends
        // much of its time here, and a wide kernel on a small plane is mostly border. Rows are shared among
        // the cores on large planes; each output row is computed as on one core, so the result is the same.
        if (sigmaX > 0) {
            float[] k = kernel(sigmaX);
            float[] src = a;
            float[] dst = b;
            forRowBlocks((long) w * h, h, (from, to) -> smoothRows(src, dst, w, k, from, to));
            a = dst;
            b = src;
        }
        if (sigmaY > 0) {
            float[] k = kernel(sigmaY);
            int r = k.length / 2;
            int[] rows = new int[h + 2 * r];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = mirror(i - r, h) * w;
            }
            float[] src = a;
            float[] dst = b;
            forRowBlocks((long) w * h, h, (from, to) -> smoothColumns(src, dst, w, k, rows, from, to));
            a = dst;
        }
        return new FloatPlane(w, h, a);
    }

    /**
     * Means of k×k blocks (a partial block at the right or bottom edge is dropped): the cheapest
     * anti-aliased shrink, a fifth of the time of a Gaussian and a resample on a 2784×2080 frame. NaN and
     * infinite pixels do not count; a block of nothing else is NaN, which normalising makes background (as
     * it does such pixels at full size; as 0 they were the brightest pixels of an image of negative values).
     */
    public static FloatPlane blockMean(FloatPlane p, int k) {
        int w = Math.max(1, p.width() / k);
        int h = Math.max(1, p.height() / k);
        float[] out = new float[w * h];
        int[] finite = new int[w * h];
        int cols = Math.min(w * k, p.width());
        int rows = Math.min(h * k, p.height());
        // Block by block along each row, so no pixel needs a division; each block still sums its pixels row by
        // row, left to right, as the plain loop did, so the means are the same to the bit. Rows of blocks are
        // shared among the cores on large planes: each is summed as on one core.
        forRowBlocks((long) cols * rows, h, (from, to) -> sumBlocks(p, k, cols, rows, w, out, finite, from, to));
        // A whole block keeps the multiply by 1/k² it always had, so such planes measure bit for bit as before.
        float inv = 1f / (k * k);
        for (int i = 0; i < out.length; i++) {
            out[i] = finite[i] == k * k ? out[i] * inv : finite[i] > 0 ? out[i] / finite[i] : Float.NaN;
        }
        return new FloatPlane(w, h, out);
    }

    /**
     * Block rows [from, to) of {@link #blockMean}: each block's sum and count of finite pixels over the first
     * {@code cols} columns and {@code rows} rows of {@code p}, into {@code out} and {@code finite}.
     */
    private static void sumBlocks(FloatPlane p, int k, int cols, int rows, int w, float[] out, int[] finite, int from,
            int to) {
        float[] d = p.data();
        int pw = p.width();
        for (int by = from; by < to; by++) {
            int row = by * w;
            for (int y = by * k; y < Math.min((by + 1) * k, rows); y++) {
                int src = y * pw;
                for (int bx = 0, x = 0; x < cols; bx++) {
                    int i = row + bx;
                    float sum = out[i];
                    int count = finite[i];
                    for (int end = Math.min(x + k, cols); x < end; x++) {
                        float v = d[src + x];
                        if (Float.isFinite(v)) {
                            sum += v;
                            count++;
                        }
                    }
                    out[i] = sum;
                    finite[i] = count;
                }
            }
        }
    }

    /** Planes of at least this many pixels are smoothed or block-averaged on all cores. */
    static final int PARALLEL_PIXELS = 1 << 18;

    private interface RowBlock {
        void run(int from, int to);
    }

    /**
     * Runs {@code block} over output rows [0, h) in blocks, on all cores when the work covers
     * {@link #PARALLEL_PIXELS} pixels or more.
     */
    private static void forRowBlocks(long pixels, int h, RowBlock block) {
        if (pixels < PARALLEL_PIXELS) {
            block.run(0, h);
            return;
        }
        int blocks = Math.min(h, 4 * Runtime.getRuntime().availableProcessors());
        java.util.stream.IntStream.range(0, blocks).parallel()
                .forEach(i -> block.run((int) ((long) h * i / blocks), (int) ((long) h * (i + 1) / blocks)));
    }

    /** Rows [from, to) of {@code a} smoothed along x into {@code b}. */
    private static void smoothRows(float[] a, float[] b, int w, float[] k, int from, int to) {
        int r = k.length / 2;
        float[] pad = new float[w + 2 * r];
        for (int y = from; y < to; y++) {
            int row = y * w;
            for (int i = 0; i < pad.length; i++) {
                pad[i] = a[row + mirror(i - r, w)];
            }
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int j = 0; j < k.length; j++) {
                    s += k[j] * pad[x + j];
                }
                b[row + x] = s;
            }
        }
    }

    /** Rows [from, to) of {@code b} from {@code a} smoothed along y: row by row, tap by tap, in kernel order. */
    private static void smoothColumns(float[] a, float[] b, int w, float[] k, int[] rows, int from, int to) {
        java.util.Arrays.fill(b, from * w, to * w, 0f);
        for (int y = from; y < to; y++) {
            int out = y * w;
            for (int j = 0; j < k.length; j++) {
                int src = rows[y + j];
                float kj = k[j];
                for (int x = 0; x < w; x++) {
                    b[out + x] += kj * a[src + x];
                }
            }
        }
    }

    private static int mirror(int i, int n) {
        // Reflect repeatedly so kernels wider than the image stay in range.
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    /** The normalised Gaussian kernel, radius ceil(3 sigma) and at least 1. */
    public static float[] kernel(double sigma) {
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            double v = Math.exp(-i * i / (2 * sigma * sigma));
            k[i + r] = (float) v;
            sum += v;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }
}
