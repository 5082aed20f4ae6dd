package org.segmentcells.train;

/**
 * How training crops are drawn, beyond the 8 flips and rotations every crop gets.
 *
 * @param zoom crops are resized by a factor drawn log-uniformly from [1/zoom, zoom] (1: never), so a
 *     model trained on one nucleus size also meets smaller and larger ones, as a generalist must
 * @param gamma the normalised crop is raised to a power drawn log-uniformly from [1/gamma, gamma]
 *     (1: never), for microscopes whose dim and bright nuclei differ more or less than the training
 *     frames'
 * @param byArea frames are drawn in proportion to their pixel count rather than uniformly, so every
 *     annotated pixel is equally likely to be seen; uniform draws let many small images crowd out a
 *     few large ones
 * @param blur the crop's image is smoothed by a Gaussian of sigma (px) drawn uniformly from [0, blur]
 *     (0: never): what resizing a frame there and back does to it (a sigma of 0.6 px alone took
 *     the previous default on held-out DSB from F 0.866 to 0.801), so a model meets softer edges than its
 *     training frames'
 * @param noise Gaussian noise of a standard deviation drawn uniformly from [0, noise] is added to the
 *     crop's normalised image (0: never; 1 is the normalised range, from the low to the high percentile),
 *     so a model meets the read and shot noise of dim frames that its training frames lack
 */
public record Cropping(double zoom, double gamma, boolean byArea, double blur, double noise) {

    /** Flips and rotations only, frames drawn uniformly: the recipe of every model before 2026-11-27. */
    public static final Cropping NONE = new Cropping(1, 1, false);

    /** Largest {@link #blur} accepted, px. */
    public static final double MAX_BLUR = 4;
    /** Largest {@link #noise} accepted, in the normalised range. */
    public static final double MAX_NOISE = 1;

    public Cropping {
        if (!(zoom >= 1 && zoom <= 4) || !(gamma >= 1 && gamma <= 4)) {
            throw new IllegalArgumentException("zoom and gamma must be in [1, 4], got " + zoom + " and " + gamma);
        }
        if (!(blur >= 0 && blur <= MAX_BLUR)) {
            throw new IllegalArgumentException("blur must be in [0, " + (int) MAX_BLUR + "] px, got " + blur);
        }
        if (!(noise >= 0 && noise <= MAX_NOISE)) {
            throw new IllegalArgumentException("noise must be in [0, " + (int) MAX_NOISE + "], got " + noise);
        }
    }

    /** Without noise. */
    public Cropping(double zoom, double gamma, boolean byArea, double blur) {
        this(zoom, gamma, byArea, blur, 0);
    }

    /** Without blur. */
    public Cropping(double zoom, double gamma, boolean byArea) {
        this(zoom, gamma, byArea, 0);
    }
}
