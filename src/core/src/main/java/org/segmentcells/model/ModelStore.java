package org.segmentcells.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.segmentcells.io.AtomicFiles;

/**
 * Finds models by folder path or by short name. A name is looked up, in order, in the folder given by
 * the system property {@code segmentcells.models} (or the environment variable
 * {@code SEGMENT_CELLS_MODELS}), in {@code ./models}, and among the models bundled in the jar. Bundled
 * models are unpacked once into a cache folder, since TensorFlow loads SavedModels from files.
 */
public final class ModelStore {

    static final String BUNDLED = "segmentcells/models/";
    /** A model name: no path separators; spaces inside, as a folder name may have them. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9 _.-]*[A-Za-z0-9_.-])?");

    private ModelStore() {
    }

    /** A model folder for a name or path; IOException listing the known names if none matches. */
    public static Path resolve(String nameOrPath) throws IOException {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new IOException("no model given; use a model name such as 'default' or a model folder");
        }
        Path asPath = Path.of(nameOrPath);
        if (Files.isDirectory(asPath)) {
            return asPath;
        }
        if (isName(nameOrPath)) {
            for (Path dir : searchFolders()) {
                Path p = dir.resolve(nameOrPath);
                if (Files.isRegularFile(p.resolve(ModelFolder.INFO))) {
                    return p;
                }
            }
            Path bundled = unpackBundled(nameOrPath);
            if (bundled != null) {
                return bundled;
            }
        }
        throw notFound(nameOrPath, names());
    }

    /** Whether {@code text} is a model name (looked up in the model folders) rather than a path. */
    public static boolean isName(String text) {
        return text != null && NAME.matcher(text).matches() && !text.contains("..");
    }

    /** The error for a model that is neither a folder nor one of {@code known}. */
    public static IOException notFound(String nameOrPath, java.util.Collection<String> known) {
        return new NotFound("model '" + nameOrPath + "' not found: it is neither a folder nor a known model name"
                + " (known: " + String.join(", ", known) + ")");
    }

    /** A model name or folder that matches nothing; front ends with model folders of their own list those too. */
    public static final class NotFound extends IOException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    /**
     * Refuses to write a model under a shipped model's name into a folder that names are looked up in
     * ({@code ./models}, {@code -Dsegmentcells.models}, and {@code more}, such as Fiji's models folder): it
     * would stand in for the shipped model in every command that names it, without a word.
     */
    public static void checkNotHidingShipped(Path output, List<Path> more) throws IOException {
        Path out = output.toAbsolutePath().normalize();
        String name = out.getFileName() == null ? "" : out.getFileName().toString();
        // Any case: on macOS and Windows "Default" is the folder "default".
        String shipped = bundledNames().stream().filter(b -> b.equalsIgnoreCase(name)).findFirst().orElse(null);
        if (shipped == null) {
            return;
        }
        Path parent = out.getParent();
        // The working folder too (a folder named like a model there is taken before the shipped one), and folders
        // that do not exist yet, which the save would create.
        List<Path> folders = new ArrayList<>(List.of(Path.of("")));
        folders.addAll(lookupFolders());
        folders.addAll(more);
        for (Path f : folders) {
            if (f == null || parent == null) {
                continue;
            }
            Path abs = f.toAbsolutePath().normalize();
            boolean same = abs.equals(parent) || abs.toString().equalsIgnoreCase(parent.toString())
                    || Files.isDirectory(abs) && Files.isDirectory(parent) && Files.isSameFile(abs, parent);
            if (same) {
                throw new IOException(output + ": '" + shipped + "' is the name of a shipped model, and a model saved"
                        + " there would take its place wherever '" + shipped + "' is named; choose another name");
            }
        }
    }

    /**
     * How a run names its model for the user: the name given (such as {@code default}) and where it was
     * found, or the folder given. A bundled model's folder is a cache path a user never chose, so the name
     * comes first.
     */
    public static String describe(String nameOrPath, Path folder) {
        boolean named = isName(nameOrPath) && !Files.isDirectory(Path.of(nameOrPath));
        return named ? nameOrPath + " (" + folder + ")" : folder.toString();
    }

    /**
     * {@link #describe(String, Path)} of a model known by its folder only: a bundled model's copy in the cache
     * ({@code default-83cd811}) by its name first, any other by its folder; absolute, so that every front end that
     * loads the same folder describes it alike.
     */
    public static String describe(Path folder) {
        Path f = folder.toAbsolutePath().normalize();
        String n = f.getFileName() == null ? "" : f.getFileName().toString();
        int dash = n.lastIndexOf('-');
        boolean cached = f.getParent() != null && f.getParent().equals(cacheFolder().toAbsolutePath().normalize());
        return cached && dash > 0 ? n.substring(0, dash) + " (" + f + ")" : f.toString();
    }

    /** Names of all models found in the search folders and the jar. */
    public static List<String> names() {
        TreeSet<String> names = new TreeSet<>();
        for (Path dir : searchFolders()) {
            try (var s = Files.list(dir)) {
                s.filter(p -> Files.isRegularFile(p.resolve(ModelFolder.INFO)))
                        .forEach(p -> names.add(p.getFileName().toString()));
            } catch (IOException e) {
                // an unreadable folder simply contributes no names
            }
        }
        names.addAll(bundledNames());
        return new ArrayList<>(names);
    }

    static List<Path> searchFolders() {
        return lookupFolders().stream().filter(Files::isDirectory).toList();
    }

    /** Where names are looked up, in order, whether or not the folders exist: -Dsegmentcells.models, ./models. */
    private static List<Path> lookupFolders() {
        List<Path> dirs = new ArrayList<>();
        String prop = System.getProperty("segmentcells.models", System.getenv("SEGMENT_CELLS_MODELS"));
        if (prop != null && !prop.isBlank()) {
            dirs.add(Path.of(prop));
        }
        dirs.add(Path.of("models"));
        return dirs;
    }

    private static List<String> bundledNames() {
        List<String> out = new ArrayList<>();
        try {
            URL root = ModelStore.class.getClassLoader().getResource(BUNDLED);
            if (root == null) {
                return out;
            }
            if ("file".equals(root.getProtocol())) {
                try (var s = Files.list(Path.of(root.toURI()))) {
                    s.filter(p -> Files.isRegularFile(p.resolve(ModelFolder.INFO)))
                            .forEach(p -> out.add(p.getFileName().toString()));
                }
            } else if ("jar".equals(root.getProtocol())) {
                try (JarFile jar = openJar(root)) {
                    Enumeration<JarEntry> en = jar.entries();
                    while (en.hasMoreElements()) {
                        String n = en.nextElement().getName();
                        if (n.startsWith(BUNDLED) && n.endsWith("/" + ModelFolder.INFO)) {
                            String rest = n.substring(BUNDLED.length());
                            if (rest.indexOf('/') == rest.lastIndexOf('/')) {
                                out.add(rest.substring(0, rest.indexOf('/')));
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            // no bundled models visible
        }
        return out;
    }

    private static JarFile openJar(URL jarUrl) throws IOException, URISyntaxException {
        String s = jarUrl.getPath(); // file:/path/x.jar!/segmentcells/models/
        String file = s.substring(0, s.indexOf("!/"));
        return new JarFile(Path.of(new java.net.URI(file)).toFile());
    }

    /** Unpacks a bundled model into the cache folder (once per content) and returns its folder. */
    static Path unpackBundled(String name) throws IOException {
        String prefix = BUNDLED + name + "/";
        URL info = ModelStore.class.getClassLoader().getResource(prefix + ModelFolder.INFO);
        if (info == null) {
            return null;
        }
        try {
            if ("file".equals(info.getProtocol())) {
                return Path.of(info.toURI()).getParent();
            }
            try (JarFile jar = openJar(info)) {
                CRC32 crc = new CRC32();
                List<JarEntry> entries = new ArrayList<>();
                Enumeration<JarEntry> en = jar.entries();
                while (en.hasMoreElements()) {
                    JarEntry e = en.nextElement();
                    if (e.getName().startsWith(prefix) && !e.isDirectory()) {
                        entries.add(e);
                        crc.update(e.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        crc.update(Long.toString(e.getCrc()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
                Path cache = cacheFolder();
                Path target = cache.resolve(name + "-" + Long.toHexString(crc.getValue()));
                if (Files.isRegularFile(target.resolve(ModelFolder.INFO))) {
                    return target;
                }
                Files.createDirectories(cache);
                Path tmp = Files.createDirectory(AtomicFiles.tempSibling(target));
                try {
                    for (JarEntry e : entries) {
                        Path out = tmp.resolve(e.getName().substring(prefix.length())).normalize();
                        if (!out.startsWith(tmp)) {
                            throw new IOException("bad entry in bundled model: " + e.getName());
                        }
                        Files.createDirectories(out.getParent());
                        try (InputStream in = jar.getInputStream(e)) {
                            Files.copy(in, out);
                        }
                    }
                    try {
                        Files.move(tmp, target);
                    } catch (IOException raced) {
                        if (!Files.isRegularFile(target.resolve(ModelFolder.INFO))) {
                            throw raced;
                        }
                    }
                } finally {
                    AtomicFiles.deleteTree(tmp);
                }
                return target;
            }
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate bundled model " + name, e);
        }
    }

    static Path cacheFolder() {
        String prop = System.getProperty("segmentcells.cache");
        if (prop != null) {
            return Path.of(prop);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "segment-cells", "models");
    }
}
