package org.segmentcells.eval;

import org.segmentcells.img.LabelPlane;
import org.segmentcells.scale.Components;

/**
 * What a file given as a label image (0 background, k nucleus k) looks like when it is not one: a microscope
 * image's intensities, a 0/255 mask, or class annotations. Training refuses such labels; evaluating warns of
 * them, since scores against them (F 0 over thousands of "objects") say nothing.
 */
public final class LabelKind {

    /** A label that covers this many separate regions makes a frame a mask (0/255), not a label image. */
    static final int MASK_REGIONS = 5;
    /** At most this many values are looked at as classes (scribbles, a multi-class mask) rather than nuclei. */
    static final int CLASS_VALUES = 8;
    /**
     * Below this share of foreground pixels whose right neighbour holds the same value, a "label image" is an
     * intensity image. Label images of BBBC039, DSB2018 and this project's test images: 0.85–1.00; their raw
     * images: 0.01–0.78 (8-bit frames with saturated areas highest).
     */
    static final double SAME_NEIGHBOUR = 0.5;

    /** How {@link #maskOrClasses} ends for a mask (one value over many regions), as callers tell it apart. */
    public static final String MASK = ": a mask, not a label image";

    private LabelKind() {
    }

    /**
     * What {@code l}, given as a label image, more likely is (an intensity image, a mask, class annotations), as
     * a phrase to follow its name in a warning; null when it looks like labels.
     */
    public static String warning(LabelPlane l) {
        if (intensities(l)) {
            return "its " + l.countObjects() + " ids lie as an image's intensities do, not as nuclei: an intensity"
                    + " image, not a label image (0 background, k nucleus k)?";
        }
        String mask = maskOrClasses(l);
        return mask == null ? null : mask + " (0 background, k nucleus k)?";
    }

    /**
     * Why {@code l} is a mask or class annotations rather than one label per nucleus (a phrase to follow a file
     * name), or null. Only frames of a few values are looked at, and only many regions count, so a label image
     * of one nucleus cut in a few pieces (by the frame's edge, by a crop) passes.
     */
    public static String maskOrClasses(LabelPlane l) {
        int[] d = l.data();
        int[] values = new int[CLASS_VALUES];
        int n = 0;
        for (int v : d) {
            if (v != 0 && !contains(values, n, v)) {
                if (n == CLASS_VALUES) {
                    return null; // many labels: a label image
                }
                values[n++] = v;
            }
        }
        byte[] fg = new byte[d.length];
        int fewest = Integer.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < d.length; i++) {
                fg[i] = (byte) (d[i] == values[k] ? 1 : 0);
            }
            fewest = Math.min(fewest, Components.of(fg, l.width(), l.height(), true).count());
            if (fewest < MASK_REGIONS) {
                return null; // a value that is one nucleus (or a few pieces of one): a label image
            }
        }
        if (n == 1) {
            return fewest + " separate regions, all labelled " + values[0] + MASK;
        }
        if (n > 1) {
            return n + " values, each over " + fewest + " or more separate regions: class annotations (a mask or"
                    + " scribbles), not a label image";
        }
        return null;
    }

    /**
     * Whether a "label image" is more likely a microscope image: its foreground's neighbouring pixels mostly differ
     * ({@link #SAME_NEIGHBOUR}), or, of at least 100 ids, most are spread across the plane (an intensity occurs
     * all over an image; a nucleus is one compact region).
     */
    public static boolean intensities(LabelPlane p) {
        int w = p.width();
        int[] d = p.data();
        long pairs = 0;
        long same = 0;
        java.util.Map<Integer, int[]> box = new java.util.HashMap<>();
        for (int i = 0; i < d.length; i++) {
            if (d[i] != 0) {
                int x = i % w;
                int y = i / w;
                if (x + 1 < w) {
                    pairs++;
                    same += d[i + 1] == d[i] ? 1 : 0;
                }
                int[] b = box.computeIfAbsent(d[i], k -> new int[] {x, y, x, y});
                b[0] = Math.min(b[0], x);
                b[1] = Math.min(b[1], y);
                b[2] = Math.max(b[2], x);
                b[3] = Math.max(b[3], y);
            }
        }
        if (pairs > 0 && same < SAME_NEIGHBOUR * pairs) {
            return true;
        }
        if (box.size() < 100) {
            return false;
        }
        long spread = box.values().stream()
                .filter(b -> b[2] - b[0] > w / 2 || b[3] - b[1] > p.height() / 2).count();
        return spread * 2 > box.size();
    }

    private static boolean contains(int[] values, int n, int v) {
        for (int k = 0; k < n; k++) {
            if (values[k] == v) {
                return true;
            }
        }
        return false;
    }
}
