package org.segmentcells.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.cli.CliTest.Run;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.nets.Architecture;
import org.segmentcells.nets.UNet;

/** {@code train --estimator unet}: the larger estimator through training, model files, tiling and fine-tuning. */
class EstimatorCliTest {

    @TempDir
    static Path tmp;
    static Path unet;

    @BeforeAll
    static void trainATinyUNet() {
        unet = tmp.resolve("unet");
        Run r = CliTest.cli("train", "--images", "test-images/images", "--labels", "test-images/labels", "--list",
                write("list.txt", "synth-00\nsynth-01\n"), "--estimator", "unet", "--mode", "cross-entropy",
                "--steps", "30", "--batch", "4", "--validate-every", "0", "--seed-threshold", "0.5", "--min-size", "20",
                "--zoom", "1.25", "--gamma", "1.2", "--crops-by-area", "--lr-drop-at", "20", "--output", unet.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("training: cross-entropy, unet estimator, 30 steps, batch 4, 64 px crops, adam lr "
                + "0.001, learning rates dropped tenfold after step 20, E's batch norm trained, zoom 1.25, gamma 1.2,"
                + " crops by area"), r.out());
        assertTrue(r.out().contains("after step 20: learning rates dropped to 1.0E-4 (E) and 1.0E-5 (D)"), r.out());
    }

