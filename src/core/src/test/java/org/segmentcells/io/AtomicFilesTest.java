package org.segmentcells.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    private static Path folder(Path dir, String text) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("part"), text);
        return dir;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Two tables of one run: both replaced, or, when one cannot be, both left as they were. */
    @Test
    void foldersThatBelongTogetherAreReplacedTogetherOrNotAtAll(@TempDir Path tmp) throws Exception {
        Path a = folder(tmp.resolve("images.parquet"), "old a");
        Path b = folder(tmp.resolve("nuclei.parquet"), "old b");
        Path newA = folder(AtomicFiles.tempSibling(a), "new a");
        Path missing = AtomicFiles.tempSibling(b); // its write failed: never made
        assertThrows(IOException.class, () -> AtomicFiles.replaceFolders(List.of(newA, missing), List.of(a, b)));
        assertEquals("old a", Files.readString(a.resolve("part")));
        assertEquals("old b", Files.readString(b.resolve("part")));
        assertEquals("new a", Files.readString(newA.resolve("part")), "the new one back where it was");

        Path newB = folder(AtomicFiles.tempSibling(b), "new b");
        AtomicFiles.replaceFolders(List.of(newA, newB), List.of(a, b));
        assertEquals("new a", Files.readString(a.resolve("part")));
        assertEquals("new b", Files.readString(b.resolve("part")));
        assertEquals(List.of("images.parquet", "nuclei.parquet"), names(tmp), "nothing left beside them");
    }

    /** A long name the file system takes keeps temporaries it takes; two of one name never share one. */
    @Test
    void temporariesOfLongNamesFitAndDiffer(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("\uD83D\uDD2C".repeat(30) + "w".repeat(120) + ".tif"); // 244 bytes, surrogate pairs
        Path one = AtomicFiles.tempSibling(target);
        Path two = AtomicFiles.tempSibling(target);
        assertNotEquals(one, two);
        Files.writeString(one, "x");
        assertTrue(one.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255);
        AtomicFiles.moveIntoPlace(one, target);
        assertEquals("x", Files.readString(target));
        AtomicFiles.discard(two);
    }
}
