package org.segmentcells.img;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LabelTypeTest {

    @Test
    void sixteenBitWhileIdsFitThenFloatUpToItsExactLimit() {
        assertEquals(LabelType.GRAY16, LabelType.forMaxLabel(0));
        assertEquals(LabelType.GRAY16, LabelType.forMaxLabel(65535));
        assertEquals(LabelType.FLOAT32, LabelType.forMaxLabel(65536));
        assertEquals(LabelType.FLOAT32, LabelType.forMaxLabel((1 << 24) - 1));
        assertEquals((float) ((1 << 24) - 1), (1 << 24) - 1, "the largest id a float still holds exactly");
        assertThrows(IllegalArgumentException.class, () -> LabelType.forMaxLabel(1 << 24));
    }
}
