package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;

import java.awt.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.module.ModuleItem;
import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.model.Model;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.segment.Scale;
import org.segmentcells.model.ModelStore;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.fiji.plugin.SegmentOptions;
import org.segmentcells.fiji.plugin.EvaluateOptions;
import org.segmentcells.fiji.plugin.SegmentOutcome;
import org.segmentcells.fiji.plugin.Progress;
import org.segmentcells.fiji.plugin.SegmentCellsPlugin;
import org.segmentcells.fiji.plugin.SegmentCellsCommand;
import org.segmentcells.fiji.plugin.SegmentFilesPlugin;
import org.segmentcells.fiji.plugin.SegmentFilesCommand;
import org.segmentcells.fiji.plugin.FineTuneModelPlugin;
import org.segmentcells.fiji.plugin.FineTuneModelCommand;
import org.segmentcells.fiji.plugin.EvaluateSegmentationPlugin;
import org.segmentcells.fiji.plugin.EvaluateSegmentationCommand;
import org.segmentcells.fiji.plugin.AddScribblePlugin;

/**
 * The SciJava commands run headless through a minimal Context and CommandService, with ImagePlus inputs
 * in the input map. Segmentation results are compared with the core called directly, so these tests hold
 * for any model; the quality floor is checked by the macro integration test.
 */
class FijiCommandsTest extends SciJavaCommandTest {

    private static final Path DEMO = Path.of("test-images/images/demo.tif");
    private static final Path DEMO_LABELS = Path.of("test-images/labels/demo.tif");



    private static CommandModule run(Class<? extends org.scijava.command.Command> command, Map<String, Object> inputs)
            throws Exception {
        return commands.run(command, true, inputs).get();
    }

    private static Map<String, Object> segmentInputs(ImagePlus image) {
        Map<String, Object> in = new HashMap<>();
        in.put("image", image);
        in.put(SegmentOptions.MODEL, "default");
        in.put(SegmentOptions.MIN_SIZE, -1);
        in.put(SegmentOptions.ADD_TO_MANAGER, false);
        in.put(SegmentOptions.PROBABILITIES, false);
        in.put(SegmentOptions.TILE, Segmenter.DEFAULT_TILE);
        return in;
    }

    /** Labels from the core for one plane, as the CLI makes them. */
    private static int[] coreLabels(ImageProcessor ip, int minSize, int tile) throws IOException {
        return coreLabels(ip, minSize, tile, null);
    }

    private static int[] coreLabels(ImageProcessor ip, int minSize, int tile, Scale scale) throws IOException {
        return coreLabels(ip, minSize, tile, scale, false);
    }

    private static int[] coreLabels(ImageProcessor ip, int minSize, int tile, Scale scale, boolean tta)
            throws IOException {
        return coreLabels(ip, minSize, tile, scale, tta, List.of(ip));
    }

    private static FloatPlane floats(ImageProcessor ip) {
        return new FloatPlane(ip.getWidth(), ip.getHeight(), (float[]) ip.convertToFloatProcessor().getPixels());
    }

    /**
     * As the core makes them, with auto scale measured (and near the training range checked by the network)
     * once on {@code stack}, the planes of one image.
     */
    private static int[] coreLabels(ImageProcessor ip, int minSize, int tile, Scale scale, boolean tta,
            List<ImageProcessor> stack) throws IOException {
        try (Model m = Model.load(ModelStore.resolve("default"))) {
            FloatPlane plane = floats(ip);
            List<FloatPlane> planes = stack.stream().map(FijiCommandsTest::floats).toList();
            return m.plan(new SegmentSettings(scale, null, minSize < 0 ? null : minSize, null, tile, tta), planes)
                    .segment(plane).data();
        }
    }

    @Test
    void theScaleKeyResizesForTheNetworkAsTheCliDoes() throws Exception {
        ImagePlus input = IJ.openImage(DEMO.toString());
        Map<String, Object> in = segmentInputs(input);
        in.put(SegmentOptions.SCALE, "0.5");
        CommandModule module = run(SegmentCellsCommand.class, in);
        assertTrue(!module.isCanceled(), module.getCancelReason());
        ImagePlus labels = ((SegmentCellsCommand) module.getCommand()).result().labels();
        assertEquals(input.getWidth(), labels.getWidth());
        int[] half = coreLabels(input.getProcessor(), -1, Segmenter.DEFAULT_TILE, Scale.of(0.5));
        assertArrayEquals(half, ints(labels.getProcessor()));
        assertTrue(!java.util.Arrays.equals(half, coreLabels(input.getProcessor(), -1, Segmenter.DEFAULT_TILE)),
                "scale 0.5 differs from the model's own (auto)");
        in.put(SegmentOptions.SCALE, "9.0");
        module = run(SegmentCellsCommand.class, in);
        assertTrue(module.isCanceled());
        assertTrue(module.getCancelReason().contains("scale must be auto or a number from 0.1 to 4.0, got '9.0'"), module.getCancelReason());
    }

