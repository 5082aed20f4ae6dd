package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.module.ModuleItem;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.fiji.plugin.SegmentOptions;
import org.segmentcells.fiji.plugin.SegmentFilesOptions;
import org.segmentcells.fiji.plugin.SegmentFilesCommand;

/** Segment Image Files through a headless SciJava context: the CLI's job, macro keys, errors. */
class SegmentFilesCommandTest extends SciJavaCommandTest {



    private static Map<String, Object> inputs(Path in, Path out) {
        Map<String, Object> m = new HashMap<>();
        m.put(SegmentFilesOptions.INPUT, in.toFile());
        m.put(SegmentFilesOptions.OUTPUT, out.toFile());
        m.put(SegmentOptions.MODEL, "default");
        m.put(SegmentOptions.MIN_SIZE, -1);
        m.put(SegmentOptions.SEED_THRESHOLD, SegmentOptions.MODEL_SEED_THRESHOLD);
        m.put(SegmentOptions.TILE, SegmentOptions.DEFAULT_TILE);
        m.put(SegmentOptions.SCALE, SegmentOptions.MODEL_SCALE);
        m.put(SegmentOptions.CHANNEL, "none");
        m.put(SegmentOptions.NUCLEAR_CHANNEL, 0);
        m.put(SegmentOptions.TTA, false);
        m.put(SegmentOptions.SCALE_PER_PLANE, false);
        m.put(SegmentFilesOptions.OVERWRITE, false);
        m.put(SegmentFilesOptions.STREAMING, false);
        return m;
    }

    private static CommandModule run(Map<String, Object> in) throws Exception {
        return commands.run(SegmentFilesCommand.class, true, in).get();
    }

    @Test
    void parameterNamesAreTheMacroKeys() {
        CommandInfo c = commands.getCommand(SegmentFilesCommand.class);
        List<String> names = new ArrayList<>();
        for (ModuleItem<?> item : c.inputs()) {
            if (item.getType() == Context.class) {
                continue;
            }
            names.add(item.getName());
            assertEquals(item.getName(), item.getLabel());
        }
        assertEquals(List.of(SegmentFilesOptions.INPUT, SegmentFilesOptions.OUTPUT, SegmentOptions.MODEL,
                SegmentOptions.MIN_SIZE, SegmentOptions.SEED_THRESHOLD, SegmentOptions.TILE, SegmentOptions.SCALE,
                SegmentOptions.CHANNEL,
                SegmentOptions.NUCLEAR_CHANNEL, SegmentOptions.DIAMETER,
                SegmentOptions.TTA, SegmentOptions.SCALE_PER_PLANE, SegmentFilesOptions.OVERWRITE,
                SegmentFilesOptions.STREAMING), names);
        for (String perRun : List.of(SegmentFilesOptions.INPUT, SegmentFilesOptions.OUTPUT, SegmentFilesOptions.OVERWRITE,
                SegmentFilesOptions.STREAMING, SegmentOptions.SCALE, SegmentOptions.TTA, SegmentOptions.SCALE_PER_PLANE,
                SegmentOptions.NUCLEAR_CHANNEL, SegmentOptions.SEED_THRESHOLD, SegmentOptions.DIAMETER)) {
            assertFalse(c.getInput(perRun).isPersisted(), perRun + " must not be remembered between runs");
        }
    }

    @Test
    void aFolderIsSegmentedFileByFileLikeTheCoreAndTheInputsStayUntouched(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (String s : List.of("synth-00", "synth-01")) {
            Files.copy(Path.of("test-images/images/" + s + ".tif"), in.resolve(s + ".tif"));
        }
        Files.writeString(in.resolve("notes.txt"), "not an image");
        byte[] before = Files.readAllBytes(in.resolve("synth-00.tif"));
        Path out = tmp.resolve("out");
        CommandModule m = run(inputs(in, out));
        assertFalse(m.isCanceled(), m.getCancelReason());
        assertEquals(2, ((SegmentFilesCommand) m.getCommand()).segmented());
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            for (String s : List.of("synth-00", "synth-01")) {
                var img = ImageFiles.readPlane(in.resolve(s + ".tif"));
                LabelPlane expected = model.plan(org.segmentcells.model.SegmentSettings.MODEL, img).segment(img);
                assertArrayEquals(expected.data(), ImageFiles.readLabels(out.resolve(s + ".tif")).data(), s);
            }
        }
        assertArrayEquals(before, Files.readAllBytes(in.resolve("synth-00.tif")));

