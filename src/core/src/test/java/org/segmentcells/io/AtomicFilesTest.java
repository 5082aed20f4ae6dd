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

    /**
     * Temporary files a killed run left (SIGKILL runs no hook) are named by the next run, not deleted: on a
     * shared file system another run may be writing them. This JVM's own are not named.
     */
    @Test
    void leftoversOfAnInterruptedRunAreNamed(@TempDir Path tmp) throws Exception {
        assertEquals(null, AtomicFiles.leftovers(tmp));
        Path ours = AtomicFiles.tempSibling(tmp.resolve("b.tif"));
        Files.writeString(ours, "being written");
        Files.writeString(tmp.resolve("a.tif"), "an output");
        assertEquals(null, AtomicFiles.leftovers(tmp), "ours is being written");
        Files.write(tmp.resolve(".slide-scratch.31021-2-69700666651828.part"), new byte[2_000_000]);
        assertEquals(tmp + " holds 1 unfinished file of an interrupted run (.slide-scratch.31021-2-69700666651828.part,"
                + " 2.0 MB); once no other run writes there, delete them", AtomicFiles.leftovers(tmp));
        AtomicFiles.discard(ours);
    }
}
