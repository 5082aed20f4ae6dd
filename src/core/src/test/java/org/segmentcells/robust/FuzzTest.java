package org.segmentcells.robust;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ImageProcessor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.nets.Weights;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;

/**
 * Issue 6, fuzzing: damaged model descriptions, discriminator weights and label images must end in an
 * IOException or IllegalArgumentException naming the file, never in another exception. Fixed seeds and
 * case counts, so a failure reproduces. The estimator (TensorFlow native code) is fuzzed in a forked JVM
 * by {@link ModelFuzzTest}.
 */
class FuzzTest {

    static final int CASES = 200;
    static final Path MODEL = Path.of("models/default");
    /** A shipped model with a discriminator (the paper's small E and its D). */
    static final Path MODEL_WITH_D = Path.of("models/bbbc039-2frames");

    interface Reader {
        Object read(Path file) throws Exception;
    }

    /** Runs the cases and returns a description of every case that escaped as something else. */
    static List<String> fuzz(byte[] good, Path file, long seed, int cases, Reader reader) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            byte[] b = Fuzz.mutate(good, r, i);
            Files.write(file, b);
            String failure = check(file, reader);
            if (failure != null) {
                bad.add("case " + i + " (" + Fuzz.kind(i) + ", " + b.length + " bytes): " + failure);
            }
        }
        return bad;
    }

    /** Null if reading {@code file} succeeded or failed cleanly, else what went wrong. */
    static String check(Path file, Reader reader) {
        try {
            reader.read(file);
            return null; // a mutation can leave the file valid (e.g. a flipped bit in a float)
        } catch (IOException | IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            return m.contains(file.getFileName().toString()) ? null : "message does not name the file: " + m;
        } catch (Throwable t) {
            return t.toString();
        }
    }

    @Test
    void modelDescriptions(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("m"));
        Path json = folder.resolve(ModelFolder.INFO);
        byte[] good = Files.readAllBytes(MODEL.resolve(ModelFolder.INFO));
        // A description that loads must also give usable settings.
        Reader reader = f -> {
            ModelInfo info = ModelFolder.readInfo(folder);
            new Normalization(info.normLow, info.normHigh);
            new InstanceOptions(info.seedThreshold, info.minSize);
            if (!info.scale.isAuto()) {
                org.segmentcells.segment.Segmenter.checkScale(info.scale.factor());
            }
            return info.training.steps + info.validation.size() + info.classes.size();
        };
        List<String> bad = fuzz(good, json, 61, CASES, reader);
        String text = new String(good, java.nio.charset.StandardCharsets.UTF_8);
        // Valid JSON of the wrong shape: wrong types and nulls for required fields.
        String[] edits = {
            value(text, "format", "\"x\""),
            value(text, "format", "null"),
            value(text, "format", "1.5"),
            value(text, "format", "1e40"),
            value(text, "architecture", "null"),
            value(text, "architecture", "7"),
            value(text, "architecture", "{}"),
            value(text, "normLow", "\"low\""),
            value(text, "normLow", "null"),
            value(text, "normHigh", "NaN"),
            value(text, "seedThreshold", "7"),
            value(text, "seedThreshold", "-1"),
            value(text, "minSize", "-5"),
            value(text, "scale", "0"),
            value(text, "scale", "NaN"),
            value(text, "scale", "1e9"),
            value(text, "scale", "\"half\""),
            value(text, "contourWidth", "0"),
            text.replace("\"classes\": [", "\"classes\": null, \"x\": ["),
            text.replaceFirst("\"training\": \\{", "\"training\": null, \"x\": {"),
            text.replaceFirst("\"training\": \\{", "\"training\": 5, \"x\": {"),
            text.replaceFirst("\"validation\": \\{", "\"validation\": null, \"y\": {"),
            text.replaceFirst("\"validation\": \\{", "\"validation\": [], \"y\": {"),
            "[]", "null", "", "42", "\"model\"", "{}", "{\"format\": 1}", "[".repeat(100_000), "{\"a\":".repeat(50_000),
        };
        for (int i = 0; i < edits.length; i++) {
            assertTrue(!edits[i].equals(text), "edit " + i + " changes nothing: the model.json it was written for changed");
            Files.writeString(json, edits[i]);
            String failure = check(json, reader);
            if (failure != null) {
                bad.add("edit " + i + ": " + failure);
            }
        }
        assertTrue(bad.isEmpty(), bad.size() + " escaped:\n" + String.join("\n", bad));
    }

    @Test
    void discriminatorWeights(@TempDir Path tmp) throws Exception {
        byte[] good = Files.readAllBytes(MODEL_WITH_D.resolve("discriminator/weights.bin"));
        List<String> bad = fuzz(good, tmp.resolve("weights.bin"), 62, CASES, Weights::read);
        assertTrue(bad.isEmpty(), bad.size() + " escaped:\n" + String.join("\n", bad));
    }

    @Test
    void labelImages(@TempDir Path tmp) throws Exception {
        Path tif = Path.of("test-images/labels/demo.tif");
        List<String> bad = fuzz(Files.readAllBytes(tif), tmp.resolve("labels.tif"), 63, CASES, ImageFiles::readLabels);
        // A 16-bit PNG of part of the same labels: PNG goes through a different reader (javax.imageio).
        ImageProcessor ip = new ImagePlus(tif.toString()).getProcessor();
        ip.setRoi(0, 0, 96, 96);
        Path png = tmp.resolve("good.png");
        assertTrue(new FileSaver(new ImagePlus("l", ip.crop())).saveAsPng(png.toString()));
        bad.addAll(fuzz(Files.readAllBytes(png), tmp.resolve("labels.png"), 64, CASES, ImageFiles::readLabels));
        assertTrue(bad.isEmpty(), bad.size() + " escaped:\n" + String.join("\n", bad));
    }

    /** {@code text} with the top-level {@code key}'s value (a string, number or word) replaced by {@code value}. */
    private static String value(String text, String key, String value) {
        return text.replaceFirst("\"" + key + "\": (\"[^\"]*\"|[-+0-9.eE]+|true|false|null)",
                java.util.regex.Matcher.quoteReplacement("\"" + key + "\": " + value));
    }
}