    /**
     * Labels of an image opened from its file record that file, as Segment Image Files' label files do (so saved
     * into its output folder they are kept for that image only); of an image with no file behind it, nothing.
     */
    @Test
    void theLabelImageRecordsTheFileItsImageCameFrom() throws Exception {
        ImagePlus opened = IJ.openImage(DEMO.toString());
        String line = org.segmentcells.io.SourceImage.of(DEMO).line();
        for (ImagePlus input : List.of(opened, opened.duplicate())) {
            CommandModule module = run(SegmentCellsCommand.class, segmentInputs(input));
            assertTrue(!module.isCanceled(), module.getCancelReason());
            String info = ((SegmentCellsCommand) module.getCommand()).result().labels().getInfoProperty();
            assertEquals(input == opened, info.contains(line), info);
        }
        // So do an RGB PNG read through a channel and a file of two channels read through its nuclear one.
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sourced");
        ij.process.ColorProcessor rgb = new ij.process.ColorProcessor(opened.getWidth(), opened.getHeight());
        rgb.setChannel(2, (ij.process.ByteProcessor) opened.getProcessor().convertToByte(true));
        java.nio.file.Path png = dir.resolve("rgb.png");
        new ij.io.FileSaver(new ImagePlus("rgb", rgb)).saveAsPng(png.toString());
        ImageStack two = new ImageStack(opened.getWidth(), opened.getHeight());
        two.addSlice(opened.getProcessor().duplicate());
        two.addSlice(opened.getProcessor().duplicate());
        ImagePlus hyper = new ImagePlus("two", two);
        hyper.setDimensions(2, 1, 1);
        java.nio.file.Path tif = dir.resolve("two.tif");
        new ij.io.FileSaver(hyper).saveAsTiff(tif.toString());
        Map<String, Object> viaChannel = segmentInputs(IJ.openImage(png.toString()));
        viaChannel.put(SegmentOptions.CHANNEL, "green");
        Map<String, Object> viaNuclear = segmentInputs(IJ.openImage(tif.toString()));
        viaNuclear.put(SegmentOptions.NUCLEAR_CHANNEL, 2);
        for (Map.Entry<java.nio.file.Path, Map<String, Object>> e : Map.of(png, viaChannel, tif, viaNuclear).entrySet()) {
            CommandModule module = run(SegmentCellsCommand.class, e.getValue());
            assertTrue(!module.isCanceled(), module.getCancelReason());
            String info = ((SegmentCellsCommand) module.getCommand()).result().labels().getInfoProperty();
            assertTrue(info.contains(org.segmentcells.io.SourceImage.of(e.getKey()).line()), e.getKey() + ": " + info);
        }
    }

    @Test
    void scalePerPlaneMeasuresEachPlaneOfAStackOnItsOwn() throws Exception {
        // A stack of two different images: the demo, and its top-left ninth magnified three times (far enough
        // beyond the default's sizes to be resized without the network's check).
        ImageProcessor a = IJ.openImage(DEMO.toString()).getProcessor();
        int w = a.getWidth();
        int h = a.getHeight();
        ImageProcessor ninth = a.duplicate();
        ninth.setRoi(0, 0, w / 3, h / 3);
        ImageProcessor b = ninth.crop().resize(w, h, true);
        ImageStack stack = new ImageStack(w, h);
        stack.addSlice(a);
        stack.addSlice(b);
        Map<String, Object> in = segmentInputs(new ImagePlus("mixed", stack));
        in.put(SegmentOptions.SCALE, "auto");
        in.put(SegmentOptions.SCALE_PER_PLANE, true);
        CommandModule module = run(SegmentCellsCommand.class, in);
        assertTrue(!module.isCanceled(), module.getCancelReason());
        ImagePlus labels = ((SegmentCellsCommand) module.getCommand()).result().labels();
        for (int i = 1; i <= 2; i++) {
            ImageProcessor ip = stack.getProcessor(i);
            assertArrayEquals(coreLabels(ip, -1, Segmenter.DEFAULT_TILE, Scale.AUTO, false, List.of(ip)),
                    ints(labels.getStack().getProcessor(i)), "plane " + i + " at its own auto scale");
        }
        assertTrue(((String) labels.getProperty("Info")).contains("scale=per plane: 1: "), (String) labels.getProperty("Info"));
        // Each plane's scale set its minimum size (30 px at scale 1): the Info lists both, with their planes.
        assertTrue(((String) labels.getProperty("Info")).matches("(?s).*min_size=per plane: 1: 30; 2: \\d+\\R.*"),
                (String) labels.getProperty("Info"));
        // Without it, one scale for the stack, measured on both planes.
        in.put(SegmentOptions.SCALE_PER_PLANE, false);
        module = run(SegmentCellsCommand.class, in);
        ImagePlus one = ((SegmentCellsCommand) module.getCommand()).result().labels();
        int[] shared = coreLabels(b, -1, Segmenter.DEFAULT_TILE, Scale.AUTO, false, List.of(a, b));
        assertArrayEquals(shared, ints(one.getStack().getProcessor(2)));
        assertTrue(!java.util.Arrays.equals(shared, ints(labels.getStack().getProcessor(2))),
                "the magnified plane gets its own scale only per plane");
    }

