package org.segmentcells.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
