package org.segmentcells.fiji.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The numbers both Segment dialogs read, checked as typed: each wrong one named by its key. */
class DialogNumbersTest {

    private static String refused(DialogNumbers n, boolean invalid) {
        return assertThrows(IllegalArgumentException.class, () -> n.check(invalid)).getMessage();
    }

    @Test
    void textOrFractionsWhereNumbersBelongAreNamed() {
        new DialogNumbers(-1, -1, 1024, 0, 0).check(false); // every "the model's" and "not given" passes
        new DialogNumbers(30, 0.5, 512, 2, 37.5).check(false);
        assertEquals("seed_threshold must be a number (-1: the model's)",
                refused(new DialogNumbers(30, Double.NaN, 512, 0, 0), false));
        assertEquals("diameter must be a number of pixels (0: not given)",
                refused(new DialogNumbers(30, 0.5, 512, 0, Double.NaN), false));
        String whole = "min_size, tile and nuclear_channel must be whole numbers";
        assertEquals(whole, refused(new DialogNumbers(30.5, 0.5, 512, 0, 0), false));
        assertEquals(whole, refused(new DialogNumbers(30, 0.5, 512.5, 0, 0), false));
        assertEquals(whole, refused(new DialogNumbers(30, 0.5, 512, 1.5, 0), false));
        assertEquals(whole, refused(new DialogNumbers(30, 0.5, 512, 0, 0), true), "text the dialog could not read");
    }
}
