package org.segmentcells.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.FloatProcessor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.cli.CliTest.Run;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;
import org.segmentcells.segment.ProbabilityNet;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.synth.SyntheticNuclei;

/** Issue 6, big images: {@code segment} in bands of rows (forced here with --streaming on small images). */
class StreamingCliTest {

    static Path write16(FloatPlane img, Path file) throws Exception {
        int[] px = new int[img.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = Math.round(img.data()[i]);
        }
        ImageFiles.write16(img.width(), img.height(), px, file);
        return file;
    }

    @Test
    void streamingWritesTheSameLabelImageAsInMemory(@TempDir Path tmp) throws Exception {
        streamingMatchesInMemory(tmp);
    }

    @Test
    void streamingWritesTheSameLabelImageAsInMemoryWithTta(@TempDir Path tmp) throws Exception {
        streamingMatchesInMemory(tmp, "--tta");
    }

    private static void streamingMatchesInMemory(Path tmp, String... extra) throws Exception {
        Path in = write16(SyntheticNuclei.generate(700, 600, 160, 9).image(), tmp.resolve("in").resolve("a.tif"));
        ImagePlus calibrated = new ImagePlus(in.toString());
        calibrated.getCalibration().pixelWidth = 0.65;
        calibrated.getCalibration().pixelHeight = 0.7;
        calibrated.getCalibration().setUnit("\u00B5m"); // not ASCII: ImageJ escapes it in its description
        assertTrue(new ij.io.FileSaver(calibrated).saveAsTiff(in.toString()));
        java.util.Map<String, String> before = CliRobustnessTest.sha256(in.getParent());
        List<String> common = new java.util.ArrayList<>(List.of("--tile", "256", "--scale", "1")); // at scale 1 bands equal memory bit for bit
        common.addAll(List.of(extra));
        common.add(in.toString());
        Run mem = CliRobustnessTest.segment(tmp.resolve("mem"), common.toArray(String[]::new));
        common.add(0, "--streaming");
        Run str = CliRobustnessTest.segment(tmp.resolve("str"), common.toArray(String[]::new));
        assertEquals(0, mem.code(), mem.err());
        assertEquals(0, str.code(), str.err());
        // At least three bands (224-row cores for the paper's E, 128 for a U-Net), all done, and the peak
        // memory report.
        java.util.regex.Matcher last = java.util.regex.Pattern.compile("band (\\d+)/\\1\\b").matcher(str.out());
        assertTrue(last.find() && Integer.parseInt(last.group(1)) >= 3, str.out());
        assertTrue(str.out().contains("in bands; peak resident memory"), str.out());
        LabelPlane a = ImageFiles.readLabels(tmp.resolve("mem").resolve("a.tif"));
        LabelPlane b = ImageFiles.readLabels(tmp.resolve("str").resolve("a.tif"));
        assertTrue(a.countObjects() > 50, a.countObjects() + " nuclei");
        assertArrayEquals(a.data(), b.data());
        ImagePlus streamed = new ImagePlus(tmp.resolve("str").resolve("a.tif").toString());
        assertEquals(16, streamed.getBitDepth());
        // The input's pixel size, as in memory (written by ImageJ there, by the strip writer here).
        for (ImagePlus labels : List.of(streamed, new ImagePlus(tmp.resolve("mem").resolve("a.tif").toString()))) {
            assertEquals(0.65, labels.getCalibration().pixelWidth, 1e-6, labels.getOriginalFileInfo().directory);
            assertEquals(0.7, labels.getCalibration().pixelHeight, 1e-6);
            assertEquals("\u00B5m", labels.getCalibration().getUnit());
        }
        assertEquals(List.of("a.tif"), CliRobustnessTest.files(tmp.resolve("str")));
        assertEquals(before, CliRobustnessTest.sha256(in.getParent()));
    }

    @Test
    void whatCannotBeStreamedGetsAClearErrorBeforeAnyWork(@TempDir Path tmp) throws Exception {
        Path in = write16(SyntheticNuclei.generate(100, 80, 5, 1).image(), tmp.resolve("a.tif"));
        // Two flags that cannot go together: a command-line mistake (status 2).
        Run r = CliRobustnessTest.segment(tmp.resolve("out"), "--streaming", "--probabilities", in.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--streaming cannot write --probabilities; leave out one of them"), r.err());
        Path f = tmp.resolve("f.tif");
        new FileSaver(new ImagePlus("f", new FloatProcessor(100, 80))).saveAsTiff(f.toString());
        r = CliRobustnessTest.segment(tmp.resolve("out"), "--streaming", f.toString());
        assertEquals(1, r.code());
        CliRobustnessTest.assertOneLine(r, "f.tif", "uncompressed", "8- or 16-bit");
        assertEquals(List.of(), CliRobustnessTest.files(tmp.resolve("out")));
        // Every input that cannot go in bands is named in one run, not only the first.
        Path g = tmp.resolve("g.tif");
        new FileSaver(new ImagePlus("g", new FloatProcessor(100, 80))).saveAsTiff(g.toString());
        r = CliRobustnessTest.segment(tmp.resolve("out"), "--streaming", f.toString(), in.toString(), g.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("2 inputs cannot be segmented as given") && r.err().contains("f.tif: ")
                && r.err().contains("g.tif: "), r.err());
        assertEquals(List.of(), CliRobustnessTest.files(tmp.resolve("out")));
    }

    @Test
    void moreThan65535NucleiGiveA32BitLabelImageWhenStreaming(@TempDir Path tmp) throws Exception {
        // 2×2 bright dots every 4 px: 275 × 250 = 68750 objects, more than a 16-bit label image holds.
        int w = 1100;
        int h = 1000;
        FloatPlane img = new FloatPlane(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.set(x, y, x % 4 < 2 && y % 4 < 2 ? 1000 : 100 + (x + 3 * y) % 3);
            }
        }
        Path in = write16(img, tmp.resolve("dots.tif"));
        // Bright is nucleus: this net draws the objects from the image, a model would not resolve 2 px dots.
        ProbabilityNet bright = (tile, tw, th, out) -> {
            for (int i = 0; i < tw * th; i++) {
                boolean on = tile[i] > 0.5f;
                out[3 * i] = on ? 0.1f : 0.9f;
                out[3 * i + 1] = on ? 0.9f : 0.05f;
                out[3 * i + 2] = 0.05f;
            }
        };
        Path target = tmp.resolve("out").resolve("dots.tif");
        int n = org.segmentcells.batch.FileSegmentation.segmentStreaming(in, target, new Segmenter(bright, Normalization.DEFAULT, 256),
                new InstanceOptions(0.5, 1), org.segmentcells.progress.Progress.NONE, "");
        assertEquals(68750, n);
        assertEquals(32, new ImagePlus(target.toString()).getBitDepth());
        LabelPlane l = ImageFiles.readLabels(target);
        assertEquals(68750, l.maxLabel());
        // Ids in raster order of each object's first pixel, as in memory: the dot at (4x, 4y) is 275y + x + 1.
        assertEquals(1, l.get(0, 0));
        assertEquals(2, l.get(5, 1));
        assertEquals(276, l.get(0, 4));
        assertEquals(68750, l.get(w - 3, h - 3));
        assertEquals(0, l.get(2, 2));
        assertEquals(List.of("dots.tif"), CliRobustnessTest.files(target.getParent()));
        assertTrue(Files.size(target) >= 4L * w * h);
    }
}
