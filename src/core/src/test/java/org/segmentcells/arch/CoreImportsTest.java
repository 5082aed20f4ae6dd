package org.segmentcells.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * What the module graph cannot reject: ImageJ 1.x is on the core's compile path (provided) for its file
 * readers and writers and its distance-map watershed, so the compiler would accept it anywhere in the
 * core. Only those two places may use it (docs/architecture.md, "Packages").
 */
class CoreImportsTest {

    /** Core sources that may import {@code ij.*}, relative to the core's org/segmentcells. */
    private static final List<String> IMAGEJ_ALLOWED = List.of("io/", "scale/Watershed.java");

    private static final java.util.regex.Pattern IMAGEJ_NAME = java.util.regex.Pattern.compile(
            "(^|[^\\w.])ij\\.[a-z]+\\.[A-Z]");
    private static final java.util.regex.Pattern OTHER_NAME = java.util.regex.Pattern.compile(
            "(^|[^\\w.])(org\\.scijava|net\\.imagej|net\\.imglib2)\\.");

    @Test
    void imageJIsUsedOnlyForFilesAndTheSizeEstimatesWatershed() throws IOException {
        Path root = Path.of("src/core/src/main/java/org/segmentcells");
        assertTrue(Files.isDirectory(root), "run from the project folder, as the other tests: " + root.toAbsolutePath());
        List<String> wrong = new ArrayList<>();
        int sources = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                sources++;
                String rel = root.relativize(f).toString().replace('\\', '/');
                boolean allowed = IMAGEJ_ALLOWED.stream().anyMatch(rel::startsWith);
                for (String line : Files.readAllLines(f)) {
                    String l = line.strip();
                    // Imports, and names written out in full in the code (ij.io.FileInfo), which need none.
                    if (l.startsWith("import ") && (l.contains(" ij.") && !allowed || l.contains(" org.scijava.")
                            || l.contains(" net.imagej.") || l.contains(" net.imglib2."))
                            || !l.startsWith("*") && !l.startsWith("//") && !l.startsWith("import ")
                            && (!allowed && IMAGEJ_NAME.matcher(l).find() || OTHER_NAME.matcher(l).find())) {
                        wrong.add(rel + ": " + l);
                    }
                }
            }
        }
        assertTrue(sources > 50, "found the core's sources: " + sources);
        assertEquals(List.of(), wrong, "ImageJ, SciJava or ImgLib2 imports outside " + IMAGEJ_ALLOWED);
    }
}
