package org.segmentcells.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;

class NucleusMeasurementsTest {

    @Test
    void measuresAreaCentroidBoxIntensityAndBorder() {
        int w = 6;
        int h = 5;
        int[] l = new int[w * h];
        float[] v = new float[w * h];
        // label 3: a 2x2 square at (1,1)-(2,2) with values 1..4; label 7: the column x=5, rows 0-1
        int[][] sq = {{1, 1}, {2, 1}, {1, 2}, {2, 2}};
        for (int i = 0; i < 4; i++) {
            l[sq[i][1] * w + sq[i][0]] = 3;
            v[sq[i][1] * w + sq[i][0]] = i + 1;
        }
        l[5] = 7;
        l[w + 5] = 7;
        v[5] = 10;
        v[w + 5] = 20;
        List<NucleusMeasurements.Nucleus> n = NucleusMeasurements.of(new LabelPlane(w, h, l), new FloatPlane(w, h, v));
        assertEquals(2, n.size(), "unused label values give no row");
        NucleusMeasurements.Nucleus a = n.get(0);
        assertEquals(3, a.label());
        assertEquals(4, a.area());
        assertEquals(1.5, a.centroidX(), 1e-12);
        assertEquals(1.5, a.centroidY(), 1e-12);
        assertEquals(List.of(1, 1, 2, 2), List.of(a.bboxX(), a.bboxY(), a.bboxWidth(), a.bboxHeight()));
        assertEquals(2.5, a.meanIntensity(), 1e-12);
        assertEquals(1, a.minIntensity(), 1e-12);
        assertEquals(4, a.maxIntensity(), 1e-12);
        assertEquals(10, a.integratedIntensity(), 1e-12);
        assertFalse(a.touchesBorder());
        NucleusMeasurements.Nucleus b = n.get(1);
        assertEquals(7, b.label());
        assertEquals(2, b.area());
        assertEquals(5, b.centroidX(), 1e-12);
        assertEquals(0.5, b.centroidY(), 1e-12);
        assertEquals(30, b.integratedIntensity(), 1e-12);
        assertTrue(b.touchesBorder());
        assertThrows(IllegalArgumentException.class,
                () -> NucleusMeasurements.of(new LabelPlane(w, h, l), new FloatPlane(w, h - 1, new float[w * (h - 1)])));
    }
}
