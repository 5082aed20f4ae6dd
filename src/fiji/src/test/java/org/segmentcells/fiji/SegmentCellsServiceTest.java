package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.ItemIO;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.script.ScriptService;
import org.segmentcells.fiji.plugin.SegmentCellsService;
import org.segmentcells.fiji.plugin.SegmentImgCommand;
import org.segmentcells.fiji.plugin.SegmentFilesOptions;
import org.segmentcells.fiji.plugin.SegmentOptions;
import org.segmentcells.fiji.plugin.ImgSegmentation;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;

/**
 * The script API: {@code #@ SegmentCellsService seg; seg.segment(img, "default")} in a SciJava context, on
 * ImgLib2 images of several kinds, gives the labels Segment Image Files writes for the same file.
 */
class SegmentCellsServiceTest {

    private static final Path DEMO = Path.of("test-images/images/demo.tif");
    private static Context context;
    private static SegmentCellsService seg;
    private static FloatPlane demo;
    private static LabelPlane fileLabels;

    @BeforeAll
    static void setUp(@TempDir Path tmp) throws Exception {
        context = new Context(SegmentCellsService.class);
        seg = context.service(SegmentCellsService.class);
        demo = ImageFiles.readPlane(DEMO);
        Path out = tmp.resolve("out");
        int n = SegmentFilesRunner.runAndReport(new SegmentFilesOptions(DEMO.toString(), out.toString(),
                SegmentOptions.of("default"), false, false));
        assertEquals(1, n);
        fileLabels = ImageFiles.readLabels(out.resolve("demo.tif"));
        assertTrue(fileLabels.maxLabel() > 50);
    }

    @AfterAll
    static void tearDown() {
        context.dispose();
    }

    private static ArrayImg<FloatType, ?> floats() {
        return ArrayImgs.floats(demo.data().clone(), demo.width(), demo.height());
    }

