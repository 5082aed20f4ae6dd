package org.segmentcells.scale;

import java.util.ArrayList;
import java.util.List;

import org.segmentcells.img.LabelPlane;

/**
 * The nucleus size a model learned from, as its network saw it: the median diameter of all training
 * nuclei, and the range [low, high] of the training frames' own medians (their interquartile range).
 * A model trained on one microscope has a narrow range, about its median; a generalist trained on many
 * (the shipped {@code default}: 13.4–28.7 px) has a wide one, and met images anywhere in it at their own
 * size, so {@link AutoScale} leaves those alone and resizes only images outside it (a generalist that
 * learned sharp frames only keeps small nuclei down to half its low end).
 *
 * @param median the median diameter (px) of all training nuclei; 0 when unknown
 * @param low    the {@link #LOW} quantile of the frames' median diameters (px, at most {@code median}), or
 *               {@code median} when unknown
 * @param high   the {@link #HIGH} quantile, or {@code median} when unknown
 * @param learnedResized whether the network learned images as resizing leaves them: every training frame
 *               shown across [low, high] (at its own size brought into the range, and at both ends), or
 *               its crops softened by a Gaussian of up to at least {@link #RESIZE_SOFTNESS} px, rather
 *               than only sharp frames at their own sizes
 */
public record TrainingSize(double median, double low, double high, boolean learnedResized) {

    /**
     * About the softening (Gaussian sigma, px) that resizing a frame adds: the held-out DSB images smoothed
     * by 0.6 px lose as much as they do resized there and back (docs/benchmarks-log.md, stop 38).
     */
    public static final double RESIZE_SOFTNESS = 0.6;

    public static final TrainingSize UNKNOWN = new TrainingSize(0, 0, 0);
    /**
     * Quantiles of the frames' medians that bound the range: the quartiles. Measured on images with nuclei
     * 2-4 times larger (what scale auto is for), they beat the 5th and 95th percentiles (BBBC039 F
     * 0.938-0.940 against 0.931-0.933, held-out DSB 0.43-0.59 against 0.28-0.59), which won only at x1
     * (DSB 0.735 against 0.680); docs/benchmarks.md.
     */
    static final double LOW = 0.25;
    static final double HIGH = 0.75;

    /** Sizes of sharp frames shown at their own size only. */
    public TrainingSize(double median, double low, double high) {
        this(median, low, high, false);
    }

    public TrainingSize {
        if (!(median >= 0 && low >= 0 && high >= low)) {
            throw new IllegalArgumentException("invalid training size " + median + " [" + low + ", " + high + "]");
        }
    }

    /**
     * The middle of the range on a log scale ({@code sqrt(low * high)}: 19.6 px for default), where
     * {@link AutoScale} brings nuclei measured larger than the range (but on soft images: {@link AutoScale#softTarget}).
     */
    public double centre() {
        return Math.sqrt(low * high);
    }

    /**
     * The size of a model trained on frames with these sizes: it learned them as resizing leaves them when
     * it was shown them across the range ({@code acrossRange}) or its crops were softened by a Gaussian of
     * up to {@code cropBlur} px of at least {@link #RESIZE_SOFTNESS}.
     */
    public static TrainingSize learned(double median, double low, double high, boolean acrossRange, double cropBlur) {
        return new TrainingSize(median, low, high, acrossRange || cropBlur >= RESIZE_SOFTNESS);
    }

    /** A size known only as one number (models made before the range was recorded). */
    public static TrainingSize point(double median) {
        return median > 0 ? new TrainingSize(median, median, median) : UNKNOWN;
    }

    public boolean known() {
        return median > 0;
    }

    /**
     * Whether the model learned one nucleus size: a range at most {@link #ONE_SIZE} wide (frames resized to
     * one size, or a single microscope's frames), against a generalist's many (13.4–28.7 px for default).
     */
    public boolean oneSize() {
        return known() && high <= low * ONE_SIZE;
    }

    /** Widest range ({@code high / low}) that still counts as one size. */
    static final double ONE_SIZE = 1.25;

    /** From the label images of the training frames as the network saw them; UNKNOWN without objects. */
    public static TrainingSize of(List<LabelPlane> frames) {
        double median = ObjectSize.medianDiameter(frames);
        if (Double.isNaN(median)) {
            return UNKNOWN;
        }
        List<Double> perFrame = new ArrayList<>();
        for (LabelPlane l : frames) {
            double d = ObjectSize.medianDiameter(List.of(l));
            if (!Double.isNaN(d)) {
                perFrame.add(d);
            }
        }
        perFrame.sort(null);
        double low = quantile(perFrame, LOW);
        double high = quantile(perFrame, HIGH);
        return new TrainingSize(median, Math.min(low, median), Math.max(high, median));
    }

    private static double quantile(List<Double> sorted, double q) {
        double pos = q * (sorted.size() - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.size() - 1, i + 1);
        return sorted.get(i) + (pos - i) * (sorted.get(j) - sorted.get(i));
    }
}
