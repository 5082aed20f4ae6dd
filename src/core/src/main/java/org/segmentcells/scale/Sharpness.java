package org.segmentcells.scale;

import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.io.Once;
import org.segmentcells.segment.Normalization;

/**
 * How much of a plane's detail lies at the scale of single pixels: the energy its normalised pixels lose to a
 * Gaussian of 1 px, over what they lose to one of 4 px. A plane enlarged from a smaller one (or blurred by
 * its optics well beyond a pixel, oversampled) has little (held-out DSB frames enlarged 2 or 3 times: 0.03 at
 * the median, 0.04–0.06 at the 90th percentile); a frame at its own sampling has edges, texture and noise
 * there (0.06–0.19 on the same frames unresized, 0.26–0.51 on noisy frames). Shrinking a plane without such
 * detail loses nothing; shrinking a sharp one loses what the network could have used.
 */
public final class Sharpness {

    /**
     * Planes at or above this share are sharp. Chosen on the DSB training frames whose nuclei measure just
     * above default's range (between the ×1 frames' minimum, 0.056, and the 90th percentile of the same
     * frames enlarged 2 and 3 times, 0.040 and 0.044).
     */
    public static final double SHARP = 0.05;

    /**
     * Planes at or above this share are noisy: noise, not detail, fills their pixel scale (white noise 0.77;
     * the new microscope's frames 0.26-0.51, lab2's 0.48-0.59; lab1's 8-bit frames are noisy too), so it does not show that they are at their own
     * sampling. Below it, from {@link #SHARP} up, a plane has the detail of its own sampling: on the 105
     * unresized DSB and BBBC039 training frames where auto's network check ran (0.05–0.19), the check kept
     * scale 1 on 104.
     */
    public static final double NOISY = 0.2;

    /**
     * Side of the centred square measured on larger planes: a quarter of a megapixel gives a stable ratio,
     * at about 0.02 s (the whole of a 1392×1040 frame took 0.06 s, a fifth of segmenting it).
     */
    public static final int CROP = 512;

    private Sharpness() {
    }

    /**
     * The share of detail at the pixel scale: near 0 for a smooth plane, about 0.77 for white noise; NaN for a
     * plane that cannot tell (its centre constant once normalised: blank, or almost all one value), which
     * no rule reads as soft or sharp.
     */
    public static double of(FloatPlane plane) {
        FloatPlane p = centre(plane);
        float[] range = Normalization.DEFAULT.range(p.data());
        FloatPlane n = Normalization.DEFAULT.apply(p, range);
        // Clipped to the normalised range, so that a few hot pixels do not make a soft plane sharp (20 on an
        // enlarged BBBC039 frame gave 0.75 unclipped, 0.07 clipped; the frames above measure alike either way).
        float[] v = n.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(0f, Math.min(1f, v[i]));
        }
        double fine = lost(n, 1);
        double coarse = lost(n, 4);
        // Whole numbers carry rounding noise (a twelfth of a step squared per pixel), which is no detail: a dim
        // 8-bit frame enlarged and saved as 8-bit (ImageJ's Size...) measured 0.05-0.07, sharp, for 0.04 unresized,
        // and was kept at scale 1, its nuclei in pieces; without the noise 0.00-0.02 (docs/benchmarks-log.md, stop 61).
        double rounding = wholeNumbers(p) && range[1] > range[0] ? 1 / (12.0 * (range[1] - range[0]) * (range[1] - range[0])) : 0;
        // Where rounding explains all the pixel-scale energy the plane has no detail of its own there: 0, soft.
        fine = Math.max(0, fine - rounding * WHITE_LOST_FINE);
        coarse -= rounding * WHITE_LOST_COARSE;
        return coarse > 0 ? fine / coarse : Double.NaN;
    }

    /** The share of white noise's energy that {@link #lost} measures at 1 and 4 px. */
    private static final double WHITE_LOST_FINE = whiteLost(1);
    private static final double WHITE_LOST_COARSE = whiteLost(4);

    /**
     * E[(x - G x)²] / var(x) for white noise x and the 2D Gaussian G of {@code sigma} that {@link #lost} uses:
     * 1 - 2 g(0) + Σ g², of a separable kernel.
     */
    private static double whiteLost(double sigma) {
        float[] k = Resample.kernel(sigma);
        double centre = k[k.length / 2];
        double squares = 0;
        for (float v : k) {
            squares += v * v;
        }
        return 1 - 2 * centre * centre + squares * squares;
    }

    private static boolean wholeNumbers(FloatPlane p) {
        for (float v : p.data()) {
            if (v != Math.rint(v) && Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The median sharpness of {@code planes} (those that can tell; NaN when none can), measured on the first
     * call only: for rules that may not need it, within one plan (not thread-safe). The median, so that one
     * plane (an empty time point, an out-of-focus slice of a stack) does not decide for the others.
     */
    public static DoubleSupplier once(Supplier<List<FloatPlane>> planes) {
        Once<Double> measured = Once.of(() -> median(planes.get()));
        return measured::get;
    }

    private static double median(List<FloatPlane> planes) {
        List<Double> v = planes.stream().map(Sharpness::of).filter(x -> !Double.isNaN(x)).toList();
        return v.isEmpty() ? Double.NaN : ObjectSize.median(v);
    }

    public static boolean isSharp(FloatPlane plane) {
        return of(plane) >= SHARP;
    }

    /** Whether noise fills the plane's pixel scale ({@link #NOISY}). */
    public static boolean isNoisy(FloatPlane plane) {
        return of(plane) >= NOISY;
    }

    /** Mean squared difference between a plane and its Gaussian blur of {@code sigma} px. */
    private static double lost(FloatPlane n, double sigma) {
        float[] a = n.data();
        float[] b = Resample.gaussian(n, sigma, sigma).data();
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum / a.length;
    }

    private static FloatPlane centre(FloatPlane p) {
        int w = Math.min(CROP, p.width());
        int h = Math.min(CROP, p.height());
        if (w == p.width() && h == p.height()) {
            return p;
        }
        int x0 = (p.width() - w) / 2;
        int y0 = (p.height() - h) / 2;
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(p.data(), (y0 + y) * p.width() + x0, out, y * w, w);
        }
        return new FloatPlane(w, h, out);
    }
}
