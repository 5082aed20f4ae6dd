package org.segmentcells.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.segmentcells.cli.Main;

/**
 * The full command line (the CLI's commands plus bench's {@code synth} and {@code benchmark}, which this
 * module adds through {@code Main.Extension}). Moved from the CLI's CliTest when the modules split.
 */
class BenchmarkCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpForEveryCommand() {
        for (String c : new String[] {"segment", "train", "evaluate", "synth", "benchmark"}) {
            Run r = cli(c, "--help");
            assertEquals(0, r.code(), c);
            assertTrue(r.out().startsWith("usage: " + c), r.out());
        }
        assertTrue(cli("--help").out().contains("segment"));
        assertEquals(2, cli("frobnicate").code());
    }

    @Test
    void theTwoSelectionFoldsAreExclusive() {
        // Checked before the data set is looked for, so it holds on a fresh clone too.
        Run r = cli("benchmark", "microscope", "--select", "--select-swapped");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--select and --select-swapped are the two folds; give one"), r.err());
    }

    @Test
    void generalistTrainingOptionsAreCheckedBeforeTheData() {
        // Checked before the data set is looked for, so it holds on a fresh clone too.
        Run r = cli("benchmark", "generalist", "--steps", "10", "--bbbc039-repeat", "0");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--bbbc039-repeat must be at least 1, got 0"), r.err());
        r = cli("benchmark", "generalist", "--steps", "10", "--small-object-weight", "0.5");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--small-object-weight must be at least 1, got 0.5"), r.err());
        r = cli("benchmark", "generalist", "--steps", "10", "--auto-sizes");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--own-size and --auto-sizes go with --object-range LOW,HIGH"), r.err());
    }

    @Test
    void reproduceLinesKeepEmptyValues() {
        // "--scribble-k" with no value would swallow the next option when the line is pasted into a shell.
        assertEquals("\"\"", BenchmarkCommand.shellWord(""));
        assertEquals("5,10,20", BenchmarkCommand.shellWord("5,10,20"));
    }

    @Test
    void priorChecksItsListsBeforeTheData() {
        Run r = cli("benchmark", "prior", "--model", "bbbc039-2frames", "--seeds", "one,two");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("expected whole numbers separated by commas, got one,two"), r.err());
    }

    @Test
    void priorReportsMeanAndSampleStandardDeviationOverSeeds() {
        assertEquals("0.850 ± 0.071", ShapePriorBenchmark.meanSd(java.util.List.of(0.8, 0.9), x -> x, "%.3f"));
        assertEquals("-0.050 ± 0.071", ShapePriorBenchmark.meanSd(java.util.List.of(-0.1, 0.0), x -> x, "%+.3f"));
        assertEquals("0.800", ShapePriorBenchmark.meanSd(java.util.List.of(0.8), x -> x, "%.3f"));
    }
}
