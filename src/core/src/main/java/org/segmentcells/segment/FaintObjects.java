package org.segmentcells.segment;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;

/**
 * Drops objects that are not brighter than the background by more than the image noise. Per-image
 * percentile normalisation stretches a frame with no nuclei (pure camera noise) to the same range as a
 * frame full of them, and the network then finds "nuclei" in the noise. In raw intensities those are
 * indistinguishable from the background; real nuclei, even dim ones, are many noise σ brighter.
 *
 * <p>Noise σ is estimated robustly from horizontal neighbour differences (median absolute difference /
 * (0.6745·√2)), the background level as the median of pixels outside all objects. An object is kept
 * when its mean raw intensity exceeds the background level by at least {@link #MIN_CONTRAST} σ.
 */
public final class FaintObjects {

    /** Minimum object contrast in noise σ. Empty BBBC039 frames give blobs of a few σ; nuclei give &gt; 10σ. */
    public static final double MIN_CONTRAST = 5.0;
    private static final int MAX_SAMPLES = 1 << 20;

    private FaintObjects() {
    }

    /** Robust noise σ of the raw image (0 for constant or quantised-flat images). */
    public static double noiseSigma(FloatPlane raw) {
        float[] px = raw.data();
        int w = raw.width();
        int step = sampleStep(px.length);
        float[] d = new float[px.length / step + 1];
        int n = 0;
        for (int i = 0; i + 1 < px.length; i += step) {
            if ((i + 1) % w != 0 && Float.isFinite(px[i]) && Float.isFinite(px[i + 1])) {
                d[n++] = Math.abs(px[i + 1] - px[i]);
            }
        }
        return sigmaOfDifferences(d, n);
    }

    /**
     * Stride of the noise sample: the pair (i, i+1) is used when i is a multiple of it and both pixels
     * are on one row. A streaming pass that samples the same pairs gets the same σ.
     */
    static int sampleStep(long pixels) {
        return Math.max(1, (int) Math.ceil(pixels / (double) MAX_SAMPLES));
    }

    /** σ from the first {@code n} absolute neighbour differences in {@code d} (sorted in place). */
    static double sigmaOfDifferences(float[] d, int n) {
        if (n == 0) {
            return 0;
        }
        return Select.kth(d, n, n / 2) / (0.6745 * Math.sqrt(2));
    }

    /** The labels without objects fainter than {@code minContrast} noise σ, renumbered 1..N. */
    public static LabelPlane drop(LabelPlane labels, FloatPlane raw, double minContrast) {
        if (minContrast <= 0) {
            return labels;
        }
        int[] l = labels.data();
        int max = labels.maxLabel();
        if (max == 0) {
            return labels;
        }
        float[] px = raw.data();
        double[] sum = new double[max + 1];
        int[] count = new int[max + 1];
        boolean[] present = new boolean[max + 1]; // ids with NaN pixels only have no count
        int bgCount = 0;
        for (int i = 0; i < l.length; i++) {
            if (l[i] == 0) {
                bgCount++;
            } else if (Float.isFinite(px[i])) {
                sum[l[i]] += px[i];
                count[l[i]]++;
            } else {
                present[l[i]] = true;
            }
        }
        if (bgCount == 0) {
            return labels;
        }
        float[] bg = new float[bgCount];
        int k = 0;
        for (int i = 0; i < l.length; i++) {
            if (l[i] == 0 && Float.isFinite(px[i])) {
                bg[k++] = px[i];
            }
        }
        if (k == 0) {
            return labels; // no background to compare with
        }
        double level = Select.kth(bg, k, k / 2);
        double threshold = level + minContrast * noiseSigma(raw);
        int[] newId = new int[max + 1];
        int next = 0;
        boolean dropped = false;
        for (int id = 1; id <= max; id++) {
            if (count[id] == 0 && !present[id]) {
                continue; // an id the labels skip
            }
            if (count[id] > 0 && sum[id] / count[id] > threshold) {
                newId[id] = ++next;
            } else {
                dropped = true;
            }
        }
        if (!dropped) {
            return labels;
        }
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = newId[l[i]];
        }
        return new LabelPlane(labels.width(), labels.height(), out);
    }
}
