package org.segmentcells.segment;

import org.segmentcells.nets.Architecture;

/** Something that maps a normalised image tile to per-pixel class probabilities. */
public interface ProbabilityNet {

    /** The estimator behind it, which fixes the tiling's margin and alignment; the paper's by default. */
    default Architecture architecture() {
        return Architecture.PAPER;
    }

    /**
     * @param tile normalised pixels, row-major, {@code height * width} values; may be changed (clipped to
     *     {@link NetworkInput#MAX_VALUE}), so callers pass a buffer of their own
     * @param out receives {@code height * width * 3} probabilities (background, nucleus, contour),
     *     pixel-interleaved as in an NHWC tensor
     */
    void probabilities(float[] tile, int width, int height, float[] out);
}
