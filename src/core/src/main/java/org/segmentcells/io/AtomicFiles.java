package org.segmentcells.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Write-then-rename helpers, so readers never see a half-written file or folder. */
public final class AtomicFiles {

    /**
     * Temporary names not yet renamed or deleted. A killed JVM (Ctrl-C, SIGTERM) skips the writers'
     * finally blocks but runs shutdown hooks, so the hook deletes these instead of leaving hidden
     * .part files beside the outputs. SIGKILL runs nothing; nothing can help there.
     */
    private static final java.util.Set<Path> PENDING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : PENDING) {
                try {
                    deleteTree(p);
                } catch (IOException | RuntimeException e) {
                    // best effort while the JVM exits
                }
            }
        }, "segment-cells temp cleanup"));
    }

    private AtomicFiles() {
    }

    /**
     * A fresh temporary name beside {@code target} (not created). Unlike Files.createTempFile(Directory) this keeps
     * the default permissions, so the final file is as readable as any other the user writes.
     */
    public static Path tempSibling(Path target) {
        Path abs = target.toAbsolutePath();
        String name = abs.getFileName().toString();
        // The suffix adds about 30 bytes: a long name is cut, so that a name the file system takes keeps a temporary
        // it takes too (255 bytes on most); the process and clock keep it unique.
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 200) {
            name = name.substring(0, 60);
        }
        Path tmp = abs.resolveSibling("." + name + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".part");
        PENDING.add(tmp);
        return tmp;
    }

    /** Deletes a temporary file or folder (if it exists) and forgets it. */
    public static void discard(Path tmp) throws IOException {
        try {
            deleteTree(tmp);
        } finally {
            PENDING.remove(tmp);
        }
    }

    /** Moves a finished temporary file or folder onto its final name in the same folder. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        PENDING.remove(tmp);
    }

    /**
     * Puts a finished temporary folder in place of {@code target}, replacing a folder there, which is deleted
     * only once the new one is in place (a folder cannot be renamed over a non-empty one). The old folder's
     * hidden name is not a pending temporary: a kill between the two renames must not delete it.
     */
    public static void replaceFolder(Path finished, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            old = target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old);
        }
        try {
            Files.move(finished, target);
            PENDING.remove(finished);
        } catch (IOException e) {
            if (old != null) {
                Files.move(old, target);
            }
            throw e;
        }
        if (old != null) {
            try {
                deleteTree(old);
            } catch (IOException e) {
                // The new folder is in place: a leftover of the old one must not fail the run that wrote it.
                System.getLogger(AtomicFiles.class.getName()).log(System.Logger.Level.WARNING,
                        "could not remove the replaced " + old + " (" + e.getMessage() + ")");
            }
        }
    }

    /** Writes text to a temporary file beside {@code target}, then renames it. */
    public static void writeString(Path target, String text) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = tempSibling(target);
        try {
            Files.writeString(tmp, text);
            moveIntoPlace(tmp, target);
        } finally {
            discard(tmp);
        }
    }

    /** Deletes a file tree if it exists; used for temporary folders only. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
