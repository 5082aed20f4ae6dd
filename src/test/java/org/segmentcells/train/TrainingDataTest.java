package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.annotate.Targets;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.segment.Normalization;

class TrainingDataTest {

    @Test
    void paperRgbAnnotationsAndLabelImagesGiveTheSameTargets(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path labels = Files.createDirectories(dir.resolve("labels"));
        Path rgb = Files.createDirectories(dir.resolve("rgb"));
        Files.copy(Path.of("test-images/images/synth-00.tif"), images.resolve("a.tif"));
        Files.copy(Path.of("test-images/labels/synth-00.tif"), labels.resolve("a.tif"));
        byte[] classes = Targets.fromLabels(ImageFiles.readLabels(labels.resolve("a.tif")), 2);
        ColorProcessor cp = new ColorProcessor(256, 256, Targets.toRgb(classes));
        new FileSaver(new ImagePlus("a", cp)).saveAsPng(rgb.resolve("a.png").toString());

        List<TrainingFrame> fromLabels = TrainingData.trainingFrames(TrainingData.pairs(images, labels, null, 0),
                Normalization.DEFAULT, 2);
        List<TrainingFrame> fromRgb = TrainingData.trainingFrames(TrainingData.pairs(images, rgb, null, 0),
                Normalization.DEFAULT, 2);
        assertArrayEquals(fromLabels.get(0).classes(), fromRgb.get(0).classes());

        // A pixel in none of the three colours is reported with the file.
        cp.set(3, 4, 0x000000);
        new FileSaver(new ImagePlus("a", cp)).saveAsPng(rgb.resolve("a.png").toString());
        IOException e = assertThrows(IOException.class, () -> TrainingData.trainingFrames(
                TrainingData.pairs(images, rgb, null, 0), Normalization.DEFAULT, 2));
        assertTrue(e.getMessage().contains("a.png") && e.getMessage().contains("(3,4)"), e.getMessage());
    }
}
