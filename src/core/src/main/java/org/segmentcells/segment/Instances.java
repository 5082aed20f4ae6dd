package org.segmentcells.segment;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;

/**
 * Turns the estimator's three class planes (background, nucleus, contour) into an instance label image:
 * confident nucleus pixels form seeds, and the seeds grow through the rest of the foreground, so the
 * contour class separates touching nuclei instead of being lost to background.
 *
 * <p>Works on primitive arrays over the plane only (labels, one queue, one byte mask), so a 4096x4096
 * plane costs about 150 MB transient and well under a second.
 */
public final class Instances {

    // Pixel states in the mask handed to grow().
    private static final byte OFF = 0;
    private static final byte SEED = 1;
    private static final byte GROW = 2;

    private Instances() {
    }

    /**
     * Instances from class probabilities.
     *
     * <ol>
     *   <li>foreground: {@code background < max(nucleus, contour)}, i.e. the argmax is not background;</li>
     *   <li>seeds: 4-connected components of foreground pixels with {@code nucleus > seedThreshold}
     *       (0.5 behaves like plain argmax; higher values split more touching nuclei);</li>
     *   <li>each seed grows into the remaining foreground by a multi-source breadth-first flood in
     *       4-connectivity, so a pixel joins its nearest seed (ties go to the seed dequeued first, which is
     *       deterministic); foreground no seed reaches stays background;</li>
     *   <li>objects smaller than {@code minSize} pixels are removed and the rest renumbered 1..N in raster
     *       order of their first pixel.</li>
     * </ol>
     */
    public static LabelPlane fromProbabilities(FloatPlane background, FloatPlane nucleus, FloatPlane contour,
            double seedThreshold, int minSize) {
        int w = background.width();
        int h = background.height();
        checkSize(nucleus, w, h, "nucleus");
        checkSize(contour, w, h, "contour");
        float[] bg = background.data();
        float[] nu = nucleus.data();
        float[] co = contour.data();
        byte[] mask = new byte[bg.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = maskOf(bg[i], nu[i], co[i], seedThreshold);
        }
        return grow(mask, w, h, minSize);
    }

    /** A pixel's state from its class probabilities: background, seed or foreground to grow into. */
    static byte maskOf(float bg, float nu, float co, double seedThreshold) {
        float fg = Math.max(nu, co);
        if (bg < fg) {
            return nu > seedThreshold ? SEED : GROW;
        }
        return OFF;
    }

    /**
     * The same from hard classes (0 background, 1 nucleus, 2 contour): nucleus pixels are the seeds and
     * contour pixels are grown into. Inverts {@code Targets.fromLabels} for objects whose interior is
     * non-empty and not much farther from their own rim than from a neighbour's interior.
     */
    public static LabelPlane fromClasses(byte[] classes, int w, int h, int minSize) {
        if (w <= 0 || h <= 0 || classes.length != (long) w * h) {
            throw new IllegalArgumentException("class image of " + w + "x" + h + " needs " + (long) w * h
                    + " pixels, got " + classes.length);
        }
        byte[] mask = new byte[classes.length];
        for (int i = 0; i < mask.length; i++) {
            byte c = classes[i];
            if (c == 1) {
                mask[i] = SEED;
            } else if (c == 2) {
                mask[i] = GROW;
            } else if (c != 0) {
                throw new IllegalArgumentException("pixel (" + i % w + "," + i / w + ") has class " + c
                        + "; classes are 0, 1 and 2");
            }
        }
        return grow(mask, w, h, minSize);
    }

    private static void checkSize(FloatPlane p, int w, int h, String name) {
        if (p.width() != w || p.height() != h) {
            throw new IllegalArgumentException(name + " plane is " + p.width() + "x" + p.height()
                    + " but the background plane is " + w + "x" + h);
        }
    }

    /** Labels seed components, floods them into GROW pixels, then filters and renumbers. */
    private static LabelPlane grow(byte[] mask, int w, int h, int minSize) {
        int[] lab = new int[mask.length];
        int next = flood(mask, w, lab);
        return new LabelPlane(w, h, dropSmall(lab, next, minSize));
    }

    /**
     * Steps 1 and 2 of {@link #fromProbabilities} on a mask of {@code w}-px rows: fills {@code lab} with
     * seed component ids 1..K in raster order of their first pixel, grown into GROW pixels; returns K.
     * The streaming segmenter runs this on bands of rows.
     */
    static int flood(byte[] mask, int w, int[] lab) {
        int n = mask.length;
        // Every pixel enters the queue at most once (it is labelled when enqueued), so a plain array of
        // n slots serves as the ring for both passes without wrapping.
        int[] queue = new int[n];

        // 1. Seed components, numbered in raster order. Each component is flooded on its own so its
        //    pixels are contiguous in the queue; the growth pass below reuses that queue content.
        int next = 0;
        int seeded = 0;
        for (int s = 0; s < n; s++) {
            if (mask[s] != SEED || lab[s] != 0) {
                continue;
            }
            int id = ++next;
            lab[s] = id;
            int head = seeded;
            int tail = seeded;
            queue[tail++] = s;
            while (head < tail) {
                int i = queue[head++];
                int x = i % w;
                if (x > 0 && mask[i - 1] == SEED && lab[i - 1] == 0) {
                    lab[i - 1] = id;
                    queue[tail++] = i - 1;
                }
                if (x + 1 < w && mask[i + 1] == SEED && lab[i + 1] == 0) {
                    lab[i + 1] = id;
                    queue[tail++] = i + 1;
                }
                if (i >= w && mask[i - w] == SEED && lab[i - w] == 0) {
                    lab[i - w] = id;
                    queue[tail++] = i - w;
                }
                if (i + w < n && mask[i + w] == SEED && lab[i + w] == 0) {
                    lab[i + w] = id;
                    queue[tail++] = i + w;
                }
            }
            seeded = tail;
        }

        // 2. Multi-source flood from all seed pixels at once into GROW pixels: breadth-first order means
        //    each pixel is claimed by the seed at the smallest 4-connected path distance.
        int tail = seeded;
        for (int head = 0; head < tail; head++) {
            int i = queue[head];
            int id = lab[i];
            int x = i % w;
            if (x > 0 && mask[i - 1] == GROW && lab[i - 1] == 0) {
                lab[i - 1] = id;
                queue[tail++] = i - 1;
            }
            if (x + 1 < w && mask[i + 1] == GROW && lab[i + 1] == 0) {
                lab[i + 1] = id;
                queue[tail++] = i + 1;
            }
            if (i >= w && mask[i - w] == GROW && lab[i - w] == 0) {
                lab[i - w] = id;
                queue[tail++] = i - w;
            }
            if (i + w < n && mask[i + w] == GROW && lab[i + w] == 0) {
                lab[i + w] = id;
                queue[tail++] = i + w;
            }
        }

        return next;
    }

    /** Step 3: drops objects under minSize pixels, renumbers survivors in raster order of first pixel. */
    private static int[] dropSmall(int[] lab, int next, int minSize) {
        int n = lab.length;
        int[] area = new int[next + 1];
        for (int v : lab) {
            area[v]++;
        }
        int[] map = new int[next + 1]; // 0 not yet met, -1 dropped, else the new id
        int count = 0;
        for (int i = 0; i < n; i++) {
            int v = lab[i];
            if (v == 0) {
                continue;
            }
            if (map[v] == 0) {
                map[v] = area[v] >= minSize ? ++count : -1;
            }
            lab[i] = Math.max(map[v], 0);
        }
        return lab;
    }
}
