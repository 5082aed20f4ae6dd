package org.segmentcells.robust;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 6, fuzzing the estimator: saved_model.pb and its variables, mutated, loaded with {@code Model.load}.
 * TensorFlow's native loader could take the whole JVM down on bad bytes, so the cases run in a child JVM
 * ({@link ModelFuzzMain}); a crash is reported as a failure naming the case, and the remaining cases
 * still run in a fresh child.
 */
class ModelFuzzTest {

    @ParameterizedTest
    @CsvSource({"estimator/saved_model.pb, 71, 200", "estimator/variables/variables.index, 72, 200",
        "estimator/variables/variables.data-00000-of-00001, 73, 200"})
    void estimatorFiles(String file, long seed, int cases, @TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("model");
        org.segmentcells.model.TestModels.copy(FuzzTest.MODEL, model);
        Path original = tmp.resolve("original");
        Files.copy(FuzzTest.MODEL.resolve(file), original);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> bad = new ArrayList<>();
        int from = 0;
        int loaded = 0;
        int clean = 0;
        while (from < cases) {
            Process p = new ProcessBuilder(java, "-Xmx512m", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                    ModelFuzzMain.class.getName(), model.toString(), file, original.toString(), String.valueOf(seed),
                    String.valueOf(from), String.valueOf(cases))
                    .redirectErrorStream(true).start();
            int started = -1;
            boolean done = false;
            StringBuilder tail = new StringBuilder();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("START ")) {
                        started = Integer.parseInt(line.substring(6));
                        tail.setLength(0);
                    } else if (line.startsWith("END ")) {
                        String[] f = line.split(" ", 4);
                        switch (f[2]) {
                            case "LOADED" -> loaded++;
                            case "CLEAN" -> clean++;
                            default -> bad.add("case " + f[1] + " (" + Fuzz.kind(Integer.parseInt(f[1])) + "): " + line);
                        }
                        started = -1;
                    } else if (line.equals("DONE")) {
                        done = true;
                    } else if (tail.length() < 2000) {
                        tail.append(line).append('\n');
                    }
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            if (done) {
                break;
            }
            if (started < 0) {
                bad.add("child JVM failed outside any case (exit " + p.exitValue() + "): " + tail);
                break;
            }
            bad.add("case " + started + " (" + Fuzz.kind(started) + ") crashed the JVM (exit " + p.exitValue() + "): "
                    + tail.toString().strip().replace('\n', ' '));
            from = started + 1;
        }
        System.out.printf("%s: %d cases, %d loaded, %d clean errors, %d bad%n", file, cases, loaded, clean, bad.size());
        assertTrue(bad.isEmpty(), bad.size() + " bad cases for " + file + ":\n" + String.join("\n", bad));
    }
}
