package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a macro in a separate headless ImageJ 1.x JVM whose plugins come only from a Fiji-style folder
 * (normally target/fiji, as {@code mvn package} makes it): the classpath holds just ImageJ, ij1-patcher and
 * its two dependencies, and the test's main class. Always under a timeout, since an error dialog can
 * block ImageJ for ever.
 */
final class MacroProcess {

    record Run(int exitCode, String output) {
    }

    private MacroProcess() {
    }

    /** The packaged Fiji folder (set by failsafe; target/fiji when run from an IDE). */
    static Path fijiDir() {
        return Path.of(System.getProperty("segmentcells.fiji.dir", "target/fiji")).toAbsolutePath();
    }

    /** Runs {@code macro} with getArgument() = {@code argument}, in {@code workDir}. */
    static Run run(Path fijiDir, String macro, String argument, Path workDir, long timeoutSeconds)
            throws IOException, InterruptedException {
        return run(fijiDir, macro, argument, workDir, timeoutSeconds, List.of());
    }

    /** The same, with more options for the JVM ({@code -Dkey=value}). */
    static Run run(Path fijiDir, String macro, String argument, Path workDir, long timeoutSeconds, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Path macroFile = workDir.resolve("test-" + System.nanoTime() + ".ijm");
        Files.writeString(macroFile, macro);
        Path log = workDir.resolve(macroFile.getFileName() + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Xmx2g");
        cmd.add("-Dplugins.dir=" + fijiDir);
        // Bundled models unpack here instead of into the user's cache.
        cmd.add("-Dsegmentcells.cache=" + workDir.resolve("model-cache"));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath()));
        cmd.add(HeadlessImageJ.class.getName());
        cmd.add(macroFile.toString());
        cmd.add(argument);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // As a user's Fiji starts: TensorFlow's log level is not set.
        pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                fail("ImageJ did not finish the macro within " + timeoutSeconds + " s (a dialog may be waiting);"
                        + " output:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** ij, ij1-patcher, javassist, classgraph and this test's classes, located through their classes. */
    private static List<String> classpath() {
        List<String> cp = new ArrayList<>();
        for (String c : new String[] {"ij.IJ", "net.imagej.patcher.LegacyEnvironment", "javassist.ClassPool",
            "io.github.classgraph.ClassGraph", HeadlessImageJ.class.getName()}) {
            try {
                Class<?> k = Class.forName(c, false, MacroProcess.class.getClassLoader());
                cp.add(Path.of(k.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (ReflectiveOperationException | java.net.URISyntaxException e) {
                throw new IllegalStateException("cannot locate " + c + " for the ImageJ classpath", e);
            }
        }
        assertTrue(cp.stream().noneMatch(s -> s.endsWith("classes") && !s.endsWith("test-classes")),
                "the plugin must come from the Fiji folder, not target/classes: " + cp);
        return cp;
    }

    /** A macro string literal. */
    static String str(Path p) {
        return "\"" + p.toAbsolutePath().toString().replace("\\", "/").replace("\"", "\\\"") + "\"";
    }
}
