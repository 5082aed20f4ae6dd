package org.segmentcells.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.macro.Interpreter;
import ij.plugin.frame.RoiManager;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.segmentcells.batch.LabelInfo;
import org.segmentcells.batch.PlaneSegmentation;
import org.segmentcells.batch.ProcessMemory;
import org.segmentcells.img.Channel;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.LabelType;
import org.segmentcells.model.Model;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.progress.Cancelled;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.tf.TensorFlowRuntime;
import org.segmentcells.fiji.plugin.SegmentOptions;
import org.segmentcells.fiji.plugin.SegmentOutcome;
import org.segmentcells.fiji.plugin.Progress;
import org.segmentcells.fiji.plugin.Reports;

/**
 * Segment Cells on an open image, shared by the SciJava command and the ImageJ 1.x plugin. Every plane of
 * the input (2D, stack, hyperstack; 8, 16 or 32-bit) is segmented on its own. Nothing is shown or changed
 * until all planes are done, so a cancel or an error leaves no partial output, and the input is only read.
 */
public final class SegmentRunner {

    public static final String TITLE = SegmentOptions.TITLE;
    /** Appended to the input title to name the label image. */
    public static final String LABELS_SUFFIX = "-labels";
    public static final String PROBABILITIES_SUFFIX = "-probabilities";
    static final String[] CLASSES = {"background", "nucleus", "contour"};

    private SegmentRunner() {
    }

    /** Runs, shows the outputs and reports errors to the user; never throws for a user's mistake. */
    public static SegmentOutcome runAndShow(ImagePlus input, SegmentOptions options, Progress progress) {
        try {
            SegmentOutcome.Result r = run(input, options, progress);
            show(r, options);
            return new SegmentOutcome(r, null, false);
        } catch (Cancelled c) {
            progress.fraction(1, 1);
            progress.status(TITLE + ": cancelled");
            return new SegmentOutcome(null, null, true);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            progress.fraction(1, 1);
            String message = MacroSpelling.message(e);
            Reports.error(TITLE, message);
            return new SegmentOutcome(null, message, false);
        } catch (LinkageError e) {
            progress.fraction(1, 1);
            String msg = Reports.incompleteInstall(e);
            Reports.error(TITLE, msg);
            return new SegmentOutcome(null, msg, false);
        }
    }

