package org.segmentcells.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user starts it, in its own JVM: TensorFlow's C++ start-up lines stay off the
 * terminal unless {@code --verbose} asks for them; output and exit status are unchanged.
 */
class QuietStartCliTest {

    private record Run(int status, String out, String err) {
    }

    private static Run java(Path tmp, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out.txt").toFile())
                .redirectError(tmp.resolve("err.txt").toFile());
        pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "finished");
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void tensorFlowsStartUpLinesOnlyWithVerbose(@TempDir Path tmp) throws Exception {
        Run quiet = java(tmp, "segment", "--model", "default", "--output", tmp.resolve("quiet").toString(),
                "test-images/images/demo.tif");
        assertEquals(0, quiet.status(), quiet.err());
        assertTrue(quiet.out().contains("demo.tif: 90 nuclei"), quiet.out());
        assertFalse(quiet.err().contains("tensorflow/"), quiet.err());
        assertFalse(quiet.err().contains("absl"), quiet.err());
        assertFalse(quiet.err().contains("MLIR"), quiet.err());
        assertTrue(Files.isRegularFile(tmp.resolve("quiet").resolve("demo.tif")));

        Run verbose = java(tmp, "segment", "--verbose", "--model", "default", "--output",
                tmp.resolve("verbose").toString(), "test-images/images/demo.tif");
        assertEquals(0, verbose.status(), verbose.err());
        assertTrue(verbose.out().contains("demo.tif: 90 nuclei"), verbose.out());
        assertTrue(verbose.err().contains("tensorflow/cc/saved_model"), verbose.err());
        assertArrayEquals(org.segmentcells.io.ImageFiles.readLabels(tmp.resolve("quiet").resolve("demo.tif")).data(),
                org.segmentcells.io.ImageFiles.readLabels(tmp.resolve("verbose").resolve("demo.tif")).data(),
                "the same labels either way");
    }

    /**
     * A batch stopped mid-run (SIGTERM, which runs the shutdown hooks as Ctrl-C's SIGINT does) says so, and what
     * to do; what it wrote is whole, and the same command run again keeps it and segments the rest.
     */
    @Test
    void aStoppedBatchSaysSoAndARunAgainGoesOn(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Path labels = tmp.resolve("labels");
        Process p = batchAtWork(tmp, 40);
        try {
            p.destroy();
            assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(tmp.resolve("err.txt"));
        assertTrue(err.contains("segment-cells segment: stopped before the end; the label files written so far are"
                + " complete; the same command run again keeps them and segments the rest"), err);
        List<String> written;
        try (var f = Files.list(labels)) {
            written = f.map(x -> x.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
        assertTrue(!written.isEmpty() && written.size() < 40, written.toString());
        for (String n : written) {
            assertTrue(org.segmentcells.io.ImageFiles.readLabels(labels.resolve(n)).countObjects() > 80, n);
        }
        Run again = java(tmp, "segment", "--model", "default", "--output", labels.toString(), in.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("segmented " + org.segmentcells.setting.Counts.of(40 - written.size(), "image") + " (" + written.size()
                + " kept from an earlier run)"), again.out());
        assertFalse(again.err().contains("stopped before the end"), "a run that ends says nothing of stopping: "
                + again.err());
    }

    /**
     * The worker JVM killed outright (the system's out-of-memory killer sends SIGKILL), so it cannot speak: its
     * parent says so, and how to go on, with the child's exit status.
     */
    @Test
    void aKilledWorkerIsSaidByItsParent(@TempDir Path tmp) throws Exception {
        Process p = batchAtWork(tmp, 20);
        try {
            List<ProcessHandle> workers = p.descendants().toList();
            assertFalse(workers.isEmpty(), "a worker JVM");
            workers.forEach(ProcessHandle::destroyForcibly);
            assertTrue(p.waitFor(1, TimeUnit.MINUTES));
            assertEquals(137, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(tmp.resolve("err.txt"));
        assertTrue(err.contains("segment-cells segment: its worker process was killed (signal 9: by the system when"
                + " memory ran out, or by a kill -9); the label files written so far are complete; the same command run"
                + " again keeps them and segments the rest"), err);
    }

    /**
     * {@code segment} of {@code n} copies of the demo image from {@code tmp/in} into {@code tmp/labels}, in a JVM of
     * its own (stdout and stderr in {@code tmp/out.txt} and {@code err.txt}), returned once its second image is
     * under way.
     */
    private static Process batchAtWork(Path tmp, int n) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (int i = 0; i < n; i++) {
            Files.copy(Path.of("test-images/images/demo.tif"), in.resolve(String.format("f%02d.tif", i)));
        }
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "segment", "--model", "default",
                "--output", tmp.resolve("labels").toString(), in.toString());
        Process p = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out.txt").toFile())
                .redirectError(tmp.resolve("err.txt").toFile()).start();
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.readString(tmp.resolve("out.txt")).contains("[2/" + n + "]") && p.isAlive()
                && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "at work: " + Files.readString(tmp.resolve("out.txt")));
        return p;
    }

    /** With nothing to do, or only --verbose, the command line shows its usage (status 2), no stack trace. */
    @Test
    void noCommandShowsTheUsage(@TempDir Path tmp) throws Exception {
        for (String[] args : List.of(new String[0], new String[] {"--verbose"})) {
            Run r = java(tmp, args);
            assertEquals(2, r.status(), r.err());
            assertTrue((r.out() + r.err()).contains("segment"), r.out() + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    /** A stopped train says --resume only where the run left a checkpoint to go on from, and where it is. */
    @Test
    void aStoppedTrainSaysWhetherItCanResume(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("my model");
        Main.Command train = new TrainCommand();
        for (String[] args : List.of(new String[] {"--images", "i", "--output", model.toString()},
                new String[] {"--output=" + model, "--steps", "9"})) {
            assertTrue(train.whenStopped(args).contains("it reached no checkpoint"), train.whenStopped(args));
            assertFalse(train.whenStopped(args).contains("--resume"), train.whenStopped(args));
        }
        // An earlier run's checkpoint (written before this JVM started) is not this run's to go on from.
        Path checkpoint = Files.createDirectories(tmp.resolve("my model.checkpoint"));
        Path state = Files.writeString(checkpoint.resolve("state.json"), "{\"step\": 250}");
        long started = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        Files.setLastModifiedTime(state, java.nio.file.attribute.FileTime.fromMillis(started - 3_600_000));
        assertTrue(train.whenStopped(new String[] {"--output", model.toString()}).contains("no checkpoint of its own"));
        Files.setLastModifiedTime(state, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        String said = train.whenStopped(new String[] {"--output", model.toString()});
        assertEquals("the same command with --resume goes on from its last checkpoint, " + checkpoint.toAbsolutePath(), said);
        // Stopped between a checkpoint's two moves: the previous one, set aside, is what --resume puts back.
        Files.move(checkpoint, tmp.resolve(".my model.checkpoint.old"));
        assertEquals(said, train.whenStopped(new String[] {"--output=" + model}));
    }

    @Test
    void errorsAndExitStatusComeThroughTheQuietChild(@TempDir Path tmp) throws Exception {
        Run r = java(tmp, "segment", "--model", "no-such-model", "--output", tmp.resolve("o").toString(),
                "test-images/images/demo.tif");
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().startsWith("segment-cells segment: ") && r.err().contains("no-such-model"), r.err());
        Run usage = java(tmp, "segment", "--no-such-flag");
        assertEquals(2, usage.status(), usage.err());
    }
}
