package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;

class PseudoLabelsTest {

    @Test
    void unscribbledPixelsTakeTheStartingModelsClassAtTheWeightAndStrokesStayAsDrawn() {
        // Left half bright (the net says nucleus), right half dark (background).
        FloatPlane img = new FloatPlane(8, 4);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                img.set(x, y, 1f);
            }
        }
        byte[] classes = new byte[32];
        float[] weight = new float[32];
        classes[0] = 0; // a background stroke on a bright pixel: the user is right, the model wrong
        weight[0] = 1;
        classes[7] = 2; // a contour stroke on a dark pixel
        weight[7] = 1;
        TrainingFrame f = PseudoLabels.fill(new TrainingFrame("f", img, classes, weight), CalibrationTest.BRIGHT, 0.25f);
        assertEquals(0, f.classes()[0]);
        assertEquals(1f, f.weight()[0]);
        assertEquals(2, f.classes()[7]);
        assertEquals(1f, f.weight()[7]);
        assertEquals(1, f.classes()[1], "bright, unscribbled: nucleus");
        assertEquals(0.25f, f.weight()[1]);
        assertEquals(0, f.classes()[6], "dark, unscribbled: background");
        assertEquals(0.25f, f.weight()[6]);
        assertEquals(0f, weight[1], "the input frame is not changed");
        assertThrows(IllegalArgumentException.class,
                () -> PseudoLabels.fill(new TrainingFrame("f", img, classes, weight), CalibrationTest.BRIGHT, 0));
    }
}
