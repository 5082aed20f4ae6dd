package org.segmentcells.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.train.Mode;

/** The records that let {@code benchmark prior} resume and add runs up to one table. */
class ShapePriorBenchmarkTest {

    @TempDir
    Path tmp;

    @Test
    void recordedFineTunesReadBackExactlyAndInOrder() throws IOException {
        Path file = tmp.resolve("work").resolve("trials.tsv");
        assertTrue(ShapePriorBenchmark.readResults(file).isEmpty());
        var a = new ShapePriorBenchmark.Result("lab2", "scribbles K=10", 2, Mode.ADVERSARIAL, 3,
                "default steps=500 lr=3.0E-4 scored=test", 0.9125, 0.91, 0.98, 0.86, 0.8, 187.5);
        var b = new ShapePriorBenchmark.Result("new-microscope", "labels", 4, Mode.CROSS_ENTROPY, 1,
                "default steps=500 lr=3.0E-4 scored=test", 0.84, 0.84, 0.866, 0.814, 0.671, 115);
        ShapePriorBenchmark.record(file, a);
        ShapePriorBenchmark.record(file, b);
        assertEquals(List.of(a, b), ShapePriorBenchmark.readResults(file));
        assertEquals(3, Files.readAllLines(file).size(), "a header and one line per fine-tune");
        assertTrue(Files.list(file.getParent()).allMatch(f -> f.equals(file)), "no temporary file left");
    }

    @Test
    void aDamagedLineNamesTheFileAndLine() throws IOException {
        Path file = tmp.resolve("trials.tsv");
        Files.writeString(file, ShapePriorBenchmark.Result.HEADER + "\nlab2\tlabels\t1\n");
        IOException e = assertThrows(IOException.class, () -> ShapePriorBenchmark.readResults(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void meanAndSampleSdOverSeeds() {
        assertEquals("0.500 ± 0.141", ShapePriorBenchmark.meanSd(List.of(0.4, 0.6), x -> x, "%.3f"));
        assertEquals("+0.100", ShapePriorBenchmark.meanSd(List.of(0.1), x -> x, "%+.3f"));
    }
}
