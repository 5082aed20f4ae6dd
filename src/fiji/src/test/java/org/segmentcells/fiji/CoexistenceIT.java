package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;

/**
 * Segment Cells in the Fiji StarDist users have: {@code jars/} holds TensorFlow 1.15
 * ({@code libtensorflow-1.15.0.jar}, {@code libtensorflow_jni-1.15.0.jar}, as CSBDeep's update site puts
 * them) and protobuf-java 4. The engine loads in its own class loader, so the labels equal those of a clean
 * install and ImageJ's class loader still sees TensorFlow 1.15 afterwards. A broken engine folder gives a
 * macro error at once, never a hang. The foreign jars come from Maven Central (target/foreign-jars, made by
 * the build before the integration tests).
 */
class CoexistenceIT {

    private static final Path DEMO = Path.of("test-images/images/demo.tif").toAbsolutePath();
    private static final Path FOREIGN = Path.of(System.getProperty("segmentcells.foreign.jars", "target/foreign-jars"));

    /** A copy of the packaged Fiji folder, plus {@code extraJars} in its jars/. */
    private static Path fijiCopy(Path dir, List<Path> extraJars) throws IOException {
        Path src = MacroProcess.fijiDir();
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path to = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path jars = Files.createDirectories(dir.resolve("jars"));
        for (Path j : extraJars) {
            Files.copy(j, jars.resolve(j.getFileName()));
        }
        return dir;
    }

    private static List<Path> foreignJars() throws IOException {
        Path dir = FOREIGN.toAbsolutePath();
        List<Path> jars;
        try (Stream<Path> s = Files.list(dir)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        List<String> names = jars.stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.contains("libtensorflow-1.15.0.jar") && names.contains("libtensorflow_jni-1.15.0.jar")
                && names.stream().anyMatch(n -> n.matches("protobuf-java-4\\..*\\.jar")), "foreign jars: " + names);
        return jars;
    }

    /**
     * Segments the demo and saves labels; with {@code versions}, prints which TensorFlow ImageJ's class
     * loader sees before and after (a clean install has none there: the call would be a macro error).
     */
    static String segmentMacro(boolean versions) {
        String version = "call(\"org.tensorflow.TensorFlow.version\")";
        return String.join("\n",
                "setBatchMode(true);",
                "out = getArgument();",
                versions ? "print(\"tensorflow before: \" + " + version + ");" : "",
                "open(" + MacroProcess.str(DEMO) + ");",
                "run(\"Segment Cells\", \"model=default\");",
                "saveAs(\"Tiff\", out + \"/labels.tif\");",
                versions ? "print(\"tensorflow after: \" + " + version + ");" : "",
                "print(\"macro done\");",
                "");
    }

    @Test
    void segmentsBesideTensorFlow115AndProtobuf4AndLeavesThemToOthers(@TempDir Path tmp) throws Exception {
        Path clean = Files.createDirectories(tmp.resolve("clean-out"));
        MacroProcess.Run reference = MacroProcess.run(MacroProcess.fijiDir(), segmentMacro(false), clean.toString(), tmp,
                MacroIT.TIMEOUT_S);
        assertTrue(reference.output().contains("macro done"), reference.output());

        Path fiji = fijiCopy(tmp.resolve("Fiji.app"), foreignJars());
        Path out = Files.createDirectories(tmp.resolve("stardist-out"));
        MacroProcess.Run run = MacroProcess.run(fiji, segmentMacro(true), out.toString(), tmp, MacroIT.TIMEOUT_S);
        String log = run.output();
        assertTrue(log.contains("macro done"), log);
        assertTrue(log.contains("tensorflow before: 1.15.0"), "StarDist's TensorFlow on ImageJ's class path: " + log);
        assertTrue(log.contains("tensorflow after: 1.15.0"), "still StarDist's after Segment Cells ran: " + log);
        assertTrue(log.contains("Segment Cells: TensorFlow 2.18"), "ours runs 2.18 in its own loader: " + log);

        LabelPlane expected = ImageFiles.readLabels(clean.resolve("labels.tif"));
        LabelPlane labels = ImageFiles.readLabels(out.resolve("labels.tif"));
        assertEquals(expected.width(), labels.width());
        assertArrayEquals(expected.data(), labels.data(), "the same labels as a clean install");
        assertTrue(labels.maxLabel() > 50, "nuclei found: " + labels.maxLabel());
    }

    @Test
    void brokenEngineFolderIsAMacroErrorNotAHang(@TempDir Path tmp) throws Exception {
        Path fiji = fijiCopy(tmp.resolve("Fiji.app"), List.of());
        Path engine = fiji.resolve("lib/segment-cells");
        try (Stream<Path> s = Files.list(engine)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith("segment-cells-")) {
                    Files.writeString(p, "not a jar"); // a damaged download
                }
            }
        }
        Path out = Files.createDirectories(tmp.resolve("out"));
        long t0 = System.nanoTime();
        MacroProcess.Run run = MacroProcess.run(fiji, segmentMacro(false), out.toString(), tmp, 60);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String log = run.output();
        assertTrue(log.contains("Segment Cells could not load its engine") || log.contains("not completely installed"),
                log);
        assertTrue(log.contains("lib/segment-cells") || log.contains("lib\\segment-cells"), "names the folder: " + log);
        assertFalse(log.contains("macro done"), "the macro stops at the error: " + log);
        assertFalse(Files.exists(out.resolve("labels.tif")));
        assertTrue(seconds < 60, "seconds " + seconds);
    }
}
