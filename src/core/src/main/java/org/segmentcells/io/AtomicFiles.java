package org.segmentcells.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Write-then-rename helpers, so readers never see a half-written file or folder. */
public final class AtomicFiles {

    /**
     * Temporary names not yet renamed or deleted. A killed JVM (Ctrl-C, SIGTERM) skips the writers'
     * finally blocks but runs shutdown hooks, so the hook deletes these instead of leaving hidden
     * .part files beside the outputs. SIGKILL runs nothing: the next run names what is left
     * ({@link #leftovers}).
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
        Path abs = target.toAbsolutePath().normalize();
        Path tmp = abs.resolveSibling("." + shortName(abs) + "." + ProcessHandle.current().pid() + "-" + UNIQUE.incrementAndGet()
                + "-" + System.nanoTime() + ".part");
        PENDING.add(tmp);
        return tmp;
    }

    private static final java.util.regex.Pattern TEMP_NAME = java.util.regex.Pattern.compile("\\..+\\.\\d+-\\d+-\\d+\\.part");

    /** Whether {@code name} is one of the temporary names {@link #tempSibling} gives. */
    public static boolean isTemporary(String name) {
        return TEMP_NAME.matcher(name).matches();
    }

    /**
     * A warning naming the temporary files in {@code folder} that no writer of this JVM holds: left by a run
     * killed outright, or being written by another run there right now (a cluster's, on a shared file
     * system), which is why they are named, not deleted. Null when there are none.
     */
    public static String leftovers(Path folder) {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        List<Path> found = new java.util.ArrayList<>();
        long bytes = 0;
        try (java.util.stream.Stream<Path> s = Files.list(folder)) {
            for (Path p : s.sorted().toList()) {
                if (TEMP_NAME.matcher(p.getFileName().toString()).matches()
                        && !PENDING.contains(p.toAbsolutePath().normalize())) {
                    found.add(p);
                    try {
                        bytes += Files.isRegularFile(p) ? Files.size(p) : 0;
                    } catch (IOException renamedMeanwhile) {
                        // another run finished it: only a warning's size is at stake
                    }
                }
            }
        } catch (IOException e) {
            return null; // a folder one may write to but not list: nothing to say, and no reason to stop
        }
        if (found.isEmpty()) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "%s holds %d unfinished file%s of an interrupted run (%s%s, %.1f MB);"
                + " once no other run writes there, delete them", folder, found.size(), found.size() == 1 ? "" : "s",
                found.get(0).getFileName(), found.size() > 1 ? ", ..." : "", bytes / 1e6);
    }

    /** Keeps temporary names apart where the clock does not (threads of one process). */
    private static final java.util.concurrent.atomic.AtomicLong UNIQUE = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The file name, cut to 60 characters when long: a suffix adds about 40 bytes, so a name the file system
     * takes keeps hidden siblings it takes too (255 bytes on most). The suffix keeps them unique.
     */
    private static String shortName(Path file) {
        String name = file.getFileName().toString();
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 200) {
            return name;
        }
        return name.substring(0, name.offsetByCodePoints(0, Math.min(60, name.codePointCount(0, name.length()))));
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
     * only once the new one is in place (a folder cannot be renamed over a non-empty one).
     */
    public static void replaceFolder(Path finished, Path target) throws IOException {
        replaceFolders(java.util.List.of(finished), java.util.List.of(target));
    }

    /**
     * As {@link #replaceFolder}, for folders that belong together (two tables of one run): every old one is
     * moved aside before any new one moves in, and a failure puts the old ones back, so readers never find
     * one of each run. The old folders' hidden names are not pending temporaries: a kill between the renames
     * must not delete them.
     */
    public static void replaceFolders(java.util.List<Path> finished, java.util.List<Path> targets) throws IOException {
        replaceFolders(finished, targets, name -> false);
    }

    /**
     * As {@link #replaceFolder}, carrying over the entries of the old folder whose names {@code keep} accepts
     * (the user's own files in a model folder): moved into the new folder once it is in place, before the old
     * one is deleted. An entry that cannot be moved leaves the old folder where it was set aside, named in a
     * warning, rather than deleted with it.
     */
    public static void replaceFolderKeeping(Path finished, Path target, java.util.function.Predicate<String> keep)
            throws IOException {
        replaceFolders(java.util.List.of(finished), java.util.List.of(target), keep);
    }

    private static void replaceFolders(java.util.List<Path> finished, java.util.List<Path> targets,
            java.util.function.Predicate<String> keep) throws IOException {
        java.util.List<Path> old = new java.util.ArrayList<>();
        int in = 0;
        try {
            for (Path t : targets) {
                Path aside = null;
                if (Files.exists(t, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    aside = t.toAbsolutePath().resolveSibling("." + shortName(t.toAbsolutePath()) + ".old-"
                            + UNIQUE.incrementAndGet() + "-" + System.nanoTime());
                    Files.move(t, aside);
                }
                old.add(aside);
            }
            for (; in < targets.size(); in++) {
                Files.move(finished.get(in), targets.get(in));
                PENDING.remove(finished.get(in));
            }
        } catch (IOException e) {
            for (int i = 0; i < in; i++) {
                Path moved = targets.get(i);
                Path back = finished.get(i);
                undo(() -> Files.move(moved, back), e);
            }
            for (int i = 0; i < old.size(); i++) {
                Path aside = old.get(i);
                Path t = targets.get(i);
                if (aside != null) {
                    undo(() -> Files.move(aside, t), e);
                }
            }
            throw e;
        }
        for (int i = 0; i < old.size(); i++) {
            Path aside = old.get(i);
            if (aside != null) {
                if (!carryOver(aside, targets.get(i), keep)) {
                    continue;
                }
                try {
                    deleteTree(aside);
                } catch (IOException e) {
                    // The new folders are in place: a leftover of an old one must not fail the run that wrote them.
                    System.getLogger(AtomicFiles.class.getName()).log(System.Logger.Level.WARNING,
                            "could not remove the replaced " + aside + " (" + e.getMessage() + ")");
                }
            }
        }
    }

    /** Moves the entries {@code keep} accepts from {@code aside} into {@code target}; false if one could not go. */
    private static boolean carryOver(Path aside, Path target, java.util.function.Predicate<String> keep) {
        if (Files.isSymbolicLink(aside) || !Files.isDirectory(aside)) {
            return true;
        }
        boolean all = true;
        try (var s = Files.list(aside)) {
            for (Path e : (Iterable<Path>) s.filter(e -> keep.test(e.getFileName().toString()))::iterator) {
                Path to = target.resolve(e.getFileName().toString());
                try {
                    Files.move(e, to); // fails where the new folder has an entry of that name
                } catch (IOException ex) {
                    all = false;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            all = false;
        }
        if (!all) {
            System.getLogger(AtomicFiles.class.getName()).log(System.Logger.Level.WARNING, "some of your files in the"
                    + " replaced " + target + " could not be moved into the new one; they are kept in " + aside);
        }
        return all;
    }

    private interface Move {
        void run() throws IOException;
    }

    /** A step of putting things back; its own failure is kept with the first (the old folder is named there). */
    private static void undo(Move move, IOException first) {
        try {
            move.run();
        } catch (IOException e) {
            first.addSuppressed(e);
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
