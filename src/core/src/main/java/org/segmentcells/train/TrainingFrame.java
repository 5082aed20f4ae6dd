package org.segmentcells.train;

import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.Resample;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.scale.Sharpness;
import org.segmentcells.segment.NetworkInput;
import org.segmentcells.segment.Normalization;

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

    /**
     * Resized by {@code scale}, the way {@link org.segmentcells.segment.Segmenter} resizes images at that
     * scale ({@link #networkInput}): the image bilinearly, classes and weights by nearest neighbour. For label
     * images, prefer resizing the labels and then drawing contours ({@link TrainingData#labelFrame}), which
     * keeps contours their full width.
     *
     * @param norm the model's normalisation, which a noisy image shrunk is normalised by again
     */
    public TrainingFrame scaled(double scale, Normalization norm) {
        if (scale == 1) {
            return this;
        }
        int w = Resample.scaledSize(image.width(), scale);
        int h = Resample.scaledSize(image.height(), scale);
        int[] cl = new int[classes.length];
        int[] wt = new int[classes.length];
        for (int i = 0; i < cl.length; i++) {
            cl[i] = classes[i];
            wt[i] = Float.floatToRawIntBits(weight[i]);
        }
        int[] c2 = Resample.nearest(new LabelPlane(image.width(), image.height(), cl), w, h).data();
        int[] w2 = Resample.nearest(new LabelPlane(image.width(), image.height(), wt), w, h).data();
        byte[] classes2 = new byte[c2.length];
        float[] weight2 = new float[c2.length];
        for (int i = 0; i < c2.length; i++) {
            classes2[i] = (byte) c2[i];
            weight2[i] = Float.intBitsToFloat(w2[i]);
        }
        return new TrainingFrame(name, networkInput(image, norm, scale), classes2, weight2);
    }

    /**
     * A frame's normalised image as the segmenter gives it to the network at {@code scale}
     * ({@link NetworkInput}, each frame its own acquisition), so that a model learns what it will be shown.
     */
    static FloatPlane networkInput(FloatPlane normalised, Normalization norm, double scale) {
        return NetworkInput.ofNormalised(normalised, norm, scale, scale < 1 && Sharpness.isNoisy(normalised));
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
