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

    /**
     * Cuts touching objects of {@code mask} (255 foreground, 0 background) along the watershed lines of their
     * distance map, in place. Objects under {@code minArea} pixels are left whole: their pieces would be
     * smaller still.
     */
    static void split(byte[] mask, int w, int h, int minArea) {
        Components c = Components.of(mask, w, h, true);
        IntStream.range(0, c.count()).parallel().forEach(k -> {
            if (c.area()[k] >= minArea) {
                cut(mask, c, k);
            }
        });
    }

    /** Object {@code k}'s watershed on its box, widened by a pixel of background where the plane allows. */
    private static void cut(byte[] mask, Components c, int k) {
        int[] label = c.label();
        int w = c.width();
        int id = k + 1;
        // At the plane's border there is no margin, as on the whole plane, where ImageJ takes the outside as
        // foreground.
        int cx0 = Math.max(0, c.x0()[k] - 1);
        int cy0 = Math.max(0, c.y0()[k] - 1);
        int cx1 = Math.min(w - 1, c.x1()[k] + 1);
        int cy1 = Math.min(c.height() - 1, c.y1()[k] + 1);
        int cw = cx1 - cx0 + 1;
        int ch = cy1 - cy0 + 1;
        byte[] crop = new byte[cw * ch];
        for (int y = cy0; y <= cy1; y++) {
            for (int x = cx0; x <= cx1; x++) {
                if (label[y * w + x] == id) {
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
                if (label[i] == id) {
                    mask[i] = out[(y - cy0) * cw + (x - cx0)];
                }
            }
        }
    }
}
