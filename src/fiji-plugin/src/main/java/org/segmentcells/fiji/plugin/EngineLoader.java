package org.segmentcells.fiji.plugin;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the engine behind {@link FijiEngine}. Installed in Fiji, the engine's jars (ours, TensorFlow Java,
 * JavaCPP, protobuf, gson) sit in {@code Fiji.app/lib/segment-cells/}, a folder neither Fiji nor ImageJ
 * 1.x put on their class path, and load in one child-first class loader, so a TensorFlow 1.15 or protobuf
 * 4 in {@code Fiji.app/jars} (StarDist, CSBDeep) is neither used by us nor replaced for them. Where the
 * engine is already visible (tests, a flat class path) it is used as it is.
 *
 * <p>One engine loader per JVM: a native library loads into one class loader only, so a second loader
 * over the same jars could not start TensorFlow.
 */
public final class EngineLoader {

    /** The implementation of {@link FijiEngine} (in the engine's jars). */
    static final String IMPLEMENTATION = "org.segmentcells.fiji.DefaultFijiEngine";
    /** The engine's folder, relative to the Fiji (or ImageJ) folder. */
    public static final String FOLDER = "lib/segment-cells";
    /** System property naming another engine folder. */
    public static final String FOLDER_PROPERTY = "segmentcells.engine.dir";

    private static FijiEngine engine;

    private EngineLoader() {
    }

    /** A failure to find or start the engine, with a message for the user. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The engine, loaded on first use. */
    public static synchronized FijiEngine engine() throws Unavailable {
        if (engine == null) {
            engine = load();
        }
        return engine;
    }

    private static FijiEngine load() throws Unavailable {
        ClassLoader own = EngineLoader.class.getClassLoader();
        Class<?> impl;
        try {
            impl = Class.forName(IMPLEMENTATION, true, own);
        } catch (ClassNotFoundException | LinkageError notHere) {
            Path folder = folder();
            impl = fromFolder(folder, own);
        }
        try {
            return (FijiEngine) impl.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            throw new Unavailable("Segment Cells could not start its engine (" + e + ")" + reinstall(), e);
        }
    }

    private static Class<?> fromFolder(Path folder, ClassLoader parent) throws Unavailable {
        List<URL> jars = new ArrayList<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> s = Files.list(folder)) {
                for (Path p : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".jar")).sorted()::iterator) {
                    jars.add(p.toUri().toURL());
                }
            } catch (IOException e) {
                throw new Unavailable("Segment Cells cannot read its engine folder " + folder + ": " + e.getMessage()
                        + reinstall(), e);
            }
        }
        if (jars.isEmpty()) {
            throw new Unavailable("Segment Cells is not completely installed: no engine jars in " + folder
                    + reinstall(), null);
        }
        ClassLoader loader = new ChildFirst(jars.toArray(new URL[0]), parent);
        try {
            return Class.forName(IMPLEMENTATION, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new Unavailable("Segment Cells could not load its engine from " + folder + " (" + e + ")"
                    + reinstall(), e);
        }
    }

    /** What to do about a missing or damaged install, after the reason. */
    static String reinstall() {
        return ". Copy src/fiji/target/fiji/plugins and src/fiji/target/fiji/lib into Fiji.app (both folders),"
                + " then restart Fiji.";
    }

    /** {@value #FOLDER} beside the plugins folder that holds this jar, or the {@value #FOLDER_PROPERTY} property. */
    static Path folder() {
        String given = System.getProperty(FOLDER_PROPERTY);
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        try {
            // .../Fiji.app/plugins/Segment_Cells-<version>.jar -> .../Fiji.app/lib/segment-cells
            Path found = folderFor(Path.of(EngineLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
            if (found != null) {
                return found;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to ImageJ's folder
        }
        String ij = System.getProperty("ij.dir", System.getProperty("user.dir"));
        return Path.of(ij, FOLDER.replace('/', File.separatorChar));
    }

    /**
     * {@value #FOLDER} for the plugin jar {@code jar}: beside the plugins/ folder that holds it, also from a
     * subfolder (ImageJ loads plugins/Segment Cells/...), and never further up, so an unrelated engine elsewhere
     * is not taken for Fiji's. A jar outside any plugins/ folder: beside its own folder. Null for a jar at the root.
     */
    static Path folderFor(Path jar) {
        for (Path dir = jar.getParent(); dir != null && dir.getParent() != null; dir = dir.getParent()) {
            if (dir.getFileName().toString().equals("plugins")) {
                return dir.getParent().resolve(FOLDER);
            }
        }
        Path plugins = jar.getParent();
        Path root = plugins == null ? null : plugins.getParent();
        return root == null ? null : root.resolve(FOLDER);
    }

    /**
     * Child-first over the engine's jars. Only the JDK and the classes both sides must share come from the
     * parent first: ImageJ, SciJava, ImgLib2 and this jar ({@link FijiEngine} and its options); the engine's
     * jars hold none of them, so this is a guard, not a rule the build relies on.
     */
    static final class ChildFirst extends URLClassLoader {

        static {
            ClassLoader.registerAsParallelCapable();
        }

        private static final List<String> SHARED = Arrays.asList("java.", "javax.", "jdk.", "sun.", "com.sun.",
                "ij.", "org.scijava.", "net.imglib2.", "org.segmentcells.fiji.plugin.");

        ChildFirst(URL[] jars, ClassLoader parent) {
            super("segment-cells-engine", jars, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && !shared(name)) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException notOurs) {
                        // from the parent below
                    }
                }
                if (c == null) {
                    c = getParent().loadClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        private static boolean shared(String name) {
            for (String s : SHARED) {
                if (name.startsWith(s)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public URL getResource(String name) {
            URL own = findResource(name);
            return own != null ? own : getParent().getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            // Ours first; the parent's after (ServiceLoader files of Fiji's jars name classes we may not see).
            List<URL> all = new ArrayList<>();
            all.addAll(java.util.Collections.list(findResources(name)));
            all.addAll(java.util.Collections.list(getParent().getResources(name)));
            return java.util.Collections.enumeration(all);
        }
    }

}
