package org.segmentcells.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.cli.CliTest.Run;
import org.segmentcells.eval.Evaluator;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.synth.TestImages;
import org.segmentcells.io.ImageFiles;

/** {@code segment --scale}: nuclei larger or smaller than the model's meet E at its size. */
class ScaleCliTest {

    @org.junit.jupiter.api.BeforeAll
    static void smallImage(@TempDir Path tmp) throws Exception {
        CliRobustnessTest.smallImage(tmp);
    }

    @Test
    void aScaleGivesLabelsAtTheImageSizeAndChangesWhatEFinds(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("small.tif");
        Files.write(in, CliRobustnessTest.small);
        Run one = CliRobustnessTest.segment(tmp.resolve("one"), in.toString());
        Run half = CliRobustnessTest.segment(tmp.resolve("half"), "--scale", "0.5", in.toString());
        assertEquals(0, one.code(), one.err());
        assertEquals(0, half.code(), half.err());
        LabelPlane a = ImageFiles.readLabels(tmp.resolve("one/small.tif"));
        LabelPlane b = ImageFiles.readLabels(tmp.resolve("half/small.tif"));
        assertEquals(160, b.width());
        assertEquals(128, b.height());
        assertTrue(b.maxLabel() > 0, "nuclei found at half scale");
        assertTrue(!java.util.Arrays.equals(a.data(), b.data()), "the scale reached the network");
    }

