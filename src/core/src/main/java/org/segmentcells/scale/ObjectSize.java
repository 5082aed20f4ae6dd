package org.segmentcells.scale;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.segment.Normalization;

/**
 * The size of the nuclei in an image, without a network: the median equivalent diameter
 * ({@code 2·sqrt(area/π)}) of the bright objects. The image is normalised by percentiles, smoothed
 * (sigma 1 px, against noise), thresholded by Otsu; holes are filled and touching objects are cut by the
 * distance-map watershed (ImageJ's Process › Binary › Watershed, headless). Why not the network: at the
 * wrong scale the network is what fails (large nuclei break into pieces or vanish), so its objects
 * cannot tell the scale; a threshold does not care about size.
 *
 * <p>Robust to specks and debris: objects smaller than a tenth of the area-weighted median area do not
 * count, nor do objects cut by the image border when whole ones exist. Large images are measured on a
 * downsampled copy first ({@link #MAX_PIXELS}), and again at a finer level only when their nuclei come
 * out too small there to be measured well, so the cost stays bounded for any size.
 *
 * <p>With mixed sizes the median wins: an image with as many 20 px as 60 px nuclei is measured as one
 * or the other (whichever has the more objects), not at an average that fits neither.
 */
public final class ObjectSize {

    /** The estimate works on at most this many pixels per level (a 1024×1024 frame). */
    public static final long MAX_PIXELS = 1L << 20;
    /** At a coarse level, diameters below this many px are re-measured one level finer. */
    static final double MIN_RESOLVED = 14;
    /**
     * Otsu's separability below this means no bright objects on a background (a flat image, or noise: Gaussian
     * noise gives 2/π ≈ 0.64). Dense dim nuclei were measured at 0.67–0.78.
     */
    static final double MIN_SEPARABILITY = 0.65;
    /** Objects under this many pixels are noise, whatever the scale. */
    static final int MIN_AREA = 9;

    /** A measured size: the median diameter in px of {@code objects} objects, or no objects at all. */
    public record Estimate(double diameter, int objects) {
        public static final Estimate NONE = new Estimate(Double.NaN, 0);

        public boolean found() {
            return objects > 0;
        }

        /** The same objects measured on an image {@code k} times larger. */
        public Estimate times(double k) {
            return new Estimate(diameter * k, objects);
        }
    }

    private ObjectSize() {
    }

    /** The median nucleus diameter of one image, in its pixels. */
    public static Estimate of(FloatPlane image) {
        return of(List.of(image));
    }

    /**
     * One estimate for several planes of one acquisition (a stack, a time-lapse): their objects are pooled,
     * so planes with more nuclei weigh more.
     */
    public static Estimate of(List<FloatPlane> planes) {
        if (planes.isEmpty()) {
            return Estimate.NONE;
        }
        int w = planes.get(0).width();
        int h = planes.get(0).height();
        // Halve the shrink while nuclei come out small.
        int factor = shrinkFactor(w, h);
        Estimate coarser = Estimate.NONE;
        while (true) {
            List<Double> diameters = new ArrayList<>();
            for (FloatPlane p : planes) {
                FloatPlane level = factor == 1 ? p : Resample.blockMean(p, factor);
                diameters.addAll(diameters(level));
            }
            if (diameters.isEmpty()) {
                // A finer level can fail Otsu's two-class check on noise its coarser block means averaged away;
                // what the coarser level measured stands.
                return coarser;
            }
            double d = median(diameters);
            Estimate here = new Estimate(d * factor, diameters.size());
            if (factor == 1 || d >= MIN_RESOLVED) {
                return here;
            }
            coarser = here;
            factor /= 2;
        }
    }

    /** The power-of-two block size that brings a {@code w × h} plane to at most {@link #MAX_PIXELS}. */
    public static int shrinkFactor(int w, int h) {
        int factor = 1;
        while ((long) w * h / ((long) factor * factor) > MAX_PIXELS) {
            factor *= 2;
        }
        return factor;
    }

