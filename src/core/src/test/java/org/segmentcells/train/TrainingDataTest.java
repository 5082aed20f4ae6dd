package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.segment.Normalization;

class TrainingDataTest {

    /**
     * Frames at a scale are what the segmenter gives the network there: a noisy frame shrunk is smoothed
     * more and normalised after (NetworkInput), so a fine-tune learns the input it will be shown; classes
     * are resized alike either way.
     */
    @Test
    void framesAtAScaleAreTheNetworksInputThere() {
        org.segmentcells.synth.SyntheticNuclei.Sample s = org.segmentcells.synth.SyntheticNuclei.generate(400, 300, 30, 4);
        org.segmentcells.img.FloatPlane grainy = org.segmentcells.synth.TestImages.withNoise(s.image(), 0.1, 1);
        Normalization n = Normalization.DEFAULT;
        for (org.segmentcells.img.FloatPlane img : List.of(grainy, s.image())) {
            boolean noisy = img == grainy;
            assertTrue(org.segmentcells.scale.Sharpness.isNoisy(img) == noisy);
            TrainingFrame f = TrainingData.labelFrame("f", img, s.labels(), n, 2, 0.4);
            // From the frame's normalised pixels, normalised once more after the shrink: the same to rounding.
            float[] seen = org.segmentcells.segment.NetworkInput.of(img, n, 0.4, noisy).data();
            assertTrue(maxOff(seen, f.image().data()) < 1e-4, (noisy ? "noisy" : "plain") + ": " + maxOff(seen, f.image().data()));
            TrainingFrame full = TrainingFrame.full("f", n.apply(img), Targets.fromLabels(s.labels(), 2));
            TrainingFrame scaled = full.scaled(0.4, n);
            assertTrue(maxOff(seen, scaled.image().data()) < 1e-4, "scaled(): " + maxOff(seen, scaled.image().data()));
            assertTrue(full.scaled(0.5, n) != full && full.scaled(1, n) == full);
            if (!noisy) {
                assertArrayEquals(Resample.bilinear(n.apply(img), 160, 120).data(), scaled.image().data(),
                        "a plain frame is resized as it is, not normalised twice");
            }
        }
    }

    private static double maxOff(float[] a, float[] b) {
        assertTrue(a.length == b.length);
        double off = 0;
        for (int i = 0; i < a.length; i++) {
            off = Math.max(off, Math.abs(a[i] - b[i]));
        }
        return off;
    }

