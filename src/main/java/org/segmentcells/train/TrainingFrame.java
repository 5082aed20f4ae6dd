package org.segmentcells.train;

import org.segmentcells.img.FloatPlane;

/**
 * One annotated frame ready for cropping: the normalised image, a class per pixel (0 background,
 * 1 nucleus, 2 contour) and a CE weight per pixel (0 = unlabelled). Frames smaller than a crop are
 * padded with unlabelled background.
 */
public record TrainingFrame(String name, FloatPlane image, byte[] classes, float[] weight) {

    public TrainingFrame {
        int n = image.size();
        if (classes.length != n || weight.length != n) {
            throw new IllegalArgumentException(name + ": image, classes and weights differ in size");
        }
    }

    /** A fully annotated frame: every pixel has weight 1. */
    public static TrainingFrame full(String name, FloatPlane normalised, byte[] classes) {
        float[] w = new float[classes.length];
        java.util.Arrays.fill(w, 1f);
        return new TrainingFrame(name, normalised, classes, w);
    }

    /** Pads to at least {@code size}×{@code size} with unlabelled background (weight 0). */
    public TrainingFrame padTo(int size) {
        int w = image.width();
        int h = image.height();
        if (w >= size && h >= size) {
            return this;
        }
        int nw = Math.max(w, size);
        int nh = Math.max(h, size);
        float[] px = new float[nw * nh];
        byte[] cl = new byte[nw * nh];
        float[] wt = new float[nw * nh];
        for (int y = 0; y < h; y++) {
            System.arraycopy(image.data(), y * w, px, y * nw, w);
            System.arraycopy(classes, y * w, cl, y * nw, w);
            System.arraycopy(weight, y * w, wt, y * nw, w);
        }
        return new TrainingFrame(name, new FloatPlane(nw, nh, px), cl, wt);
    }
}
