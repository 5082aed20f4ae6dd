package org.segmentcells.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ShortProcessor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.cli.CliTest.Run;
import org.segmentcells.eval.Evaluator;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.synth.SyntheticNuclei;
import org.segmentcells.synth.TestImages;

/** Stacks and time-lapses as files: a label plane per plane, one scale per stack unless asked per plane. */
class StackCliTest {

    /** Writes 16-bit planes as one multi-page TIFF ({@code channels} > 1: an ImageJ hyperstack of channels). */
    private static Path stack(Path file, int channels, List<short[]> planes, int w, int h) throws Exception {
        ImageStack st = new ImageStack(w, h);
        for (short[] p : planes) {
            st.addSlice(null, new ShortProcessor(w, h, p, null));
        }
        ImagePlus imp = new ImagePlus("stack", st);
        imp.setDimensions(channels, planes.size() / channels, 1);
        Files.createDirectories(file.getParent());
        assertTrue(new FileSaver(imp).saveAsTiffStack(file.toString()));
        return file;
    }

    private static short[] pixels(Path file) {
        return (short[]) IJ.openImage(file.toString()).getProcessor().convertToShort(false).getPixels();
    }

    /** Label plane {@code i} (1-based) of a label stack. */
    private static short[] labelPlane(Path file, int i) {
        ImagePlus imp = IJ.openImage(file.toString());
        return (short[]) imp.getStack().getProcessor(i).getPixels();
    }

    private static int objects(short[] labels) {
        int max = 0;
        for (short v : labels) {
            max = Math.max(max, v & 0xffff);
        }
        return max;
    }