    /**
     * Equivalent diameters of the objects that count, in the plane's pixels. A global threshold first; if
     * it finds too few objects to trust ({@link #MIN_OBJECTS}; typically an uneven background or a bright
     * tissue taken as one object), again after subtracting the background ({@link #flatten}), and again
     * with the brightest pixels clipped ({@link #BRIGHT_CLIPPED}), keeping whichever counts more objects.
     */
    static List<Double> diameters(FloatPlane image) {
        FloatPlane norm = Normalization.DEFAULT.apply(image);
        List<Double> d = thresholded(norm, SMOOTHING);
        if (d.size() < MIN_OBJECTS) {
            List<Double> flat = thresholded(Normalization.DEFAULT.apply(flatten(norm)), SMOOTHING);
            d = flat.size() > d.size() ? flat : d;
        }
        if (d.size() < MIN_OBJECTS) {
            FloatPlane clippedNorm = BRIGHT_CLIPPED.apply(image);
            List<Double> clipped = thresholded(clippedNorm, SMOOTHING);
            if (clipped.size() > d.size()) {
                d = clipped;
                norm = clippedNorm;
            }
        }
        if (!d.isEmpty() && median(d) < FINE) {
            // Smoothing swells tiny nuclei (a 6 px one by about 20%): measure those again with less of it.
            List<Double> fine = thresholded(norm, SMOOTHING / 2);
            if (fine.size() >= d.size() / 2) {
                d = fine;
            }
        }
        return d;
    }

    /**
     * The normalisation tried last: a few very bright pixels (debris, a dead cell; 0.2% of a frame) can
     * squeeze the nuclei into the bottom tenth of the default range, where Otsu sees one class. Clipped at
     * the 99th percentile they spread out: on the training split the three such frames (152–260 nuclei)
     * measure 25.0, 20.8 and 22.1 px against labels of 26.7, 23.7 and 23.7, where nothing was measured
     * and the network's fallback ran (docs/benchmarks-log.md, stop 43).
     */
    static final Normalization BRIGHT_CLIPPED = new Normalization(1, 99);

    /** Sigma (px) of the smoothing before the threshold, against noise. */
    static final double SMOOTHING = 1;
    /** Nuclei under this many px across are measured again with half the smoothing. */
    static final double FINE = 10;

    /** Fewer objects than this and the global threshold is tried again on a flattened image. */
    public static final int MIN_OBJECTS = 5;

    /**
     * The image minus a smooth background (a Gaussian of a tenth of its shorter side, computed on a
     * 4× smaller copy, so it costs little): evens out vignetting and gradients, and a bright tissue
     * region, leaving its nuclei as the bright objects.
     */
    static FloatPlane flatten(FloatPlane image) {
        int w = image.width();
        int h = image.height();
        int sw = Math.max(1, w / 4);
        int sh = Math.max(1, h / 4);
        double sigma = Math.max(2, Math.min(w, h) / 10.0 / 4);
        FloatPlane bg = Resample.bilinear(Resample.gaussian(Resample.bilinear(image, sw, sh), sigma, sigma), w, h);
        float[] out = new float[w * h];
        for (int i = 0; i < out.length; i++) {
            out[i] = image.data()[i] - bg.data()[i];
        }
        return new FloatPlane(w, h, out);
    }

    private static List<Double> thresholded(FloatPlane norm, double sigma) {
        int w = norm.width();
        int h = norm.height();
        FloatPlane smooth = Resample.gaussian(norm, sigma, sigma);
        float[] v = smooth.data();
        double t = otsu(v);
        if (Double.isNaN(t)) {
            return List.of();
        }
        byte[] mask = new byte[w * h];
        for (int i = 0; i < v.length; i++) {
            mask[i] = v[i] > t ? (byte) 255 : 0;
        }
        fillHoles(mask, w, h);
        Watershed.split(mask, w, h, MIN_AREA);
        return objectDiameters(mask, w, h);
    }

