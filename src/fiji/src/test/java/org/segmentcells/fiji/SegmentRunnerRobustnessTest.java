package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.process.FloatProcessor;

import org.junit.jupiter.api.Test;
import org.segmentcells.fiji.plugin.SegmentOptions;
import org.segmentcells.fiji.plugin.SegmentOutcome;
import org.segmentcells.fiji.plugin.Progress;

/** Issue 6 through the code shared by the SciJava command and the IJ1 plugin (and so macros). */
class SegmentRunnerRobustnessTest {

    static final Progress SILENT = Progress.NONE;

    static final SegmentOptions OPTIONS = SegmentOptions.of("default").withTile(256);

    @Test
    void constantAndEmptyStacksGiveEmptyLabelImages() throws Exception {
        ImagePlus stack = IJ.createImage("flat", "16-bit black", 200, 150, 2);
        stack.getStack().getProcessor(2).set(1234);
        SegmentOutcome.Result r = SegmentRunner.run(stack, OPTIONS, SILENT);
        assertArrayEquals(new int[] {0, 0}, r.counts());
        assertEquals(0, r.labels().getStatistics().max);
        assertEquals(1234, stack.getStack().getProcessor(2).get(0), "input untouched");
    }

    @Test
    void aChannelOfAnRgbImageSegmentsLikeTheGrayImage() throws Exception {
        ImagePlus gray = new ImagePlus("gray", IJ.openImage("test-images/images/demo.tif").getProcessor().convertToByte(true));
        ij.process.ColorProcessor cp = new ij.process.ColorProcessor(gray.getWidth(), gray.getHeight());
        for (int i = 0; i < cp.getPixelCount(); i++) {
            cp.set(i, gray.getProcessor().get(i) << 8); // nuclei in green only
        }
        ImagePlus rgb = new ImagePlus("rgb", cp);
        SegmentOptions green = SegmentOptions.of("default").withTile(256).withChannel("green");
        SegmentOutcome.Result fromGreen = SegmentRunner.run(rgb, green, SILENT);
        SegmentOutcome.Result fromGray = SegmentRunner.run(gray, OPTIONS, SILENT);
        assertTrue(fromGray.total() > 10);
        assertArrayEquals((short[]) fromGray.labels().getProcessor().getPixels(),
                (short[]) fromGreen.labels().getProcessor().getPixels());
        // The label image says which channel made it; a gray image's does not mention one.
        java.util.List<String> info = ((String) fromGreen.labels().getProperty("Info")).lines().toList();
        assertTrue(info.contains("channel=green"), info.toString());
        // A gray image given a channel is read as it is, and its Info does not claim one.
        String grayInfo = (String) SegmentRunner.run(gray, green, SILENT).labels().getProperty("Info");
        assertTrue(grayInfo.lines().noneMatch(l -> l.startsWith("channel=")), grayInfo);
        // Without a channel, RGB is refused with a hint at the option.
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SegmentRunner.run(rgb, OPTIONS, SILENT));
        assertTrue(e.getMessage().contains("choose a channel"), e.getMessage());
    }

    @Test
    void anImageWhoseScaleTheNetworkChecksSegmentsAsTheCorePlansIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        // Nuclei 1.8 times the default's size: just above its range, where the network checks auto's scale
        // on the first plane for a model trained on sharp crops (default, trained on blurred ones, is not
        // checked: a copy marked sharp is). Fiji passes that plane object back so the plan reuses the
        // check's pass; the labels must be those the core's plan gives.
        java.nio.file.Path file = tmp.resolve("big.tif");
        org.segmentcells.synth.TestImages.largeNuclei(file, 1.8);
        java.nio.file.Path sharp = org.segmentcells.model.TestModels.sharpDefault(tmp.resolve("sharp"));
        SegmentOptions options = SegmentOptions.of(sharp.toString()).withTile(256);
        SegmentOutcome.Result r = SegmentRunner.run(IJ.openImage(file.toString()), options, SILENT);
        org.segmentcells.img.FloatPlane img = org.segmentcells.io.ImageFiles.readPlane(file);
        try (org.segmentcells.model.Model m = org.segmentcells.model.Model.load(sharp)) {
            org.segmentcells.model.Model.Plan plan = m.plan(org.segmentcells.model.SegmentSettings.MODEL
                    .withScale(org.segmentcells.segment.Scale.AUTO).withTile(OPTIONS.tile()), img);
            assertTrue(plan.checked() != null, "the network's check ran: " + plan.scale().describe());
            int[] core = plan.segment(img).data();
            short[] fiji = (short[]) r.labels().getProcessor().getPixels();
            assertEquals(core.length, fiji.length);
            for (int i = 0; i < core.length; i++) {
                assertEquals(core[i], fiji[i] & 0xffff, "pixel " + i);
            }
            assertTrue(r.total() > 10, "nuclei found: " + r.total());
        }
    }

    @Test
    void nonFinitePixelsAreLoggedAndSegmentedAsBackground() throws Exception {
        ImagePlus demo = IJ.openImage("test-images/images/demo.tif");
        FloatProcessor fp = demo.getProcessor().convertToFloatProcessor();
        fp.setf(0, Float.NaN);
        fp.setf(1, Float.POSITIVE_INFINITY);
        // Headless, IJ.log prints to stdout (with a display it goes to the Log window, read by IJ.getLog).
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        SegmentOutcome.Result r;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            r = SegmentRunner.run(new ImagePlus("nan", fp), OPTIONS, SILENT);
        } finally {
            System.setOut(stdout);
        }
        assertTrue(r.total() > 10, r.total() + " nuclei");
        assertEquals(0, r.labels().getProcessor().getf(0));
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8) + IJ.getLog();
        assertTrue(log.contains("\"nan\" has 2 NaN or infinite pixels"), log);
    }

    @Test
    void anImageTooBigForTheMemoryLeftIsRefusedBeforeAnyWork() {
        ij.ImagePlus big = ij.IJ.createImage("slide", "16-bit black", 2000, 1500, 2);
        SegmentOptions o = SegmentOptions.DEFAULTS;
        // 3 MP: 40 B/px for the plane at work + 20 B/px for the plane auto scale's check ran on, which the plan
        // keeps + 2 B/px per plane kept = 192 MB.
        SegmentRunner.checkMemory(big, o, 200_000_000L);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SegmentRunner.checkMemory(big, o, 185_000_000L));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("\"slide\" (2000×1500, 2 planes) needs about 0.2 GB"),
                e.getMessage());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().endsWith("or segment fewer planes at a time"
                + " (Image > Stacks > Tools > Make Substack...)"), e.getMessage());
        // A single plane that big can go in bands, through Segment Image Files or the command line.
        ij.ImagePlus slide = ij.IJ.createImage("slide", "16-bit black", 4000, 3000, 1);
        IllegalArgumentException one = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SegmentRunner.checkMemory(slide, o, 185_000_000L));
        org.junit.jupiter.api.Assertions.assertTrue(one.getMessage().contains("Segment Image Files")
                && one.getMessage().contains("segment --model default"), one.getMessage());
        // Probability maps cost 12 B/px per plane more.
        SegmentOptions withProbs = SegmentOptions.of("default").withProbabilities(true).withTile(1024);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SegmentRunner.checkMemory(big, withProbs, 200_000_000L));
        // Once a plan enlarges 2.2 times, the enlarged plane and its probabilities come on top (16 B per
        // enlarged pixel: 78 B/px more, 426 MB in all); shrinking costs what scale 1 does.
        SegmentRunner.checkMemory(big, o, 200_000_000L, 0.5);
        SegmentRunner.checkMemory(big, o, 430_000_000L, 2.2);
        IllegalArgumentException enlarged = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SegmentRunner.checkMemory(big, o, 420_000_000L, 2.2));
        org.junit.jupiter.api.Assertions.assertTrue(enlarged.getMessage().contains("needs about 0.4 GB of memory to segment"
                + " in ImageJ at scale 2.20") && enlarged.getMessage().contains("give a smaller scale"), enlarged.getMessage());
    }
}