    private static String write(String name, String text) {
        try {
            return Files.writeString(tmp.resolve(name), text).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theModelRecordsItsEstimatorAndLoadsAsOne() throws Exception {
        try (Model m = Model.load(unet)) {
            assertEquals(UNet.ARCHITECTURE, m.info().architecture);
            assertEquals(Architecture.UNET, m.architecture());
            assertEquals(30, m.info().training.steps);
            // The crop augmentation is part of the recipe, so model.json keeps it.
            assertEquals(1.25, m.info().training.zoom, 1e-6);
            assertEquals(1.2, m.info().training.gamma, 1e-6);
            assertTrue(m.info().training.cropsByArea);
            assertEquals(20, m.info().training.lrDropAt);
        }
    }

    @Test
    void cropSettingsOutsideTheirRangeAreUsageErrors() {
        Run r = CliTest.cli("train", "--images", "test-images/images", "--labels", "test-images/labels", "--zoom", "0.5",
                "--output", tmp.resolve("never").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--zoom/--gamma/--blur/--noise: zoom and gamma must be in [1, 4], got 0.5"), r.err());
        assertTrue(!Files.exists(tmp.resolve("never")));
        r = CliTest.cli("train", "--images", "test-images/images", "--labels", "test-images/labels", "--blur", "-1",
                "--output", tmp.resolve("never").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--zoom/--gamma/--blur/--noise: blur must be in [0, 4] px, got -1.0"), r.err());
        assertTrue(!Files.exists(tmp.resolve("never")));
        r = CliTest.cli("train", "--images", "test-images/images", "--labels", "test-images/labels", "--noise", "2",
                "--output", tmp.resolve("never").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--zoom/--gamma/--blur/--noise: noise must be in [0, 1], got 2.0"), r.err());
        assertTrue(!Files.exists(tmp.resolve("never")));
        r = CliTest.cli("train", "--images", "test-images/images", "--labels", "test-images/labels", "--lr-drop-at", "-5",
                "--output", tmp.resolve("never").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--lr-drop-at must be a step (or 0 for never), got -5"), r.err());
        assertTrue(!Files.exists(tmp.resolve("never")));
    }

    @Test
    void smallTilesGiveTheSameLabelsAsOneTileThroughTheSavedModel() throws Exception {
        // demo.tif is 512x512: one tile of 1024, or 16 tiles of 160 (32 px cores on the U-Net's grid).
        Run whole = CliTest.cli("segment", "--model", unet.toString(), "--output", tmp.resolve("whole").toString(),
                "test-images/images/demo.tif");
        Run tiled = CliTest.cli("segment", "--model", unet.toString(), "--tile", "160", "--output",
                tmp.resolve("tiled").toString(), "test-images/images/demo.tif");
        assertEquals(0, whole.code(), whole.err());
        assertEquals(0, tiled.code(), tiled.err());
        LabelPlane a = ImageFiles.readLabels(tmp.resolve("whole/demo.tif"));
        LabelPlane b = ImageFiles.readLabels(tmp.resolve("tiled/demo.tif"));
        assertTrue(a.maxLabel() > 0, "a 30-step U-Net finds something");
        assertArrayEquals(a.data(), b.data());

        Run tooSmall = CliTest.cli("segment", "--model", unet.toString(), "--tile", "100", "--output",
                tmp.resolve("small").toString(), "test-images/images/demo.tif");
        assertEquals(2, tooSmall.code(), "a command-line mistake: " + tooSmall.err());
        assertFalse(Files.exists(tmp.resolve("small")), "refused before anything is written");
        assertTrue(tooSmall.err().contains("--tile must be at least 160 for the unet estimator"), tooSmall.err());
    }

    @Test
    void fineTuningKeepsTheStartingEstimatorAndRefusesAnother() throws Exception {
        Path tuned = tmp.resolve("tuned");
        Run r = CliTest.cli("train", "--init", unet.toString(), "--images", "test-images/images", "--labels",
                "test-images/labels", "--list", write("one.txt", "synth-02\n"), "--mode", "cross-entropy", "--steps", "3",
                "--batch", "2", "--seed-threshold", "0.5", "--min-size", "20", "--output", tuned.toString());
        assertEquals(0, r.code(), r.err());
        // A fine-tune of a U-Net freezes its batch norm; the command line does not say so, the log does.
        assertTrue(r.out().contains("E's batch norm frozen"), r.out());
        // ... and learns at the U-Net's fine-tune rate, not the paper E's.
        assertTrue(r.out().contains("adam lr 3.0E-4,"), r.out());
        try (Model m = Model.load(tuned)) {
            assertEquals(Architecture.UNET, m.architecture());
        }
        // An expert can have it learn anyway, but not ask for both.
        Run trained = CliTest.cli("train", "--init", unet.toString(), "--images", "test-images/images", "--labels",
                "test-images/labels", "--list", tmp.resolve("one.txt").toString(), "--mode", "cross-entropy", "--steps",
                "1", "--batch", "2", "--seed-threshold", "0.5", "--min-size", "20", "--train-batch-norm", "--output",
                tmp.resolve("tuned-bn").toString());
        assertEquals(0, trained.code(), trained.err());
        assertTrue(trained.out().contains("E's batch norm trained"), trained.out());
        try (Model m = Model.load(tmp.resolve("tuned-bn"))) {
            assertTrue(!m.info().training.freezeBatchNorm);
        }
        Run both = CliTest.cli("train", "--init", unet.toString(), "--images", "test-images/images", "--labels",
                "test-images/labels", "--train-batch-norm", "--freeze-batch-norm", "--output",
                tmp.resolve("never").toString());
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("--freeze-batch-norm and --train-batch-norm contradict each other"), both.err());
        Run paper = CliTest.cli("train", "--init", unet.toString(), "--estimator", "paper", "--images",
                "test-images/images", "--labels", "test-images/labels", "--steps", "3", "--output",
                tmp.resolve("never").toString());
        assertEquals(2, paper.code(), paper.err());
        assertTrue(paper.err().contains("--estimator paper contradicts --init"), paper.err());
        Run unknown = CliTest.cli("train", "--estimator", "resnet", "--images", "test-images/images", "--labels",
                "test-images/labels", "--output", tmp.resolve("never").toString());
        assertEquals(2, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("unknown estimator 'resnet'; choose one of paper, unet"), unknown.err());
        assertTrue(!Files.exists(tmp.resolve("never")));
    }
}
