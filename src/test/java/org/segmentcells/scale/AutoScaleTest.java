package org.segmentcells.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.segmentcells.segment.Scale;

class AutoScaleTest {

    private static final java.util.function.Supplier<ObjectSize.Estimate> NEVER = () -> {
        throw new AssertionError("measured although the scale was fixed");
    };

    @Test
    void aGivenScaleWinsThenTheModelsFixedOneWithoutMeasuring() {
        AutoScale.Choice given = AutoScale.choose(Scale.of(0.5), Scale.AUTO, 25, NEVER);
        assertEquals(0.5, given.factor());
        assertEquals("scale 0.50 (given)", given.describe());
        AutoScale.Choice model = AutoScale.choose(null, Scale.of(0.4), 25, NEVER);
        assertEquals(0.4, model.factor());
        assertEquals(AutoScale.Source.MODEL, model.source());
        assertNull(model.note());
    }

    @Test
    void autoBringsTheMeasuredSizeToTheTrainingSize() {
        AutoScale.Choice c = AutoScale.choose(null, Scale.AUTO, 25, () -> new ObjectSize.Estimate(100, 40));
        assertEquals(0.25, c.factor(), 1e-12);
        assertEquals("scale 0.25 (auto, nuclei 100 px)", c.describe());
        assertFalse(c.hasNote());
        // A user's "auto" overrides a calibrated model's number.
        assertEquals(2, AutoScale.choose(Scale.AUTO, Scale.of(0.4), 25, () -> new ObjectSize.Estimate(12.5, 9)).factor(), 1e-12);
    }

    @Test
    void estimatesOutsideTheRangeAreClampedWithANote() {
        AutoScale.Choice big = AutoScale.choose(null, Scale.AUTO, 25, () -> new ObjectSize.Estimate(400, 3));
        assertEquals(1 / AutoScale.MAX_RATIO, big.factor(), 1e-12);
        assertTrue(big.note().contains("400.0 px") && big.note().contains("125 px is used"), big.note());
        AutoScale.Choice small = AutoScale.choose(null, Scale.AUTO, 25, () -> new ObjectSize.Estimate(3, 50));
        assertEquals(1 / AutoScale.MIN_RATIO, small.factor(), 1e-12);
        assertTrue(small.hasNote());
    }

    @Test
    void nothingToMeasureMeansEmptyLabelsAndNoTrainingSizeScaleOneWithANote() {
        AutoScale.Choice none = AutoScale.choose(null, Scale.AUTO, 25, () -> ObjectSize.Estimate.NONE);
        assertTrue(none.nothing());
        assertEquals("no nuclei (auto)", none.describe());
        assertTrue(none.note().startsWith("no nuclei found"), none.note());
        AutoScale.Choice old = AutoScale.choose(null, Scale.AUTO, 0, NEVER);
        assertEquals(1, old.factor());
        assertTrue(old.note().contains("objectDiameter"), old.note());
    }

    @Test
    void scalesParseAsAutoOrANumberInRange() {
        assertTrue(Scale.parse("auto").isAuto());
        assertTrue(Scale.parse(" AUTO ").isAuto());
        assertEquals(0.35, Scale.parse("0.35").factor());
        assertEquals("0.35", Scale.parse("0.35").toString());
        assertEquals("auto", Scale.AUTO.toString());
        for (String bad : new String[] {"0", "-1", "abc", "", "NaN", "5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scale.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("scale must be auto or a number from 0.1 to 4"), e.getMessage());
        }
    }
}
