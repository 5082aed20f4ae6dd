package org.segmentcells.segment;

import org.segmentcells.img.FloatPlane;

/**
 * Per-image percentile normalisation: maps the {@code low} percentile to 0 and the {@code high}
 * percentile to 1, so that one model serves 8-, 16- and 32-bit images and microscopes with different
 * gains. Computed once per image, never per tile, so tiled and untiled results agree.
 */
public record Normalization(double low, double high) {

    public static final Normalization DEFAULT = new Normalization(1.0, 99.8);
    /** Percentiles are estimated from at most this many evenly strided pixels (exact below it). */
    static final int MAX_SAMPLES = 1 << 20;

    public Normalization {
        if (!(low >= 0 && low < high && high <= 100)) {
            throw new IllegalArgumentException("percentiles must satisfy 0 <= low < high <= 100, got "
                    + low + ", " + high);
        }
    }

    /** Returns a new normalised plane; the input is not modified. Non-finite pixels are ignored. */
    public FloatPlane apply(FloatPlane in) {
        return applyToRows(in, 0, in.height());
    }

    /**
     * Rows {@code [from, to)} of {@code in}, normalised by the percentiles of the whole plane: the same
     * pixels as {@code apply(in).rows(from, to)}, without normalising the rows not wanted.
     */
    public FloatPlane applyToRows(FloatPlane in, int from, int to) {
        return applyToRows(in, from, to, range(in.data()));
    }

    /** {@link #apply} with the percentiles already taken ({@link #range}), for a caller that needs them too. */
    public FloatPlane apply(FloatPlane in, float[] range) {
        return applyToRows(in, 0, in.height(), range);
    }

    private static FloatPlane applyToRows(FloatPlane in, int from, int to, float[] range) {
        if (from < 0 || from > to || to > in.height()) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") must lie within the plane's "
                    + in.height() + " rows");
        }
        float[] src = in.data();
        float lo = range[0];
        float scale = scale(range);
        int w = in.width();
        float[] out = new float[(to - from) * w];
        for (int i = 0, j = from * w; i < out.length; i++, j++) {
            float v = src[j];
            out[i] = Float.isFinite(v) ? (v - lo) * scale : 0f;
        }
        return new FloatPlane(w, to - from, out);
    }

    /**
     * Number of NaN and infinite pixels, which {@link #apply} maps to 0 (background): front ends warn
     * about them, as a 32-bit image full of NaN is usually a processing mistake upstream.
     */
    public static long countNonFinite(float[] px) {
        long n = 0;
        for (float v : px) {
            if (!Float.isFinite(v)) {
                n++;
            }
        }
        return n;
    }

    /** Factor that maps the range to [0, 1]; 0 for a constant image, which then maps to zeros. */
    static float scale(float[] range) {
        return range[1] > range[0] ? 1f / (range[1] - range[0]) : 0f;
    }

    /**
     * Stride of the percentile sample over the pixels in raster order: pixel i is sampled when i is a
     * multiple of it. A streaming pass that samples the same indices gets the same percentiles.
     */
    static int sampleStep(long pixels) {
        return Math.max(1, (int) Math.ceil(pixels / (double) MAX_SAMPLES));
    }

    /** The pixel values at the low and high percentiles. */
    public float[] range(float[] px) {
        int step = sampleStep(px.length);
        float[] sample = new float[(px.length + step - 1) / step];
        int n = 0;
        for (int i = 0; i < px.length; i += step) {
            if (Float.isFinite(px[i])) {
                sample[n++] = px[i];
            }
        }
        return rangeOfSample(sample, n);
    }

    /** Percentiles of the first {@code n} values of {@code sample} (finite only; sorted in place). */
    float[] rangeOfSample(float[] sample, int n) {
        if (n == 0) {
            return new float[] {0f, 0f};
        }
        return Select.percentiles(sample, n, low, high);
    }
}
