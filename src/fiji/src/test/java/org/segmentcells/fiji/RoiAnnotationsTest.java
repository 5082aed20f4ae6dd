package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.gui.TextRoi;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.segmentcells.annotate.Scribbles;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.segment.Normalization;
import org.segmentcells.train.TrainingFrame;

/** ROI-to-annotation conversion is exact on hand-made ROIs. */
class RoiAnnotationsTest {

    private static final int W = 40;
    private static final int H = 30;

    private static int[] rect(int[] img, int x0, int y0, int w, int h, int v) {
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                img[y * W + x] = v;
            }
        }
        return img;
    }

    private static <T extends Roi> T named(T roi, String name, int group) {
        roi.setName(name);
        roi.setGroup(group);
        return roi;
    }

    @Test
    void rectangleAndOvalOutlinesGiveExactLabels() {
        Roi square = new Roi(2, 3, 20, 20);
        // The oval's pixels, as ImageJ fills a 6x5 oval: corners cut in the first and last rows.
        Roi oval = new OvalRoi(30, 10, 6, 5);
        RoiAnnotations.Annotation a = RoiAnnotations.convert(List.of(square, oval), W, H, false, 1);
        assertTrue(a.full());
        assertNull(a.scribbles());
        assertEquals(2, a.outlines());
        int[] expected = rect(new int[W * H], 2, 3, 20, 20, 1);
        rect(expected, 31, 10, 4, 1, 2);
        rect(expected, 30, 11, 6, 3, 2);
        rect(expected, 31, 14, 4, 1, 2);
        assertArrayEquals(expected, a.labels().data());
    }

    @Test
    void straightLinesOfWidthOneTakeTheirClassFromGroupOrName() {
        Line contour = new Line(2, 5, 12, 5);           // group 3: contour
        contour.setGroup(3);
        Line background = new Line(1, 20, 4, 20);        // by name, in any case
        background.setName("my BACKGROUND stroke");
        RoiAnnotations.Annotation a = RoiAnnotations.convert(List.of(contour, background), W, H, false, 1);
        assertFalse(a.full());
        assertEquals(2, a.scribbleRois());
        // Line to Area: a line from x=2 to x=12 covers the 10 pixels 2..11 of its row.
        int[] expected = rect(new int[W * H], 2, 5, 10, 1, Scribbles.CONTOUR);
        rect(expected, 1, 20, 3, 1, Scribbles.BACKGROUND);
        assertArrayEquals(expected, a.scribbles().data());
    }

    @Test
    void linesAreAsWideAsTheirStroke() {
        Line thick = new Line(2, 5, 12, 5);
        thick.setStrokeWidth(3);
        thick.setGroup(2);
        int[] s = RoiAnnotations.convert(List.of(thick), W, H, false, 1).scribbles().data();
        assertArrayEquals(rect(new int[W * H], 2, 4, 10, 3, Scribbles.NUCLEUS), s);
        assertEquals(3, thick.getStrokeWidth(), "the user's ROI is left alone");
    }

    @Test
    void polylineScribbleFollowsItsVertices() {
        PolygonRoi l = new PolygonRoi(new int[] {2, 8, 8}, new int[] {2, 2, 7}, 3, Roi.POLYLINE);
        l.setName("nucleus");
        int[] s = RoiAnnotations.convert(List.of(l), W, H, false, 1).scribbles().data();
        int[] expected = rect(new int[W * H], 2, 2, 7, 1, Scribbles.NUCLEUS);
        rect(expected, 8, 3, 1, 5, Scribbles.NUCLEUS);
        assertArrayEquals(expected, s);
    }

    @Test
    void outlinesWithScribblesGiveNucleusInsideContourRimAndScribblesOnTop() {
        Roi nucleus = new Roi(10, 10, 5, 4);
        Line bg = named(new Line(0, 0, 3, 0), "background", 0);
        Line cut = named(new Line(12, 9, 12, 15), null, 3); // down through the nucleus: column 12, rows 9..14
        RoiAnnotations.Annotation a = RoiAnnotations.convert(List.of(nucleus, bg, cut), W, H, false, 1);
        assertFalse(a.full());
        assertEquals(1, a.outlines());
        assertEquals(2, a.scribbleRois());
        int[] expected = rect(new int[W * H], 10, 10, 5, 4, Scribbles.CONTOUR);
        rect(expected, 11, 11, 3, 2, Scribbles.NUCLEUS);
        rect(expected, 0, 0, 3, 1, Scribbles.BACKGROUND);
        rect(expected, 12, 9, 1, 6, Scribbles.CONTOUR);
        assertArrayEquals(expected, a.scribbles().data());
    }

    @Test
    void unmarkedUnlabelledTurnsOutlinesIntoAScribbleFrame() {
        RoiAnnotations.Annotation a = RoiAnnotations.convert(List.of(new Roi(10, 10, 5, 4)), W, H, true, 1);
        assertFalse(a.full());
        int[] expected = rect(new int[W * H], 10, 10, 5, 4, Scribbles.CONTOUR);
        rect(expected, 11, 11, 3, 2, Scribbles.NUCLEUS);
        assertArrayEquals(expected, a.scribbles().data());
    }

    @Test
    void overlappingOutlinesLaterRoiWins() {
        int[] l = RoiAnnotations.convert(List.of(new Roi(0, 0, 10, 10), new Roi(5, 5, 10, 10)), W, H, false, 1)
                .labels().data();
        int[] expected = rect(new int[W * H], 0, 0, 10, 10, 1);
        rect(expected, 5, 5, 10, 10, 2);
        assertArrayEquals(expected, l);
    }

    @Test
    void roiPartlyOutsideTheImageIsClipped() {
        Roi corner = new Roi(-5, -3, 10, 10);
        Line line = new Line(35, 2, 50, 2);
        line.setGroup(1);
        int[] labels = RoiAnnotations.convert(List.of(corner), W, H, false, 1).labels().data();
        assertArrayEquals(rect(new int[W * H], 0, 0, 5, 7, 1), labels);
        int[] s = RoiAnnotations.convert(List.of(line), W, H, false, 1).scribbles().data();
        assertArrayEquals(rect(new int[W * H], 35, 2, 5, 1, Scribbles.BACKGROUND), s);
    }

    @Test
    void badRoisAreRefusedNamingThem() {
        Line untagged = new Line(1, 1, 9, 1);
        untagged.setName("stroke A");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RoiAnnotations.convert(List.of(new Roi(0, 0, 3, 3), untagged), W, H, false, 1));
        assertTrue(e.getMessage().startsWith("ROI 2 \"stroke A\" is a straight line without a class"), e.getMessage());

        Line conflict = named(new Line(1, 1, 9, 1), "nucleus", 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> RoiAnnotations.convert(List.of(conflict), W, H, false, 1));
        assertEquals("ROI 1 \"nucleus\": group 1 (background) but its name says nucleus", e.getMessage());

        Roi twoWords = named(new Roi(0, 0, 3, 3), "nucleus contour", 0);
        e = assertThrows(IllegalArgumentException.class,
                () -> RoiAnnotations.convert(List.of(twoWords), W, H, false, 1));
        assertTrue(e.getMessage().contains("both nucleus and contour"), e.getMessage());

        Roi outside = named(new Roi(100, 100, 5, 5), "far", 0);
        e = assertThrows(IllegalArgumentException.class,
                () -> RoiAnnotations.convert(List.of(outside), W, H, false, 1));
        assertEquals("ROI 1 \"far\" covers no pixel of the 40x30 image", e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> RoiAnnotations.convert(List.of(new TextRoi(1, 1, "hello")), W, H, false, 1));
        assertTrue(e.getMessage().contains("is a text ROI"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> RoiAnnotations.convert(List.of(), W, H, false, 1));
    }

    @Test
    void taggedAreasAreScribblesExceptNucleus() {
        Roi bgArea = new Roi(0, 0, 4, 4);
        bgArea.setGroup(1);
        Roi nucleusArea = new Roi(20, 20, 4, 4);
        nucleusArea.setGroup(2);
        RoiAnnotations.Annotation a = RoiAnnotations.convert(List.of(bgArea, nucleusArea), W, H, false, 1);
        assertEquals(1, a.outlines(), "an area tagged nucleus is an outline");
        assertEquals(1, a.scribbleRois(), "an area tagged background is a scribble");
        int[] expected = rect(new int[W * H], 0, 0, 4, 4, Scribbles.BACKGROUND);
        rect(expected, 20, 20, 4, 4, Scribbles.CONTOUR);
        rect(expected, 21, 21, 2, 2, Scribbles.NUCLEUS);
        assertArrayEquals(expected, a.scribbles().data());
    }

    @Test
    void framesGoThroughTheCorePath() {
        FloatPlane image = new FloatPlane(W, H, new float[W * H]);
        Normalization norm = new Normalization(0.01, 0.998);
        TrainingFrame full = RoiAnnotations.frame("f", image,
                RoiAnnotations.convert(List.of(new Roi(10, 10, 5, 4)), W, H, false, 1), norm, 1);
        for (float w : full.weight()) {
            assertEquals(1f, w);
        }
        assertEquals(1, full.classes()[11 * W + 11], "nucleus inside");
        assertEquals(2, full.classes()[10 * W + 10], "contour on the rim");
        Line l = new Line(0, 0, 3, 0);
        l.setGroup(2);
        TrainingFrame sc = RoiAnnotations.frame("s", image, RoiAnnotations.convert(List.of(l), W, H, false, 1), norm, 1);
        assertEquals(3, (int) countPositive(sc.weight()));
        assertEquals(1, sc.classes()[0], "scribble nucleus is class 1 of the targets");
    }

    private static double countPositive(float[] w) {
        int n = 0;
        for (float v : w) {
            if (v > 0) {
                n++;
            }
        }
        return n;
    }

    @Test
    void outlinesAmongScribblesStateTheirNucleiSizeForTheTrainingScale() {
        // Three 16 px ovals and a background stroke: a scribble frame whose outlines are whole nuclei.
        int w = 100;
        int h = 60;
        Line background = new Line(2, 55, 90, 55);
        background.setGroup(Scribbles.BACKGROUND);
        List<Roi> rois = List.of(new OvalRoi(5, 5, 16, 16), new OvalRoi(40, 10, 16, 16), new OvalRoi(70, 20, 16, 16),
                background);
        RoiAnnotations.Annotation a = RoiAnnotations.convert(rois, w, h, false, 2);
        assertFalse(a.full());
        TrainingFrame f = RoiAnnotations.frame("ovals", new FloatPlane(w, h, new float[w * h]), a, Normalization.DEFAULT, 2);
        org.segmentcells.scale.ObjectSize.Estimate e = org.segmentcells.train.OutlinedNuclei.of(List.of(f));
        assertEquals(3, e.objects());
        int[] oval = new int[w * h];
        int area = RoiAnnotations.paint(new OvalRoi(5, 5, 16, 16), w, h, oval, 1);
        assertEquals(org.segmentcells.scale.ObjectSize.diameterOfArea(area), e.diameter(), 1e-9);
    }
}
