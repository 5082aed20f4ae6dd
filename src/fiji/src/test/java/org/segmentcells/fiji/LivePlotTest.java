package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ij.gui.Plot;

import org.junit.jupiter.api.Test;

class LivePlotTest {

    @Test
    void noWindowWithoutAScreen() {
        assertNull(LivePlot.openIfShown("Fine-tune Model"), "headless: no plot window");
    }

    @Test
    void plotsELossDLossWhereDWasTrainedAndValidationF() {
        LivePlot p = new LivePlot("t", false);
        p.step(1, 3.0, 0.7);
        p.step(2, 2.5, Double.NaN); // D not updated at this step
        p.step(3, 2.0, 0.6);
        p.validated(3, 0.8);
        Plot plot = p.build();
        assertEquals(3, plot.getDataObjectDesignations().length);
        assertArrayEquals(new float[][] {{1, 2, 3}, {3f, 2.5f, 2f}}, xy(plot, 0));
        assertArrayEquals(new float[][] {{1, 3}, {0.7f, 0.6f}}, xy(plot, 1));
        assertArrayEquals(new float[][] {{3}, {0.8f}}, xy(plot, 2));
    }

    private static float[][] xy(Plot plot, int index) {
        float[][] a = plot.getDataObjectArrays(index);
        return new float[][] {a[0], a[1]};
    }
}
