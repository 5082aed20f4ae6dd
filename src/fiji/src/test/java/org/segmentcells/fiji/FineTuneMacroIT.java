package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.train.TrainConfig;

/** Fine-tune Model from a headless ImageJ 1.x macro against target/fiji, as MacroIT does for segmenting. */
class FineTuneMacroIT {

    /** Runs Fine-tune Model with these macro options in batch mode; returns the log, once the macro got through. */
    private static String fineTune(Path tmp, String options) throws Exception {
        String macro = String.join("\n",
                "setBatchMode(true);",
                "run(\"Fine-tune Model\", \"" + options + "\");",
                "print(\"macro done\");",
                "");
        String log = MacroProcess.run(MacroProcess.fijiDir(), macro, "", tmp, MacroIT.TIMEOUT_S).output();
        assertTrue(log.contains("macro done"), log);
        return log;
    }

    @Test
    void macroFineTunesTheDefaultModelOnOneLabelledFrame(@TempDir Path tmp) throws Exception {
        org.segmentcells.synth.TestImages.Annotated frame = org.segmentcells.synth.TestImages.oneLabelledFrame(tmp);
        Path images = frame.images();
        Path labels = frame.labels();
        Path out = tmp.resolve("tuned");
        String log = fineTune(tmp, "images=[" + images + "] annotations=[" + labels
                + "] annotation_type=labels init=default steps=3 output=[" + out + "]");
        assertFalse(log.contains("Exception"), log);
        ModelInfo info = ModelFolder.readInfo(out);
        assertEquals("default", info.training.init);
        assertEquals(3, info.training.steps);
        // The default model has no D to continue with, so the default mode fine-tunes with cross-entropy.
        assertEquals("cross-entropy", info.training.mode);
        assertFalse(Files.exists(out.resolveSibling("tuned.checkpoint")));
        try (Model m = Model.load(out); Model start = Model.load(org.segmentcells.model.ModelStore.resolve("default"))) {
            assertEquals(start.architecture(), m.architecture());
            assertEquals(start.estimatorWeights().size(), m.estimatorWeights().size());
        }
    }

    @Test
    void validationKeysBeforeTheTrainingOnesDoNotReplaceThem(@TempDir Path tmp) throws Exception {
        // ImageJ finds images= inside validation_images=; the training frames must still be the images given.
        org.segmentcells.synth.TestImages.Annotated frame = org.segmentcells.synth.TestImages.oneLabelledFrame(tmp);
        Path valImages = Files.createDirectories(tmp.resolve("val/images"));
        Path valLabels = Files.createDirectories(tmp.resolve("val/labels"));
        Files.copy(Path.of("test-images/images/synth-01.tif"), valImages.resolve("synth-01.tif"));
        Files.copy(Path.of("test-images/labels/synth-01.tif"), valLabels.resolve("synth-01.tif"));
        Path out = tmp.resolve("tuned");
        String log = fineTune(tmp, "validation_images=[" + valImages + "] validation_labels=[" + valLabels
                + "] images=[" + frame.images() + "] annotations=[" + frame.labels()
                + "] annotation_type=labels init=default steps=2 output=[" + out + "]");
        assertEquals(java.util.List.of("synth-00"), ModelFolder.readInfo(out).training.frames, log);
    }

    @Test
    void macroScribblesWithAddScribbleAndFineTunesFromRois(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("tuned");
        // Headless there is no ROI Manager: Add ... Scribble puts the tagged ROIs in the overlay, where
        // Fine-tune Model then finds them. synth-00 has background along its top rows.
        String macro = String.join("\n",
                "setBatchMode(true);",
                "open(" + MacroProcess.str(Path.of("test-images/images/synth-00.tif")) + ");",
                "makeLine(0, 1, 60, 1);",
                "run(\"Add Background Scribble\");",
                "makeLine(0, 3, 60, 3);",
                "run(\"Add Background Scribble\");",
                "print(\"overlay \" + Overlay.size);",
                "run(\"Fine-tune Model\", \"annotation_type=roi_manager pseudo_labels=0.5 init=default steps=2 output=["
                        + out + "]\");",
                // Without the key: the mode's default weight.
                "run(\"Fine-tune Model\", \"annotation_type=roi_manager mode=adversarial init=default steps=2 output=["
                        + tmp.resolve("adversarial") + "]\");",
                "print(\"macro done\");",
                "");
        MacroProcess.Run run = MacroProcess.run(MacroProcess.fijiDir(), macro, "", tmp, MacroIT.TIMEOUT_S);
        String log = run.output();
        assertTrue(log.contains("overlay 2"), log);
        assertTrue(log.contains("macro done"), log);
        assertFalse(log.contains("Exception"), log);
        ModelInfo info = ModelFolder.readInfo(out);
        assertEquals(2, info.training.steps);
        assertEquals(0, info.training.dSteps, "scribbles freeze D");
        assertEquals(0.5f, info.training.pseudoLabels, "the macro's pseudo_labels key reaches the fine-tune");
        assertTrue(info.training.commandLine.contains(" pseudo_labels=0.50 "), "a weight given is recorded: "
                + info.training.commandLine);
        assertTrue(info.training.commandLine.contains("annotation_type=roi_manager"), info.training.commandLine);
        assertEquals(TrainConfig.SCRIBBLE_PSEUDO_LABELS_ADVERSARIAL,
                ModelFolder.readInfo(tmp.resolve("adversarial")).training.pseudoLabels, "the adversarial modes' default");
    }
}