    @Test
    void aScaleOutOfRangeIsAUsageError(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("small.tif");
        Files.write(in, CliRobustnessTest.small);
        // Just past either end, and numbers only Java's parser reads, are refused as given (not rounded into range).
        for (String bad : new String[] {"0", "-1", "big", "9", "4.00001", "0.0999999", "1f", "0x1p0", "NaN", "1e400"}) {
            Run r = CliRobustnessTest.segment(tmp.resolve("out"), "--scale", bad, in.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--scale must be auto or a number from 0.1 to 4.0, got '" + bad + "'"), r.err());
            assertEquals(0, CliRobustnessTest.files(tmp.resolve("out")).size());
        }
    }

    /**
     * Nuclei three times the default's training size: with --scale auto they are measured, shrunk to its
     * size, and found whole; at scale 1 they break up. The line names the scale chosen.
     */
    @Test
    void withScaleAutoLargeNucleiAreMeasuredAndSegmentedWhole(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("big.tif");
        LabelPlane truth = TestImages.largeNuclei(in, 3);
        Run auto = CliRobustnessTest.segment(tmp.resolve("auto"), "--scale", "auto", in.toString());
        Run one = CliRobustnessTest.segment(tmp.resolve("one"), "--scale", "1", in.toString());
        assertEquals(0, auto.code(), auto.err());
        assertTrue(auto.out().matches("(?s).*\\[1/1\\] big\\.tif: \\d+ nuclei, scale 0\\.[23]\\d+ \\(auto, nuclei \\d+ px, soft image\\).*"),
                auto.out());
        // The factor as printed, given back, segments as auto did (two decimals of it would not).
        java.util.regex.Matcher printed = java.util.regex.Pattern.compile("scale (0\\.\\d+) \\(auto").matcher(auto.out());
        assertTrue(printed.find(), auto.out());
        Run back = CliRobustnessTest.segment(tmp.resolve("back"), "--scale", printed.group(1), in.toString());
        assertEquals(0, back.code(), back.err());
        org.junit.jupiter.api.Assertions.assertArrayEquals(ImageFiles.readLabels(tmp.resolve("auto/big.tif")).data(),
                ImageFiles.readLabels(tmp.resolve("back/big.tif")).data(), printed.group(1));
        assertTrue(one.out().contains("scale 1.00 (given)"), one.out());
        double fAuto = Evaluator.scoreFrame(truth, ImageFiles.readLabels(tmp.resolve("auto/big.tif")), 0).f();
        double fOne = Evaluator.scoreFrame(truth, ImageFiles.readLabels(tmp.resolve("one/big.tif")), 0).f();
        assertTrue(fAuto >= 0.85, "auto F " + fAuto);
        assertTrue(fAuto > fOne + 0.1, "auto F " + fAuto + " against scale 1 F " + fOne);
    }

    /**
     * A noisy image that auto shrinks is smoothed 1 px more on the way ({@code NetworkInput}); the line says
     * so, and in bands the labels are the in-memory ones.
     */
    @Test
    void aNoisyImageShrunkIsSmoothedAndSaysSoInMemoryAndInBands(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("grainy.tif");
        LabelPlane truth = TestImages.largeNuclei(in, 3, 0.05);
        Run auto = CliRobustnessTest.segment(tmp.resolve("auto"), in.toString());
        assertEquals(0, auto.code(), auto.err());
        assertTrue(auto.out().matches("(?s).*grainy\\.tif: \\d+ nuclei, scale 0\\.\\d+ \\(auto, nuclei \\d+ px, noisy image smoothed\\).*"),
                auto.out());
        double f = Evaluator.scoreFrame(truth, ImageFiles.readLabels(tmp.resolve("auto/grainy.tif")), 0).f();
        assertTrue(f >= 0.8, "F " + f);
        Run bands = CliRobustnessTest.segment(tmp.resolve("bands"), "--streaming", in.toString());
        assertEquals(0, bands.code(), bands.err());
        assertTrue(bands.out().contains("noisy image smoothed) (") && bands.out().contains("in bands"), bands.out());
        // The same pixels reach E; its tiles differ in bands, so only the rare pixel could (no nucleus may).
        assertEquals(1.0, Evaluator.scoreFrame(ImageFiles.readLabels(tmp.resolve("auto/grainy.tif")),
                ImageFiles.readLabels(tmp.resolve("bands/grainy.tif")), 0).f(), 1e-9);
        // A scale given: bands judge the centre square as memory does, without reading the file for crops.
        Run given = CliRobustnessTest.segment(tmp.resolve("given"), "--scale", "0.4", in.toString());
        Run givenBands = CliRobustnessTest.segment(tmp.resolve("given-bands"), "--streaming", "--scale", "0.4", in.toString());
        assertTrue(given.out().contains("scale 0.40 (given, noisy image smoothed)"), given.out());
        assertTrue(givenBands.out().contains("scale 0.40 (given, noisy image smoothed)"), givenBands.out());
        assertEquals(1.0, Evaluator.scoreFrame(ImageFiles.readLabels(tmp.resolve("given/grainy.tif")),
                ImageFiles.readLabels(tmp.resolve("given-bands/grainy.tif")), 0).f(), 1e-9);
    }

    /**
     * {@code --diameter}: the nuclei's size as the user knows it sets the scale as a measurement of that size
     * would, in memory and in bands, and the line says so; with it, large nuclei are found whole.
     */
    @Test
    void aDiameterGivenSetsTheScaleWithoutMeasuring(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("big.tif");
        LabelPlane truth = TestImages.largeNuclei(in, 3);
        double d = org.segmentcells.scale.ObjectSize.medianDiameter(java.util.List.of(truth));
        String px = String.format(java.util.Locale.ROOT, "%.0f", d);
        Run given = CliRobustnessTest.segment(tmp.resolve("given"), "--diameter", px, in.toString());
        assertEquals(0, given.code(), given.err());
        assertTrue(given.out().matches("(?s).*big\\.tif: \\d+ nuclei, scale 0\\.[23]\\d+ \\(nuclei " + px + " px, given(, soft image)?\\).*"),
                given.out());
        double f = Evaluator.scoreFrame(truth, ImageFiles.readLabels(tmp.resolve("given/big.tif")), 0).f();
        assertTrue(f >= 0.85, "F " + f);
        Run bands = CliRobustnessTest.segment(tmp.resolve("bands"), "--streaming", "--diameter", px, in.toString());
        assertEquals(0, bands.code(), bands.err());
        assertTrue(bands.out().contains("(nuclei " + px + " px, given"), bands.out());
        assertEquals(1.0, Evaluator.scoreFrame(ImageFiles.readLabels(tmp.resolve("given/big.tif")),
                ImageFiles.readLabels(tmp.resolve("bands/big.tif")), 0).f(), 1e-9);

        // A model made before auto scale records no training size to compare a diameter with: refused up front.
        Path old = org.segmentcells.model.TestModels.copy(org.segmentcells.model.ModelStore.resolve("default"),
                tmp.resolve("old-model"));
        String json = Files.readString(old.resolve("model.json"));
        Files.writeString(old.resolve("model.json"), json.replaceAll("\"objectDiameter\": [0-9.]+,", "")
                .replaceAll("(?s)\"objectDiameterRange\": \\[[^\\]]*\\],", ""));
        Run refused = CliTest.cli("segment", "--model", old.toString(), "--output", tmp.resolve("old").toString(),
                "--diameter", px, in.toString());
        assertEquals(2, refused.code(), "an option this model cannot take: " + refused.err());
        assertTrue(refused.err().contains("--diameter needs a model that records the nucleus size")
                && refused.err().contains("give --scale instead"), refused.err());
        assertTrue(!refused.out().contains("TensorFlow"), "refused before TensorFlow starts: " + refused.out());
        assertEquals(0, CliRobustnessTest.files(tmp.resolve("old")).size());

        for (String[] bad : new String[][] {{"--diameter", "0"}, {"--diameter", "-4"}, {"--diameter", "wide"},
                {"--diameter", "1e9"}, {"--diameter", "40", "--scale", "1"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(bad), java.util.stream.Stream.of(
                    in.toString())).toArray(String[]::new);
            Run r = CliRobustnessTest.segment(tmp.resolve("bad"), args);
            assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.err());
            assertTrue(r.err().contains("--diameter"), r.err());
            assertEquals(0, CliRobustnessTest.files(tmp.resolve("bad")).size());
        }
    }

    /**
     * In bands, auto measures full-resolution crops picked on an overview: nuclei inside the training range stream at
     * scale 1; nuclei three times its size stream at the scale that brings them there, with the labels of
     * the in-memory run.
     */
    @Test
    void inBandsAutoMeasuresAnOverview(@TempDir Path tmp) throws Exception {
        Path inRange = StreamingCliTest.write16(org.segmentcells.synth.SyntheticNuclei.generate(400, 300, 60, 3).image(),
                tmp.resolve("in").resolve("a.tif"));
        Run r = CliRobustnessTest.segment(tmp.resolve("out"), "--streaming", "--scale", "auto", inRange.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*a\\.tif: \\d+ nuclei, scale 1\\.00 \\(auto, nuclei \\d+ px\\) \\(.*in bands.*"),
                r.out());
        Path big = tmp.resolve("big.tif");
        LabelPlane truth = TestImages.largeNuclei(big, 3);
        Run bands = CliRobustnessTest.segment(tmp.resolve("bands"), "--streaming", "--scale", "auto", big.toString());
        assertEquals(0, bands.code(), bands.err());
        assertTrue(bands.out().matches("(?s).*big\\.tif: \\d+ nuclei, scale 0\\.[23]\\d+ \\(auto, nuclei \\d+ px, soft image\\) \\(.*in bands.*"),
                bands.out());
        Run memory = CliRobustnessTest.segment(tmp.resolve("memory"), "--scale", "auto", big.toString());
        assertEquals(0, memory.code(), memory.err());
        LabelPlane streamed = ImageFiles.readLabels(tmp.resolve("bands/big.tif"));
        assertEquals(1.0, Evaluator.scoreFrame(ImageFiles.readLabels(tmp.resolve("memory/big.tif")), streamed, 0).f(), 1e-9,
                "bands and memory find the same nuclei");
        assertTrue(Evaluator.scoreFrame(truth, streamed, 0).f() >= 0.85, "F against the truth");
        // Each label file's Info says how it was made, as the image's line does, in bands as in memory.
        for (String run : List.of("bands", "memory")) {
            String info = new ij.ImagePlus(tmp.resolve(run).resolve("big.tif").toString()).getInfoProperty();
            String line = (run.equals("bands") ? bands : memory).out().replaceAll("(?s).*big\\.tif: \\d+ nuclei, scale ", "")
                    .replaceAll("(?s) \\(\\d.*", "");
            assertEquals(line, org.segmentcells.batch.LabelInfo.value(info, org.segmentcells.setting.Setting.SCALE),
                    run + ": " + info);
            assertTrue(info.startsWith("Segment Cells ") && info.contains("\nmodel: ") && info.contains("default") && info.contains("\nmin_size=")
                    && info.contains("\nseed_threshold=") && info.contains("\ntile=1024\n") && info.contains("\ntta=false\n")
                    && info.contains("Segment Cells: labels of " + big.toAbsolutePath()), run + ": " + info);
        }
    }

    @Test
    void aFlatImageGetsEmptyLabelsAndANote(@TempDir Path tmp) throws Exception {
        int[] px = new int[200 * 160];
        java.util.Arrays.fill(px, 700);
        Path in = tmp.resolve("flat.tif");
        ImageFiles.write16(200, 160, px, in);
        Run r = CliRobustnessTest.segment(tmp.resolve("out"), "--scale", "auto", in.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("flat.tif: 0 nuclei, no nuclei (auto)"), r.out());
        assertTrue(r.err().contains("flat.tif: no nuclei found to measure, so the labels are empty"), r.err());
        assertEquals(0, ImageFiles.readLabels(tmp.resolve("out/flat.tif")).maxLabel());

        // In bands the same: empty labels, written without running the network over the image.
        Run bands = CliRobustnessTest.segment(tmp.resolve("bands"), "--streaming", in.toString());
        assertEquals(0, bands.code(), bands.err());
        assertTrue(bands.out().contains("flat.tif: 0 nuclei, no nuclei (auto)"), bands.out());
        assertFalse(bands.out().contains("band 1/1"), "no band segmented: " + bands.out());
        LabelPlane empty = ImageFiles.readLabels(tmp.resolve("bands/flat.tif"));
        assertEquals(200, empty.width());
        assertEquals(160, empty.height());
        assertEquals(0, empty.maxLabel());
        for (String run : List.of("out", "bands")) {
            String info = new ij.ImagePlus(tmp.resolve(run).resolve("flat.tif").toString()).getInfoProperty();
            assertEquals("none (auto: no nuclei found)", org.segmentcells.batch.LabelInfo.value(info,
                    org.segmentcells.setting.Setting.SCALE), run + ": " + info);
        }
    }

    /** A scale given for bands is used there, as in memory. */
    @Test
    void streamingAtAGivenScale(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("small.tif");
        Files.write(in, CliRobustnessTest.small);
        Run r = CliRobustnessTest.segment(tmp.resolve("out"), "--streaming", "--scale", "0.5", in.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*small\\.tif: \\d+ nuclei, scale 0\\.50 \\(given\\).*in bands.*"), r.out());
        Run memory = CliRobustnessTest.segment(tmp.resolve("memory"), "--scale", "0.5", in.toString());
        assertEquals(0, memory.code(), memory.err());
        assertEquals(1.0, Evaluator.scoreFrame(ImageFiles.readLabels(tmp.resolve("memory/small.tif")),
                ImageFiles.readLabels(tmp.resolve("out/small.tif")), 0).f(), 1e-9);
    }
}
