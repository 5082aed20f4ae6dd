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

    /**
     * A copy of the shipped default at {@code to}, described as trained on sharp frames at their own sizes
     * (neither across its range nor on blurred crops): the models auto scale's network check is for.
     */
    public static Path sharpDefault(Path to) throws java.io.IOException {
        Path copy = copy(ModelStore.resolve("default"), to);
        ModelInfo info = ModelFolder.readInfo(copy);
        info.trainedAcrossRange = null;
        info.training.blur = 0;
        ModelFolder.writeInfo(copy, info);
        return copy;
    }
}
