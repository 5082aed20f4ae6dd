package org.segmentcells.fiji;

import ij.IJ;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelStore;

/**
 * Model look-up for the plugin: {@link ModelStore} plus {@code models/} in the ImageJ/Fiji folder, which is
 * where a Fiji user keeps models (Fiji's working folder is not always Fiji.app).
 */
final class FijiModels {

    private FijiModels() {
    }

    /** {@code <ImageJ folder>/models}, or null if ImageJ does not know its folder. */
    static Path imageJModels() {
        String dir = IJ.getDirectory("imagej");
        return dir == null ? null : Path.of(dir, "models");
    }

    /** Model names for the dialog: {@code default} first, then every other known name. */
    static List<String> names() {
        return names(imageJModels());
    }

    /** As {@link #names()}, with {@code dir} as the ImageJ models folder (may be null). */
    static List<String> names(Path dir) {
        TreeSet<String> names = new TreeSet<>(ModelStore.names());
        if (dir != null && Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                s.filter(p -> Files.isRegularFile(p.resolve(ModelFolder.INFO)))
                        .forEach(p -> names.add(p.getFileName().toString()));
            } catch (IOException e) {
                // an unreadable folder contributes no names
            }
        }
        List<String> out = new ArrayList<>();
        out.add("default");
        names.stream().filter(n -> !n.equals("default")).forEach(out::add);
        return out;
    }

    /** A model folder for a folder path or a name; the ImageJ models folder is searched before ModelStore's. */
    static Path resolve(String nameOrPath) throws IOException {
        return resolve(nameOrPath, imageJModels());
    }

    /** As {@link #resolve(String)}, with {@code models} as the ImageJ models folder (may be null). */
    static Path resolve(String nameOrPath, Path models) throws IOException {
        Path mine = inModels(nameOrPath, models);
        if (mine != null) {
            return mine;
        }
        try {
            return ModelStore.resolve(nameOrPath);
        } catch (ModelStore.NotFound e) {
            throw ModelStore.notFound(nameOrPath, names(models)); // the models in Fiji's models folder too
        } catch (InvalidPathException e) {
            throw new IOException("model '" + nameOrPath + "' is not a valid folder name (" + e.getReason() + ")");
        }
    }

    /**
     * The model as the core's jobs take it ({@code FileSegmentation}): the folder in the ImageJ models folder
     * when {@code nameOrPath} names one there (where Fine-tune Model writes), else as given, for ModelStore.
     */
    static String forCore(String nameOrPath) {
        Path mine = inModels(nameOrPath, imageJModels());
        return mine != null ? mine.toString() : nameOrPath;
    }

    /** {@code models/nameOrPath} when it is a bare name of a model folder there and not a folder here, else null. */
    static Path inModels(String nameOrPath, Path models) {
        if (models == null || !ModelStore.isName(nameOrPath)) {
            return null;
        }
        try {
            if (!Files.isDirectory(Path.of(nameOrPath))
                    && Files.isRegularFile(models.resolve(nameOrPath).resolve(ModelFolder.INFO))) {
                return models.resolve(nameOrPath);
            }
        } catch (InvalidPathException e) {
            // not a usable path; ModelStore reports the name as unknown
        }
        return null;
    }

    /**
     * Where Fine-tune Model writes: a bare name (e.g. {@code my-scope}) becomes {@code <models>/my-scope},
     * so Segment Cells offers it by that name; anything else (a path) is used as given.
     */
    static Path outputFolder(String nameOrPath, Path models) {
        if (models != null && ModelStore.isName(nameOrPath)) {
            return models.resolve(nameOrPath).toAbsolutePath();
        }
        return Path.of(nameOrPath).toAbsolutePath();
    }
}
