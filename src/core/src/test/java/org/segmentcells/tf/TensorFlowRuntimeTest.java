package org.segmentcells.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorFlowRuntimeTest {

    @Test
    void namesTheDeviceTheNetworkRunsOn() {
        String s = TensorFlowRuntime.deviceSummary();
        // Listing must work (no "devices not listed"), and name CPU or GPU with its details.
        assertTrue(s.matches("TensorFlow 2\\.\\d+\\.\\d+ on (CPU \\(\\d+ threads\\)|GPU \\(/device:GPU:0, .*\\))"), s);
        if (System.getProperty("segmentcells.threads") == null && s.contains(" on CPU ")) {
            assertTrue(s.endsWith("(" + Runtime.getRuntime().availableProcessors() + " threads)"), s);
        }
        assertEquals(s, TensorFlowRuntime.deviceSummary(), "listed once, then cached");
    }

    /** A thread count that is not a whole number of 1 or more is named as the property, not met later. */
    @Test
    void aBadThreadCountIsNamed() {
        String before = System.getProperty("segmentcells.threads");
        try {
            for (String bad : new String[] {"abc", "0", "-2"}) {
                System.setProperty("segmentcells.threads", bad);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, TensorFlowRuntime::sessionConfig);
                assertTrue(e.getMessage().startsWith("-Dsegmentcells.threads=" + bad + ": give a whole number"),
                        e.getMessage());
            }
            System.setProperty("segmentcells.threads", "3");
            assertEquals(3, TensorFlowRuntime.sessionConfig().getIntraOpParallelismThreads());
        } finally {
            if (before == null) {
                System.clearProperty("segmentcells.threads");
            } else {
                System.setProperty("segmentcells.threads", before);
            }
        }
    }
}