    /** A single plane's labels keep its pixel size too, so areas measured on them are in its units. */
    @Test
    void aPlaneKeepsItsPixelSize(@TempDir Path tmp) throws Exception {
        ImagePlus plane = new ImagePlus("test-images/images/demo.tif");
        plane.getCalibration().pixelWidth = 0.65;
        plane.getCalibration().pixelHeight = 0.7;
        plane.getCalibration().setUnit("micron");
        Path in = Files.createDirectories(tmp.resolve("in")).resolve("cal.tif");
        assertTrue(new FileSaver(plane).saveAsTiff(in.toString()));
        Run r = CliRobustnessTest.segment(tmp.resolve("out"), "--probabilities", in.toString());
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("cal.tif", "cal-probabilities.tif")) {
            ImagePlus out = IJ.openImage(tmp.resolve("out").resolve(f).toString());
            assertEquals(0.65, out.getCalibration().pixelWidth, 1e-5, f);
            assertEquals(0.7, out.getCalibration().pixelHeight, 1e-5, f);
            assertEquals("micron", out.getCalibration().getUnit(), f);
        }
    }

    @Test
    void aStackGetsOneScaleAndALabelPlaneForEachPlane(@TempDir Path tmp) throws Exception {
        // A time-lapse whose middle time point is blank: the planes share the scale measured on them (the blank
        // one measures nothing), each gets its own label plane, and the blank one's is empty.
        Path big = tmp.resolve("one").resolve("big.tif");
        Files.createDirectories(big.getParent());
        LabelPlane truth = TestImages.largeNuclei(big, 3);
        int w = truth.width();
        int h = truth.height();
        short[] nuclei = pixels(big);
        short[] blank = new short[w * h];
        java.util.Arrays.fill(blank, (short) 100);
        // A time-lapse (T = 3) of 0.65 µm pixels taken every 5 s: the labels keep that layout and calibration.
        ImageStack st = new ImageStack(w, h);
        for (short[] p : List.of(nuclei, blank, nuclei)) {
            st.addSlice(null, new ShortProcessor(w, h, p, null));
        }
        ImagePlus movie = new ImagePlus("movie", st);
        movie.setDimensions(1, 1, 3);
        movie.getCalibration().pixelWidth = 0.65;
        movie.getCalibration().pixelHeight = 0.65;
        movie.getCalibration().setUnit("micron");
        movie.getCalibration().frameInterval = 5;
        movie.getCalibration().setTimeUnit("s");
        Path in = Files.createDirectories(tmp.resolve("in")).resolve("movie.tif");
        assertTrue(new FileSaver(movie).saveAsTiffStack(in.toString()));

        Run r = CliRobustnessTest.segment(tmp.resolve("out"), "--probabilities", in.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\\[1/1\\] movie\\.tif: 3 planes, \\d+ nuclei, scale 0\\.[23]\\d+ \\(auto, nuclei \\d+ px,"
                + " soft image\\) \\(.*"), r.out());
        Path labels = tmp.resolve("out/movie.tif");
        ImagePlus out = IJ.openImage(labels.toString());
        assertEquals(3, out.getStackSize(), "a label plane per plane");
        assertEquals(List.of(1, 1, 3), List.of(out.getNChannels(), out.getNSlices(), out.getNFrames()), "still a time-lapse");
        assertEquals(0.65, out.getCalibration().pixelWidth, 1e-5); // TIFF stores the resolution as a fraction
        assertEquals(5, out.getCalibration().frameInterval, 1e-9);
        assertFalse(out.getCalibration().calibrated(), "labels carry no value calibration");
        ImagePlus probabilities = IJ.openImage(tmp.resolve("out/movie-probabilities.tif").toString());
        assertEquals(List.of(3, 1, 3), List.of(probabilities.getNChannels(), probabilities.getNSlices(),
                probabilities.getNFrames()), "the three classes as channels of each time point");
        assertEquals(0, objects(labelPlane(labels, 2)), "the blank time point has no nuclei");
        assertArrayEquals(labelPlane(labels, 1), labelPlane(labels, 3), "the same pixels, the same scale, the same labels");
        LabelPlane first = new LabelPlane(w, h, toInts(labelPlane(labels, 1)));
        assertTrue(Evaluator.scoreFrame(truth, first, 0).f() >= 0.85, "F against the truth");
        // The same plane alone, as a 2D file, is measured as the stack was and segmented alike.
        Run alone = CliRobustnessTest.segment(tmp.resolve("alone"), big.toString());
        assertEquals(0, alone.code(), alone.err());
        assertArrayEquals(labelPlane(labels, 1), labelPlane(tmp.resolve("alone/big.tif"), 1));
        assertEquals(9, IJ.openImage(tmp.resolve("out/movie-probabilities.tif").toString()).getStackSize(),
                "three class planes per plane");
        // evaluate scores the label stack against a ground-truth stack plane by plane.
        Path gt = Files.createDirectories(tmp.resolve("gt"));
        ImageFiles.writeLabels(List.of(truth, new LabelPlane(w, h), truth), gt.resolve("movie.tif"));
        Files.delete(tmp.resolve("out/movie-probabilities.tif"));
        Run ev = CliTest.cli("evaluate", "--ground-truth", gt.toString(), "--predictions", tmp.resolve("out").toString(),
                "--csv", tmp.resolve("scores.csv").toString());
        assertEquals(0, ev.code(), ev.err());
        List<String> csv = Files.readAllLines(tmp.resolve("scores.csv"));
        assertEquals(List.of("movie:1", "movie:2", "movie:3", "total"), csv.stream().skip(1).map(l -> l.split(",")[0]).toList());
    }

    @Test
    void scalePerPlaneMeasuresEachPlaneOnItsOwn(@TempDir Path tmp) throws Exception {
        // A stack of two different images: nuclei three times the training size, and nuclei at it.
        Path big = tmp.resolve("big.tif");
        LabelPlane truth = TestImages.largeNuclei(big, 3);
        int w = truth.width();
        int h = truth.height();
        Path small = StreamingCliTest.write16(SyntheticNuclei.generate(w, h, w * h / 900, 5).image(), tmp.resolve("small.tif"));
        Path in = stack(tmp.resolve("in").resolve("mixed.tif"), 1, List.of(pixels(big), pixels(small)), w, h);

        Run each = CliRobustnessTest.segment(tmp.resolve("each"), "--scale-per-plane", in.toString());
        assertEquals(0, each.code(), each.err());
        assertTrue(each.out().contains("mixed.tif plane 1/2: ") && each.out().contains("mixed.tif plane 2/2: "), each.out());
        assertTrue(each.out().matches("(?s).*plane 1/2: \\d+ nuclei, scale 0\\.[23]\\d+ \\(auto.*"), each.out());
        assertTrue(each.out().matches("(?s).*plane 2/2: \\d+ nuclei, scale 1\\.00 \\(auto.*"), each.out());
        assertTrue(each.out().contains("(auto, per plane)"), each.out());
        // Each plane is segmented as the same image alone would be.
        Run alone = CliRobustnessTest.segment(tmp.resolve("alone"), big.toString(), small.toString());
        assertEquals(0, alone.code(), alone.err());
        assertArrayEquals(labelPlane(tmp.resolve("alone/big.tif"), 1), labelPlane(tmp.resolve("each/mixed.tif"), 1));
        assertArrayEquals(labelPlane(tmp.resolve("alone/small.tif"), 1), labelPlane(tmp.resolve("each/mixed.tif"), 2));

        // Without it, one scale for both planes, and no line per plane.
        Run shared = CliRobustnessTest.segment(tmp.resolve("shared"), in.toString());
        assertEquals(0, shared.code(), shared.err());
        assertFalse(shared.out().contains("plane 1/2"), shared.out());
        assertTrue(shared.out().matches("(?s).*mixed\\.tif: 2 planes, \\d+ nuclei, scale \\d\\.\\d+ \\(auto, nuclei .*"),
                shared.out());
    }

    @Test
    void ofAFileOfSeveralChannelsTheNuclearChannelIsSegmentedAndWithoutOneItIsRefusedBeforeAnyWork(@TempDir Path tmp)
            throws Exception {
        // Two channels (a blank one, then the nuclei) at two time points, as ImageJ saves a hyperstack: the
        // planes in channel, slice, frame order.
        Path good = Path.of("test-images/images/demo.tif");
        ImagePlus demo = IJ.openImage(good.toString());
        int w = demo.getWidth();
        int h = demo.getHeight();
        short[] nuclei = (short[]) demo.getProcessor().convertToShort(false).getPixels();
        short[] blank = new short[w * h];
        ImageStack st = new ImageStack(w, h);
        for (short[] p : List.of(blank, nuclei, blank, nuclei)) {
            st.addSlice(null, new ShortProcessor(w, h, p, null));
        }
        ImagePlus hyper = new ImagePlus("dapi-gfp", st);
        hyper.setDimensions(2, 1, 2);
        Path in = tmp.resolve("in").resolve("gfp-dapi.tif");
        Files.createDirectories(in.getParent());
        assertTrue(new FileSaver(hyper).saveAsTiffStack(in.toString()));

        Run refused = CliRobustnessTest.segment(tmp.resolve("out"), good.toString(), in.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("gfp-dapi.tif: has 2 channels; give the --nuclear-channel (1 to 2) that holds"
                + " the nuclear stain"), refused.err());
        assertFalse(Files.exists(tmp.resolve("out/demo.tif")), "nothing was segmented");
        Run none = CliRobustnessTest.segment(tmp.resolve("out"), "--nuclear-channel", "3", in.toString());
        assertEquals(1, none.code());
        assertTrue(none.err().contains("has 2 channels, so --nuclear-channel 3 is not one of them"), none.err());

        Run second = CliRobustnessTest.segment(tmp.resolve("out"), "--nuclear-channel", "2", good.toString(), in.toString());
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("gfp-dapi.tif: 2 planes, "), second.out());
        // A file of one channel beside it is segmented as it is, with a warning (spelled as the flag).
        assertTrue(second.err().contains("demo.tif: has one channel, so it is segmented as it is, not --nuclear-channel 2"),
                second.err());
        Path labels = tmp.resolve("out/gfp-dapi.tif");
        assertEquals(2, IJ.openImage(labels.toString()).getStackSize(), "one label plane per time point, one channel");
        // Each time point's nuclear channel is segmented as the same image alone.
        assertArrayEquals(labelPlane(tmp.resolve("out/demo.tif"), 1), labelPlane(labels, 1));
        assertArrayEquals(labelPlane(tmp.resolve("out/demo.tif"), 1), labelPlane(labels, 2));
        assertTrue(objects(labelPlane(labels, 1)) > 50);
    }

    private static int[] toInts(short[] s) {
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i] & 0xffff;
        }
        return out;
    }
}
