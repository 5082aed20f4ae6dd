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
    void theLoadNoticeIsOnlyTheOneDnnLine() {
        assertTrue(QuietStart.isLoadNotice("2026-12-05 22:20:43.840070: I tensorflow/core/util/port.cc:153] oneDNN custom"
                + " operations are on. You may see slightly different numerical results due to floating-point round-off"
                + " errors from different computation orders. To turn them off, set the environment variable"
                + " `TF_ENABLE_ONEDNN_OPTS=0`."));
        assertFalse(QuietStart.isLoadNotice("2026-12-05 22:27:12.992320: I tensorflow/core/platform/cpu_feature_guard.cc:210]"
                + " This TensorFlow binary is optimized to use available CPU instructions"));
        assertFalse(QuietStart.isLoadNotice("2026-12-05 22:20:43.840070: E tensorflow/core/util/port.cc:153] oneDNN custom"
                + " operations are on."), "an error is never hidden");
        assertFalse(QuietStart.isLoadNotice("stderr still works"));
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

    /**
     * The command the user started killed outright (SIGKILL: no shutdown hook runs): its quiet child, which
     * does the work, stops too instead of writing on with nobody reading its log.
     */
    @Test
    void theChildStopsWhenItsParentIsKilled(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("TF_CPP_MIN_LOG_LEVEL") == null,
                "TensorFlow's log level is set here, so no child is started");
        java.nio.file.Path pidFile = tmp.resolve("child.pid");
        Process parent = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SleepyRelaunchMain.class.getName(), pidFile.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("out.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!java.nio.file.Files.isRegularFile(pidFile) || java.nio.file.Files.readString(pidFile).isEmpty()) {
                org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() < deadline && parent.isAlive(),
                        "the child started: " + java.nio.file.Files.readString(tmp.resolve("out.log")));
                Thread.sleep(100);
            }
            ProcessHandle child = ProcessHandle.of(Long.parseLong(java.nio.file.Files.readString(pidFile).strip()))
                    .orElseThrow();
            org.junit.jupiter.api.Assertions.assertNotEquals(parent.pid(), child.pid(), "a child of its own");
            parent.destroyForcibly().waitFor();
            try {
                child.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                child.destroyForcibly();
                org.junit.jupiter.api.Assertions.fail("the child outlived its parent by 30 s");
            }
        } finally {
            parent.destroyForcibly();
        }
    }
}
