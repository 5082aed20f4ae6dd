package org.segmentcells.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.synth.SyntheticNuclei;

class ObjectSizeTest {

    /** Synthetic nuclei (about 24 px across as generated) resized so their median diameter is {@code target}. */
    private static SyntheticNuclei.Sample atSize(double target, long seed) {
        return atSize(target, seed, 40);
    }

    private static SyntheticNuclei.Sample atSize(double target, long seed, int count) {
        SyntheticNuclei.Sample s = SyntheticNuclei.generate(320, 320, count, seed);
        double f = target / ObjectSize.medianDiameter(List.of(s.labels()));
        int w = Resample.scaledSize(320, f);
        int h = Resample.scaledSize(320, f);
        return new SyntheticNuclei.Sample(Resample.bilinear(s.image(), w, h), Resample.nearest(s.labels(), w, h));
    }

    @Test
    void estimatesTheMedianDiameterWithin15PercentFrom6To120Px() {
        for (double d : new double[] {6, 9, 14, 20, 30, 45, 70, 95, 120}) {
            for (long seed = 1; seed <= 2; seed++) {
                SyntheticNuclei.Sample s = atSize(d, seed);
                double truth = ObjectSize.medianDiameter(List.of(s.labels()));
                ObjectSize.Estimate e = ObjectSize.of(s.image());
                assertTrue(e.found(), "nothing found at " + d + " px");
                assertEquals(1, e.diameter() / truth, 0.15, "at " + d + " px (seed " + seed + "): measured "
                        + e.diameter() + ", labels " + truth);
            }
        }
    }

