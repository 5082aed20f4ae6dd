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
        try (var files = Files.list(file.getParent())) {
            assertTrue(files.allMatch(f -> f.equals(file)), "no temporary file left");
        }
    }

    @Test
    void aDamagedLineNamesTheFileAndLine() throws IOException {
        Path file = tmp.resolve("trials.tsv");
        Files.writeString(file, ShapePriorBenchmark.Result.HEADER + "\nlab2\tlabels\t1\n");
        IOException e = assertThrows(IOException.class, () -> ShapePriorBenchmark.readResults(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void adversarialIsPairedWithCrossEntropyOfTheSameSeed() {
        String r = "default steps=500 lr=3.0E-4 scored=test";
        var key = new ShapePriorBenchmark.Key("lab2", "labels", 1, Mode.ADVERSARIAL);
        var ceKey = new ShapePriorBenchmark.Key("lab2", "labels", 1, Mode.CROSS_ENTROPY);
        java.util.Map<ShapePriorBenchmark.Key, List<ShapePriorBenchmark.Result>> trials = new java.util.LinkedHashMap<>();
        // Recorded in different orders: seed 2 first for ADV, seed 1 first for CE.
        trials.put(key, List.of(new ShapePriorBenchmark.Result("lab2", "labels", 1, Mode.ADVERSARIAL, 2, r, 0.80, 0.8, 1, 1, 1, 1),
                new ShapePriorBenchmark.Result("lab2", "labels", 1, Mode.ADVERSARIAL, 1, r, 0.90, 0.9, 1, 1, 1, 1)));
        trials.put(ceKey, List.of(new ShapePriorBenchmark.Result("lab2", "labels", 1, Mode.CROSS_ENTROPY, 1, r, 0.95, 0.95, 1, 1, 1, 1),
                new ShapePriorBenchmark.Result("lab2", "labels", 1, Mode.CROSS_ENTROPY, 2, r, 0.90, 0.9, 1, 1, 1, 1)));
        String table = ShapePriorBenchmark.markdown(java.util.Map.of(), trials);
        // Paired: -0.05 and -0.10 (mean -0.075, sd 0.035); paired by position it would be -0.15 and 0.00.
        assertTrue(table.contains("| -0.075 ± 0.035 |"), table);
    }

    @Test
    void meanAndSampleSdOverSeeds() {
        assertEquals("0.500 ± 0.141", ShapePriorBenchmark.meanSd(List.of(0.4, 0.6), x -> x, "%.3f"));
        assertEquals("+0.100", ShapePriorBenchmark.meanSd(List.of(0.1), x -> x, "%+.3f"));
    }
}