    /**
     * Otsu's threshold of values clipped to [0, 1], or NaN when the histogram is not two classes
     * (separability {@code σ²between / σ²total} under {@link #MIN_SEPARABILITY}): a flat image, or noise.
     */
    static double otsu(float[] v) {
        long[] hist = histogram(v, 256);
        int bins = hist.length;
        long n = v.length;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < bins; i++) {
            double c = (i + 0.5) / bins;
            sum += hist[i] * c;
            sumSq += hist[i] * c * c;
        }
        double mean = sum / n;
        double total = sumSq / n - mean * mean;
        if (!(total > 1e-8)) {
            return Double.NaN;
        }
        double bestBetween = -1;
        int best = -1;
        long n0 = 0;
        double s0 = 0;
        for (int i = 0; i < bins - 1; i++) {
            n0 += hist[i];
            s0 += hist[i] * (i + 0.5) / bins;
            long n1 = n - n0;
            if (n0 == 0 || n1 == 0) {
                continue;
            }
            double m0 = s0 / n0;
            double m1 = (sum - s0) / n1;
            double between = (double) n0 * n1 / ((double) n * n) * (m1 - m0) * (m1 - m0);
            if (between > bestBetween) {
                bestBetween = between;
                best = i;
            }
        }
        if (best < 0 || bestBetween / total < MIN_SEPARABILITY) {
            return Double.NaN;
        }
        return (best + 1.0) / bins;
    }

    /** Counts of values clipped to [0, 1] in {@code bins} equal bins (1 in the top one, NaN in the first). */
    static long[] histogram(float[] v, int bins) {
        long[] hist = new long[bins];
        for (float x : v) {
            // Clipped after the cast instead of before (the same bins), without Math.min/max's float cases:
            // this loop was a tenth of a frame's measure.
            int b = (int) (x * bins);
            hist[b < 0 ? 0 : b >= bins ? bins - 1 : b]++;
        }
        return hist;
    }

    /** Background not 4-connected to the border becomes foreground. */
    static void fillHoles(byte[] px, int w, int h) {
        boolean[] outside = new boolean[w * h];
        int[] queue = new int[w * h];
        int tail = 0;
        for (int x = 0; x < w; x++) {
            tail = seed(px, outside, queue, tail, x);
            tail = seed(px, outside, queue, tail, (h - 1) * w + x);
        }
        for (int y = 0; y < h; y++) {
            tail = seed(px, outside, queue, tail, y * w);
            tail = seed(px, outside, queue, tail, y * w + w - 1);
        }
        for (int head = 0; head < tail; head++) {
            int i = queue[head];
            int x = i % w;
            if (x > 0) {
                tail = seed(px, outside, queue, tail, i - 1);
            }
            if (x < w - 1) {
                tail = seed(px, outside, queue, tail, i + 1);
            }
            if (i >= w) {
                tail = seed(px, outside, queue, tail, i - w);
            }
            if (i + w < px.length) {
                tail = seed(px, outside, queue, tail, i + w);
            }
        }
        for (int i = 0; i < px.length; i++) {
            if (!outside[i]) {
                px[i] = (byte) 255;
            }
        }
    }

    private static int seed(byte[] px, boolean[] outside, int[] queue, int tail, int i) {
        if (px[i] == 0 && !outside[i]) {
            outside[i] = true;
            queue[tail++] = i;
        }
        return tail;
    }

    /**
     * Diameters of the 4-connected objects of a mask that count: not specks, and not cut by the border
     * unless nothing else is there.
     */
    static List<Double> objectDiameters(byte[] mask, int w, int h) {
        Components c = Components.of(mask, w, h, false);
        List<int[]> kept = new ArrayList<>(); // {area, touchesBorder}
        long giant = (long) w * h / 5;
        for (int k = 0; k < c.count(); k++) {
            // Specks are noise; an object over a fifth of the image is background or tissue, not a nucleus.
            if (c.area()[k] >= MIN_AREA && c.area()[k] <= giant) {
                kept.add(new int[] {c.area()[k], c.touchesBorder(k) ? 1 : 0});
            }
        }
        if (kept.isEmpty()) {
            return List.of();
        }
        double floor = weightedMedianArea(kept) / 10;
        List<Double> inner = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        for (int[] o : kept) {
            if (o[0] >= floor) {
                double d = diameterOfArea(o[0]);
                all.add(d);
                if (o[1] == 0) {
                    inner.add(d);
                }
            }
        }
        return inner.isEmpty() ? all : inner;
    }

    /** The area below and above which half of the foreground pixels lie. */
    private static double weightedMedianArea(List<int[]> objects) {
        int[] areas = objects.stream().mapToInt(o -> o[0]).sorted().toArray();
        long total = Arrays.stream(areas).asLongStream().sum();
        long acc = 0;
        for (int a : areas) {
            acc += a;
            if (2 * acc >= total) {
                return a;
            }
        }
        return areas[areas.length - 1];
    }

    /** Diameter of the disc with this area. */
    public static double diameterOfArea(double area) {
        return 2 * Math.sqrt(area / Math.PI);
    }

    /**
     * The median equivalent diameter of the objects of label images (ids as in {@link LabelPlane}),
     * objects of all planes pooled; NaN when there are none. What a model's training size is measured with.
     */
    public static double medianDiameter(List<LabelPlane> labels) {
        List<Double> d = new ArrayList<>();
        for (LabelPlane l : labels) {
            int[] area = new int[l.maxLabel() + 1];
            for (int v : l.data()) {
                if (v > 0) {
                    area[v]++;
                }
            }
            for (int i = 1; i < area.length; i++) {
                if (area[i] > 0) {
                    d.add(diameterOfArea(area[i]));
                }
            }
        }
        return d.isEmpty() ? Double.NaN : median(d);
    }

    /** The median of some values (the mean of the middle two for an even count). */
    public static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
