package org.segmentcells.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.segmentcells.train.TrainingData;

/**
 * Where the real annotated data lives: {@code -Dsegmentcells.data}, else {@code $SEGMENT_CELLS_DATA},
 * else {@code ../shared/data}. Never part of this repository.
 */
public final class DataSets {

    private DataSets() {
    }

    public static Path root() {
        String p = System.getProperty("segmentcells.data", System.getenv("SEGMENT_CELLS_DATA"));
        return Path.of(p != null && !p.isBlank() ? p : "../shared/data");
    }

    /** The folder of one set (e.g. "bbbc039"), or null when it is absent. */
    public static Path find(String set) {
        Path p = root().resolve(set);
        return Files.isDirectory(p.resolve("images")) && Files.isDirectory(p.resolve("labels")) ? p : null;
    }

    /** The stems a list file names (see {@link TrainingData#readList}). */
    public static List<String> stems(Path listFile) throws IOException {
        return TrainingData.readList(listFile);
    }
}
