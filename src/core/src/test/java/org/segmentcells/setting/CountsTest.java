package org.segmentcells.setting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CountsTest {

    /** Log lines read "1 nucleus" and "1 frame", not "1 nuclei" and "1 frames". */
    @Test
    void oneTakesTheSingular() {
        assertEquals("1 nucleus", Counts.nuclei(1));
        assertEquals("0 nuclei", Counts.nuclei(0));
        assertEquals("84 nuclei", Counts.nuclei(84));
        assertEquals("1 band", Counts.of(1, "band"));
        assertEquals("2 bands", Counts.of(2, "band"));
        assertEquals("1 scribbled frame", Counts.of(1, "scribbled frame"));
        assertEquals("3 training frames", Counts.of(3, "training frame"));
    }
}