    private static int[] ints(RandomAccessibleInterval<? extends IntegerType<?>> img) {
        int[] out = new int[(int) (img.dimension(0) * img.dimension(1))];
        Cursor<? extends IntegerType<?>> c = Views.flatIterable(img).cursor();
        for (int i = 0; i < out.length; i++) {
            out[i] = c.next().getInteger();
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static int[] labelsOf(Img<?> labels) {
        return ints((RandomAccessibleInterval<? extends IntegerType<?>>) labels);
    }

    @Test
    void floatArrayImgGivesTheFileLabels() {
        Img<?> labels = seg.segment(floats(), "default");
        assertEquals(demo.width(), labels.dimension(0));
        assertEquals(demo.height(), labels.dimension(1));
        assertTrue(labels.firstElement() instanceof UnsignedShortType, "16-bit labels below 65536 nuclei");
        assertArrayEquals(fileLabels.data(), labelsOf(labels));
    }

    @Test
    void sixteenBitInputGivesTheFileLabels() {
        ArrayImg<UnsignedShortType, ?> img = ArrayImgs.unsignedShorts(demo.width(), demo.height());
        Cursor<UnsignedShortType> c = img.cursor();
        for (float v : demo.data()) {
            assertEquals(Math.rint(v), v, "the demo is whole-numbered, so 16 bits hold it exactly");
            c.next().setReal(v);
        }
        assertArrayEquals(fileLabels.data(), labelsOf(seg.segment(img, "default")));
    }

    @Test
    void viewWithAnotherOriginGivesTheFileLabels() {
        RandomAccessibleInterval<FloatType> moved = Views.translate(floats(), 300, -70);
        RandomAccessibleInterval<FloatType> view = Views.interval(moved, moved);
        assertEquals(300, view.min(0));
        assertArrayEquals(fileLabels.data(), labelsOf(seg.segment(view, "default")));
    }

    @Test
    void stackIsPlanesWithProbabilitiesAndScale() {
        float[] two = new float[demo.data().length * 2];
        System.arraycopy(demo.data(), 0, two, 0, demo.data().length);
        System.arraycopy(demo.data(), 0, two, demo.data().length, demo.data().length);
        RandomAccessibleInterval<FloatType> stack = ArrayImgs.floats(two, demo.width(), demo.height(), 2);
        ImgSegmentation r = seg.segmentation(stack, SegmentOptions.of("default").withProbabilities(true));
        assertArrayEquals(new long[] {demo.width(), demo.height(), 2}, r.labels().dimensionsAsLongArray());
        assertEquals(2, r.counts().length);
        assertEquals(fileLabels.maxLabel(), r.counts()[0]);
        assertEquals(r.counts()[0], r.counts()[1]);
        @SuppressWarnings("unchecked")
        RandomAccessibleInterval<? extends IntegerType<?>> labels =
                (RandomAccessibleInterval<? extends IntegerType<?>>) r.labels();
        assertArrayEquals(fileLabels.data(), ints(Views.hyperSlice(labels, 2, 1)));
        assertNotNull(r.probabilities());
        assertArrayEquals(new long[] {demo.width(), demo.height(), 3, 2}, r.probabilities().dimensionsAsLongArray());
        double sum = 0;
        @SuppressWarnings("unchecked")
        RandomAccessibleInterval<? extends RealType<?>> p = (RandomAccessibleInterval<? extends RealType<?>>) r.probabilities();
        for (int cls = 0; cls < 3; cls++) {
            sum += Views.hyperSlice(Views.hyperSlice(p, 3, 0), 2, cls).getAt(100, 100).getRealDouble();
        }
        assertEquals(1, sum, 1e-3, "the three classes' probabilities add up to one");
        assertTrue(r.scale().startsWith("1.00 (auto, nuclei "), "the default's own scale, auto: " + r.scale());
        assertNull(seg.segmentation(floats(), SegmentOptions.of("default")).probabilities());
    }

    @Test
    void scriptsNameTheServiceWithoutItsPackage() throws Exception {
        try (Context withScripts = new Context(SegmentCellsService.class, ScriptService.class)) {
            assertEquals(SegmentCellsService.class, withScripts.service(ScriptService.class).lookupClass("SegmentCellsService"));
        }
    }

    @Test
    void theImgLib2CommandHandsBackItsOutputs() throws Exception {
        try (Context withCommands = new Context(SegmentCellsService.class, CommandService.class)) {
            CommandService commands = withCommands.service(CommandService.class);
            RandomAccessibleInterval<FloatType> view = Views.interval(Views.translate(floats(), 300, -70),
                    Views.translate(floats(), 300, -70));
            Module m = commands.run(SegmentImgCommand.class, true, "image", view, "model", "default", "probabilities",
                    true).get();
            assertArrayEquals(fileLabels.data(), labelsOf((Img<?>) m.getOutput("labels")));
            assertEquals(fileLabels.maxLabel(), m.getOutput("nuclei"));
            assertTrue(((String) m.getOutput("scale_used")).startsWith("1.00 (auto"), (String) m.getOutput("scale_used"));
            assertArrayEquals(new long[] {demo.width(), demo.height(), 3},
                    ((Img<?>) m.getOutput("probability_maps")).dimensionsAsLongArray());
            CommandInfo info = commands.getCommand(SegmentImgCommand.class);
            assertEquals(ItemIO.OUTPUT, info.getOutput("labels").getIOType());
            assertTrue(info.getMenuPath() == null || info.getMenuPath().isEmpty(),
                    "no menu entry: the menu's Segment Cells is the ImagePlus command, got " + info.getMenuPath());

            // A bad setting cancels the module with the message a dialog would show; no outputs.
            SegmentImgCommand bad = (SegmentImgCommand) ((org.scijava.command.CommandModule) commands
                    .run(SegmentImgCommand.class, true, "image", floats(), "model", "default", "scale", "9").get())
                    .getCommand();
            assertTrue(bad.isCanceled());
            assertTrue(bad.getCancelReason().startsWith("scale must be auto or a number"), bad.getCancelReason());

            // seed_threshold and tile are inputs too, named as the macro keys (a tile too small for the model is
            // refused, naming it, so the tile is passed on).
            Module strict = commands.run(SegmentImgCommand.class, true, "image", view, "model", "default",
                    "seed_threshold", 0.95, "tile", 256).get();
            SegmentImgCommand tiny = (SegmentImgCommand) ((org.scijava.command.CommandModule) commands
                    .run(SegmentImgCommand.class, true, "image", floats(), "model", "default", "tile", 100).get())
                    .getCommand();
            assertTrue(tiny.isCanceled() && tiny.getCancelReason().contains("tile"), tiny.getCancelReason());
            assertTrue((int) strict.getOutput("nuclei") != fileLabels.maxLabel(), strict.getOutput("nuclei") + " nuclei");
            assertArrayEquals(labelsOf(seg.segment(view, SegmentOptions.of("default").withSeedThreshold(0.95))),
                    labelsOf((Img<?>) strict.getOutput("labels")));
            // A script's call takes what it passes and the defaults, never an earlier call's inputs.
            Module again = commands.run(SegmentImgCommand.class, true, "image", view, "model", "default").get();
            assertTrue(((String) again.getOutput("scale_used")).startsWith("1.00 (auto"), (String) again.getOutput("scale_used"));
            assertEquals(null, again.getOutput("probability_maps"), "probabilities was given to an earlier call only");
        }
    }

    /** A Dataset of channels (X, Y, C): only the nuclear channel is segmented, and the labels have no channel axis. */
    @Test
    void theNuclearChannelOfAChannelImageIsSegmentedAlone() {
        int px = demo.data().length;
        float[] xyc = new float[px * 2];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < px; i++) {
            xyc[i] = r.nextInt(1000); // channel 1: another stain
        }
        System.arraycopy(demo.data(), 0, xyc, px, px); // channel 2: the nuclei
        RandomAccessibleInterval<FloatType> twoChannels = ArrayImgs.floats(xyc, demo.width(), demo.height(), 2);
        ImgSegmentation res = seg.segmentation(twoChannels, SegmentOptions.of("default").withNuclearChannel(2));
        assertEquals(2, res.labels().numDimensions());
        assertArrayEquals(fileLabels.data(), labelsOf(res.labels()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> seg.segment(twoChannels, SegmentOptions.of("default").withNuclearChannel(3)));
        assertTrue(e.getMessage().contains("nuclear_channel 3") && e.getMessage().contains("(1 to 2)"), e.getMessage());
    }

    @Test
    void badInputIsAnExceptionNamingTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> seg.segment(floats(), SegmentOptions.of("default").withScale("9")));
        assertTrue(e.getMessage().startsWith("scale must be auto or a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> seg.segment(floats(), "no-such-model"));
        assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> seg.segment(ArrayImgs.floats(new float[10], 10), "default"));
        assertTrue(e.getMessage().contains("two dimensions"), e.getMessage());
        assertTrue(Files.exists(DEMO));
        // Options only the ImagePlus command can carry out are refused rather than dropped.
        e = assertThrows(IllegalArgumentException.class,
                () -> seg.segment(floats(), SegmentOptions.of("default").withAddToManager(true)));
        assertTrue(e.getMessage().startsWith("add_to_manager is for the Segment Cells command"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> seg.segment(floats(), SegmentOptions.of("default").withChannel("red")));
        assertTrue(e.getMessage().startsWith("channel is for RGB ImageJ images"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> seg.segmentation(floats(), null));
        assertTrue(e.getMessage().startsWith("no options"), e.getMessage());
    }

    /** A script that cancels its Future (interrupting the thread) stops the call before the next tile. */
    @Test
    void anInterruptedCallStops() {
        ArrayImg<FloatType, ?> img = ArrayImgs.floats(demo.data().clone(), demo.width(), demo.height());
        Thread.currentThread().interrupt();
        try {
            assertThrows(java.util.concurrent.CancellationException.class,
                    () -> seg.segmentation(img, SegmentOptions.of("default").withTile(256)));
        } finally {
            Thread.interrupted();
        }
    }

    /** A script's progress hears the tiles, and a cancel ends the call with a CancellationException. */
    @Test
    void aProgressHearsTheTilesAndItsCancelStopsTheCall() {
        ArrayImg<FloatType, ?> img = ArrayImgs.floats(demo.data().clone(), demo.width(), demo.height());
        int[] fractions = {0};
        org.segmentcells.fiji.plugin.Progress counting = new org.segmentcells.fiji.plugin.Progress() {
            @Override
            public void status(String message) {
            }

            @Override
            public void fraction(int done, int total) {
                fractions[0]++;
            }

            @Override
            public boolean cancelRequested() {
                return false;
            }
        };
        SegmentOptions small = SegmentOptions.of("default").withTile(256);
        assertTrue(seg.segmentation(img, small, counting).total() > 50);
        assertTrue(fractions[0] > 1, fractions[0] + " progress reports");
        int tiles = fractions[0];
        // Esc once the first tile is done: the call ends before the rest.
        fractions[0] = 0;
        org.segmentcells.fiji.plugin.Progress esc = counting.orCancelledBy(() -> fractions[0] >= 1);
        assertThrows(java.util.concurrent.CancellationException.class, () -> seg.segmentation(img, small, esc));
        assertTrue(fractions[0] >= 1 && fractions[0] < tiles, fractions[0] + " of " + tiles + " reports before stopping");
    }
}
