package org.segmentcells.measure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.LabelType;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.io.TiffRows;

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
        Sums sums = new Sums(w, h, labels.maxLabel());
        sums.add(labels.data(), image.data(), 0, h);
        return sums.nuclei();
    }

    /** Pixels per band read by {@link #ofFiles(Path, Path)}: about 12 MB of buffers whatever the image. */
    static final int BAND_PIXELS = 1 << 20;

    /**
     * What {@link #of(LabelPlane, FloatPlane)} gives for these two files, read a band of rows at a time so
     * that an image larger than the heap can be measured: memory is one band plus the sums of each label
     * (65 bytes per label value, grown by doubling to the largest in the file). Both files must be uncompressed
     * single-plane TIFFs, 8- or 16-bit or 32-bit float (as label files past 65535 nuclei are), of one size.
     *
     * @throws IOException naming the file: missing, unreadable this way, of another size, or a label file
     *                     with a pixel that is not a whole number in [0, 2^24)
     */
    public static List<Nucleus> ofFiles(Path labels, Path image) throws IOException {
        return ofFiles(labels, image, 0);
    }

    /** {@link #ofFiles(Path, Path)} in bands of {@code bandRows} rows (0: about {@link #BAND_PIXELS} pixels). */
    static List<Nucleus> ofFiles(Path labels, Path image, int bandRows) throws IOException {
        try (TiffRows l = rows(labels); TiffRows v = rows(image)) {
            int w = l.width();
            int h = l.height();
            if (v.width() != w || v.height() != h) {
                throw new IOException(labels + ": is " + w + "x" + h + " but its image " + image + " is " + v.width() + "x"
                        + v.height());
            }
            int band = bandRows > 0 ? Math.min(bandRows, h) : Math.max(1, Math.min(h, BAND_PIXELS / w));
            float[] lf = new float[band * w];
            int[] li = new int[band * w];
            float[] vf = new float[band * w];
            Sums sums = new Sums(w, h, 0);
            for (int y0 = 0; y0 < h; y0 += band) {
                int n = Math.min(band, h - y0);
                l.read(y0, n, lf);
                v.read(y0, n, vf);
                for (int i = 0; i < n * w; i++) {
                    float f = lf[i];
                    int k = (int) f;
                    // NaN, fractions, negatives and values past an int all fail k == f.
                    if (k != f || k < 0 || k >= LabelType.FLOAT_EXACT_LIMIT) {
                        throw new IOException(labels + ": not a label image (pixel value " + f + " at x " + i % w + ", y "
                                + (y0 + i / w) + " is not a whole number from 0 to " + (LabelType.FLOAT_EXACT_LIMIT - 1) + ")");
                    }
                    li[i] = k;
                }
                sums.add(li, vf, y0, n);
            }
            return sums.nuclei();
        }
    }

    private static TiffRows rows(Path file) throws IOException {
        ImageFiles.checkReadable(file); // missing, not an image, truncated: its own message
        TiffRows r = TiffRows.openOrNull(file, true);
        if (r == null) {
            throw new IOException(file + ": cannot be measured in bands of rows; that needs an uncompressed"
                    + " single-plane 8- or 16-bit or 32-bit float grayscale TIFF");
        }
        return r;
    }

    /**
     * Per-label sums over rows given in order, top to bottom: the one accumulation both entry points run, so a
     * streamed measurement adds the same values in the same order as an in-memory one and gets the same bits.
     * The arrays grow to the largest label seen.
     */
    private static final class Sums {
        private final int w;
        private final int h;
        private long[] area = new long[0];
        private double[] sx = new double[0];
        private double[] sy = new double[0];
        private double[] sum = new double[0];
        private double[] min = new double[0];
        private double[] max = new double[0];
        private int[] x0 = new int[0];
        private int[] y0 = new int[0];
        private int[] x1 = new int[0];
        private int[] y1 = new int[0];
        private boolean[] border = new boolean[0];

        Sums(int w, int h, int maxLabel) {
            this.w = w;
            this.h = h;
            grow(maxLabel + 1);
        }

        private void grow(int n) {
            int old = area.length;
            area = Arrays.copyOf(area, n);
            sx = Arrays.copyOf(sx, n);
            sy = Arrays.copyOf(sy, n);
            sum = Arrays.copyOf(sum, n);
            min = Arrays.copyOf(min, n);
            max = Arrays.copyOf(max, n);
            x0 = Arrays.copyOf(x0, n);
            y0 = Arrays.copyOf(y0, n);
            x1 = Arrays.copyOf(x1, n);
            y1 = Arrays.copyOf(y1, n);
            border = Arrays.copyOf(border, n);
            Arrays.fill(min, old, n, Double.POSITIVE_INFINITY);
            Arrays.fill(max, old, n, Double.NEGATIVE_INFINITY);
            Arrays.fill(x0, old, n, Integer.MAX_VALUE);
            Arrays.fill(y0, old, n, Integer.MAX_VALUE);
            Arrays.fill(x1, old, n, -1);
            Arrays.fill(y1, old, n, -1);
        }

        /** Adds {@code rows} rows from image row {@code top}: labels {@code l} and raw values {@code v}, from index 0. */
        void add(int[] l, float[] v, int top, int rows) {
            for (int r = 0; r < rows; r++) {
                int y = top + r;
                for (int x = 0; x < w; x++) {
                    int i = r * w + x;
                    int k = l[i];
                    if (k <= 0) {
                        continue;
                    }
                    if (k >= area.length) {
                        grow((int) Math.max(k + 1L, Math.min(2L * area.length, LabelType.FLOAT_EXACT_LIMIT)));
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
        }

        List<Nucleus> nuclei() {
            List<Nucleus> out = new ArrayList<>();
            for (int k = 1; k < area.length; k++) {
                if (area[k] == 0) {
                    continue; // a label value not used (labels need not be consecutive)
                }
                out.add(new Nucleus(k, area[k], sx[k] / area[k], sy[k] / area[k], x0[k], y0[k], x1[k] - x0[k] + 1,
                        y1[k] - y0[k] + 1, sum[k] / area[k], min[k], max[k], sum[k], border[k]));
            }
            return out;
        }
    }
}
