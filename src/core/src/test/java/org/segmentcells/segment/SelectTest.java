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

    /** The plain search: {@link Select#percentiles} below {@link Select#BANDED_MIN} values. */
    private static float plain(float[] a, int n, double p) {
        float[] sorted = Arrays.copyOf(a, n);
        Arrays.sort(sorted);
        double pos = p / 100 * (n - 1);
        int i = (int) Math.floor(pos);
        double f = pos - i;
        return f == 0 || i + 1 >= n ? sorted[i] : (float) (sorted[i] * (1 - f) + sorted[i + 1] * f);
    }

    @Test
    void largeArraysGetThePercentilesBitForBitAndMostlyInOnePass() {
        SplittableRandom r = new SplittableRandom(13);
        int banded = 0;
        for (int trial = 0; trial < 40; trial++) {
            int n = Select.BANDED_MIN + r.nextInt(300_000);
            float[] a = values(r, n, trial % 4 == 0);
            if (trial % 4 == 1) {
                // An image's look: a dark background with bright objects and a few hot pixels.
                for (int i = 0; i < n; i++) {
                    a[i] = r.nextInt(10) == 0 ? 2000 + 500 * a[i] : 100 + 5 * a[i];
                }
                a[r.nextInt(n)] = 65535;
            }
            double[][] pairs = {{1, 99.8}, {0, 100}, {50, 50}, {r.nextDouble() * 100, 100}};
            double[] pair = pairs[trial % pairs.length];
            double low = Math.min(pair[0], pair[1]);
            double high = Math.max(pair[0], pair[1]);
            float[] got = Select.percentiles(a.clone(), n, low, high);
            assertEquals(plain(a, n, low), got[0], 0f, "low " + low + " of " + n);
            assertEquals(plain(a, n, high), got[1], 0f, "high " + high + " of " + n);
            if (Select.banded(a.clone(), n, low, high) != null) {
                banded++;
            }
        }
        assertEquals(40, banded, "every trial found its percentiles in the bands");
    }

    @Test
    void aPilotUnlikeTheWholeFallsBackToThePlainSearch() {
        int n = Select.BANDED_MIN * 2;
        float[] a = new float[n];
        int stride = n / Select.PILOT;
        for (int i = 0; i < n; i++) {
            // Every value the pilot reads is 0; the others count up, so its brackets hold almost nothing.
            a[i] = i % stride == 0 ? 0 : i;
        }
        assertEquals(null, Select.banded(a.clone(), n, 1, 99.8));
        float[] got = Select.percentiles(a.clone(), n, 1, 99.8);
        assertEquals(plain(a, n, 1), got[0], 0f);
        assertEquals(plain(a, n, 99.8), got[1], 0f);
    }

    @Test
    void wholeNumbersOfEightAndSixteenBitImagesAreCountedBitForBit() {
        SplittableRandom r = new SplittableRandom(17);
        for (int trial = 0; trial < 20; trial++) {
            int n = Select.BANDED_MIN + r.nextInt(300_000);
            int max = trial % 2 == 0 ? 256 : Select.COUNTED_VALUES;
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                // Most pixels background near the bottom, some objects, one saturated pixel.
                a[i] = r.nextInt(5) == 0 ? r.nextInt(max) : r.nextInt(Math.max(2, max / 50));
            }
            a[r.nextInt(n)] = max - 1;
            double low = trial % 3 == 0 ? 0 : r.nextDouble() * 10;
            double high = trial % 3 == 1 ? 100 : 90 + r.nextDouble() * 10;
            float[] counted = Select.counted(a, n, low, high);
            assertEquals(plain(a, n, low), counted[0], 0f, "low " + low);
            assertEquals(plain(a, n, high), counted[1], 0f, "high " + high);
            float[] got = Select.percentiles(a.clone(), n, low, high);
            assertEquals(counted[0], got[0], 0f);
            assertEquals(counted[1], got[1], 0f);
        }
        float[] notWhole = {1, 2, 2.5f, 3};
        float[] negative = {1, -2, 3};
        float[] tooLarge = {1, 65536};
        assertEquals(null, Select.counted(notWhole, notWhole.length, 1, 99));
        assertEquals(null, Select.counted(negative, negative.length, 1, 99));
        assertEquals(null, Select.counted(tooLarge, tooLarge.length, 1, 99));
    }

    @Test
    void percentilesOutsideZeroToHundredAreRefusedOnEveryPath() {
        for (int n : new int[] {100, Select.BANDED_MIN}) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = 5 + i % 100;
            }
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Select.percentiles(a.clone(), n, -1, 50), "n " + n);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Select.percentiles(a.clone(), n, 50, 100.5), "n " + n);
        }
    }
}
