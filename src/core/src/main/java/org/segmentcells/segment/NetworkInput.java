package org.segmentcells.segment;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.Resample;

/**
 * How a plane becomes what the network sees at a scale, the same when segmenting ({@link Segmenter}, and
 * {@link StreamingSegmenter} band by band) and when training on frames at that scale: normalised, then
 * resized; a noisy plane that is shrunk is smoothed by {@link #NOISY_SMOOTHING} more, and normalised after.
 */
public final class NetworkInput {

    /**
     * Gaussian sigma, in px at the network's scale, added to a shrink's anti-aliasing for a noisy plane (one
     * whose pixel-scale detail is mostly noise, {@code Sharpness.NOISY}). Why: a dim, grainy plane shrunk to
     * bring large nuclei to the size the network learned keeps noise the anti-aliasing leaves, and textured
     * nuclei break into pieces in it. Chosen on the frames fine-tunes may train on (the first 4 of each
     * new-microscope set), pooled F at 0 / 0.5 / 0.75 / 1 px: new microscope 0.704 / 0.747 / 0.793 / 0.820,
     * lab1 0.945 / 0.929 / 0.933 / 0.933, lab2 0.915 / 0.893 / 0.893 / 0.904 (docs/benchmarks-log.md, stop 54).
     */
    public static final double NOISY_SMOOTHING = 1;

    /**
     * The brightest value the network is given, in units of the normalised range (its high percentile is 1).
     * Why: a few hot pixels (an sCMOS camera's, a cosmic ray) are far brighter than any nucleus and fall above
     * the percentiles, and unclipped they erased or shrank the nuclei within about 30 px of each: 40 pixels at
     * 65535 in a 12-bit BBBC039 frame took F from 0.974 to 0.826 (found by a tester); clipped at 2, 0.974. On
     * BBBC039 val, held-out DSB and the three new-microscope sets every score stayed as it was at 2 and at 3
     * (docs/benchmarks-log.md, stop 62). Training clips its crops alike.
     */
    public static final float MAX_VALUE = 2;

    private NetworkInput() {
    }

    /** The first {@code n} values of {@code v}, in place, at most {@link #MAX_VALUE}. */
    public static void clip(float[] v, int n) {
        for (int i = 0; i < n; i++) {
            if (v[i] > MAX_VALUE) {
                v[i] = MAX_VALUE;
            }
        }
    }

    /** The extra smoothing (sigma, source px) of a plane resized by {@code scale}: only a noisy one shrunk has any. */
    public static double smoothing(double scale, boolean noisy) {
        return noisy && scale < 1 ? NOISY_SMOOTHING / scale : 0;
    }

    /**
     * {@code plane} (as read, or already normalised) as the network sees it at {@code scale}: normalised by
     * {@code norm} and resized ({@link Resample#scaledSize}). A noisy plane that shrinks is resized first,
     * with the extra smoothing, and normalised by the percentiles of the result, which its noise no longer
     * widens (normalising the plane before the extra smoothing lost about half the gain: new microscope,
     * the 7 scored frames it touches, 0.824 unsmoothed, 0.845 normalised first, 0.867 normalised after).
     */
    public static FloatPlane of(FloatPlane plane, Normalization norm, double scale, boolean noisy) {
        double extra = smoothing(scale, noisy);
        if (extra > 0) {
            return norm.apply(Resample.bilinear(finite(plane, norm), Resample.scaledSize(plane.width(), scale),
                    Resample.scaledSize(plane.height(), scale), extra));
        }
        return resized(norm.apply(plane), scale);
    }

    /** {@code p} resized by {@code scale} with the plain anti-aliasing; {@code p} itself at scale 1. */
    private static FloatPlane resized(FloatPlane p, double scale) {
        return scale == 1 ? p : Resample.bilinear(p, Resample.scaledSize(p.width(), scale),
                Resample.scaledSize(p.height(), scale));
    }

    /**
     * {@code p} with its NaN and infinite pixels at its low percentile, the background normalising makes of
     * them, so that the smoothing does not spread them over their neighbours; {@code p} itself when it has none.
     */
    private static FloatPlane finite(FloatPlane p, Normalization norm) {
        if (Normalization.countNonFinite(p.data()) == 0) {
            return p;
        }
        float lo = norm.range(p.data())[0];
        float[] d = p.data().clone();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                d[i] = lo;
            }
        }
        return new FloatPlane(p.width(), p.height(), d);
    }

    /**
     * {@link #of} for a plane already normalised by {@code norm} (a training frame): only a noisy plane that
     * shrinks is normalised again, after its smoothing; any other is resized as it is.
     */
    public static FloatPlane ofNormalised(FloatPlane normalised, Normalization norm, double scale, boolean noisy) {
        return smoothing(scale, noisy) > 0 ? of(normalised, norm, scale, true) : resized(normalised, scale);
    }
}
