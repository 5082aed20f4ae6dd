package org.segmentcells.scale;

import ij.plugin.filter.EDM;
import ij.process.ByteProcessor;

import java.util.stream.IntStream;

/**
 * ImageJ's distance-map watershed (Process › Binary › Watershed, headless), object by object: each
 * 8-connected object of a mask is cut on its own bounding box with a background margin, the objects shared
 * among the cores. Why: on the whole plane it was half of measuring a frame's nuclei (18 of 33 ms on a
 * BBBC039 frame) on one core, and the cut of an object depends only on its own pixels (the distance to
 * the background lies within its box and margin), apart from ImageJ's tie-breaking, which moved a few
 * pixels of some planes and no measured size (docs/benchmarks-log.md, stop 41).
 */
final class Watershed {

    private Watershed() {
    }

    /** One object: its label and bounding box, inclusive. */
    private record Box(int id, int x0, int y0, int x1, int y1) {
    }

    /**
     * Cuts touching objects of {@code mask} (255 foreground, 0 background) along the watershed lines of their
     * distance map, in place. Objects under {@code minArea} pixels are left whole: their pieces would be
     * smaller still.
     */
    static void split(byte[] mask, int w, int h, int minArea) {
        Components c = Components.of(mask, w, h, true);
        IntStream.range(0, c.count()).parallel().forEach(k -> {
            if (c.area()[k] >= minArea) {
                cut(mask, c.label(), w, h, new Box(k + 1, c.x0()[k], c.y0()[k], c.x1()[k], c.y1()[k]));
            }
        });
    }

    /** One object's watershed on its box, widened by a pixel of background where the plane allows. */
    private static void cut(byte[] mask, int[] label, int w, int h, Box b) {
        // At the plane's border there is no margin, as on the whole plane, where ImageJ takes the outside as
        // foreground.
        int cx0 = Math.max(0, b.x0() - 1);
        int cy0 = Math.max(0, b.y0() - 1);
        int cx1 = Math.min(w - 1, b.x1() + 1);
        int cy1 = Math.min(h - 1, b.y1() + 1);
        int cw = cx1 - cx0 + 1;
        int ch = cy1 - cy0 + 1;
        byte[] crop = new byte[cw * ch];
        for (int y = cy0; y <= cy1; y++) {
            for (int x = cx0; x <= cx1; x++) {
                if (label[y * w + x] == b.id()) {
                    crop[(y - cy0) * cw + (x - cx0)] = (byte) 255;
                }
            }
        }
        ByteProcessor bp = new ByteProcessor(cw, ch, crop);
        new EDM().toWatershed(bp);
        byte[] out = (byte[]) bp.getPixels();
        for (int y = cy0; y <= cy1; y++) {
            for (int x = cx0; x <= cx1; x++) {
                int i = y * w + x;
                if (label[i] == b.id()) {
                    mask[i] = out[(y - cy0) * cw + (x - cx0)];
                }
            }
        }
    }
}
