package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EtaTest {

    private static final long S = 1_000_000_000L;

    @Test
    void estimatesFromTheMeanStepTimeAfterTheFirstStep() {
        Eta eta = new Eta();
        assertTrue(Double.isNaN(eta.secondsLeft(100)));
        eta.step(1, 50 * S); // the first step also built the graph: not counted
        assertTrue(Double.isNaN(eta.secondsLeft(100)));
        assertEquals("", eta.text(100));
        eta.step(2, 52 * S);
        eta.step(3, 53 * S);
        eta.step(4, 56 * S); // steps 2..4 took 2, 1 and 3 s: 2 s per step
        assertEquals(2.0, eta.secondsPerStep(), 1e-9);
        assertEquals(192.0, eta.secondsLeft(100), 1e-9);
        assertEquals("3 min 12 s left", eta.text(100));
        assertEquals("12 s left", eta.text(10));
        assertEquals("1 h 40 min left", eta.text(3004)); // 6000 s
        assertEquals("0 s left", eta.text(4));
    }

    @Test
    void aResumedRunCountsFromItsOwnFirstStep() {
        Eta eta = new Eta();
        eta.step(101, 0);
        eta.step(111, 5 * S);
        assertEquals(0.5, eta.secondsPerStep(), 1e-9);
        assertEquals(44.5, eta.secondsLeft(200), 1e-9);
    }
}
