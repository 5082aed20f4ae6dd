package org.segmentcells.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorFlow loading quietly in a running JVM, as in Fiji: a child JVM loads it, runs a session, then
 * writes to stderr; only its own line may reach stderr, and with the quiet start not asked for,
 * TensorFlow's lines do (so this test can tell).
 */
class InProcessQuietTest {

    /** The child: {@code quiet} or {@code verbose}. */
    public static void main(String[] args) {
        if (args[0].equals("quiet")) {
            QuietStart.keepThisProcessQuiet();
        }
        System.out.println(TensorFlowRuntime.deviceSummary());
        try (org.tensorflow.Graph g = new org.tensorflow.Graph(); org.tensorflow.Session s = new org.tensorflow.Session(g);
                org.tensorflow.Result r = s.runner().fetch(org.tensorflow.op.Ops.create(g).constant(2f)).run()) {
            System.out.println("ran " + r.size());
        }
        System.err.println("stderr still works");
    }

    private static String[] child(Path tmp, String mode) throws Exception {
        Path out = tmp.resolve(mode + ".out");
        Path err = tmp.resolve(mode + ".err");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), InProcessQuietTest.class.getName(), mode))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove(QuietStart.LOG_LEVEL);
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "child finished");
        assertEquals(0, p.exitValue(), Files.readString(err));
        return new String[] {Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8)};
    }

    @Test
    void onlyOurOwnLineReachesStderr(@TempDir Path tmp) throws Exception {
        assumeTrue(QuietStart.canQuietThisProcess(), "quiet start in a running JVM needs Linux or macOS");
        String[] quiet = child(tmp, "quiet");
        assertTrue(quiet[0].contains("on CPU") || quiet[0].contains("on GPU"), quiet[0]);
        assertTrue(quiet[0].contains("ran 1"), quiet[0]);

        String[] verbose = child(tmp, "verbose");
        assertTrue(verbose[1].contains("absl::InitializeLog") && verbose[1].contains("MLIR"), verbose[1]);
        assertTrue(verbose[1].strip().endsWith("stderr still works"), verbose[1]);
        assertFalse(verbose[0].isBlank());
        // JNA is on this classpath (as in Fiji), so the level is set before TensorFlow's library loads, also on
        // a CPU where TensorFlow logs while loading (oneDNN on).
        assertEquals("stderr still works", quiet[1].strip(), "stderr of the quiet child");
    }
}
