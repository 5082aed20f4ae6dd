package org.segmentcells.train;

/**
 * One training batch, NHWC row-major: {@code image} [n,p,p,1], {@code target} one-hot [n,p,p,3],
 * {@code weight} per-pixel CE weight [n,p,p] (0 = unlabelled), {@code real} the manual segmentation as
 * shown to D [n,p,p,3].
 */
public record Batch(float[] image, float[] target, float[] weight, float[] real) {
}
