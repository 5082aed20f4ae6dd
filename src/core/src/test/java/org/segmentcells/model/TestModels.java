package org.segmentcells.model;

import java.nio.file.Files;
import java.nio.file.Path;

/** Copies of model folders for tests that change them. */
public final class TestModels {

    private TestModels() {
    }

    /** Copies the folder {@code from} (a model) to {@code to}, which must not exist. */
    public static Path copy(Path from, Path to) throws java.io.IOException {
        try (var s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
        return to;
    }
}
