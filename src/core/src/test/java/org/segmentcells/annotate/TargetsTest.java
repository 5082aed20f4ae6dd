package org.segmentcells.annotate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.LabelPlane;

class TargetsTest {

    /** Rows of single-character labels: '.' is 0, a digit is that id. */
    static LabelPlane labels(String... rows) {
        int h = rows.length;
        int w = rows[0].length();
        int[] d = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                char c = rows[y].charAt(x);
                d[y * w + x] = c == '.' ? 0 : c - '0';
            }
        }
        return new LabelPlane(w, h, d);
    }

    /** Classes rendered as rows: '.' background, 'n' nucleus, 'c' contour. */
    static String[] render(byte[] cls, int w) {
        String[] rows = new String[cls.length / w];
        for (int y = 0; y < rows.length; y++) {
            StringBuilder sb = new StringBuilder();
            for (int x = 0; x < w; x++) {
                sb.append(".nc".charAt(cls[y * w + x]));
            }
            rows[y] = sb.toString();
        }
        return rows;
    }

    @Test
    void twoTouchingSquaresWidthOne() {
        LabelPlane l = labels(
                "..........",
                ".11112222.",
                ".11112222.",
                ".11112222.",
                ".11112222.",
                "..........");
        assertArrayEquals(new String[] {
                "..........",
                ".cccccccc.",
                ".cnnccnnc.",
                ".cnnccnnc.",
                ".cccccccc.",
                ".........."}, render(Targets.fromLabels(l, 1), 10));
    }

    @Test
    void twoTouchingSquaresWidthTwo() {
        LabelPlane l = labels(
                "..............",
                ".111111222222.",
                ".111111222222.",
                ".111111222222.",
                ".111111222222.",
                ".111111222222.",
                ".111111222222.",
                "..............");
        assertArrayEquals(new String[] {
                "..............",
                ".cccccccccccc.",
                ".cccccccccccc.",
                ".ccnnccccnncc.",
                ".ccnnccccnncc.",
                ".cccccccccccc.",
                ".cccccccccccc.",
                ".............."}, render(Targets.fromLabels(l, 2), 14));
    }

    @Test
    void imageEdgeDoesNotMakeContour() {
        LabelPlane l = labels(
                "111..",
                "111..",
                "111..",
                ".....");
        assertArrayEquals(new String[] {
                "nnc..",
                "nnc..",
                "ccc..",
                "....."}, render(Targets.fromLabels(l, 1), 5));
        assertArrayEquals(new String[] {
                "ncc..",
                "ccc..",
                "ccc..",
                "....."}, render(Targets.fromLabels(l, 2), 5));
    }

    @Test
    void objectFillingTheFrameHasNoContour() {
        LabelPlane l = labels("111", "111");
        assertArrayEquals(new String[] {"nnn", "nnn"}, render(Targets.fromLabels(l, 3), 3));
    }

    @Test
    void widthIsCityBlockDistance() {
        // In a square the city-block distance to the nearest background pixel is the distance to the
        // nearest side, so with width 3 only the centre pixel of a 7x7 square stays nucleus.
        LabelPlane l = labels(
                ".........",
                ".1111111.",
                ".1111111.",
                ".1111111.",
                ".1111111.",
                ".1111111.",
                ".1111111.",
                ".1111111.",
                ".........");
        byte[] cls = Targets.fromLabels(l, 3);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 9; x++) {
                int d = Math.min(Math.min(x, 8 - x), Math.min(y, 8 - y)); // distance to nearest bg row/col
                byte want = l.get(x, y) == 0 ? Targets.BACKGROUND
                        : d <= 3 ? Targets.CONTOUR : Targets.NUCLEUS;
                assertEquals(want, cls[y * 9 + x], "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void anObjectTooSmallForANucleusKeepsItsInnermostPixels() {
        LabelPlane l = labels(
                "..........",
                ".1111..2..",
                ".1111.....",
                ".1111.333.",
                ".1111.....",
                "..........");
        // Width 2 leaves the 4x4 square no pixel deeper than 2: its depth-2 centre stays nucleus. The single
        // pixel and the 3-px bar are all rim (depth 1), so all of them stay nucleus.
        assertArrayEquals(new String[] {
                "..........",
                ".cccc..n..",
                ".cnnc.....",
                ".cnnc.nnn.",
                ".cccc.....",
                ".........."}, render(Targets.fromLabels(l, 2), 10));
    }

    @Test
    void everyObjectCanBeFoundAgainFromItsTargets() {
        // Discs of radius 0..7 (1 to about 150 px) on a grid, a touching pair of large ones among them:
        // each must come back as one instance, which needs a nucleus seed of its own.
        int w = 200;
        int h = 60;
        int[] d = new int[w * h];
        int id = 0;
        for (int r = 0; r <= 7; r++) {
            id++;
            int cx = 12 + r * 24;
            int cy = 15;
            for (int y = cy - r; y <= cy + r; y++) {
                for (int x = cx - r; x <= cx + r; x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                        d[y * w + x] = id;
                    }
                }
            }
        }
        for (int x = 20; x < 60; x++) {
            for (int y = 35; y < 55; y++) {
                d[y * w + x] = x < 40 ? 20 : 21;
            }
        }
        LabelPlane l = new LabelPlane(w, h, d);
        for (int width = 1; width <= 3; width++) {
            LabelPlane back = org.segmentcells.segment.Instances.fromClasses(Targets.fromLabels(l, width), w, h, 0);
            assertEquals(10, back.maxLabel(), "contour width " + width);
        }
    }

    @Test
    void rejectsZeroWidth() {
        assertThrows(IllegalArgumentException.class, () -> Targets.fromLabels(labels("1"), 0));
    }

    @Test
    void rgbRoundTrip() {
        byte[] cls = {0, 1, 2, 2, 1, 0};
        int[] rgb = Targets.toRgb(cls);
        assertArrayEquals(new int[] {0xFF0000, 0x00FF00, 0x0000FF, 0x0000FF, 0x00FF00, 0xFF0000}, rgb);
        assertArrayEquals(cls, Targets.fromRgb(rgb, 3, 2));
    }

    @Test
    void rgbUsesDominantChannelAndIgnoresAlpha() {
        int[] rgb = {0xFFC81E1E, 0x10A020, 0x3040F0, 0x01000000 | 0x200000};
        assertArrayEquals(new byte[] {0, 1, 2, 0}, Targets.fromRgb(rgb, 2, 2));
    }

    @Test
    void ambiguousColourIsAnErrorNamingThePixel() {
        int[] rgb = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Targets.fromRgb(rgb, 2, 2));
        assertTrue(e.getMessage().contains("(1,1)"), e.getMessage());
        assertTrue(e.getMessage().contains("#FFFF00"), e.getMessage());
        IllegalArgumentException black = assertThrows(IllegalArgumentException.class,
                () -> Targets.fromRgb(new int[] {0xFF0000, 0}, 2, 1));
        assertTrue(black.getMessage().contains("(1,0)") && black.getMessage().contains("#000000"),
                black.getMessage());
    }

    @Test
    void toRgbRejectsUnknownClass() {
        assertThrows(IllegalArgumentException.class, () -> Targets.toRgb(new byte[] {3}));
    }
}
