package org.segmentcells.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;

class CliTest {

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void segmentsTheDemoImageWithTheShippedModel(@TempDir Path tmp) throws Exception {
        Path image = Path.of("test-images/images/demo.tif");
        byte[] before = Files.readAllBytes(image);
        Run r = cli("segment", "--model", "default", "--output", tmp.toString(), "--probabilities", image.toString());
        assertEquals(0, r.code(), r.err());
        LabelPlane labels = ImageFiles.readLabels(tmp.resolve("demo.tif"));
        LabelPlane truth = ImageFiles.readLabels(Path.of("test-images/labels/demo.tif"));
        FrameScores s = Evaluator.scoreFrame(truth, labels, 0);
        // A regression floor: the shipped default scores F 1.0 here (90 of 90 nuclei); the paper's 2-frame
        // model 0.68 (it merges synthetic touching pairs); a broken or untrained model scores < 0.1.
        assertTrue(s.f() > 0.95 && labels.countObjects() >= 85, "F " + s.f() + ", " + labels.countObjects() + " objects");
        assertTrue(Files.isRegularFile(tmp.resolve("demo-probabilities.tif")));
        // The three maps are channels, as a stack's are (they were Z slices for a 2D image).
        ij.ImagePlus maps = ij.IJ.openImage(tmp.resolve("demo-probabilities.tif").toString());
        assertEquals(List.of(3, 1, 1), List.of(maps.getNChannels(), maps.getNSlices(), maps.getNFrames()));
        // The input is untouched, and a second run keeps what the first wrote, without rewriting it.
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(image)));
        byte[] written = Files.readAllBytes(tmp.resolve("demo.tif"));
        Run again = cli("segment", "--model", "default", "--output", tmp.toString(), image.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("[1/1] demo.tif: kept from an earlier run"), again.out());
        assertTrue(java.util.Arrays.equals(written, Files.readAllBytes(tmp.resolve("demo.tif"))));

        Run ev = cli("evaluate", "--ground-truth", "test-images/labels", "--predictions", tmp.toString(),
                "--csv", tmp.resolve("scores.csv").toString());
        // Only demo has a prediction; the other ground-truth frames are missing, which is an error.
        assertEquals(1, ev.code());
        assertTrue(ev.err().contains("synth-00"), ev.err());
    }

    @Test
    void ttaMakesTheProbabilitiesOfAMirroredImageTheMirroredProbabilities(@TempDir Path tmp) throws Exception {
        // The 4 flips are a group, so with --tta mirroring the input mirrors the output; E alone is only
        // nearly symmetric, which shows that --tta changed what ran.
        FloatPlane demo = ImageFiles.readPlane(Path.of("test-images/images/demo.tif"));
        int w = demo.width();
        int h = demo.height();
        float[] mirrored = new float[w * h];
        for (int i = 0; i < mirrored.length; i++) {
            mirrored[(i / w) * w + (w - 1 - i % w)] = demo.data()[i];
        }
        Path in = tmp.resolve("in");
        StreamingCliTest.write16(demo, in.resolve("a.tif"));
        StreamingCliTest.write16(new FloatPlane(w, h, mirrored), in.resolve("b.tif"));
        double[] asymmetry = new double[2];
        for (int k = 0; k < 2; k++) {
            Path out = tmp.resolve("out" + k);
            // At scale 1: resampling at another scale is not exactly mirror-symmetric itself.
            Run r = k == 0 ? CliRobustnessTest.segment(out, "--probabilities", "--scale", "1", in.toString())
                    : CliRobustnessTest.segment(out, "--probabilities", "--tta", "--scale", "1", in.toString());
            assertEquals(0, r.code(), r.err());
            float[] a = nucleusPlane(out.resolve("a-probabilities.tif"));
            float[] b = nucleusPlane(out.resolve("b-probabilities.tif"));
            for (int i = 0; i < a.length; i++) {
                asymmetry[k] = Math.max(asymmetry[k], Math.abs(a[i] - b[(i / w) * w + (w - 1 - i % w)]));
            }
            FrameScores s = Evaluator.scoreFrame(ImageFiles.readLabels(Path.of("test-images/labels/demo.tif")),
                    ImageFiles.readLabels(out.resolve("a.tif")), 0);
            assertTrue(s.f() > 0.9, "F " + s.f() + (k == 1 ? " with --tta" : ""));
        }
        assertTrue(asymmetry[0] > 1e-3, "E alone is mirror-symmetric to " + asymmetry[0]);
        assertTrue(asymmetry[1] < 1e-5, "with --tta the mirrored image's probabilities differ by " + asymmetry[1]);
    }

    private static float[] nucleusPlane(Path probabilities) {
        ij.ImagePlus imp = ij.IJ.openImage(probabilities.toString());
        assertEquals(3, imp.getStackSize(), probabilities.toString());
        return (float[]) imp.getStack().getProcessor(2).getPixels();
    }

    @Test
    void anEmptyNoiseFrameGivesAnEmptyLabelImage(@TempDir Path tmp) throws Exception {
        // Camera noise only (background 120, σ 4), like BBBC039's empty wells: percentile normalisation
        // stretches it to full range, and only the faint-object filter keeps it from "nuclei".
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        int[] px = new int[200 * 160];
        for (int i = 0; i < px.length; i++) {
            px[i] = (int) Math.round(120 + 4 * Math.sqrt(-2 * Math.log(1 - r.nextDouble()))
                    * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        Path in = tmp.resolve("in");
        ImageFiles.write16(200, 160, px, in.resolve("noise.tif"));
        Run run = cli("segment", "--model", "default", "--output", tmp.resolve("out").toString(), in.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(0, ImageFiles.readLabels(tmp.resolve("out/noise.tif")).maxLabel());
    }

    /** Without --model, segment uses default, as Segment Cells in Fiji and the Spark driver do. */
    @Test
    void withoutAModelSegmentUsesDefault(@TempDir Path tmp) throws Exception {
        Path image = Path.of("test-images/images/demo.tif");
        Run given = cli("segment", "--model", "default", "--output", tmp.resolve("given").toString(), image.toString());
        Run none = cli("segment", "--output", tmp.resolve("none").toString(), image.toString());
        assertEquals(0, none.code(), none.err());
        assertArrayEquals(ImageFiles.readLabels(tmp.resolve("given/demo.tif")).data(),
                ImageFiles.readLabels(tmp.resolve("none/demo.tif")).data());
        String model = given.out().substring(given.out().indexOf(" with model "));
        assertTrue(none.out().endsWith(model), none.out() + " against " + model);
    }

    /** A prediction without ground truth is left out with a warning on the command's error stream. */
    @Test
    void evaluateWarnsOfAPredictionWithoutGroundTruth(@TempDir Path tmp) throws Exception {
        Path pred = Files.createDirectories(tmp.resolve("pred"));
        try (var gt = Files.list(Path.of("test-images/labels"))) {
            for (Path f : gt.toList()) {
                Files.copy(f, pred.resolve(f.getFileName()));
            }
        }
        Files.copy(Path.of("test-images/labels/demo.tif"), pred.resolve("unpaired.tif"));
        Run ev = cli("evaluate", "--ground-truth", "test-images/labels", "--predictions", pred.toString());
        assertEquals(0, ev.code(), ev.err());
        assertTrue(ev.err().contains("warning: ") && ev.err().contains("no ground truth with stem 'unpaired'"), ev.err());
        assertFalse(ev.out().contains("unpaired"), ev.out());
    }

    @Test
    void evaluateScoresAPerfectPrediction(@TempDir Path tmp) throws Exception {
        Run ev = cli("evaluate", "--ground-truth", "test-images/labels", "--predictions", "test-images/labels",
                "--csv", tmp.resolve("s.csv").toString());
        assertEquals(0, ev.code(), ev.err());
        String csv = Files.readString(tmp.resolve("s.csv"));
        assertTrue(csv.lines().anyMatch(l -> l.startsWith("total,") && l.contains(",1.000000,1.000000,1.000000")), csv);

        // An existing file is the user's: replaced only when asked.
        Files.writeString(tmp.resolve("s.csv"), "my notes");
        ev = cli("evaluate", "--ground-truth", "test-images/labels", "--predictions", "test-images/labels",
                "--csv", tmp.resolve("s.csv").toString());
        assertEquals(1, ev.code(), ev.err());
        assertTrue(ev.err().contains("s.csv: already exists (use --overwrite to replace it)"), ev.err());
        assertEquals("my notes", Files.readString(tmp.resolve("s.csv")));
        ev = cli("evaluate", "--ground-truth", "test-images/labels", "--predictions", "test-images/labels",
                "--csv", tmp.resolve("s.csv").toString(), "--overwrite");
        assertEquals(0, ev.code(), ev.err());
        assertTrue(Files.readString(tmp.resolve("s.csv")).startsWith("frame"), Files.readString(tmp.resolve("s.csv")));
        // A folder is named as one at once, not first as a file --overwrite would replace.
        Files.createDirectories(tmp.resolve("tables"));
        ev = cli("evaluate", "--ground-truth", "test-images/labels", "--predictions", "test-images/labels",
                "--csv", tmp.resolve("tables").toString());
        assertEquals(1, ev.code(), ev.err());
        assertTrue(ev.err().contains("tables: is a folder; --csv names the file to write"), ev.err());

        // Nor does --overwrite let the table replace an image it scores.
        Path pred = Files.createDirectories(tmp.resolve("pred"));
        try (var gt = Files.list(Path.of("test-images/labels"))) {
            for (Path f : gt.toList()) {
                Files.copy(f, pred.resolve(f.getFileName()));
            }
        }
        byte[] demo = Files.readAllBytes(pred.resolve("demo.tif"));
        ev = cli("evaluate", "--ground-truth", "test-images/labels", "--predictions", pred.toString(), "--csv",
                pred.resolve("demo.tif").toString(), "--overwrite");
        assertEquals(1, ev.code(), ev.err());
        assertTrue(ev.err().contains("demo.tif: is an image this run scores"), ev.err());
        assertArrayEquals(demo, Files.readAllBytes(pred.resolve("demo.tif")));
    }

    @Test
    void clearErrors(@TempDir Path tmp) {
        Run r = cli("segment", "--model", "no-such-model", "--output", tmp.toString(), "test-images/images/demo.tif");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("model 'no-such-model' not found"), r.err());
        r = cli("segment", "--model", "default", "--output", tmp.toString(), "missing.tif");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("missing.tif: no such file"), r.err());
        r = cli("segment", "--model", "default", "x.tif");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing required option --output"), r.err());
        r = cli("train", "--images", tmp.resolve("none").toString(), "--labels", tmp.toString(), "--output",
                tmp.resolve("m").toString(), "--mode", "magic");
        assertEquals(2, r.code(), "a command-line mistake");
        assertTrue(r.err().contains("unknown mode 'magic'"), r.err());
        // The core names the setting; the command line spells it as its flag.
        r = cli("segment", "--model", "default", "--output", tmp.toString(), "--min-size", "-5", "test-images/images/demo.tif");
        assertEquals(2, r.code(), "a command-line mistake");
        assertTrue(r.err().contains("--min-size must be at least 0, got -5"), r.err());
        r = cli("segment", "--model", "default", "--output", tmp.toString(), "--seed-threshold", "1.5",
                "test-images/images/demo.tif");
        assertTrue(r.err().contains("--seed-threshold must be at least 0 and under 1, got 1.5"), r.err());
        assertFalse(Files.exists(tmp.resolve("demo.tif")));
        r = cli("train", "--images", "test-images/images", "--labels", "test-images/labels", "--output",
                tmp.resolve("m").toString(), "--optimizer", "sgd");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--optimizer must be adam or rmsprop, got 'sgd'"), r.err());
        assertFalse(Files.exists(tmp.resolve("m")));
    }
}
