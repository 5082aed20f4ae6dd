package org.segmentcells.annotate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;

class ScribblesTest {

    @Test
    void handMadeScribbleConvertsExactly() {
        // 4x3: a background stroke, a nucleus stroke, one contour pixel, the rest unlabelled.
        LabelPlane s = new LabelPlane(4, 3, new int[] {
            1, 1, 1, 0,
            0, 2, 2, 3,
            0, 0, 0, 0});
        Scribbles.Target t = Scribbles.toTarget(s);
        assertArrayEquals(new byte[] {
            0, 0, 0, 0,
            0, 1, 1, 2,
            0, 0, 0, 0}, t.classes());
        assertArrayEquals(new float[] {
            1, 1, 1, 0,
            0, 1, 1, 1,
            0, 0, 0, 0}, t.weight());
        assertEquals(6, t.labelled());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Scribbles.toTarget(new int[] {0, 4}));
        assertTrue(e.getMessage().contains("pixel 1 has scribble value 4"), e.getMessage());
    }

    @Test
    void simulatedScribblesAgreeWithTheFullTargetAndAreRepeatable() throws Exception {
        LabelPlane gt = ImageFiles.readLabels(Path.of("test-images/labels/synth-00.tif"));
        LabelPlane s = ScribbleSimulator.simulate(gt, 10, 3);
        assertArrayEquals(s.data(), ScribbleSimulator.simulate(gt, 10, 3).data());
        byte[] full = Targets.fromLabels(gt, 2);
        Scribbles.Target t = Scribbles.toTarget(s);
        int[] perClass = new int[3];
        java.util.Set<Integer> nuclei = new java.util.HashSet<>();
        for (int i = 0; i < full.length; i++) {
            if (t.weight()[i] > 0) {
                assertEquals(full[i], t.classes()[i], "pixel " + i);
                perClass[t.classes()[i]]++;
                if (t.classes()[i] == Targets.NUCLEUS) {
                    nuclei.add(gt.data()[i]);
                }
            }
        }
        // Exactly 10 nuclei scribbled, background strokes, and some contour across touching borders.
        assertEquals(10, nuclei.size());
        assertTrue(perClass[0] > 20 && perClass[2] > 0, java.util.Arrays.toString(perClass));
        // Sparse: a few percent of the frame at most.
        assertTrue(t.labelled() < full.length / 20, t.labelled() + " of " + full.length);
    }
}
