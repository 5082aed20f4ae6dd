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
 */
public record Cropping(double zoom, double gamma, boolean byArea) {

    /** Flips and rotations only, frames drawn uniformly: the recipe of every model before 2026-11-27. */
    public static final Cropping NONE = new Cropping(1, 1, false);

    public Cropping {
        if (!(zoom >= 1 && zoom <= 4) || !(gamma >= 1 && gamma <= 4)) {
            throw new IllegalArgumentException("zoom and gamma must be in [1, 4], got " + zoom + " and " + gamma);
        }
    }
}