    @Test
    void smallObjectsAndTheirRingWeighMore() {
        // A 20x20 nucleus (400 px) and a 4x4 one (16 px) at x 30..33, y 10..13; one unlabelled pixel in the ring.
        int w = 50;
        int h = 30;
        int[] lab = new int[w * h];
        for (int y = 5; y < 25; y++) {
            for (int x = 5; x < 25; x++) {
                lab[y * w + x] = 7;
            }
        }
        for (int y = 10; y < 14; y++) {
            for (int x = 30; x < 34; x++) {
                lab[y * w + x] = 3;
            }
        }
        org.segmentcells.img.LabelPlane labels = new org.segmentcells.img.LabelPlane(w, h, lab);
        TrainingFrame f = TrainingData.labelFrame("f", new org.segmentcells.img.FloatPlane(w, h, new float[w * h]),
                labels, Normalization.DEFAULT, 2);
        f.weight()[9 * w + 29] = 0;
        TrainingFrame g = TrainingData.weightSmallObjects(f, labels, 4, 2);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                boolean near = x >= 28 && x <= 35 && y >= 8 && y <= 15;
                float expected = i == 9 * w + 29 ? 0 : near ? 4 : 1;
                org.junit.jupiter.api.Assertions.assertEquals(expected, g.weight()[i], "weight at " + x + "," + y);
            }
        }
        // The input frame is untouched, and the classes are shared.
        org.junit.jupiter.api.Assertions.assertEquals(1, f.weight()[12 * w + 31]);
        assertArrayEquals(f.classes(), g.classes());
        assertThrows(IllegalArgumentException.class, () -> TrainingData.weightSmallObjects(f, labels, 0.5f, 2));
    }

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

        // For the fine-tune check, the RGB image gives back the nuclei it draws.
        LabelPlane truth = ImageFiles.readLabels(labels.resolve("a.tif"));
        org.segmentcells.synth.TestImages.Annotated drawnFrame = org.segmentcells.synth.TestImages.oneRgbAnnotatedFrame(
                dir.resolve("drawn"));
        LabelPlane drawn = TrainingData.checkFrames(TrainingData.pairs(drawnFrame.images(), drawnFrame.labels(), null, 0))
                .get(0).labels();
        org.segmentcells.eval.FrameScores agree = org.segmentcells.eval.Evaluator.scoreFrame(truth, drawn, 0);
        assertTrue(agree.f() > 0.98 && agree.asMap().get("seg") > 0.9, agree.asMap().toString());
        assertArrayEquals(truth.data(), TrainingData.checkFrames(TrainingData.pairs(images, labels, null, 0)).get(0)
                .labels().data(), "label images as read");

        // A pixel in none of the three colours is reported with the file.
        cp.set(3, 4, 0x000000);
        new FileSaver(new ImagePlus("a", cp)).saveAsPng(rgb.resolve("a.png").toString());
        IOException e = assertThrows(IOException.class, () -> TrainingData.trainingFrames(
                TrainingData.pairs(images, rgb, null, 0), Normalization.DEFAULT, 2));
        assertTrue(e.getMessage().contains("a.png") && e.getMessage().contains("(3,4)"), e.getMessage());
    }

    @Test
    void anRgbAnnotationTurnedOnItsSideIsRefused(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path rgb = Files.createDirectories(dir.resolve("rgb"));
        ImageFiles.write16(40, 30, new int[40 * 30], images.resolve("a.tif"));
        int[] red = new int[30 * 40];
        java.util.Arrays.fill(red, 0xFF0000);
        new FileSaver(new ImagePlus("a", new ColorProcessor(30, 40, red))).saveAsPng(rgb.resolve("a.png").toString());
        // As many pixels as the image, in rows of another width: read as it is, every row would be skewed.
        IOException e = assertThrows(IOException.class, () -> TrainingData.trainingFrames(
                TrainingData.pairs(images, rgb, null, 0), Normalization.DEFAULT, 2));
        assertTrue(e.getMessage().contains("a.png: RGB annotation is 30x40 but its image a.tif is 40x30"), e.getMessage());
    }

    /** Two images of one stem (a.tif, a.png): pairing by stem would train one of them twice, so it is refused. */
    @Test
    void twoImagesOfOneStemAreRefused(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path labels = Files.createDirectories(dir.resolve("labels"));
        ImageFiles.write16(20, 20, new int[400], images.resolve("a.tif"));
        ImageFiles.write16(20, 20, new int[400], images.resolve("b.tif"));
        ImageFiles.write16(20, 20, new int[400], labels.resolve("a.tif"));
        ImageFiles.write16(20, 20, new int[400], labels.resolve("b.tif"));
        assertEquals(List.of("a", "b"), TrainingData.pairs(images, labels, null, 0).stream().map(TrainingData.Pair::stem).toList());
        new FileSaver(new ImagePlus("a", new ij.process.ByteProcessor(20, 20))).saveAsPng(images.resolve("a.png").toString());
        IOException e = assertThrows(IOException.class, () -> TrainingData.pairs(images, labels, null, 0));
        assertTrue(e.getMessage().contains("same stem as a.png in the images folder"), e.getMessage());
        Files.delete(images.resolve("a.png"));
        new FileSaver(new ImagePlus("b", new ij.process.ByteProcessor(20, 20))).saveAsPng(labels.resolve("b.png").toString());
        e = assertThrows(IOException.class, () -> TrainingData.pairs(images, labels, null, 0));
        assertTrue(e.getMessage().contains("same stem as b.png in the labels folder"), e.getMessage());
        // Only the frames used count: a list that leaves b out trains a.
        Path list = Files.writeString(dir.resolve("list.txt"), "a\n");
        assertEquals(List.of("a"), TrainingData.pairs(images, labels, list, 0).stream().map(TrainingData.Pair::stem).toList());
        assertEquals(1, TrainingData.pairs(images, labels, null, 1).size(), "the first frame only");
    }

    /** Colour-coded instance labels (one colour per nucleus) are told what to give instead. */
    @Test
    void colourCodedInstanceLabelsAreToldToGiveNumbers(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path labels = Files.createDirectories(dir.resolve("labels"));
        ImageFiles.write16(30, 10, new int[300], images.resolve("a.tif"));
        ColorProcessor colours = new ColorProcessor(30, 10);
        colours.set(3, 3, 0xFFFF00); // yellow: no class of the paper's encoding
        assertTrue(new FileSaver(new ImagePlus("l", colours)).saveAsTiff(labels.resolve("a.tif").toString()));
        TrainingData.Pair p = TrainingData.pairs(images, labels, null, 0).get(0);
        IOException e = assertThrows(IOException.class, () -> TrainingData.trainingFrames(List.of(p),
                Normalization.DEFAULT, 2));
        assertTrue(e.getMessage().contains("no dominant channel") && e.getMessage().endsWith("for instance labels give a"
                + " 16-bit image, each nucleus its own number, background 0)"), e.getMessage());
    }

    /**
     * A 0/255 mask given as labels would train one giant nucleus; the labels folder being the images folder
     * would take intensities for labels. Both are refused, naming what to give instead.
     */
    @Test
    void masksAndTheImagesFolderAreRefusedAsLabels(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path labels = Files.createDirectories(dir.resolve("labels"));
        ImageFiles.write16(30, 10, new int[300], images.resolve("a.tif"));
        int[] blobs = new int[300];
        for (int k = 0; k < 3; k++) {
            blobs[5 * 30 + 3 + 10 * k] = 7;
            blobs[5 * 30 + 4 + 10 * k] = 7;
        }
        ImageFiles.write16(30, 10, blobs, labels.resolve("a.tif"));
        TrainingData.Pair p = TrainingData.pairs(images, labels, null, 0).get(0);
        // One nucleus in three pieces (cut by a crop) is a label image still.
        assertEquals(1, TrainingData.readInstanceLabelsFor(p, ImageFiles.readPlane(p.image())).countObjects());
        blobs[1 * 30 + 3] = 7;
        blobs[8 * 30 + 3] = 7;
        ImageFiles.write16(30, 10, blobs, labels.resolve("a.tif"));
        IOException e = assertThrows(IOException.class,
                () -> TrainingData.readInstanceLabelsFor(p, ImageFiles.readPlane(p.image())));
        assertTrue(e.getMessage().endsWith("a.tif: 5 separate regions, all labelled 7: a mask, not a label"
                + " image. Give each nucleus its own number, background 0 (in Fiji, Analyze Particles with Show: Count"
                + " Masks makes one)"), e.getMessage());
        // Scribbles are read as they are: one value over many strokes is what they are.
        assertEquals(1, TrainingData.readLabelsFor(p, ImageFiles.readPlane(p.image())).countObjects());
        // Any frame of two labels or more is a label image, however they lie.
        blobs[5 * 30 + 23] = 0;
        blobs[5 * 30 + 24] = 8;
        blobs[5 * 30 + 25] = 8;
        ImageFiles.write16(30, 10, blobs, labels.resolve("a.tif"));
        assertEquals(2, TrainingData.readInstanceLabelsFor(p, ImageFiles.readPlane(p.image())).countObjects());
        blobs[5 * 30 + 28] = 9;
        blobs[2 * 30 + 28] = 9;
        ImageFiles.write16(30, 10, blobs, labels.resolve("a.tif"));
        assertEquals(3, TrainingData.readInstanceLabelsFor(p, ImageFiles.readPlane(p.image())).countObjects());
        // Scribbles given as labels: two values, each over five strokes or more, are classes, not nuclei.
        int[] strokes = new int[300];
        for (int k = 0; k < 5; k++) {
            strokes[1 * 30 + 2 + 5 * k] = 1;
            strokes[6 * 30 + 2 + 5 * k] = 2;
        }
        ImageFiles.write16(30, 10, strokes, labels.resolve("a.tif"));
        e = assertThrows(IOException.class, () -> TrainingData.readInstanceLabelsFor(p, ImageFiles.readPlane(p.image())));
        assertTrue(e.getMessage().endsWith("a.tif: 2 values, each over 5 or more separate regions: class annotations"
                + " (a mask or scribbles), not a label image. Give each nucleus its own number, background 0;"
                + " scribbles are given as scribbles, not as labels"), e.getMessage());

        e = assertThrows(IOException.class, () -> TrainingData.pairs(images, images, null, 0));
        assertTrue(e.getMessage().contains("the images folder itself"), e.getMessage());
    }

    /** Every front end's annotated frames: labels always (they calibrate the start), RGB only for the check. */
    @Test
    void labelImagesAreAnnotatedAlwaysAndRgbOnlyWithoutValidationFrames(@TempDir Path dir) throws Exception {
        org.segmentcells.synth.TestImages.Annotated labels = org.segmentcells.synth.TestImages.oneLabelledFrame(dir.resolve("l"));
        org.segmentcells.synth.TestImages.Annotated rgb = org.segmentcells.synth.TestImages.oneRgbAnnotatedFrame(dir.resolve("r"));
        List<TrainingData.Pair> byLabels = TrainingData.pairs(labels.images(), labels.labels(), null, 0);
        List<TrainingData.Pair> byRgb = TrainingData.pairs(rgb.images(), rgb.labels(), null, 0);
        for (boolean validates : new boolean[] {false, true}) {
            TrainingData.Annotated a = TrainingData.annotated(byLabels, false, validates);
            org.junit.jupiter.api.Assertions.assertEquals(1, a.frames().size());
            assertTrue(!a.checkOnly(), "labels calibrate, validation frames or not");
            assertArrayEquals(ImageFiles.readLabels(byLabels.get(0).labels()).data(), a.frames().get(0).labels().data());
            org.junit.jupiter.api.Assertions.assertEquals(TrainingData.Annotated.NONE, TrainingData.annotated(byLabels, true, validates),
                    "scribbles have no full annotation");
        }
        TrainingData.Annotated check = TrainingData.annotated(byRgb, false, false);
        assertTrue(check.checkOnly() && check.frames().size() == 1, "RGB: rows held out for the check only");
        org.junit.jupiter.api.Assertions.assertEquals(TrainingData.Annotated.NONE, TrainingData.annotated(byRgb, false, true),
                "validation frames check instead");
    }
}