    @Test
    void theTtaKeyAveragesOverFlipsAsTheCliDoes() throws Exception {
        ImagePlus input = IJ.openImage(DEMO.toString());
        Map<String, Object> in = segmentInputs(input);
        in.put(SegmentOptions.TTA, true);
        CommandModule module = run(SegmentCellsCommand.class, in);
        assertTrue(!module.isCanceled(), module.getCancelReason());
        int[] labels = ints(((SegmentCellsCommand) module.getCommand()).result().labels().getProcessor());
        int[] averaged = coreLabels(input.getProcessor(), -1, Segmenter.DEFAULT_TILE, null, true);
        assertArrayEquals(averaged, labels);
        assertTrue(!java.util.Arrays.equals(averaged, coreLabels(input.getProcessor(), -1, Segmenter.DEFAULT_TILE)),
                "flip-averaged labels differ from plain ones somewhere");
    }

    private static int[] ints(ImageProcessor ip) {
        int[] out = new int[ip.getPixelCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) ip.getf(i);
        }
        return out;
    }

    /** seed_threshold reaches the core as the CLI's --seed-threshold does, and the label image's Info records it. */
    @Test
    void aSeedThresholdGivenIsTheOneUsed() throws Exception {
        ImagePlus demo = IJ.openImage(DEMO.toString());
        Map<String, Object> in = segmentInputs(demo);
        in.put(SegmentOptions.SEED_THRESHOLD, 0.95);
        CommandModule module = run(SegmentCellsCommand.class, in);
        assertTrue(!module.isCanceled(), module.getCancelReason());
        ImagePlus labels = ((SegmentCellsCommand) module.getCommand()).result().labels();
        String info = (String) labels.getProperty("Info");
        assertTrue(info.contains("seed_threshold=0.95"), info);
        // The Info says how the labels were made: the model by the name given, then where it was found.
        assertTrue(info.contains("\nmodel: ") && info.contains("default") && info.contains("tta=false"), info);
        FloatPlane img = org.segmentcells.io.ImageFiles.readPlane(DEMO);
        try (Model m = Model.load(ModelStore.resolve("default"))) {
            int[] expected = m.plan(SegmentSettings.MODEL.withSeedThreshold(0.95), img).segment(img).data();
            assertArrayEquals(expected, ints(labels.getProcessor()));
            assertFalse(java.util.Arrays.equals(expected, m.plan(SegmentSettings.MODEL, img).segment(img).data()),
                    "0.95 gives other labels than the model's 0.6 here");
        }
        in.put(SegmentOptions.SEED_THRESHOLD, 1.5);
        assertTrue(run(SegmentCellsCommand.class, in).isCanceled(), "out of range");
    }

    @Test
    void parameterNamesAreTheMacroKeys() {
        CommandInfo seg = commands.getCommand(SegmentCellsCommand.class);
        List<String> names = new ArrayList<>();
        for (ModuleItem<?> item : seg.inputs()) {
            if (item.getType() == Context.class) {
                continue; // ContextCommand's own service input
            }
            names.add(item.getName());
            // The widget label is the key too, so what users see is what macros use.
            assertEquals(item.getName(), item.getLabel());
        }
        assertEquals(List.of("image", SegmentOptions.MODEL, SegmentOptions.MIN_SIZE, SegmentOptions.SEED_THRESHOLD,
                SegmentOptions.ADD_TO_MANAGER, SegmentOptions.PROBABILITIES, SegmentOptions.TILE, SegmentOptions.CHANNEL,
                SegmentOptions.NUCLEAR_CHANNEL, SegmentOptions.SCALE, SegmentOptions.DIAMETER, SegmentOptions.TTA,
                SegmentOptions.SCALE_PER_PLANE), names);
        assertTrue(!seg.getInput(SegmentOptions.DIAMETER).isPersisted(), "a size is per image");
        assertTrue(!seg.getInput(SegmentOptions.NUCLEAR_CHANNEL).isPersisted(), "a channel number is per image");
        assertTrue(!seg.getInput(SegmentOptions.TTA).isPersisted(), "a macro without tta must not inherit it");
        assertTrue(!seg.getInput(SegmentOptions.SEED_THRESHOLD).isPersisted(), "a threshold is per model");
        assertTrue(!seg.getInput("image").isPersisted(), "an ImagePlus input must not be persisted");
        CommandInfo eval = commands.getCommand(EvaluateSegmentationCommand.class);
        List<String> evalNames = new ArrayList<>();
        for (ModuleItem<?> item : eval.inputs()) {
            if (item.getType() == Context.class) {
                continue;
            }
            evalNames.add(item.getName());
            assertTrue(!item.isPersisted(), item.getName());
        }
        assertEquals(List.of(EvaluateOptions.GROUND_TRUTH, EvaluateOptions.PREDICTION, EvaluateOptions.MIN_SIZE), evalNames);
    }

    @Test
    void menuPathsMatchPluginsConfig() throws IOException {
        // In Fiji the SciJava command takes over the ImageJ 1.x command with the same leaf name, so the two
        // must agree, and the leaf is the macro command name.
        Map<String, String> ij1 = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("plugins.config"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(",");
            assertEquals("Plugins>Segment Cells", parts[0].trim());
            ij1.put(parts[1].trim().replace("\"", ""), parts[2].trim());
        }
        String scribble = AddScribblePlugin.class.getName();
        assertEquals(Map.of("Segment Cells", SegmentCellsPlugin.class.getName(),
                "Segment Image Files", SegmentFilesPlugin.class.getName(),
                "Evaluate Segmentation", EvaluateSegmentationPlugin.class.getName(),
                "Fine-tune Model", FineTuneModelPlugin.class.getName(),
                "Add Nucleus Scribble", scribble + "(\"nucleus\")",
                "Add Background Scribble", scribble + "(\"background\")",
                "Add Contour Scribble", scribble + "(\"contour\")",
                "Segment Cells Options...", org.segmentcells.fiji.plugin.OptionsPlugin.class.getName()), ij1);
        assertEquals("Plugins > Segment Cells > Fine-tune Model",
                commands.getCommand(FineTuneModelCommand.class).getMenuPath().getMenuString());
        assertEquals("Plugins > Segment Cells > Segment Image Files",
                commands.getCommand(SegmentFilesCommand.class).getMenuPath().getMenuString());
        assertEquals("Plugins > Segment Cells > Segment Cells",
                commands.getCommand(SegmentCellsCommand.class).getMenuPath().getMenuString());
        assertEquals("Plugins > Segment Cells > Evaluate Segmentation",
                commands.getCommand(EvaluateSegmentationCommand.class).getMenuPath().getMenuString());
    }

    @Test
    void segmentsTheDemoImageLikeTheCore() throws Exception {
        ImagePlus input = IJ.openImage(DEMO.toString());
        input.getCalibration().pixelWidth = 0.65;
        input.getCalibration().pixelHeight = 0.65;
        input.getCalibration().setUnit("um");
        Object before = input.getProcessor().getPixelsCopy();
        Map<String, Object> in = segmentInputs(input);
        in.put(SegmentOptions.ADD_TO_MANAGER, true);
        in.put(SegmentOptions.PROBABILITIES, true);
        CommandModule module = run(SegmentCellsCommand.class, in);
        assertTrue(!module.isCanceled(), module.getCancelReason());
        SegmentOutcome.Result r = ((SegmentCellsCommand) module.getCommand()).result();
        assertNotNull(r);

        ImagePlus labels = r.labels();
        assertEquals("demo.tif-labels", labels.getTitle());
        assertEquals(16, labels.getBitDepth());
        assertEquals(1, labels.getStackSize());
        assertEquals(0.65, labels.getCalibration().pixelWidth, 1e-12);
        assertEquals(input.getCalibration().getUnit(), labels.getCalibration().getUnit());
        int[] expected = coreLabels(input.getProcessor(), -1, Segmenter.DEFAULT_TILE);
        assertArrayEquals(expected, ints(labels.getProcessor()));
        int n = java.util.Arrays.stream(expected).max().orElse(0);
        assertTrue(n > 0, "no nuclei found");
        assertEquals(n, r.total());

        // Glasbey-style LUT: black background, distinct colours for neighbouring ids.
        LUT lut = labels.getProcessor().getLut();
        assertEquals(0, lut.getRGB(0) & 0xffffff);
        Set<Integer> colours = new HashSet<>();
        for (int i = 1; i < 256; i++) {
            assertTrue((lut.getRGB(i) & 0xffffff) != 0);
            colours.add(lut.getRGB(i));
        }
        assertTrue(colours.size() > 200, "colours repeat: " + colours.size());

        // One outline per nucleus, named plane-label, covering exactly that label's pixels.
        assertEquals(n, r.rois().size());
        Map<Integer, Integer> area = new HashMap<>();
        for (int v : expected) {
            area.merge(v, 1, Integer::sum);
        }
        for (int k = 0; k < n; k++) {
            Roi roi = r.rois().get(k);
            assertEquals(RoiTracer.name(1, k + 1), roi.getName());
            Point[] pts = roi.getContainedPoints();
            assertEquals(area.get(k + 1), pts.length, roi.getName());
            for (Point p : pts) {
                assertEquals(k + 1, expected[p.y * labels.getWidth() + p.x], roi.getName());
            }
        }
        // Headless there is no ROI Manager (a window); the outlines go to the label image's overlay.
        assertEquals(n, labels.getOverlay().size());

        ImagePlus probs = r.probabilities();
        assertEquals("demo.tif-probabilities", probs.getTitle());
        assertEquals(3, probs.getNChannels());
        assertEquals(32, probs.getBitDepth());
        float[][] p = new float[3][];
        for (int c = 0; c < 3; c++) {
            p[c] = (float[]) probs.getStack().getPixels(c + 1);
        }
        for (int i = 0; i < p[0].length; i += 97) {
            assertEquals(1.0, p[0][i] + p[1][i] + p[2][i], 1e-4);
        }

        // The input is untouched.
        assertArrayEquals((short[]) before, (short[]) input.getProcessor().getPixels());
        assertEquals("demo.tif", input.getTitle());
        assertTrue(!input.changes);
    }

    @Test
    void segmentsEveryPlaneOfATimeLapseAtAnyBitDepth() throws Exception {
        ImagePlus demo = IJ.openImage(DEMO.toString());
        ImageProcessor a = demo.getProcessor();
        ImageProcessor b = a.duplicate();
        b.flipHorizontal();
        ImageProcessor blank = a.createProcessor(a.getWidth(), a.getHeight());
        for (int bits : new int[] {8, 16, 32}) {
            ImageStack stack = new ImageStack(a.getWidth(), a.getHeight());
            for (ImageProcessor ip : new ImageProcessor[] {a, b, blank}) {
                stack.addSlice(convert(ip, bits));
            }
            ImagePlus movie = new ImagePlus("movie" + bits, stack);
            movie.setDimensions(1, 1, 3);
            movie.setOpenAsHyperStack(true);
            Map<String, Object> in = segmentInputs(movie);
            in.put(SegmentOptions.MIN_SIZE, 20);
            in.put(SegmentOptions.TILE, 256); // several tiles per plane
            in.put(SegmentOptions.ADD_TO_MANAGER, true);
            CommandModule module = run(SegmentCellsCommand.class, in);
            assertTrue(!module.isCanceled(), module.getCancelReason());
            SegmentOutcome.Result r = ((SegmentCellsCommand) module.getCommand()).result();
            ImagePlus labels = r.labels();
            assertEquals("movie" + bits + "-labels", labels.getTitle());
            assertEquals(3, labels.getStackSize());
            assertEquals(3, labels.getNFrames());
            assertEquals(1, labels.getNSlices());
            assertEquals(16, labels.getBitDepth());
            for (int t = 1; t <= 3; t++) {
                int[] expected = coreLabels(stack.getProcessor(t), 20, 256, null, false,
                        List.of(stack.getProcessor(1), stack.getProcessor(2), stack.getProcessor(3)));
                assertArrayEquals(expected, ints(labels.getStack().getProcessor(t)), bits + "-bit plane " + t);
                assertEquals(java.util.Arrays.stream(expected).max().orElse(0), r.counts()[t - 1]);
            }
            assertEquals(0, r.counts()[2], "a blank plane has no nuclei");
            // Outlines carry their plane (a stack position: with one dimension ImageJ shows a plain stack)
            // and are named by it.
            Map<Integer, Long> perPlane = r.rois().stream()
                    .collect(Collectors.groupingBy(Roi::getPosition, Collectors.counting()));
            assertEquals((long) r.counts()[0], perPlane.get(1));
            assertEquals((long) r.counts()[1], perPlane.get(2));
            assertTrue(r.rois().stream().filter(x -> x.getPosition() == 2)
                    .allMatch(x -> x.getName().startsWith("0002-")));
        }
    }

    @Test
    void keepsTheLayoutOfAHyperstack() throws Exception {
        ImageProcessor demo = IJ.openImage(DEMO.toString()).getProcessor();
        ImageStack stack = new ImageStack(160, 160);
        for (int i = 0; i < 4; i++) {
            demo.setRoi(i * 100, i * 80, 160, 160);
            stack.addSlice(demo.crop());
        }
        ImagePlus zt = new ImagePlus("zt", stack);
        zt.setDimensions(1, 2, 2);
        zt.setOpenAsHyperStack(true);
        assertTrue(zt.isHyperStack());
        Map<String, Object> in = segmentInputs(zt);
        in.put(SegmentOptions.ADD_TO_MANAGER, true);
        in.put(SegmentOptions.PROBABILITIES, true);
        CommandModule module = run(SegmentCellsCommand.class, in);
        assertTrue(!module.isCanceled(), module.getCancelReason());
        SegmentOutcome.Result r = ((SegmentCellsCommand) module.getCommand()).result();
        assertArrayEquals(new int[] {160, 160, 1, 2, 2}, r.labels().getDimensions());
        assertTrue(r.labels().isHyperStack());
        // Probabilities: the three classes become channels.
        assertArrayEquals(new int[] {160, 160, 3, 2, 2}, r.probabilities().getDimensions());
        for (Roi roi : r.rois()) {
            int plane = Integer.parseInt(roi.getName().substring(0, 4));
            int[] czt = zt.convertIndexToPosition(plane);
            assertEquals(czt[1], roi.getZPosition(), roi.getName());
            assertEquals(czt[2], roi.getTPosition(), roi.getName());
        }
        assertTrue(r.rois().stream().anyMatch(x -> x.getTPosition() == 2 && x.getZPosition() == 2));
    }

    @Test
    void aMultiChannelImageNeedsTheNuclearChannelAndSegmentsOnlyThat() throws Exception {
        ImageProcessor demo = IJ.openImage(DEMO.toString()).getProcessor();
        ImageStack stack = new ImageStack(160, 160);
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        ImageProcessor[] nuclei = new ImageProcessor[2];
        for (int t = 0; t < 2; t++) {
            demo.setRoi(t * 200, t * 150, 160, 160);
            nuclei[t] = demo.crop();
            ImageProcessor noise = nuclei[t].duplicate();
            for (int i = 0; i < noise.getPixelCount(); i++) {
                noise.setf(i, r.nextInt(1000));
            }
            stack.addSlice("noise t" + t, noise); // channel 1: another stain
            stack.addSlice("nuclei t" + t, nuclei[t]); // channel 2: the nuclei
        }
        ImagePlus ct = new ImagePlus("two-channels", stack);
        ct.setDimensions(2, 1, 2);
        ct.setOpenAsHyperStack(true);

        CommandModule refused = run(SegmentCellsCommand.class, segmentInputs(ct));
        assertTrue(refused.isCanceled());
        assertTrue(refused.getCancelReason().contains("has 2 channels; set nuclear_channel"), refused.getCancelReason());
        Map<String, Object> in = segmentInputs(ct);
        in.put(SegmentOptions.NUCLEAR_CHANNEL, 3);
        assertTrue(run(SegmentCellsCommand.class, in).getCancelReason().contains("(1 to 2), not 3"));

        in.put(SegmentOptions.NUCLEAR_CHANNEL, 2);
        in.put(SegmentOptions.ADD_TO_MANAGER, true);
        CommandModule module = run(SegmentCellsCommand.class, in);
        assertTrue(!module.isCanceled(), module.getCancelReason());
        SegmentOutcome.Result res = ((SegmentCellsCommand) module.getCommand()).result();
        // One channel out, over the same frames; each frame's labels are those of its nuclear plane alone.
        assertArrayEquals(new int[] {160, 160, 1, 1, 2}, res.labels().getDimensions());
        for (int t = 0; t < 2; t++) {
            // One scale for the stack: measured on both frames' nuclear planes.
            int[] expected = coreLabels(nuclei[t], -1, Segmenter.DEFAULT_TILE, null, false, List.of(nuclei));
            assertTrue(java.util.Arrays.stream(expected).max().orElse(0) > 3);
            assertArrayEquals(expected, ints(res.labels().getStack().getProcessor(t + 1)), "frame " + (t + 1));
        }
        assertTrue(res.rois().stream().allMatch(x -> x.getCPosition() == 1 || x.getCPosition() == 0));
        // One dimension left (T), so ImageJ treats the outputs as a plain stack: position 2 is frame 2.
        assertTrue(res.rois().stream().anyMatch(x -> x.getPosition() == 2 || x.getTPosition() == 2));
        assertEquals(4, ct.getStackSize(), "input untouched");
    }

    private static ImageProcessor convert(ImageProcessor ip, int bits) {
        return switch (bits) {
            case 8 -> ip.convertToByte(true);
            case 16 -> ip.convertToShort(false);
            default -> ip.convertToFloat();
        };
    }

    @Test
    void rgbImagesGetAClearError() throws Exception {
        ImagePlus rgb = IJ.createImage("colour", "RGB black", 64, 64, 1);
        CommandModule module = run(SegmentCellsCommand.class, segmentInputs(rgb));
        assertTrue(module.isCanceled());
        assertTrue(module.getCancelReason().contains("RGB"), module.getCancelReason());
        assertNull(((SegmentCellsCommand) module.getCommand()).result());
    }

    @Test
    void rgbImagesAreReadThroughTheChannelKey() throws Exception {
        ImagePlus rgb = IJ.createImage("colour", "RGB black", 64, 64, 1);
        Map<String, Object> in = segmentInputs(rgb);
        in.put(SegmentOptions.CHANNEL, "red");
        CommandModule module = run(SegmentCellsCommand.class, in);
        assertTrue(!module.isCanceled(), module.getCancelReason());
        assertEquals(0, ((SegmentCellsCommand) module.getCommand()).result().total());
    }

    @Test
    void unknownModelsAreNamedInTheError() throws Exception {
        Map<String, Object> in = segmentInputs(IJ.openImage(DEMO.toString()));
        in.put(SegmentOptions.MODEL, "no-such-model");
        CommandModule module = run(SegmentCellsCommand.class, in);
        assertTrue(module.isCanceled());
        assertTrue(module.getCancelReason().contains("no-such-model"), module.getCancelReason());
    }

    @Test
    void cancelLeavesNoOutputAndTheInputUntouched() throws Exception {
        ImagePlus input = IJ.openImage(DEMO.toString());
        Object before = input.getProcessor().getPixelsCopy();
        AtomicInteger ticks = new AtomicInteger();
        Progress escAfterTwoTiles = new Progress() {
            @Override
            public void status(String message) {
            }

            @Override
            public void fraction(int done, int total) {
                if (done < total) {
                    ticks.set(done);
                }
            }

            @Override
            public boolean cancelRequested() {
                return ticks.get() >= 2;
            }
        };
        int imagesBefore = ij.WindowManager.getImageCount();
        SegmentOutcome o = SegmentRunner.runAndShow(input,
                SegmentOptions.of("default").withAddToManager(true).withProbabilities(true).withTile(256), escAfterTwoTiles);
        assertTrue(o.cancelled());
        assertNull(o.result());
        assertNull(o.error());
        assertEquals(2, ticks.get(), "stopped after the tile where Esc was seen");
        assertEquals(imagesBefore, ij.WindowManager.getImageCount());
        assertArrayEquals((short[]) before, (short[]) input.getProcessor().getPixels());
    }

    @Test
    void moreThan65535ObjectsGiveA32BitLabelImage() {
        ImagePlus input = IJ.createImage("big", "16-bit black", 300, 300, 1);
        FloatProcessor fp = new FloatProcessor(300, 300);
        for (int i = 0; i < 300 * 300; i++) {
            fp.setf(i, i + 1);
        }
        ImagePlus labels = SegmentRunner.labelImage(input, List.of(fp), 90000, "");
        assertEquals(32, labels.getBitDepth());
        assertEquals(90000f, labels.getProcessor().getf(89999));
    }

    @Test
    void evaluatesLabelImagesIntoTheResultsTable() throws Exception {
        ImagePlus gt = IJ.openImage(DEMO_LABELS.toString());
        // A prediction that merges two objects and misses another: scores must equal the core's.
        ImagePlus pred = gt.duplicate();
        pred.setTitle("pred");
        ImageProcessor ip = pred.getProcessor();
        for (int i = 0; i < ip.getPixelCount(); i++) {
            int v = (int) ip.getf(i);
            if (v == 2) {
                ip.setf(i, 1);
            } else if (v == 3) {
                ip.setf(i, 0);
            }
        }
        Map<String, Object> in = new HashMap<>();
        in.put(EvaluateOptions.GROUND_TRUTH, gt);
        in.put(EvaluateOptions.PREDICTION, pred);
        CommandModule module = run(EvaluateSegmentationCommand.class, in);
        assertTrue(!module.isCanceled(), module.getCancelReason());
        List<EvaluateOptions.PlaneScores> frames = ((EvaluateSegmentationCommand) module.getCommand()).frames();
        FrameScores expected = Evaluator.scoreFrame(labels(gt), labels(pred), 0);
        assertEquals(expected.asMap(), frames.get(0).scores());
        assertTrue(expected.f() < 1 && expected.f() > 0.9);

        ResultsTable rt = ResultsTable.getResultsTable();
        assertEquals(2, rt.size());
        assertEquals("1", rt.getStringValue(EvaluateOptions.FRAME, 0));
        assertEquals("total", rt.getStringValue(EvaluateOptions.FRAME, 1));
        for (Map.Entry<String, Double> e : expected.asMap().entrySet()) {
            assertEquals(e.getValue(), rt.getValue(e.getKey(), 0), 1e-12, e.getKey());
            assertEquals(e.getValue(), rt.getValue(e.getKey(), 1), 1e-12, e.getKey());
        }
        assertEquals(expected.nGt(), (int) rt.getValue("n_gt", 0));
        for (String column : List.of("precision", "recall", "f", "fg_jaccard", "matched_jaccard", "seg", "ap50")) {
            assertTrue(rt.columnExists(column), column);
        }

        // min_size, as evaluate's --min-size: small objects are ignored in both images.
        in.put(EvaluateOptions.MIN_SIZE, 400);
        CommandModule large = run(EvaluateSegmentationCommand.class, in);
        assertTrue(!large.isCanceled(), large.getCancelReason());
        FrameScores onLarge = Evaluator.scoreFrame(labels(gt), labels(pred), 400);
        assertEquals(onLarge.asMap(), ((EvaluateSegmentationCommand) large.getCommand()).frames().get(0).scores());
        assertTrue(onLarge.nGt() < expected.nGt(), onLarge.nGt() + " of " + expected.nGt() + " objects of 400 px or more");
    }

    /** A 0/255 mask or a raw image chosen as the prediction is scored (F 0), and the Log says what it looks like. */
    @Test
    void evaluatingAMaskOrARawImageSaysSo() throws Exception {
        ImagePlus gt = IJ.openImage(DEMO_LABELS.toString());
        ImagePlus mask = gt.duplicate();
        mask.setTitle("mask");
        ImageProcessor ip = mask.getProcessor();
        for (int i = 0; i < ip.getPixelCount(); i++) {
            ip.setf(i, ip.getf(i) > 0 ? 255 : 0);
        }
        ImagePlus raw = IJ.openImage("test-images/images/demo.tif");
        raw.setTitle("raw");
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            EvaluateRunner.evaluate(gt, mask);
            EvaluateRunner.evaluate(gt, raw);
            EvaluateRunner.evaluate(gt, gt);
        } finally {
            System.setOut(stdout);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8) + IJ.getLog();
        assertTrue(log.contains("warning: prediction \"mask\": ") && log.contains("all labelled 255: a mask, not a label image"), log);
        assertTrue(log.contains("warning: prediction \"raw\": ") && log.contains("an intensity image, not a label image"), log);
        assertEquals(2, log.lines().filter(l -> l.contains("warning:")).count(), log);
    }

    @Test
    void evaluatesStacksPlaneByPlaneAndPoolsTheTotal() throws Exception {
        ImagePlus one = IJ.openImage(DEMO_LABELS.toString());
        ImageStack gtStack = new ImageStack(one.getWidth(), one.getHeight());
        ImageStack predStack = new ImageStack(one.getWidth(), one.getHeight());
        gtStack.addSlice(one.getProcessor());
        gtStack.addSlice(one.getProcessor().createProcessor(one.getWidth(), one.getHeight()));
        predStack.addSlice(one.getProcessor());
        predStack.addSlice(one.getProcessor());
        Map<String, Object> in = new HashMap<>();
        in.put(EvaluateOptions.GROUND_TRUTH, new ImagePlus("gt", gtStack));
        in.put(EvaluateOptions.PREDICTION, new ImagePlus("pred", predStack));
        CommandModule module = run(EvaluateSegmentationCommand.class, in);
        assertTrue(!module.isCanceled(), module.getCancelReason());
        ResultsTable rt = ResultsTable.getResultsTable();
        assertEquals(3, rt.size());
        assertEquals(1.0, rt.getValue("f", 0));
        assertEquals(0.0, rt.getValue("precision", 1)); // objects predicted on an empty plane
        assertEquals(0.5, rt.getValue("precision", 2), 1e-12); // pooled over both planes
        assertEquals("total", rt.getStringValue(EvaluateOptions.FRAME, 2));
    }

    @Test
    void evaluateRefusesMismatchedImages() throws Exception {
        Map<String, Object> in = new HashMap<>();
        in.put(EvaluateOptions.GROUND_TRUTH, IJ.openImage(DEMO_LABELS.toString()));
        in.put(EvaluateOptions.PREDICTION, IJ.createImage("small", "16-bit black", 64, 64, 1));
        CommandModule module = run(EvaluateSegmentationCommand.class, in);
        assertTrue(module.isCanceled());
        assertTrue(module.getCancelReason().contains("is 64x64 but ground_truth"), module.getCancelReason());
        FloatProcessor notLabels = new FloatProcessor(4, 4);
        notLabels.setf(5, 0.5f);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EvaluateRunner.evaluate(new ImagePlus("gt", notLabels), new ImagePlus("p", notLabels)));
        assertTrue(e.getMessage().contains("not a label image"), e.getMessage());
    }

    private static LabelPlane labels(ImagePlus imp) {
        return EvaluateRunner.labels(imp.getProcessor(), imp, 1);
    }
}
