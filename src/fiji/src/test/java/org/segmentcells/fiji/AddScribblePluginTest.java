package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.Line;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.process.ByteProcessor;

import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.segmentcells.annotate.Scribbles;
import org.segmentcells.fiji.plugin.ScribbleTags;
import org.segmentcells.fiji.plugin.AddScribblePlugin;

/**
 * Add ... Scribble headless: the ROI Manager is a window (a Frame even when hidden), so it cannot be
 * made here and the scribble goes into the image's overlay; the ROI Manager path is the same tagging.
 */
class AddScribblePluginTest {

    @Test
    void addsTheSelectionTaggedWithItsClass() {
        assertTrue(GraphicsEnvironment.isHeadless(), "the tests run headless (see the pom)");
        ImagePlus imp = new ImagePlus("cells", new ByteProcessor(40, 30));
        Line stroke = new Line(2, 5, 12, 5);
        stroke.setStrokeWidth(2);
        imp.setRoi(stroke);
        AddScribblePlugin.add(imp, Scribbles.NUCLEUS);
        imp.setRoi(new Roi(20, 20, 5, 5));
        AddScribblePlugin.add(imp, Scribbles.BACKGROUND);

        Overlay o = imp.getOverlay();
        assertEquals(2, o.size());
        Roi nucleus = o.get(0);
        assertEquals(2, nucleus.getGroup());
        assertEquals("nucleus-scribble-0001", nucleus.getName());
        assertEquals(Color.GREEN, nucleus.getStrokeColor());
        assertEquals(2, nucleus.getStrokeWidth(), "the stroke width is kept: it is the scribble's width");
        Roi background = o.get(1);
        assertEquals(1, background.getGroup());
        assertEquals("background-scribble-0002", background.getName());
        assertEquals(Color.RED, background.getStrokeColor());

        // And Fine-tune Model reads them back with those classes.
        RoiAnnotations.Annotation a = RoiAnnotations.convert(RoiAnnotations.rois(imp), 40, 30, false, 1);
        assertEquals(2, a.scribbleRois());
        assertEquals(Scribbles.NUCLEUS, a.scribbles().data()[5 * 40 + 2]);
        assertEquals(Scribbles.BACKGROUND, a.scribbles().data()[22 * 40 + 22]);
        assertEquals(List.of(Scribbles.NUCLEUS, Scribbles.BACKGROUND, Scribbles.CONTOUR),
                List.of(ScribbleTags.classOf("nucleus"), ScribbleTags.classOf("background"),
                        ScribbleTags.classOf("contour")));
    }

    @Test
    void withoutASelectionItSaysWhatToDo() {
        ImagePlus imp = new ImagePlus("cells", new ByteProcessor(40, 30));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AddScribblePlugin.add(imp, Scribbles.CONTOUR));
        assertEquals("no selection on \"cells\": draw the contour scribble with a line or selection tool first",
                e.getMessage());
    }
}
