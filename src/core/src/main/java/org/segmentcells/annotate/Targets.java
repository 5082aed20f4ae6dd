package org.segmentcells.annotate;

import java.util.HashMap;
import java.util.Map;

import org.segmentcells.img.LabelPlane;

/**
 * Three-class training targets as used by the estimator network: {@link #BACKGROUND}, {@link #NUCLEUS}
 * and {@link #CONTOUR}, one byte per pixel in row-major order.
 *
 * <p>Contour definition used by {@link #fromLabels}: a pixel p of object k (k &gt; 0) is contour when
 * some pixel q inside the image with {@code label(q) != k} (background or a different object) lies at
 * city-block distance {@code |px-qx| + |py-qy| <= contourWidth}. Equivalently, it is the part of k
 * removed by {@code contourWidth} rounds of 4-connected erosion in which the outside of the image counts
 * as part of k. Width 1 is exactly the pixels of k with a 4-neighbour that is not k. The image border
 * never makes contour, so a nucleus cut by the frame stays class 1 along the frame. Touching objects
 * each get their own rim, so the line between them is {@code 2 * contourWidth} pixels wide.
 *
 * <p>An object too small to keep any nucleus pixel (no pixel deeper than {@code contourWidth}, such as
 * a micronucleus of under about 20 px at width 2) keeps its innermost pixels as nucleus instead. Instances
 * grow from nucleus seeds, so without this the estimator is taught that such objects cannot be found.
 * In BBBC039 at width 2 that is 293 of the 11506 nuclei of train.txt and 178 of the 6353 of val.txt; the
 * default model trained before this change matched none of the 289 val.txt nuclei under 30 px.
 */
public final class Targets {

    public static final byte BACKGROUND = 0;
    public static final byte NUCLEUS = 1;
    public static final byte CONTOUR = 2;

    /** The paper's colour encoding of the three classes. */
    public static final int RED = 0xFF0000;
    public static final int GREEN = 0x00FF00;
    public static final int BLUE = 0x0000FF;

    private Targets() {
    }

    /**
     * Class target from an instance label image; see the class comment for the contour definition.
     * Runs in O(pixels): a breadth-first pass inward from the rim, bounded by {@code contourWidth}.
     */
    public static byte[] fromLabels(LabelPlane labels, int contourWidth) {
        if (contourWidth < 1) {
            throw new IllegalArgumentException("contour width must be at least 1, got " + contourWidth);
        }
        int w = labels.width();
        int h = labels.height();
        int[] lab = labels.data();
        int n = lab.length;
        byte[] out = new byte[n];
        // depth[i] = rim distance (1..contourWidth) for contour pixels, 0 otherwise.
        int[] depth = new int[n];
        int[] queue = new int[n];
        int tail = 0;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int i = row + x;
                int k = lab[i];
                if (k == 0) {
                    continue;
                }
                out[i] = NUCLEUS;
                // Neighbours outside the image are skipped: the frame does not make contour.
                if ((x > 0 && lab[i - 1] != k) || (x + 1 < w && lab[i + 1] != k)
                        || (y > 0 && lab[i - w] != k) || (y + 1 < h && lab[i + w] != k)) {
                    out[i] = CONTOUR;
                    depth[i] = 1;
                    queue[tail++] = i;
                }
            }
        }
        // Growing inward only through pixels of the same object gives the city-block distance to the
        // nearest non-k pixel: a straight monotone path from p to that pixel stays inside k until it
        // leaves it, and inside the image rectangle such a path always exists.
        for (int head = 0; head < tail; head++) {
            int i = queue[head];
            int d = depth[i];
            if (d >= contourWidth) {
                continue;
            }
            int k = lab[i];
            int x = i % w;
            int y = i / w;
            if (x > 0) {
                tail = visit(i - 1, k, d, lab, out, depth, queue, tail);
            }
            if (x + 1 < w) {
                tail = visit(i + 1, k, d, lab, out, depth, queue, tail);
            }
            if (y > 0) {
                tail = visit(i - w, k, d, lab, out, depth, queue, tail);
            }
            if (y + 1 < h) {
                tail = visit(i + w, k, d, lab, out, depth, queue, tail);
            }
        }
        keepCores(lab, out, depth);
        return out;
    }

    /** Gives each object without a nucleus pixel its deepest contour pixels as nucleus (see the class comment). */
    private static void keepCores(int[] lab, byte[] out, int[] depth) {
        // Object id -> its deepest rim distance, or -1 once it has a nucleus pixel.
        Map<Integer, Integer> deepest = new HashMap<>();
        for (int i = 0; i < lab.length; i++) {
            if (lab[i] != 0) {
                deepest.merge(lab[i], out[i] == NUCLEUS ? -1 : depth[i], (a, b) -> a < 0 || b < 0 ? -1 : Math.max(a, b));
            }
        }
        if (deepest.values().stream().allMatch(d -> d < 0)) { // every object has a nucleus pixel
            return;
        }
        for (int i = 0; i < lab.length; i++) {
            if (lab[i] != 0 && out[i] == CONTOUR && depth[i] == deepest.get(lab[i])) {
                out[i] = NUCLEUS;
            }
        }
    }

    private static int visit(int j, int k, int d, int[] lab, byte[] out, int[] depth, int[] queue, int tail) {
        if (lab[j] == k && depth[j] == 0) {
            depth[j] = d + 1;
            out[j] = CONTOUR;
            queue[tail++] = j;
        }
        return tail;
    }

    /**
     * Class target from the paper's RGB encoding (red background, green nucleus, blue contour). Each
     * pixel takes the class of its strictly largest channel; alpha bits are ignored.
     *
     * @throws IllegalArgumentException when a pixel has no strictly dominant channel (black, grey,
     *     yellow, ...), naming the pixel and its colour
     */
    public static byte[] fromRgb(int[] rgb, int width, int height) {
        if (width <= 0 || height <= 0 || rgb.length != (long) width * height) {
            throw new IllegalArgumentException("RGB image of " + width + "x" + height + " needs "
                    + (long) width * height + " pixels, got " + rgb.length);
        }
        byte[] out = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            int c = rgb[i];
            int r = (c >> 16) & 0xFF;
            int g = (c >> 8) & 0xFF;
            int b = c & 0xFF;
            if (r > g && r > b) {
                out[i] = BACKGROUND;
            } else if (g > r && g > b) {
                out[i] = NUCLEUS;
            } else if (b > r && b > g) {
                out[i] = CONTOUR;
            } else {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "pixel (%d,%d) has colour #%06X with no dominant channel; expected red (background),"
                                + " green (nucleus) or blue (contour)", i % width, i / width, c & 0xFFFFFF));
            }
        }
        return out;
    }

    /** The paper's RGB encoding: pure red, green and blue for classes 0, 1 and 2. */
    public static int[] toRgb(byte[] classes) {
        int[] out = new int[classes.length];
        for (int i = 0; i < classes.length; i++) {
            out[i] = switch (classes[i]) {
                case BACKGROUND -> RED;
                case NUCLEUS -> GREEN;
                case CONTOUR -> BLUE;
                default -> throw new IllegalArgumentException("pixel " + i + " has class " + classes[i]
                        + "; classes are 0, 1 and 2");
            };
        }
        return out;
    }
}
