package org.segmentcells.setting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileErrorsTest {

    /** Users read what went wrong and where, not Java's class names or a bare path. */
    @Test
    void fileSystemFailuresAreSaidInWords(@TempDir Path dir) throws Exception {
        NoSuchFileException missing = org.junit.jupiter.api.Assertions.assertThrows(NoSuchFileException.class,
                () -> Files.readString(dir.resolve("gone.txt")));
        assertEquals(dir.resolve("gone.txt") + ": no such file or folder", FileErrors.describe(missing));
        assertEquals("no such file or folder", FileErrors.reason(missing));
        assertEquals("/out: permission denied", FileErrors.describe(new AccessDeniedException("/out")));
        assertEquals("/a -> /b: Is a directory", FileErrors.describe(new FileSystemException("/a", "/b", "Is a directory")));
        Path file = Files.writeString(dir.resolve("f"), "x");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> Files.createDirectories(file.resolve("sub")));
        assertEquals(false, FileErrors.describe(e).contains("java."), FileErrors.describe(e));
        assertEquals("permission denied", FileErrors.about(Path.of("/out"), new AccessDeniedException("/out")));
        assertEquals("permission denied", FileErrors.about(Path.of("out"), new AccessDeniedException(
                Path.of("out").toAbsolutePath().toString())), "a relative path is the absolute one it names");
        assertEquals("/out: permission denied", FileErrors.about(Path.of("/out/sub"), new AccessDeniedException("/out")));
        assertEquals("disk full", FileErrors.describe(new IOException("disk full")));
        assertEquals("NullPointerException", FileErrors.describe(new NullPointerException()));
    }
}
