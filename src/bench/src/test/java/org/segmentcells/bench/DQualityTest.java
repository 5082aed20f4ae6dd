package org.segmentcells.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.LabelPlane;

class DQualityTest {

    @Test
    void spearmanIsTheCorrelationOfRanks() {
        assertEquals(1, DQuality.spearman(List.of(1.0, 2.0, 3.0, 4.0), List.of(10.0, 20.0, 35.0, 100.0)), 1e-12);
        assertEquals(-1, DQuality.spearman(List.of(1.0, 2.0, 3.0, 4.0), List.of(4.0, 3.0, 2.0, 1.0)), 1e-12);
        // Ties share their mean rank: ranks (1.5, 1.5, 3, 4) against (1, 2, 3, 4).
        assertEquals(0.9486832980505138, DQuality.spearman(List.of(5.0, 5.0, 6.0, 7.0), List.of(1.0, 2.0, 3.0, 4.0)), 1e-12);
        assertTrue(Double.isNaN(DQuality.spearman(List.of(1.0, 1.0, 1.0), List.of(1.0, 2.0, 3.0))), "a constant side");
        assertTrue(Double.isNaN(DQuality.spearman(List.of(1.0, 2.0), List.of(1.0, 2.0))), "too few pairs");
    }

    @Test
    void cropKeepsTheRegionsLabels() {
        LabelPlane l = new LabelPlane(4, 3, new int[] {1, 1, 0, 2, 0, 3, 3, 2, 0, 0, 0, 2});
        LabelPlane c = DQuality.crop(l, 1, 1, 4, 3);
        assertEquals(3, c.width());
        assertArrayEquals(new int[] {3, 3, 2, 0, 0, 2}, c.data());
    }
}
