package org.segmentcells.segment;

import java.util.Arrays;

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
     * {@link #percentile} gives it; may reorder {@code a[0..n)}. Large arrays are {@link #counted} or
     * {@link #banded} first. Otherwise cheaper than two calls: once the order statistic below a percentile
     * is found, the array is partitioned around it, so the next one up is the least value above it and the
     * high percentile is searched for above it only.
     */
    static float[] percentiles(float[] a, int n, double low, double high) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("percentiles " + low + " > " + high);
        }
        if (!(low >= 0 && high <= 100)) {
            throw new IllegalArgumentException("percentiles must lie in [0, 100], got " + low + ", " + high);
        }
        if (n >= BANDED_MIN) {
            float[] fast = counted(a, n, low, high);
            if (fast == null) {
                fast = banded(a, n, low, high);
            }
            if (fast != null) {
                return fast;
            }
        }
        int[] from = {0};
        float lo = interpolated(a, n, low, from);
        return new float[] {lo, low == high ? lo : interpolated(a, n, high, from)};
    }

    /** Whole values below this are counted ({@link #counted}): every 8- and 16-bit image. */
    static final int COUNTED_VALUES = 1 << 16;

    /**
     * The same percentiles as the plain search (bit for bit but for the sign of a zero), from a histogram,
     * when every value is a whole number in [0, {@link #COUNTED_VALUES}) (8- and 16-bit images as read); null
     * as soon as one is not.
     * One pass and a walk up the counts: the fastest way for the images most microscopes write.
     */
    static float[] counted(float[] a, int n, double low, double high) {
        long[] hist = new long[COUNTED_VALUES];
        for (int j = 0; j < n; j++) {
            float v = a[j];
            int iv = (int) v;
            if (iv != v || iv < 0 || iv >= COUNTED_VALUES) {
                return null;
            }
            hist[iv]++;
        }
        float l = fromCounts(hist, n, low);
        return new float[] {l, low == high ? l : fromCounts(hist, n, high)};
    }

    /** Percentile {@code p} of the {@code n} counted values, as {@link #interpolated} computes it. */
    private static float fromCounts(long[] hist, int n, double p) {
        return interpolate(n, p, r -> valueOfRank(hist, r));
    }

    /** The value of each rank (0-based, in ascending order) among some values. */
    private interface Ranked {
        float at(int rank);
    }

    /**
     * Percentile {@code p} of {@code n} values from the values at two ranks, interpolated as
     * {@link #interpolated} does; NaN where a rank's value is.
     */
    private static float interpolate(int n, double p, Ranked values) {
        double pos = p / 100.0 * (n - 1);
        int i = (int) Math.floor(pos);
        double f = pos - i;
        float vi = values.at(i);
        if (f == 0 || i + 1 >= n) {
            return vi;
        }
        return (float) (vi * (1 - f) + values.at(i + 1) * f);
    }

    /**
     * The value at 0-based rank {@code r} among the values a histogram counts ({@code counts[v]} of value
     * {@code v}); the top value where {@code r} lies past every count. Percentiles of whole-number planes
     * ({@link #counted}) and the streamed faint-object filter's background level both read ranks so.
     */
    static int valueOfRank(long[] counts, long r) {
        long below = 0;
        for (int v = 0; v < counts.length; v++) {
            below += counts[v];
            if (below > r) {
                return v;
            }
        }
        return counts.length - 1;
    }

    /** Arrays of at least this many values take {@link #counted} or {@link #banded} first. */
    static final int BANDED_MIN = 1 << 15;
    /** Values read, evenly strided, to guess where each percentile lies. */
    static final int PILOT = 4096;
    /** Pilot ranks kept on either side of a percentile's: its band then holds it but for a rare pilot. */
    static final int MARGIN = 48;

    /**
     * The same percentiles as the plain search (bit for bit but for the sign of a zero, which there depends on
     * the order of the values), in about one pass instead of several: a strided
     * pilot of {@link #PILOT} values, sorted, brackets each percentile's order statistics by values; one pass
     * counts the values below each bracket and copies those inside it, and the statistics are selected among
     * the copies (about 2% of the values). Null when a bracket misses (a pilot unlike the whole, or a band too
     * full), and the plain search runs. Why: percentile normalisation ran quickselect over every pixel of a
     * plane, twice per frame with auto scale (3.2 ms of a 640×512 frame's 13 ms measure).
     */
    static float[] banded(float[] a, int n, double low, double high) {
        int stride = n / PILOT;
        float[] pilot = new float[PILOT];
        for (int j = 0; j < PILOT; j++) {
            pilot[j] = a[j * stride];
        }
        Arrays.sort(pilot);
        int cap = (int) Math.min(n, 4L * n * (2 * MARGIN + 2) / PILOT + 1024);
        Band lo = new Band(pilot, low, cap);
        Band hi = new Band(pilot, high, cap);
        for (int j = 0; j < n; j++) {
            if (!lo.add(a[j]) || !hi.add(a[j])) {
                return null;
            }
        }
        float l = lo.percentile(n);
        float h = low == high ? l : hi.percentile(n);
        return Float.isNaN(l) || Float.isNaN(h) ? null : new float[] {l, h};
    }

    /**
     * The values of a bracket {@code [from, to]} around percentile {@code p}: those below it counted, those
     * equal to an end counted (an 8-bit background can be most of a plane), those between copied.
     */
    private static final class Band {
        final double p;
        final float from;
        final float to;
        final float[] inner;
        int below;
        int atFrom;
        int count;
        int atTo;

        /** The bracket of {@code p} by the sorted pilot; infinite where the pilot's end is reached. */
        Band(float[] pilot, double p, int cap) {
            this.p = p;
            double pos = p / 100.0 * (pilot.length - 1);
            int f = (int) Math.floor(pos) - MARGIN;
            int t = (int) Math.ceil(pos) + 1 + MARGIN;
            from = f <= 0 ? Float.NEGATIVE_INFINITY : pilot[f];
            to = t >= pilot.length - 1 ? Float.POSITIVE_INFINITY : pilot[t];
            inner = new float[cap];
        }

        /** Counts or keeps one value; false when the band is full. */
        boolean add(float v) {
            if (v < from) {
                below++;
            } else if (v == from) {
                atFrom++;
            } else if (v < to) {
                if (count == inner.length) {
                    return false;
                }
                inner[count++] = v;
            } else if (v == to) {
                atTo++;
            }
            return true;
        }

        /** The value of rank {@code r} among all, if it lies in the band; NaN otherwise. */
        float rank(int r) {
            int k = r - below;
            if (k < 0) {
                return Float.NaN;
            }
            if (k < atFrom) {
                return from;
            }
            k -= atFrom;
            if (k < count) {
                return kth(inner, count, k);
            }
            return k - count < atTo ? to : Float.NaN;
        }

        /** Percentile {@code p} of all {@code n} values as {@link #interpolated} computes it, or NaN. */
        float percentile(int n) {
            return interpolate(n, p, this::rank);
        }
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