    /**
     * {@link SegmentOptions#SCALE} as typed: {@code model} (or empty, or 0 as in macros recorded before auto
     * scale) gives null, the model's own; {@code auto} or a factor otherwise.
     */
    static Scale scale(String text) {
        if (SegmentOptions.isModelScale(text)) {
            return null;
        }
        String t = text.strip();
        try {
            return Scale.parse(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (or " + SegmentOptions.MODEL_SCALE
                    + " for the model's own)", e);
        }
    }

    /** {@link SegmentOptions#CHANNEL}: null (none) refuses colour images. */
    static Channel channel(SegmentOptions options) {
        return Channel.parse(options.channel());
    }

    /** Checks that an image can be segmented; an IllegalArgumentException says why not. */
    static void checkInput(ImagePlus input, SegmentOptions options) {
        scale(options.scale()); // typed options first: their messages name the key
        channel(options);
        if (input == null) {
            throw new IllegalArgumentException("there is no image to segment; open one first");
        }
        int c = input.getNChannels();
        if (c > 1 && (options.nuclearChannel() < 1 || options.nuclearChannel() > c)) {
            // Segmenting every channel would mostly segment membranes or cytoplasm as "nuclei".
            throw new IllegalArgumentException("\"" + input.getTitle() + "\" has " + c + " channels; set "
                    + SegmentOptions.NUCLEAR_CHANNEL + " to the channel of the nuclear stain (1 to " + c + ")"
                    + (options.nuclearChannel() > c ? ", not " + options.nuclearChannel() : ""));
        }
        if (c == 1 && options.nuclearChannel() > 1) {
            throw new IllegalArgumentException("\"" + input.getTitle() + "\" has one channel; "
                    + SegmentOptions.NUCLEAR_CHANNEL + " " + options.nuclearChannel() + " does not exist");
        }
        if (channel(options) != null) {
            return; // colour images are read through the chosen channel; grayscale ones as they are
        }
        if (input.getBitDepth() == 24) {
            throw new IllegalArgumentException("\"" + input.getTitle() + "\" is an RGB colour image. Segment Cells"
                    + " needs a grayscale image (8, 16 or 32-bit): convert it (Image > Type > 8-bit) or split"
                    + " the channels (Image > Color > Split Channels) and segment the nuclear stain, or choose a "
                    + SegmentOptions.CHANNEL + " (luminance, red, green or blue).");
        }
        if (input.getType() == ImagePlus.COLOR_256) {
            throw new IllegalArgumentException("\"" + input.getTitle() + "\" is an 8-bit indexed colour image."
                    + " Segment Cells needs a grayscale image: convert it first (Image > Type > 8-bit).");
        }
    }

    /** Segments every plane; throws on errors and {@link Cancelled} on a cancel. Shows nothing. */
    public static SegmentOutcome.Result run(ImagePlus input, SegmentOptions options, Progress progress) throws IOException {
        checkInput(input, options);
        progress.status(TITLE + ": loading TensorFlow");
        // Before anything touches TensorFlow classes, so a missing or broken native library gives its
        // own clear message rather than a class-loading error.
        TensorFlowRuntime.ensureLoaded();
        logDeviceOnce();
        Path folder = FijiModels.resolve(options.model());
        checkCancel(progress);
        progress.status(TITLE + ": loading model " + folder.getFileName());
        org.segmentcells.model.ModelInfo info = org.segmentcells.model.ModelFolder.readInfo(folder);
        info.requireUsable(settings(options));
        if (info.caution(folder) != null) {
            IJ.log(TITLE + ": warning: " + info.caution(folder));
        }
        try (Model model = Model.load(folder)) {
            ImagePlus planes = nuclearChannel(input, options);
            // Measured once, before any plan: a plan's own copies are counted by checkMemory, not by the heap.
            long free = ProcessMemory.freeHeapBytes();
            checkMemory(planes, options, free);
            // The channel goes in the Info only where one was chosen of several.
            return segmentPlanes(model, planes, options, input.getNChannels() > 1 ? options.nuclearChannel() : 0,
                    sourceLine(input), free, folder, progress);
        }
    }

    /** The core's settings for these choices (Segment Cells' and, per image, Segment Image Files'). */
    static SegmentSettings settings(SegmentOptions options) {
        return SegmentSettings.MODEL.withScale(scale(options.scale())).withDiameter(options.diameterOrNone())
                .withMinSize(options.minSizeOrModel())
                .withSeedThreshold(options.seedThresholdOrModel()).withTile(options.tile()).withTta(options.tta());
    }

    /** One Log line: the scale chosen for the image, or for one of its planes. */
    private static void log(ImagePlus input, String plane, Model.Plan plan) {
        IJ.log(TITLE + ": \"" + input.getTitle() + "\"" + (plane == null ? "" : " " + plane) + ": "
                + plan.scale().describe() + (plan.scale().hasNote()
                        ? "; " + org.segmentcells.setting.Setting.spell(plan.scale().note(), MacroSpelling.SPELLING) : ""));
    }

    private static boolean deviceLogged;

    /** Says once per session whether the GPU is used, so a user can check the GPU build works. */
    static synchronized void logDeviceOnce() {
        if (!deviceLogged) {
            deviceLogged = true;
            IJ.log(TITLE + ": " + TensorFlowRuntime.deviceSummary());
        }
    }

    /**
     * Refuses, before any work, an image whose segmentation would not fit in the memory left: ImageJ's
     * own OutOfMemoryError comes halfway through and can leave Fiji unusable. Counts one plane's working
     * memory plus the label planes (and probability maps) kept for all planes.
     */
    static void checkMemory(ImagePlus planes, SegmentOptions options, long freeBytes) {
        checkMemory(planes, options, freeBytes, 1);
    }

    /**
     * The same for the scale a plan chose, against the memory free before it: enlarging (auto does so for
     * tiny nuclei, up to about twice) needs the enlarged plane's probabilities too
     * ({@link Segmenter#inMemoryBytesPerPixel}); any other scale needs what scale 1 does.
     */
    static void checkMemory(ImagePlus planes, SegmentOptions options, long freeBytes, double factor) {
        long px = (long) planes.getWidth() * planes.getHeight();
        int n = planes.getStackSize();
        long need = px * (Segmenter.inMemoryBytesPerPixel(factor) + Model.Plan.CHECK_BYTES_PER_PIXEL)
                + px * n * (2 + (options.probabilities() ? 12 : 0));
        if (need > freeBytes) {
            // Bands of rows help a single plane only: a stack's label planes are all held until written.
            String otherwise = n == 1 ? String.format(Locale.ROOT, "segment the file with Segment Image Files or the"
                    + " command line, which work on large TIFFs in bands of rows: java -jar segment-cells.jar segment"
                    + " --model %s --output DIR FILE.tif", options.model())
                    : "segment fewer planes at a time (Image > Stacks > Tools > Make Substack...)";
            throw new IllegalArgumentException(String.format(Locale.ROOT, "\"%s\" (%d×%d, %d plane%s) needs about"
                    + " %.1f GB of memory to segment in ImageJ%s, and %.1f GB are free. Raise ImageJ's memory (Edit >"
                    + " Options > Memory & Threads)%s, or %s",
                    planes.getTitle(), planes.getWidth(), planes.getHeight(), n, n == 1 ? "" : "s", need / 1e9,
                    factor > 1 ? String.format(Locale.ROOT, " at scale %.2f", factor) : "", freeBytes / 1e9,
                    factor > 1 ? ", give a smaller scale (or a larger diameter)" : "", otherwise));
        }
    }

    /**
     * The planes to segment: the whole image, or for several channels the nuclear channel's Z and T
     * planes as a one-channel hyperstack with the same title and calibration. The input is not changed
     * (the planes are shared, not copied).
     */
    static ImagePlus nuclearChannel(ImagePlus input, SegmentOptions options) {
        return org.segmentcells.io.ImageFiles.nuclearChannel(input, options.nuclearChannel());
    }

    /** Plane {@code i} (1-based) as floats: calibrated values, or the chosen channel of a colour image. */
    private static FloatPlane plane(ImagePlus input, int i, SegmentOptions options) {
        return org.segmentcells.io.ImageFiles.plane(input, i - 1, channel(options));
    }

    /** Segments every plane of {@code input} (the nuclear channel's planes) with the core's plane loop. */
    private static SegmentOutcome.Result segmentPlanes(Model model, ImagePlus input, SegmentOptions options,
            int nuclearChannel, String source, long free, Path folder, Progress progress) throws IOException {
        int n = input.getStackSize();
        int w = input.getWidth();
        int h = input.getHeight();
        LabelInfo info = LabelInfo.of(model, settings(options), nuclearChannel,
                input.getType() == ImagePlus.COLOR_RGB ? channel(options) : null);
        List<ImageProcessor> labelPlanes = new ArrayList<>(n);
        List<FloatProcessor> probPlanes = new ArrayList<>();
        List<Roi> rois = new ArrayList<>();
        int[] counts = new int[n];
        long t0 = System.nanoTime();
        PlaneSegmentation.run(model, settings(options), options.scalePerPlane(), n, k -> plane(input, k + 1, options),
                new PlaneSegmentation.Listener() {
                    @Override
                    public void planned(String plane, Model.Plan plan) {
                        log(input, plane, plan);
                        checkMemory(input, options, free, plan.scale().factor());
                    }

                    @Override
                    public void nonFinite(String plane, long count) {
                        // A warning, not an error: the run goes on, like the CLI's.
                        IJ.log(String.format(Locale.ROOT, "%s: warning: \"%s\"%s has %d NaN or infinite pixels,"
                                + " treated as background", TITLE, input.getTitle(), plane == null ? "" : " " + plane,
                                count));
                    }

                    @Override
                    public void segmenting(int k, String plane, FloatPlane image, Model.Plan plan) {
                        progress.status(TITLE + ": " + (plane == null ? "segmenting" : plane));
                    }

                    @Override
                    public void segmented(int k, String plane, Model.Plan plan, Segmenter.Probabilities p,
                            LabelPlane labels) {
                        info.add(k + 1, plan);
                        // Instances numbers objects 1..N, so the largest id is the count.
                        int count = labels.maxLabel();
                        counts[k] = count;
                        LabelType type;
                        try {
                            type = LabelType.forMaxLabel(count);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalStateException((plane == null ? "" : plane + ": ") + e.getMessage(), e);
                        }
                        labelPlanes.add(org.segmentcells.io.ImageFiles.labelProcessor(labels, type));
                        if (options.addToManager()) {
                            for (Roi roi : RoiTracer.trace(labels.data(), w, h, count, k + 1)) {
                                setPosition(roi, input, k + 1, n);
                                rois.add(roi);
                            }
                        }
                        if (options.probabilities()) {
                            probPlanes.add(new FloatProcessor(w, h, p.background().data()));
                            probPlanes.add(new FloatProcessor(w, h, p.nucleus().data()));
                            probPlanes.add(new FloatProcessor(w, h, p.contour().data()));
                        }
                    }
                }, CoreProgress.of(progress));
        int maxLabel = java.util.Arrays.stream(counts).max().orElse(0);
        checkCancel(progress);
        progress.fraction(1, 1);

        String text = info.text() + source;
        ImagePlus labels = labelImage(input, labelPlanes, maxLabel, text);
        ImagePlus probabilities = options.probabilities() ? probabilityImage(input, probPlanes, text) : null;
        int nuclei = java.util.Arrays.stream(counts).sum();
        progress.status(String.format(Locale.ROOT, "%s: %s in %s (%.1f s)", TITLE,
                org.segmentcells.setting.Counts.nuclei(nuclei), org.segmentcells.setting.Counts.of(n, "plane"), (System.nanoTime() - t0) / 1e9));
        return new SegmentOutcome.Result(labels, probabilities, List.copyOf(rois), counts, folder);
    }

    /**
     * The image file {@code input} was opened from, unchanged since, as label files record it (saved into a
     * folder that Segment Image Files later writes, such labels are kept only for that image); "" otherwise.
     */
    static String sourceLine(ImagePlus input) {
        ij.io.FileInfo fi = input.getOriginalFileInfo();
        // Of the image as opened (a multi-channel file's, not its nuclear channel's planes); a size of 0 is a
        // reader's that does not record one (PNG).
        if (fi == null || fi.directory == null || fi.fileName == null || input.changes
                || fi.width > 0 && fi.width != input.getWidth() || fi.height > 0 && fi.height != input.getHeight()) {
            return "";
        }
        java.nio.file.Path file = java.nio.file.Path.of(fi.directory, fi.fileName);
        try {
            return java.nio.file.Files.isRegularFile(file)
                    ? org.segmentcells.io.SourceImage.of(file).line() + System.lineSeparator() : "";
        } catch (java.io.IOException | RuntimeException e) {
            return ""; // not readable now: the labels say nothing of their file
        }
    }

    /** The scale a label image's Info records (what {@link SegmentOptions#SCALE} was for it), or null. */
    static String scaleInInfo(ImagePlus labels) {
        return LabelInfo.value(labels.getInfoProperty(), org.segmentcells.setting.Setting.SCALE);
    }

    private static void checkCancel(Progress progress) {
        CoreProgress.of(progress).checkCancelled();
    }

    private static void setPosition(Roi roi, ImagePlus input, int index, int n) {
        if (input.isHyperStack()) {
            int[] czt = input.convertIndexToPosition(index);
            roi.setPosition(czt[0], czt[1], czt[2]);
        } else if (n > 1) {
            roi.setPosition(index);
        }
    }

    /** 16-bit labels, or 32-bit float for all planes if any plane has more than 65535 objects. */
    static ImagePlus labelImage(ImagePlus input, List<ImageProcessor> planes, int maxLabel, String info) {
        boolean asFloat = LabelType.forMaxLabel(maxLabel) == LabelType.FLOAT32;
        ImageStack in = input.getStack();
        ImageStack out = new ImageStack(in.getWidth(), in.getHeight());
        for (int i = 0; i < planes.size(); i++) {
            ImageProcessor ip = planes.get(i);
            if (asFloat && !(ip instanceof FloatProcessor)) {
                ip = ip.convertToFloatProcessor();
            }
            out.addSlice(in.getSliceLabel(i + 1), ip);
        }
        ImagePlus imp = new ImagePlus(input.getTitle() + LABELS_SUFFIX, out);
        org.segmentcells.io.ImageFiles.copyLayout(input, imp, 1);
        imp.setLut(LabelLut.create());
        // With the range 0..255, a 256-colour LUT gives id k exactly colour k; beyond 255 ids, colours repeat
        // by range (ImageJ maps the display range onto the 256 entries).
        imp.setDisplayRange(0, Math.max(255, maxLabel));
        imp.setProperty("Info", info);
        return imp;
    }

    /** Three planes (background, nucleus, contour) per input plane, as channels of a hyperstack. */
    static ImagePlus probabilityImage(ImagePlus input, List<FloatProcessor> planes, String info) {
        ImageStack in = input.getStack();
        ImageStack out = new ImageStack(in.getWidth(), in.getHeight());
        for (int i = 0; i < planes.size(); i++) {
            String plane = in.getShortSliceLabel(i / 3 + 1);
            out.addSlice(CLASSES[i % 3] + (plane == null || plane.isEmpty() ? "" : " " + plane), planes.get(i));
        }
        ImagePlus imp = new ImagePlus(input.getTitle() + PROBABILITIES_SUFFIX, out);
        org.segmentcells.io.ImageFiles.copyLayout(input, imp, 3);
        imp.setDisplayRange(0, 1);
        imp.setProperty("Info", info);
        return imp;
    }

    /** Shows the outputs (labels last, so the label image is the active one) and fills the ROI Manager. */
    static void show(SegmentOutcome.Result r, SegmentOptions options) {
        if (options.addToManager()) {
            addToManager(r);
        }
        if (r.probabilities() != null) {
            display(r.probabilities());
        }
        display(r.labels());
    }

    /** Without a display, images can only be shown to a batch-mode macro (always on in ij1-patcher's headless mode). */
    static boolean canDisplay() {
        return !GraphicsEnvironment.isHeadless() || Interpreter.isBatchMode();
    }

    private static void display(ImagePlus imp) {
        if (canDisplay()) {
            imp.show();
        }
    }

    private static void addToManager(SegmentOutcome.Result r) {
        if (GraphicsEnvironment.isHeadless()) {
            // The ROI Manager is a window, even in batch mode, so it cannot exist here. Keep the outlines
            // with the labels instead: they are saved in the TIFF and "To ROI Manager" restores them.
            Overlay overlay = new Overlay();
            r.rois().forEach(overlay::add);
            r.labels().setOverlay(overlay);
            IJ.log(TITLE + ": no ROI Manager without a display; the " + r.rois().size()
                    + " outlines are in the overlay of \"" + r.labels().getTitle() + "\"");
            return;
        }
        RoiManager rm = RoiManager.getInstance(); // the hidden one in batch-mode macros
        if (rm == null) {
            rm = RoiManager.getRoiManager();
        }
        for (Roi roi : r.rois()) {
            // add(imp, roi, -1) keeps our names and positions and skips per-ROI recording.
            rm.add(r.labels(), roi, -1);
        }
    }
}
