package org.segmentcells.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.model.ModelStore;
import org.segmentcells.nets.Weights;

/** A fine-tune never ends worse than its start, silently ({@link org.segmentcells.train.FineTuneCheck}). */
class FineTuneCheckCliTest {

    /**
     * A learning rate of 1 wrecks the default in a few steps: the check on the held-out quarter of the
     * annotated frame sees it, keeps the default's weights in the output, and says so in the log and model.json.
     */
    @Test
    void aFineTuneThatCannotBeatItsStartKeepsTheStartAndSaysSo(@TempDir Path tmp) throws Exception {
        org.segmentcells.synth.TestImages.Annotated frame = org.segmentcells.synth.TestImages.oneLabelledFrame(tmp);
        Path images = frame.images();
        Path labels = frame.labels();
        Path out = tmp.resolve("wrecked");
        CliTest.Run r = CliTest.cli("train", "--init", "default", "--images", images.toString(), "--labels",
                labels.toString(), "--steps", "6", "--lr", "1", "--batch", "4", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("holding out the bottom 25% of each annotated frame"), r.out());
        // The start comes back: unchanged, or with the settings calibrated on the frame when those score higher.
        assertTrue(r.out().contains("the fine-tune did worse") && r.out().contains(" so " + out + " holds default "),
                r.out());
        try (Model kept = Model.load(out); Model d = Model.load(ModelStore.resolve("default"))) {
            ModelInfo.Check c = kept.info().fineTuneCheck;
            assertTrue(c.keptStartWeights(), c.kept);
            assertTrue(c.fStart > c.fFineTuned, c.fStart + " vs " + c.fFineTuned);
            // The folder says which command made it, though its training record is the start's.
            assertTrue(c.commandLine.startsWith("train --init default --images ") && c.commandLine.contains(
                    "--lr 1"), c.commandLine);
            assertEquals(d.info().training.commandLine, kept.info().training.commandLine);
            assertEquals("the held-out parts of the annotated frames", c.on);
            Weights a = kept.estimatorWeights();
            Weights b = d.estimatorWeights();
            for (String n : b.entries().keySet()) {
                assertArrayEquals(b.get(n).values(), a.get(n).values(), n);
            }
        }
        // Resumed, the run saves its own model over the start the check put back, and the check compares that
        // (before, it found the start in the output and compared default with itself).
        r = CliTest.cli("train", "--init", "default", "--images", images.toString(), "--labels", labels.toString(),
                "--steps", "8", "--lr", "1", "--batch", "4", "--output", out.toString(), "--resume");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("the output holds the starting model's weights (its check kept them)"), r.out());
        assertTrue(r.out().contains("the fine-tune did worse"), r.out());
        try (Model kept = Model.load(out)) {
            ModelInfo.Check c = kept.info().fineTuneCheck;
            assertTrue(c.fStart > c.fFineTuned, "the resumed fine-tune was scored: " + c.fStart + " vs " + c.fFineTuned);
        }
        // With no step left to train, a resume has nothing of its own to save: refused, the folder as it was.
        String json = java.nio.file.Files.readString(out.resolve("model.json"));
        r = CliTest.cli("train", "--init", "default", "--images", images.toString(), "--labels", labels.toString(),
                "--steps", "8", "--lr", "1", "--batch", "4", "--output", out.toString(), "--resume");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("its run finished at step 8 and the check kept the starting model's weights; give more --steps"),
                r.err());
        assertEquals(json, java.nio.file.Files.readString(out.resolve("model.json")));
    }

    /**
     * Label images calibrate the start also when validation frames are given, as Fine-tune Model does (they
     * state the nuclei's size); the validation frames then check the fine-tune, so nothing is held out.
     */
    @Test
    void labelsCalibrateTheStartAlsoWithValidationFrames(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("tuned");
        CliTest.Run r = trainWithValidation(tmp, out, "--steps", "1", "--batch", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("calibrated default on 1 annotated frame"), r.out());
        assertTrue(!r.out().contains("holding out"), r.out());
        // The fine-tune is also compared with its start as calibrated, and the best of the three stays.
        assertTrue(r.out().contains(" for default as calibrated before training (scale "), r.out());
        try (Model m = Model.load(out)) {
            ModelInfo.Check c = m.info().fineTuneCheck;
            String f = c.fStart + " / " + c.fCalibrated + " / " + c.fFineTuned + ": " + c.kept;
            if (ModelInfo.Check.FINE_TUNED.equals(c.kept)) {
                assertTrue(m.info().training.scale.startsWith("calibrated"), m.info().training.scale);
                assertTrue(c.fFineTuned >= c.fStart && c.fFineTuned >= c.fCalibrated, f);
            } else if (ModelInfo.Check.CALIBRATED.equals(c.kept)) {
                assertEquals(org.segmentcells.segment.Scale.of(c.calibratedScale), m.info().scale);
                assertTrue(c.fCalibrated >= c.fStart && c.fCalibrated >= c.fFineTuned, f);
            } else {
                // One step rarely changes F on a synthetic frame: a tie keeps the start.
                assertTrue(c.fFineTuned <= c.fStart && c.fCalibrated <= c.fStart, f);
            }
        }
    }

    /**
     * Calibration alone with validation frames: the end is calibrated on them, nothing is held out, and the
     * calibrated model is checked against its start there; the folder holds the one the recorded F's favour.
     */
    @Test
    void calibrationAloneIsCheckedOnTheValidationFrames(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("calibrated");
        CliTest.Run r = trainWithValidation(tmp, out, "--steps", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(!r.out().contains("holding out"), r.out());
        assertTrue(r.out().contains("checked on the validation frames: calibrated F"), r.out());
        try (Model m = Model.load(out)) {
            org.segmentcells.model.ModelInfo.Check c = m.info().fineTuneCheck;
            assertEquals("the validation frames", c.on);
            boolean keptStart = org.segmentcells.model.ModelInfo.Check.START.equals(c.kept);
            // F's are recorded to 4 decimals: a start kept never recorded higher, a calibration kept never lower.
            assertTrue(keptStart ? c.fCalibrated <= c.fStart : c.fCalibrated >= c.fStart, c.fStart + " / " + c.fCalibrated);
            assertEquals(keptStart ? "start" : "calibrated", c.kept);
            assertEquals(keptStart, m.info().training.steps > 0, "the start, or calibration alone");
        }
    }

    /** {@code train --init default} on one labelled frame with another as validation frame, into {@code out}. */
    private static CliTest.Run trainWithValidation(Path tmp, Path out, String... more) throws Exception {
        org.segmentcells.synth.TestImages.Annotated frame = org.segmentcells.synth.TestImages.oneLabelledFrame(tmp.resolve("train"));
        org.segmentcells.synth.TestImages.Annotated val = org.segmentcells.synth.TestImages.oneLabelledFrame(tmp.resolve("val"));
        List<String> args = new java.util.ArrayList<>(List.of("train", "--init", "default", "--images", frame.images().toString(),
                "--labels", frame.labels().toString(), "--validation-images", val.images().toString(), "--validation-labels",
                val.labels().toString(), "--output", out.toString()));
        args.addAll(List.of(more));
        return CliTest.cli(args.toArray(String[]::new));
    }

    /**
     * With the scale given (so nothing is calibrated), the labels still hold out their bottom quarter, and
     * the wrecked fine-tune gives way to the start there.
     */
    @Test
    void aFineTuneWithTheScaleGivenIsCheckedToo(@TempDir Path tmp) throws Exception {
        wreckedUncalibratedKeepsTheStart(org.segmentcells.synth.TestImages.oneLabelledFrame(tmp), tmp, "--scale", "1");
    }

    /**
     * RGB 3-class annotations (the paper's encoding) are not calibrated on, but hold out their bottom
     * quarter too, scored against the nuclei they draw: the wrecked fine-tune gives way to the start.
     */
    @Test
    void anRgbAnnotatedFineTuneIsCheckedToo(@TempDir Path tmp) throws Exception {
        wreckedUncalibratedKeepsTheStart(org.segmentcells.synth.TestImages.oneRgbAnnotatedFrame(tmp), tmp);
    }

    /** Fine-tunes default on the frames at lr 1, uncalibrated, and checks that the held-out rows kept the start. */
    private static void wreckedUncalibratedKeepsTheStart(org.segmentcells.synth.TestImages.Annotated frame, Path tmp,
            String... more) throws Exception {
        Path out = tmp.resolve("wrecked");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--init", "default",
                "--images", frame.images().toString(), "--labels", frame.labels().toString(), "--steps", "6", "--lr",
                "1", "--batch", "4", "--output", out.toString()));
        args.addAll(java.util.List.of(more));
        CliTest.Run r = CliTest.cli(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(!r.out().contains("calibrated default"), r.out());
        assertTrue(r.out().contains("holding out the bottom 25% of each annotated frame"), r.out());
        assertTrue(r.out().contains("the fine-tune did worse"), r.out());
        try (Model kept = Model.load(out)) {
            assertEquals(ModelInfo.Check.START, kept.info().fineTuneCheck.kept);
            assertEquals("the held-out parts of the annotated frames", kept.info().fineTuneCheck.on);
        }
    }

    /**
     * The same for scribbles: every 4th stroke is held out of training, and the wrecked fine-tune agrees
     * with those strokes less than the default does, so the default is kept, by that measure.
     */
    @Test
    void aScribbleFineTuneIsCheckedOnTheStrokesItDidNotTrainOn(@TempDir Path tmp) throws Exception {
        Path[] in = ScribbleTrainCliTest.scribbledFrame(tmp);
        Path out = tmp.resolve("wrecked");
        CliTest.Run r = CliTest.cli("train", "--init", "default", "--images", in[0].toString(), "--scribbles",
                in[1].toString(), "--steps", "6", "--lr", "1", "--batch", "4", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("holding out every 4th stroke (5 of 20 nucleus"), r.out());
        assertTrue(r.out().contains("fine-tuned stroke agreement"), r.out());
        assertTrue(r.out().contains("the fine-tune did worse"), r.out());
        try (Model kept = Model.load(out)) {
            ModelInfo.Check c = kept.info().fineTuneCheck;
            assertEquals(ModelInfo.Check.START, c.kept);
            assertTrue(c.strokesStart > c.strokesFineTuned, c.strokesStart + " vs " + c.strokesFineTuned);
            assertTrue(c.fStart == null && c.fFineTuned == null, "no F without full labels");
            assertTrue(c.on.startsWith("the held-out strokes (5 nucleus, "), c.on);
        }
    }

    /**
     * Nuclei three times the default's training size, and a start fixed at scale 1 (a copy of default as
     * shipped before auto scale became its setting): it scores little at its own scale and well at auto, so
     * the check scores the start at auto, and the start it keeps is set to auto.
     */
    @Test
    void theStartIsAlsoScoredAtAutoScaleAndKeptThere(@TempDir Path tmp) throws Exception {
        Path fixed = tmp.resolve("default-at-1");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(Path.of("models/default"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = fixed.resolve(Path.of("models/default").relativize(f).toString());
                if (java.nio.file.Files.isDirectory(f)) {
                    java.nio.file.Files.createDirectories(to);
                } else {
                    java.nio.file.Files.copy(f, to);
                }
            }
        }
        String json = java.nio.file.Files.readString(fixed.resolve("model.json"));
        java.nio.file.Files.writeString(fixed.resolve("model.json"), json.replaceFirst("\"scale\": \"auto\"", "\"scale\": 1.0"));
        try (Model m = Model.load(fixed)) {
            assertTrue(!m.info().scale.isAuto(), "the copy is fixed at scale 1");
        }
        Path images = java.nio.file.Files.createDirectories(tmp.resolve("images"));
        Path labels = java.nio.file.Files.createDirectories(tmp.resolve("labels"));
        org.segmentcells.img.LabelPlane truth = org.segmentcells.synth.TestImages.largeNuclei(images.resolve("big.tif"), 3);
        org.segmentcells.io.ImageFiles.writeLabels(truth, labels.resolve("big.tif"));
        Path out = tmp.resolve("wrecked");
        CliTest.Run r = CliTest.cli("train", "--init", fixed.toString(), "--images", images.toString(), "--labels",
                labels.toString(), "--steps", "6", "--lr", "1", "--batch", "4", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("at scale auto"), r.out());
        assertTrue(r.out().contains("unchanged, set to scale auto"), r.out());
        try (Model kept = Model.load(out)) {
            ModelInfo.Check c = kept.info().fineTuneCheck;
            assertEquals(ModelInfo.Check.START, c.kept);
            assertEquals("auto", c.startScale);
            assertTrue(kept.info().scale.isAuto(), "the kept start runs at the scale it was judged at");
        }
    }
}
