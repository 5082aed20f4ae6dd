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
        if (k < 0 || k >= n) {
            throw new IndexOutOfBoundsException("k " + k + " of " + n);
        }
        int lo = 0;
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
        double pos = p / 100.0 * (n - 1);
        int i = (int) Math.floor(pos);
        double f = pos - i;
        float vi = kth(a, n, i);
        if (f == 0 || i + 1 >= n) {
            return vi;
        }
        float vj = kth(a, n, i + 1);
        return (float) (vi * (1 - f) + vj * f);
    }

    private static float median(float x, float y, float z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }
}
