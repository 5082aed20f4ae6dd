package org.segmentcells.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.eval.Evaluator;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;

/** {@code train --init M --steps 0}: the starting model calibrated on the user's frames, no training. */
class CalibrateCliTest {

    @Test
    void nucleiTwiceTheModelsSizeAreCalibratedToAScaleBelowOne(@TempDir Path tmp) throws Exception {
        // A 256x256 corner of a synthetic frame, enlarged 2x: nuclei twice the size the model learned.
        FloatPlane img = ImageFiles.readPlane(Path.of("test-images/images/synth-00.tif"));
        LabelPlane gt = ImageFiles.readLabels(Path.of("test-images/labels/synth-00.tif"));
        FloatPlane crop = new FloatPlane(256, 256);
        int[] cropLabels = new int[256 * 256];
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                crop.set(x, y, img.get(x, y));
                cropLabels[y * 256 + x] = gt.get(x, y);
            }
        }
        FloatPlane big = Resample.bilinear(crop, 512, 512);
        LabelPlane bigLabels = Resample.nearest(new LabelPlane(256, 256, cropLabels), 512, 512);
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path labels = Files.createDirectories(tmp.resolve("labels"));
        int[] px = new int[big.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = Math.round(big.data()[i]);
        }
        ImageFiles.write16(512, 512, px, images.resolve("big.tif"));
        ImageFiles.writeLabels(bigLabels, labels.resolve("big.tif"));

        Path out = tmp.resolve("calibrated");
        // The 2-frame paper model learned one nucleus size; the generalist default copes with this one at scale 1.
        CliTest.Run r = CliTest.cli("train", "--init", "bbbc039-2frames", "--images", images.toString(), "--labels",
                labels.toString(), "--steps", "0", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("calibrated bbbc039-2frames on 1 annotated frame: scale"), r.out());
        java.util.regex.Matcher calibratedAt = java.util.regex.Pattern
                .compile("calibrated bbbc039-2frames on 1 annotated frame: scale ([0-9.]+)").matcher(r.out());
        assertTrue(calibratedAt.find() && Double.parseDouble(calibratedAt.group(1)) < 0.8, r.out());
        // Calibration alone is checked against the start, on the bottom quarter it did not calibrate on.
        assertTrue(r.out().contains("holding out the bottom"), r.out());
        try (Model m = Model.load(out); Model d = Model.load(ModelStore.resolve("bbbc039-2frames"))) {
            assertArrayEquals(d.estimatorWeights(), m.estimatorWeights());
            org.segmentcells.model.ModelInfo.Check check = m.info().fineTuneCheck;
            assertTrue(check != null && check.on.contains("held-out"), r.out());
            assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "calibrated F %.3f against %.3f",
                    check.fCalibrated, check.fStart)), r.out());
            boolean keptStart = org.segmentcells.model.ModelInfo.Check.START.equals(check.kept);
            // Calibration alone keeps the start, or the start with calibrated settings: never "fine-tuned".
            assertEquals(keptStart ? "start" : "calibrated", check.kept);
            // F's are recorded to 4 decimals: a start kept never recorded higher, a calibration kept never lower.
            assertTrue(keptStart ? check.fCalibrated <= check.fStart : check.fCalibrated >= check.fStart,
                    check.fStart + " / " + check.fCalibrated);
            assertEquals(keptStart, r.out().matches("(?s).*calibration alone did (worse|no better), so " + java.util.regex.Pattern.quote(
                    out.toString()) + " holds bbbc039-2frames.*"), r.out());
            // The folder holds the better of the two: the calibration (no steps), or the start as it was.
            assertEquals(keptStart ? d.info().training.steps : 0, m.info().training.steps);
            if (keptStart) {
                assertEquals("auto".equals(check.startScale) || d.info().scale.isAuto(), m.info().scale.isAuto(),
                        "scale " + m.info().scale);
            } else {
                assertTrue(!m.info().scale.isAuto() && m.info().scale.factor() < 0.8, "scale " + m.info().scale);
            }
            // Either way the weights are the start's, and so is what they learned, which auto scale reads.
            assertEquals(d.info().trainingSize(), m.info().trainingSize());
            assertEquals(d.info().training.blur, m.info().training.blur);
        }
    }

    /** Validation frames that are the training frames are warned of; others are not. */
    @Test
    void validationFramesThatAreTrainingFramesAreWarnedOf(@TempDir Path tmp) throws Exception {
        Path images = folderOf(tmp.resolve("images"), "images/synth-00.tif", "a.tif");
        Path labels = folderOf(tmp.resolve("labels"), "labels/synth-00.tif", "a.tif");
        Path otherImages = folderOf(tmp.resolve("other-images"), "images/synth-01.tif", "b.tif");
        Path otherLabels = folderOf(tmp.resolve("other-labels"), "labels/synth-01.tif", "b.tif");
        for (boolean same : new boolean[] {true, false}) {
            Path out = tmp.resolve("m" + same);
            CliTest.Run r = CliTest.cli("train", "--init", "default", "--images", images.toString(), "--labels",
                    labels.toString(), "--validation-images", (same ? images : otherImages).toString(),
                    "--validation-labels", (same ? labels : otherLabels).toString(), "--steps", "0", "--output",
                    out.toString());
            assertEquals(0, r.code(), r.err());
            String warning = "warning: validation frame a is training frame a: its scores say nothing of images the"
                    + " model did not learn";
            assertEquals(same, (r.out() + r.err()).contains(warning), r.out() + r.err());
            assertEquals(same, (r.out() + r.err()).contains("warning: validation frame"), r.out() + r.err());
        }
    }

    /** A new folder holding one of the test images ({@code test-images/FILE}) as {@code name}. */
    private static Path folderOf(Path folder, String file, String name) throws Exception {
        Files.copy(Path.of("test-images", file), Files.createDirectories(folder).resolve(name));
        return folder;
    }

    private static void assertArrayEquals(org.segmentcells.nets.Weights a, org.segmentcells.nets.Weights b) {
        assertEquals(a.entries().keySet(), b.entries().keySet());
        for (String n : a.entries().keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(n).values(), b.get(n).values(), n);
        }
    }
}
