package org.segmentcells.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SelectTest {

    /** Few distinct values (a 16-bit background) when {@code fewDistinct}, continuous values otherwise. */
    private static float[] values(SplittableRandom r, int length, boolean fewDistinct) {
        int distinct = fewDistinct ? 1 + r.nextInt(5) : Integer.MAX_VALUE;
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = distinct == Integer.MAX_VALUE ? (float) r.nextGaussian() : r.nextInt(distinct);
        }
        return a;
    }

    @Test
    void kthEqualsTheSortedElementAlsoWithManyTies() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + r.nextInt(2000);
            float[] a = values(r, n + 3, trial % 3 == 0);
            float[] sorted = Arrays.copyOf(a, n);
            Arrays.sort(sorted);
            int k = r.nextInt(n);
            float tail = a[n + 1];
            assertEquals(sorted[k], Select.kth(a, n, k), "n " + n + " k " + k);
            assertEquals(tail, a[n + 1], "elements past n are not touched");
            double p = r.nextDouble() * 100;
            double pos = p / 100 * (n - 1);
            int i = (int) Math.floor(pos);
            double f = pos - i;
            float expected = (float) (sorted[i] * (1 - f) + sorted[Math.min(n - 1, i + 1)] * f);
            assertEquals(expected, Select.percentile(a, n, p), 1e-6, "percentile " + p);
        }
    }

    @Test
    void twoPercentilesAtOnceAreEachPercentileBitForBit() {
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + r.nextInt(3000);
            float[] a = values(r, n, trial % 3 == 0);
            double low = trial % 10 == 0 ? 0 : r.nextDouble() * 50;
            double high = trial % 10 == 1 ? 100 : trial % 10 == 2 ? low : low + r.nextDouble() * (100 - low);
            float[] both = Select.percentiles(a.clone(), n, low, high);
            // Each on a fresh copy, so that neither benefits from the other's reordering.
            assertEquals(Select.percentile(a.clone(), n, low), both[0], 0f, "low " + low + " of " + n);
            assertEquals(Select.percentile(a.clone(), n, high), both[1], 0f, "high " + high + " of " + n);
        }
    }
}
