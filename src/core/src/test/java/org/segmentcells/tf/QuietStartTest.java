package org.segmentcells.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuietStartTest {

    @Test
    void onlyAbslsTwoStartUpLinesAreDropped() {
        assertTrue(QuietStart.isNoise("WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"));
        assertTrue(QuietStart.isNoise("I0000 00:00:1796328780.500972   19641 mlir_graph_optimization_pass.cc:401] MLIR V1"
                + " optimization pass is not enabled"));
        assertFalse(QuietStart.isNoise("segment-cells segment: demo.tif: no such file or folder"));
        assertFalse(QuietStart.isNoise("E0000 00:00:1796328780.500972   19641 some_op.cc:12] out of memory"));
        assertFalse(QuietStart.isNoise("WARNING: something else"));
    }

    @Test
    void notRelaunchedWhenVerboseOrInsideTheChild() {
        assertEquals(-1, QuietStart.relaunch(QuietStartTest.class, new String[0], true));
        System.setProperty(QuietStart.CHILD, "true");
        try {
            assertEquals(-1, QuietStart.relaunch(QuietStartTest.class, new String[0], false));
        } finally {
            System.clearProperty(QuietStart.CHILD);
        }
    }
}
