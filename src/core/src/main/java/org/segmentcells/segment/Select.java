package org.segmentcells.segment;

/**
 * Order statistics (k-th smallest) in expected linear time, for percentiles and medians of whole
 * images: sorting a 4096² image's background to take its median cost 0.7 s, more than writing the file.
 */
final class Select {

    private Select() {
    }

    /**
     * The k-th smallest (0-based) of {@code a[0..n)}, which must hold no NaN; reorders {@code a[0..n)}.
     * Equal to {@code sorted[k]}.
     */
    static float kth(float[] a, int n, int k) {
        return kth(a, 0, n, k);
    }

    /**
     * The k-th smallest (0-based) of {@code a[0..n)} given that {@code a[0..from)} holds the {@code from}
     * smallest (as {@link #kth} leaves them for its k); searches and reorders {@code a[from..n)} only.
     */
    private static float kth(float[] a, int from, int n, int k) {
        if (k < from || k >= n) {
            throw new IndexOutOfBoundsException("k " + k + " of " + n + " from " + from);
        }
        int lo = from;
        int hi = n - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            float p = median(a[lo], a[mid], a[hi]);
            int i = lo;
            int j = hi;
            // Hoare partition: afterwards a[lo..j] <= p, a[i..hi] >= p, and anything between equals p.
            while (i <= j) {
                while (a[i] < p) {
                    i++;
                }
                while (a[j] > p) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    /** The p-th percentile with linear interpolation between order statistics; reorders {@code a[0..n)}. */
    static float percentile(float[] a, int n, double p) {
        return percentiles(a, n, p, p)[0];
    }

    /**
     * The {@code low} and {@code high} percentiles ({@code low <= high}) of {@code a[0..n)}, each as
     * {@link #percentile} gives it; reorders {@code a[0..n)}. Cheaper than two calls: once the order
     * statistic below a percentile is found, the array is partitioned around it, so the next one up is the
     * least value above it and the high percentile is searched for above it only.
     */
    static float[] percentiles(float[] a, int n, double low, double high) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("percentiles " + low + " > " + high);
        }
        int[] from = {0};
        float lo = interpolated(a, n, low, from);
        return new float[] {lo, low == high ? lo : interpolated(a, n, high, from)};
    }

    /**
     * One percentile, for order statistics at or above {@code from[0]}; leaves in {@code from[0]} the index
     * of the lower statistic, below which {@code a} then holds the smallest values.
     */
    private static float interpolated(float[] a, int n, double p, int[] from) {
        double pos = p / 100.0 * (n - 1);
        int i = (int) Math.floor(pos);
        double f = pos - i;
        float vi = kth(a, from[0], n, i);
        from[0] = i;
        if (f == 0 || i + 1 >= n) {
            return vi;
        }
        float vj = a[i + 1];
        for (int j = i + 2; j < n; j++) {
            vj = Math.min(vj, a[j]);
        }
        return (float) (vi * (1 - f) + vj * f);
    }

    private static float median(float x, float y, float z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }
}
