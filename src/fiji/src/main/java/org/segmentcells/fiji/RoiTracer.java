package org.segmentcells.fiji;

import ij.gui.Roi;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;

import java.util.ArrayList;
import java.util.List;

/**
 * One traced outline per label. Each label is traced by ImageJ's ThresholdToSelection on a mask of its
 * bounding box only, so the cost is one pass over the plane plus the boxes, not labels × plane.
 */
final class RoiTracer {

    private RoiTracer() {
    }

    /** ROI name for a nucleus: plane and label id, zero-padded so the ROI Manager sorts them in order. */
    static String name(int plane, int label) {
        return String.format(java.util.Locale.ROOT, "%04d-%04d", plane, label);
    }

    /**
     * Outlines of labels 1..maxLabel present in a row-major label plane, in label order, named by
     * {@link #name}. The caller sets stack positions.
     */
    static List<Roi> trace(int[] labels, int width, int height, int maxLabel, int plane) {
        int n = maxLabel + 1;
        int[] x0 = new int[n];
        int[] y0 = new int[n];
        int[] x1 = new int[n];
        int[] y1 = new int[n];
        java.util.Arrays.fill(x0, Integer.MAX_VALUE);
        java.util.Arrays.fill(y0, Integer.MAX_VALUE);
        java.util.Arrays.fill(x1, -1);
        java.util.Arrays.fill(y1, -1);
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++, i++) {
                int v = labels[i];
                if (v > 0) {
                    if (x < x0[v]) {
                        x0[v] = x;
                    }
                    if (x > x1[v]) {
                        x1[v] = x;
                    }
                    if (y < y0[v]) {
                        y0[v] = y;
                    }
                    y1[v] = y; // rows are visited in order
                }
            }
        }
        List<Roi> out = new ArrayList<>();
        ThresholdToSelection tts = new ThresholdToSelection();
        for (int v = 1; v < n; v++) {
            if (x1[v] < 0) {
                continue;
            }
            int bw = x1[v] - x0[v] + 1;
            int bh = y1[v] - y0[v] + 1;
            ByteProcessor mask = new ByteProcessor(bw, bh);
            byte[] m = (byte[]) mask.getPixels();
            for (int y = 0; y < bh; y++) {
                int src = (y0[v] + y) * width + x0[v];
                for (int x = 0; x < bw; x++) {
                    if (labels[src + x] == v) {
                        m[y * bw + x] = (byte) 255;
                    }
                }
            }
            mask.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
            Roi roi = tts.convert(mask);
            roi.setLocation(x0[v], y0[v]);
            roi.setName(name(plane, v));
            out.add(roi);
        }
        return out;
    }
}
