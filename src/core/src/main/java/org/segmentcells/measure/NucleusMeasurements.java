package org.segmentcells.measure;

import java.util.ArrayList;
import java.util.List;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;

/**
 * One row per nucleus of a label image, measured on the raw image it came from: what a biologist joins
 * with a plate layout. Coordinates are pixels of the image (x right, y down, pixel centres at integers);
 * intensities are the raw pixel values as read (not normalised).
 */
public final class NucleusMeasurements {

    /**
     * One nucleus.
     *
     * @param label         its value in the label image
     * @param area          pixels
     * @param centroidX     mean x of its pixels
     * @param centroidY     mean y of its pixels
     * @param bboxX         first column
     * @param bboxY         first row
     * @param bboxWidth     columns spanned
     * @param bboxHeight    rows spanned
     * @param meanIntensity mean raw value
     * @param minIntensity  smallest raw value
     * @param maxIntensity  largest raw value
     * @param integratedIntensity sum of raw values
     * @param touchesBorder whether a pixel lies on the image's edge (the nucleus may be cut off)
     */
    public record Nucleus(int label, long area, double centroidX, double centroidY, int bboxX, int bboxY, int bboxWidth,
            int bboxHeight, double meanIntensity, double minIntensity, double maxIntensity, double integratedIntensity,
            boolean touchesBorder) implements java.io.Serializable {
    }

    private NucleusMeasurements() {
    }

    /** Every label above 0, in label order; {@code image} must have the labels' size. */
    public static List<Nucleus> of(LabelPlane labels, FloatPlane image) {
        int w = labels.width();
        int h = labels.height();
        if (image.width() != w || image.height() != h) {
            throw new IllegalArgumentException("labels are " + w + "x" + h + " but the image is " + image.width() + "x"
                    + image.height());
        }
        int n = labels.maxLabel();
        long[] area = new long[n + 1];
        double[] sx = new double[n + 1];
        double[] sy = new double[n + 1];
        double[] sum = new double[n + 1];
        double[] min = new double[n + 1];
        double[] max = new double[n + 1];
        int[] x0 = new int[n + 1];
        int[] y0 = new int[n + 1];
        int[] x1 = new int[n + 1];
        int[] y1 = new int[n + 1];
        boolean[] border = new boolean[n + 1];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(x0, Integer.MAX_VALUE);
        java.util.Arrays.fill(y0, Integer.MAX_VALUE);
        java.util.Arrays.fill(x1, -1);
        java.util.Arrays.fill(y1, -1);
        int[] l = labels.data();
        float[] v = image.data();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int k = l[i];
                if (k <= 0) {
                    continue;
                }
                double value = v[i];
                area[k]++;
                sx[k] += x;
                sy[k] += y;
                sum[k] += value;
                min[k] = Math.min(min[k], value);
                max[k] = Math.max(max[k], value);
                x0[k] = Math.min(x0[k], x);
                y0[k] = Math.min(y0[k], y);
                x1[k] = Math.max(x1[k], x);
                y1[k] = Math.max(y1[k], y);
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
                    border[k] = true;
                }
            }
        }
        List<Nucleus> out = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            if (area[k] == 0) {
                continue; // a label value not used (labels need not be consecutive)
            }
            out.add(new Nucleus(k, area[k], sx[k] / area[k], sy[k] / area[k], x0[k], y0[k], x1[k] - x0[k] + 1,
                    y1[k] - y0[k] + 1, sum[k] / area[k], min[k], max[k], sum[k], border[k]));
        }
        return out;
    }
}