    @Test
    void aFlatOrPureNoiseImageHasNoNuclei() {
        assertFalse(ObjectSize.of(new FloatPlane(200, 150)).found());
        float[] px = new float[200 * 150];
        java.util.Arrays.fill(px, 1234);
        assertFalse(ObjectSize.of(new FloatPlane(200, 150, px)).found());
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (500 + 40 * r.nextGaussian());
        }
        assertFalse(ObjectSize.of(new FloatPlane(200, 150, px)).found(), "Gaussian noise is not two classes");
    }

    @Test
    void mixedSizesGiveTheMedianOfAllNucleiSoTheMoreNumerousWin() {
        // Left: 60 nuclei about 20 px across; right: 25 about 60 px across.
        SyntheticNuclei.Sample small = atSize(20, 5, 60);
        SyntheticNuclei.Sample large = atSize(60, 6, 25);
        int h = Math.max(small.image().height(), large.image().height());
        int w = small.image().width() + large.image().width();
        float[] px = new float[w * h];
        java.util.Arrays.fill(px, Float.NaN);
        int[] lab = new int[w * h];
        paste(small, px, lab, w, 0, 0);
        paste(large, px, lab, w, small.image().width(), 1000);
        // Fill the gap below the shorter image with background-like values.
        float bg = small.image().data()[0];
        for (int i = 0; i < px.length; i++) {
            if (Float.isNaN(px[i])) {
                px[i] = bg;
            }
        }
        double smallTruth = ObjectSize.medianDiameter(List.of(small.labels()));
        double largeTruth = ObjectSize.medianDiameter(List.of(large.labels()));
        double pooled = ObjectSize.medianDiameter(List.of(new LabelPlane(w, h, lab)));
        ObjectSize.Estimate e = ObjectSize.of(new FloatPlane(w, h, px));
        // The median of all nuclei: within 15% of the labels' pooled median, near the numerous small ones.
        assertEquals(1, e.diameter() / pooled, 0.15, "measured " + e.diameter() + ", pooled labels " + pooled);
        assertTrue(e.diameter() < 1.3 * smallTruth && e.diameter() < largeTruth / 2,
                "measured " + e.diameter() + " for " + smallTruth + " and " + largeTruth + " px nuclei");
    }

    private static void paste(SyntheticNuclei.Sample s, float[] px, int[] lab, int w, int x0, int idOffset) {
        FloatPlane img = s.image();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                px[y * w + x0 + x] = img.get(x, y);
                int l = s.labels().get(x, y);
                lab[y * w + x0 + x] = l == 0 ? 0 : l + idOffset;
            }
        }
    }

    @Test
    void largeImagesAreMeasuredOnADownsampledCopyAndStillRight() {
        SyntheticNuclei.Sample s = atSize(90, 7); // 1200x1200: over MAX_PIXELS, so measured at half size
        assertTrue((long) s.image().width() * s.image().height() > ObjectSize.MAX_PIXELS);
        double truth = ObjectSize.medianDiameter(List.of(s.labels()));
        assertEquals(1, ObjectSize.of(s.image()).diameter() / truth, 0.15);
    }

    /**
     * Dim 20 px nuclei under strong noise on a 2560×2160 plane: the 4× block means measure them (5 px there,
     * too small to trust, so finer levels are tried), while at full size the noise fails Otsu's two-class
     * check. The last level that measured them is kept instead of none (which could give empty labels).
     */
    @Test
    void aFinerLevelThatSeesOnlyNoiseKeepsTheCoarserMeasurement() {
        int w = 2560;
        int h = 2160;
        float[] px = new float[w * h];
        java.util.Random g = new java.util.Random(1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.hypot(x - ((x / 40) * 40 + 20), y - ((y / 40) * 40 + 20));
                px[y * w + x] = (float) (100 + (d < 10 ? 15 : 0) + g.nextGaussian() * 20);
            }
        }
        FloatPlane p = new FloatPlane(w, h, px);
        assertEquals(4, ObjectSize.shrinkFactor(w, h));
        assertTrue(ObjectSize.median(ObjectSize.diameters(org.segmentcells.img.Resample.blockMean(p, 4))) < ObjectSize.MIN_RESOLVED,
                "too small to trust at 4x");
        assertTrue(ObjectSize.diameters(p).isEmpty(), "at full size the noise fails the two-class check");
        ObjectSize.Estimate e = ObjectSize.of(p);
        assertEquals(20, e.diameter(), 3);
        assertTrue(e.objects() > 3000, "objects " + e.objects());
    }

    /** Block means skip NaN and infinite pixels, as normalising does, rather than counting them as 0. */
    @Test
    void blockMeansLeaveOutPixelsThatAreNotNumbers() {
        float nan = Float.NaN;
        FloatPlane p = new FloatPlane(4, 2, new float[] {
            -10, -20, nan, nan,
            -30, nan, nan, Float.POSITIVE_INFINITY});
        float[] m = org.segmentcells.img.Resample.blockMean(p, 2).data();
        assertEquals(2, m.length);
        assertEquals(-20f, m[0]);
        assertTrue(Float.isNaN(m[1]), "a block with no number is NaN, background once normalised");
        assertEquals(2.5f, org.segmentcells.img.Resample.blockMean(new FloatPlane(2, 2, new float[] {1, 2, 3, 4}), 2).data()[0]);
    }

    @Test
    void labelDiametersAreEquivalentDiscDiameters() {
        int[] l = new int[100 * 100];
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 100; x++) {
                if ((x - 30) * (x - 30) + (y - 30) * (y - 30) <= 100) {
                    l[y * 100 + x] = 1;
                }
                if (x >= 60 && x < 70 && y >= 60 && y < 70) {
                    l[y * 100 + x] = 2;
                }
            }
        }
        double disc = ObjectSize.diameterOfArea(java.util.Arrays.stream(l).filter(v -> v == 1).count());
        assertEquals(20, disc, 0.5, "a disc of radius 10");
        assertEquals((disc + ObjectSize.diameterOfArea(100)) / 2, ObjectSize.medianDiameter(List.of(new LabelPlane(100, 100, l))), 1e-9);
        assertTrue(Double.isNaN(ObjectSize.medianDiameter(List.of(new LabelPlane(10, 10)))));
    }

    @Test
    void theHistogramBinsValuesClippedToTheUnitRange() {
        SplittableRandom r = new SplittableRandom(5);
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.001f, 1.001f, 1f, 0f, -0f,
            0.999f, 0.5f};
        float[] v = new float[5000];
        long[] expected = new long[256];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(5) == 0 ? special[r.nextInt(special.length)] : (float) (0.5 + 0.4 * r.nextGaussian());
            // Clipped first, as the threshold means it; NaN compares false both ways and lands in the first bin.
            float c = Math.max(0, Math.min(1, v[i]));
            expected[Float.isNaN(c) ? 0 : Math.min(255, (int) (c * 256))]++;
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, ObjectSize.histogram(v, 256));
    }

    @Test
    void aFewVeryBrightPixelsDoNotHideTheNuclei() {
        // Dim nuclei and one small, very bright piece of debris: normalised to the 99.8th percentile the
        // nuclei fill the bottom of the range and Otsu sees one class; clipped at the 99th they are measured.
        SyntheticNuclei.Sample s = atSize(24, 1);
        float[] px = s.image().data().clone();
        int w = s.image().width();
        float max = 0;
        for (float v : px) {
            max = Math.max(max, v);
        }
        int debris = (int) Math.ceil(Math.sqrt(px.length * 0.003));
        for (int y = 0; y < debris; y++) {
            for (int x = 0; x < debris; x++) {
                px[(2 + y) * w + 2 + x] = 3 * max;
            }
        }
        FloatPlane img = new FloatPlane(w, s.image().height(), px);
        assertTrue(Double.isNaN(ObjectSize.otsu(Resample.gaussian(
                org.segmentcells.segment.Normalization.DEFAULT.apply(img), 1, 1).data())), "one class as normalised");
        double truth = ObjectSize.medianDiameter(List.of(s.labels()));
        ObjectSize.Estimate e = ObjectSize.of(img);
        assertTrue(e.objects() >= ObjectSize.MIN_OBJECTS, "objects: " + e.objects());
        assertEquals(1, e.diameter() / truth, 0.15, "measured " + e.diameter() + ", labels " + truth);
    }
}
