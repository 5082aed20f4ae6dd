package org.segmentcells.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) and kill (SIGTERM) halfway through a write leave neither the output nor its temporary file. */
class InterruptedWriteTest {

    @Test
    void aKilledWriterLeavesNoPartFileAndNoOutput(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("labels.tif");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                KilledWriterMain.class.getName(), target.toString()).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("writing", r.readLine());
            // The write is under way: its temporary file is there, the output is not.
            List<String> during = list(tmp);
            assertEquals(1, during.size(), during.toString());
            assertTrue(during.get(0).startsWith(".labels.tif.") && during.get(0).endsWith(".part"), during.toString());
            p.destroy(); // SIGTERM, which runs shutdown hooks as Ctrl-C's SIGINT does
            int code = p.waitFor();
            assertNotEquals(0, code);
        } finally {
            p.destroyForcibly();
        }
        assertEquals(List.of(), list(tmp));
        assertFalse(Files.exists(target));
    }

    private static List<String> list(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