        // Existing outputs are kept unless overwrite is given (in bands too), if made with this run's settings.
        Map<String, Object> again = inputs(in.resolve("synth-00.tif"), out);
        again.put(SegmentFilesOptions.STREAMING, true);
        byte[] first = Files.readAllBytes(out.resolve("synth-00.tif"));
        CommandModule kept = run(again);
        assertFalse(kept.isCanceled(), kept.getCancelReason());
        assertEquals(0, ((SegmentFilesCommand) kept.getCommand()).segmented(), "synth-00.tif kept from the first run");
        assertArrayEquals(first, Files.readAllBytes(out.resolve("synth-00.tif")));
        // A scale given otherwise is not this run's result: refused, named in the key's spelling.
        // At scale 1 (auto picks about 1.2 for these nuclei) bands equal memory bit for bit.
        again.put(SegmentOptions.SCALE, "1");
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        CommandModule other;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            other = run(again); // headless, the Log's lines go to stdout
        } finally {
            System.setOut(stdout);
        }
        assertTrue(other.isCanceled());
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8) + ij.IJ.getLog();
        assertTrue(log.contains("holds labels an earlier run made with other settings (scale ")
                && log.contains(" in the earlier run, 1 (given) in this one); use overwrite to segment it again"), log);
        assertArrayEquals(first, Files.readAllBytes(out.resolve("synth-00.tif")));
        again.put(SegmentFilesOptions.OVERWRITE, true);
        again.put(SegmentFilesOptions.STREAMING, false);
        assertFalse(run(again).isCanceled());
        LabelPlane inMemory = ImageFiles.readLabels(out.resolve("synth-00.tif"));
        again.put(SegmentFilesOptions.STREAMING, true);
        CommandModule streamed = run(again);
        assertFalse(streamed.isCanceled(), streamed.getCancelReason());
        assertArrayEquals(inMemory.data(), ImageFiles.readLabels(out.resolve("synth-00.tif")).data(),
                "in bands as in memory");
    }

    @Test
    void aStackGetsALabelPlaneForEachPlaneAtOneScaleOrEachPlanesOwn(@TempDir Path tmp) throws Exception {
        // Two different images as the planes of one file: synth-00's nuclei, and the same enlarged three times
        // (cropped back to its size), as a stack of different images would hold them.
        var small = ImageFiles.readPlane(Path.of("test-images/images/synth-00.tif"));
        int w = small.width();
        int h = small.height();
        var big = org.segmentcells.img.Resample.bilinear(small, 3 * w, 3 * h);
        float[] crop = new float[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(big.data(), y * 3 * w, crop, y * w, w);
        }
        List<org.segmentcells.img.FloatPlane> planes = List.of(small, new org.segmentcells.img.FloatPlane(w, h, crop));
        ij.ImageStack st = new ij.ImageStack(w, h);
        for (var p : planes) {
            st.addSlice(null, new ij.process.FloatProcessor(w, h, p.data().clone()).convertToShortProcessor(false));
        }
        Path in = Files.createDirectories(tmp.resolve("in")).resolve("stack.tif");
        assertTrue(new ij.io.FileSaver(new ij.ImagePlus("stack", st)).saveAsTiffStack(in.toString()));
        Map<String, Object> each = inputs(in, tmp.resolve("each"));
        each.put(SegmentOptions.SCALE_PER_PLANE, true);
        assertFalse(run(each).isCanceled());
        assertFalse(run(inputs(in, tmp.resolve("shared"))).isCanceled());
        ij.ImageStack perPlane = ij.IJ.openImage(tmp.resolve("each/stack.tif").toString()).getStack();
        ij.ImageStack shared = ij.IJ.openImage(tmp.resolve("shared/stack.tif").toString()).getStack();
        assertEquals(2, perPlane.getSize());
        assertEquals(2, shared.getSize());
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            var settings = org.segmentcells.model.SegmentSettings.MODEL;
            Model.Plan one = model.plan(settings, 2, i -> ImageFiles.plane(ij.IJ.openImage(in.toString()), i, null));
            for (int i = 0; i < 2; i++) {
                var p = ImageFiles.plane(ij.IJ.openImage(in.toString()), i, null);
                assertArrayEquals(toShorts(model.plan(settings, p).segment(p)), (short[]) perPlane.getPixels(i + 1),
                        "plane " + (i + 1) + " at its own scale");
                assertArrayEquals(toShorts(one.segment(p)), (short[]) shared.getPixels(i + 1),
                        "plane " + (i + 1) + " at the stack's scale");
            }
            assertFalse(model.plan(settings, planes.get(0)).scale().factor() == model.plan(settings, planes.get(1)).scale()
                    .factor(), "the two planes measure differently");
        }
    }

    @Test
    void ofAFileOfSeveralChannelsTheNuclearChannelIsSegmented(@TempDir Path tmp) throws Exception {
        ij.ImagePlus synth = ij.IJ.openImage("test-images/images/synth-00.tif");
        int w = synth.getWidth();
        int h = synth.getHeight();
        ij.ImageStack st = new ij.ImageStack(w, h);
        st.addSlice(null, new ij.process.ShortProcessor(w, h));
        st.addSlice(null, synth.getProcessor());
        ij.ImagePlus hyper = new ij.ImagePlus("two", st);
        hyper.setDimensions(2, 1, 1);
        Path in = Files.createDirectories(tmp.resolve("in")).resolve("two.tif");
        assertTrue(new ij.io.FileSaver(hyper).saveAsTiffStack(in.toString()));
        assertTrue(run(inputs(in, tmp.resolve("refused"))).isCanceled(), "which channel holds the nuclei is not guessed");
        Map<String, Object> second = inputs(in, tmp.resolve("out"));
        second.put(SegmentOptions.NUCLEAR_CHANNEL, 2);
        CommandModule m = run(second);
        assertFalse(m.isCanceled(), m.getCancelReason());
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            var img = ImageFiles.readPlane(Path.of("test-images/images/synth-00.tif"));
            assertArrayEquals(model.plan(org.segmentcells.model.SegmentSettings.MODEL, img).segment(img).data(),
                    ImageFiles.readLabels(tmp.resolve("out/two.tif")).data());
        }
    }

    private static short[] toShorts(LabelPlane l) {
        short[] s = new short[l.data().length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) l.data()[i];
        }
        return s;
    }

    @Test
    void badInputsAreRefusedWithTheKeyAndNothingIsWritten(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        CommandModule m = run(inputs(tmp.resolve("missing"), out));
        assertTrue(m.isCanceled());
        assertEquals(-1, ((SegmentFilesCommand) m.getCommand()).segmented());
        Map<String, Object> in = inputs(Path.of("test-images/images/demo.tif"), out);
        in.put(SegmentOptions.SCALE, "7.0");
        m = run(in);
        assertTrue(m.isCanceled());
        assertFalse(Files.exists(out.resolve("demo.tif")));
        // The tile key reaches the engine: a tile too small for default's U-Net is refused, naming the key.
        in = inputs(Path.of("test-images/images/demo.tif"), out);
        in.put(SegmentOptions.TILE, 100);
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(said, true)); // headless, the error message goes there
        try {
            m = run(in);
        } finally {
            System.setErr(err);
        }
        assertTrue(m.isCanceled());
        assertTrue(said.toString().contains("tile must be at least 160"), said.toString());
        assertFalse(Files.exists(out.resolve("demo.tif")));
    }
}
