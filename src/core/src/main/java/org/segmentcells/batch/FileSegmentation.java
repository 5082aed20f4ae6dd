package org.segmentcells.batch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

import org.segmentcells.img.Channel;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelType;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.AtomicFiles;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.io.Once;
import org.segmentcells.io.TiffRows;
import org.segmentcells.io.SourceImage;
import org.segmentcells.io.TiffStripWriter;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.model.ModelStore;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.progress.Cancelled;
import org.segmentcells.progress.Progress;
import org.segmentcells.scale.AutoScale;
import org.segmentcells.scale.ObjectSize;
import org.segmentcells.scale.Sharpness;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.segment.StreamingSegmenter;
import org.segmentcells.setting.Setting;
import org.segmentcells.tf.TensorFlowRuntime;

/**
 * Image files in, label image files out: the job behind the CLI's {@code segment} and Fiji's Segment
 * Image Files. Every input's header and the output folder are checked before any work; images over
 * {@link #STREAMING_PIXELS} (or too big for the heap) are segmented in bands, reading and writing row
 * by row, so their size is bounded by disk, not memory.
 */
public final class FileSegmentation {

    /**
     * How each image is read, segmented and written: what the step every front end repeats per image
     * ({@link #segmentImage}) needs, apart from where the files are.
     *
     * @param channel        how to read RGB inputs (null refuses them)
     * @param nuclearChannel of files of several channels, the one (1-based) holding the nuclear stain; 0 when not
     *                       given, which such a file refuses rather than guess
     * @param segment        scale, minimum size, seed threshold, tile and tta (null fields: the model's own)
     * @param scalePerPlane  with an automatic scale, measure each plane of a stack on its own (default: one
     *                       scale for all its planes, which share a magnification)
     * @param probabilities  also write STEM-probabilities.tif
     */
    public record ImageSettings(Channel channel, int nuclearChannel, SegmentSettings segment, boolean scalePerPlane,
            boolean probabilities) implements java.io.Serializable {

        /** Grayscale inputs, everything as the model says, one scale per stack, labels only. */
        public static final ImageSettings DEFAULT = new ImageSettings(null, 0, SegmentSettings.MODEL, false, false);

        public ImageSettings withChannel(Channel c) {
            return new ImageSettings(c, nuclearChannel, segment, scalePerPlane, probabilities);
        }

        public ImageSettings withNuclearChannel(int c) {
            return new ImageSettings(channel, c, segment, scalePerPlane, probabilities);
        }

        public ImageSettings withSegment(SegmentSettings s) {
            return new ImageSettings(channel, nuclearChannel, s, scalePerPlane, probabilities);
        }

        public ImageSettings withScalePerPlane(boolean on) {
            return new ImageSettings(channel, nuclearChannel, segment, on, probabilities);
        }

        public ImageSettings withProbabilities(boolean on) {
            return new ImageSettings(channel, nuclearChannel, segment, scalePerPlane, on);
        }
    }

    /**
     * What to do: which model, which inputs, where the outputs go, and how each image is treated.
     *
     * @param overwrite      replace existing outputs
     * @param forceStreaming segment every input in bands, big or not
     */
    public record Settings(String model, Path output, List<Path> inputs, ImageSettings image, boolean overwrite,
            boolean forceStreaming) {

        /** Grayscale inputs, everything as the model says, no probabilities, no overwriting, bands only when big. */
        public static Settings of(String model, Path output, List<Path> inputs) {
            return new Settings(model, output, inputs, ImageSettings.DEFAULT, false, false);
        }

        public Settings withImage(ImageSettings i) {
            return new Settings(model, output, inputs, i, overwrite, forceStreaming);
        }

        public Settings withOverwrite(boolean on) {
            return new Settings(model, output, inputs, image, on, forceStreaming);
        }

        public Settings withStreaming(boolean on) {
            return new Settings(model, output, inputs, image, overwrite, on);
        }

        // The image's settings, for callers that build a whole job in one chain.

        public Settings withChannel(Channel c) {
            return withImage(image.withChannel(c));
        }

        public Settings withNuclearChannel(int c) {
            return withImage(image.withNuclearChannel(c));
        }

        public Settings withSegment(SegmentSettings s) {
            return withImage(image.withSegment(s));
        }

        public Settings withScalePerPlane(boolean on) {
            return withImage(image.withScalePerPlane(on));
        }

        public Settings withProbabilities(boolean on) {
            return withImage(image.withProbabilities(on));
        }
    }

    private FileSegmentation() {
    }

    /**
     * Segments every input into {@code output/STEM.tif} (and {@code STEM-probabilities.tif} when asked);
     * the report (one line per image, a summary) goes to {@code out}, warnings to {@code err}. Returns the
     * number of images segmented (not counting those kept from an earlier run).
     */
    public static int run(Settings s, PrintStream out, PrintStream err) throws IOException {
        return run(s, out, err, Progress.NONE);
    }

    /**
     * As {@link #run(Settings, PrintStream, PrintStream)}; {@code progress} hears of each image (and each
     * band of a big one), and a cancel stops the run with {@link Cancelled}: the finished outputs stay,
     * complete, and the message says how many.
     */
    public static int run(Settings s, PrintStream out, PrintStream err, Progress progress) throws IOException {
        Path output = s.output();
        boolean created = !Files.exists(output);
        try {
            return runInto(s, out, err, progress);
        } finally {
            // A run that failed before writing anything leaves no empty folder it made behind.
            if (created && Files.isDirectory(output)) {
                try (var entries = Files.list(output)) {
                    if (entries.findAny().isEmpty()) {
                        Files.deleteIfExists(output);
                    }
                } catch (IOException ignored) {
                    // Only tidying: the run's own outcome stands.
                }
            }
        }
    }

    private static int runInto(Settings s, PrintStream out, PrintStream err, Progress progress) throws IOException {
        List<Path> inputs = withoutResults(s.inputs(), err);
        Path output = s.output();
        // The output, the inputs' headers and the targets are checked before any work starts, so a long run
        // does not fail at its end or halfway through (no pixels are decoded).
        checkWritable(output);
        Map<Path, ImageFiles.Header> headers = checkInputs(inputs, s.image(), err);
        // Resolved first: earlier labels are kept only if this model made them.
        Path folder = ModelStore.resolve(s.model());
        Set<Path> kept = checkTargets(inputs, output, s.overwrite(), s.image(), headers, LabelInfo.ModelIdentity.of(folder));
        String leftovers = org.segmentcells.io.AtomicFiles.leftovers(output);
        if (leftovers != null) {
            err.println("warning: " + leftovers);
        }
        Set<Path> streamed = new java.util.HashSet<>();
        List<String> notInBands = new ArrayList<>();
        for (Path in : inputs) {
            try {
                if (!kept.contains(in) && streams(in, s.forceStreaming(), s.image().probabilities())) {
                    streamed.add(in);
                }
            } catch (IOException e) {
                notInBands.add(e.getMessage());
            }
        }
        refuseInputs(notInBands);
        for (Path in : inputs) {
            String big = streamed.contains(in) ? labelSizeWarning(in) : null;
            if (big != null) {
                err.println("warning: " + big);
            }
        }
        ModelInfo info = ModelFolder.readInfo(folder);
        info.requireUsable(s.image().segment());
        if (info.caution(folder) != null) {
            err.println("warning: " + info.caution(folder));
        }
        try (Model model = Model.load(folder)) {
            out.println(TensorFlowRuntime.deviceSummary());
            long t0 = System.nanoTime();
            long pixels = 0;
            int i = 0;
            for (Path in : inputs) {
                if (progress.cancelRequested()) {
                    throw cancelled(i, inputs.size());
                }
                String which = "[" + (i + 1) + "/" + inputs.size() + "] " + in.getFileName();
                if (kept.contains(in)) {
                    out.printf(Locale.ROOT, "%s: kept from an earlier run (%s)%n", which, labelsFile(output, in));
                    i++;
                    continue;
                }
                progress.status(which);
                // A thousand units per image, so one big image in bands still moves a progress bar.
                Progress image = progress.part(i * 1000L, 1000, inputs.size() * 1000L).statusPrefixed(which + ": ");
                long t = System.nanoTime();
                if (streamed.contains(in)) {
                    int[] size = TiffRows.sizeOrNull(in);
                    int n;
                    Model.Plan plan;
                    try {
                        plan = streamingPlan(model, in, s.image().segment(), err, image);
                        String made = LabelInfo.text(model, s.image().segment(), plan);
                        n = plan.scale().nothing() ? writeEmptyLabels(labelsFile(output, in), in, size[0], size[1], made)
                                : segmentStreaming(in, labelsFile(output, in), plan.segmenter(), plan.instances(),
                                        bandLines(out, in, image), made);
                    } catch (Cancelled c) {
                        throw cancelled(i, inputs.size());
                    }
                    pixels += (long) size[0] * size[1];
                    out.printf(Locale.ROOT, "[%d/%d] %s: %s, %s (%.2f s, in bands; peak resident memory %.0f MB)%n",
                            ++i, inputs.size(), in.getFileName(), org.segmentcells.setting.Counts.nuclei(n), plan.scale().describe(), (System.nanoTime() - t) / 1e9,
                            ProcessMemory.peakRssMb());
                    continue;
                }
                Segmented r;
                try {
                    r = segmentImage(model, in, labelsFile(output, in), s.image(), out, err, image);
                } catch (Cancelled c) {
                    throw cancelled(i, inputs.size());
                } catch (IOException e) {
                    // Pixels a header check cannot judge (a PNG's damaged data): how to go on past this image. Only
                    // for the input's own failure (its message starts with it), not a write that failed (a full disk).
                    boolean input = !(e instanceof java.nio.file.FileSystemException) && e.getMessage() != null
                            && e.getMessage().startsWith(in.toString());
                    throw i == 0 || !input ? e : new IOException(e.getMessage() + "; " + org.segmentcells.setting.Counts.of(i,
                            "image") + " before it " + (i == 1 ? "is" : "are") + " done, and the same command run again"
                            + " keeps " + (i == 1 ? "it" : "them") + " and goes on (move this one away first)", e);
                }
                pixels += r.pixels();
                out.printf(Locale.ROOT, "[%d/%d] %s: %s%s, %s (%.2f s)%n", ++i, inputs.size(), in.getFileName(),
                        r.planes() > 1 ? r.planes() + " planes, " : "", org.segmentcells.setting.Counts.nuclei(r.nuclei()), r.scales(), (System.nanoTime() - t) / 1e9);
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            int done = inputs.size() - kept.size();
            out.printf(Locale.ROOT, "segmented %s%s in %.1f s (%.2f megapixels/s) with model %s%n",
                    org.segmentcells.setting.Counts.of(done, "image"), kept.isEmpty() ? ""
                            : " (" + kept.size() + " kept from an earlier run)", sec, pixels / 1e6 / sec,
                    ModelStore.describe(s.model(), folder));
        }
        return inputs.size() - kept.size();
    }

    /**
     * {@code inputs} without the label and probability images this tool wrote (TIFFs whose Info records the image
     * they came from, {@link SourceImage}), each named in a note. Why: results saved beside their images, or an
     * output folder given again as an input folder, were segmented as images (labels of labels), and a run into
     * its own input folder could not go on, its labels taken for inputs (found by two testers).
     */
    static List<Path> withoutResults(List<Path> inputs, PrintStream err) throws IOException {
        List<Path> images = new ArrayList<>();
        List<String> results = new ArrayList<>();
        for (Path in : inputs) {
            SourceImage of = resultOf(in);
            if (of == null) {
                images.add(in);
            } else {
                results.add(in + " (of " + of.path() + ")");
            }
        }
        String named = String.join(", ", results.subList(0, Math.min(5, results.size())))
                + (results.size() > 5 ? " and " + (results.size() - 5) + " more" : "");
        if (images.isEmpty()) {
            throw new IOException("no images to segment: every input is a result Segment Cells wrote (" + named + ")");
        }
        if (!results.isEmpty()) {
            err.println("note: left out " + org.segmentcells.setting.Counts.of(results.size(), "result")
                    + " Segment Cells wrote, not images to segment: " + named);
        }
        return images;
    }

    /** The image {@code in} records as its source, if it is a TIFF this tool wrote (labels, probabilities); else null. */
    public static SourceImage resultOf(Path in) {
        String name = in.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".tif") || name.endsWith(".tiff") ? SourceImage.recordedIn(in) : null;
    }

    /**
     * Every input's header can be read as {@code image} says, and a stack fits the heap; else all that cannot.
     * Returns each input's header (null for a format whose header is not read).
     */
    private static Map<Path, ImageFiles.Header> checkInputs(List<Path> inputs, ImageSettings image, PrintStream err)
            throws IOException {
        List<String> unreadable = new ArrayList<>();
        Map<Path, ImageFiles.Header> headers = new java.util.HashMap<>();
        for (Path in : inputs) {
            try {
                ImageFiles.Header h = ImageFiles.checkInput(in, image.channel(), image.nuclearChannel());
                headers.put(in, h);
                if (h != null && h.channels() == 1 && image.nuclearChannel() > 1) {
                    // Segmented as it is, which is right only if its one channel is the nuclear stain.
                    err.println("warning: " + in + ": " + oneChannel(image.nuclearChannel()));
                }
                requireHeapForStack(in, h,
                        image.probabilities() ? OUTPUT_BYTES_PER_PIXEL_WITH_PROBABILITIES : OUTPUT_BYTES_PER_PIXEL,
                        Runtime.getRuntime().maxMemory());
            } catch (IOException e) {
                unreadable.add(e.getMessage());
            }
        }
        refuseInputs(unreadable);
        return headers;
    }

    /**
     * Why a file of one channel is segmented as it is although a nuclear channel was given: a warning, since
     * a folder may mix such files with hyperstacks, and right only if that one channel is the nuclear stain.
     */
    public static String oneChannel(int nuclearChannel) {
        return "has one channel, so it is segmented as it is, not " + Setting.NUCLEAR_CHANNEL.is(nuclearChannel);
    }

    /** The inputs a run cannot segment, one line each after the first: a message to show whole. */
    public static final class InputsRefused extends IOException {
        private static final long serialVersionUID = 1L;

        InputsRefused(String message) {
            super(message);
        }
    }

    /**
     * Refuses the run when any input cannot be segmented, each file with its own reason (a corrupt file, a
     * colour one, one of several channels, one that cannot go in bands), so one run shows everything to fix; a
     * long list is cut after ten.
     */
    public static void refuseInputs(List<String> reasons) throws InputsRefused {
        if (reasons.isEmpty()) {
            return;
        }
        int shown = Math.min(reasons.size(), 10);
        throw new InputsRefused(reasons.size() == 1 ? reasons.get(0) + " (nothing was segmented)"
                : reasons.size() + " inputs cannot be segmented as given (nothing was segmented):\n  "
                        + String.join("\n  ", reasons.subList(0, shown))
                        + (reasons.size() > shown ? "\n  ... and " + (reasons.size() - shown) + " more" : ""));
    }

    /**
     * Outputs never land on an input or on each other (a.tif and a.png both give a.tif), nor, unless
     * {@code overwrite}, on an existing file. Returns the inputs whose outputs an earlier run wrote whole
     * ({@link #earlierLabels}): they are kept, so an interrupted batch goes on where it stopped, as the Spark
     * job does; an image whose probabilities an earlier run wrote, but not yet its labels, is segmented again;
     * any other file in an output's place is refused.
     */
    private static Set<Path> checkTargets(List<Path> inputs, Path output, boolean overwrite, ImageSettings image,
            Map<Path, ImageFiles.Header> headers, LabelInfo.ModelIdentity model) throws IOException {
        boolean probabilities = image.probabilities();
        checkOneOutputEach(inputs, in -> in.getFileName().toString(), output, probabilities);
        checkNoInputReplaced(inputs, output, true);
        for (Path in : inputs) {
            for (Path t : outputsOf(output, in, probabilities)) {
                if (Files.isDirectory(t)) {
                    throw new IOException(t + ": is a folder, where the output file would go; move or rename it");
                }
            }
        }
        Set<Path> kept = new java.util.HashSet<>();
        List<String> refused = new ArrayList<>(); // every output in the way, so one run names them all
        if (!overwrite) {
            for (Path in : inputs) {
                List<Path> outs = outputsOf(output, in, probabilities);
                List<Path> existing = outs.stream().filter(Files::exists).toList();
                if (existing.isEmpty()) {
                    continue;
                }
                Path labels = outs.get(0);
                boolean whole = existing.size() == outs.size();
                if (whole && earlierLabels(labels, in, headers.get(in), image)) {
                    String other = otherSettings(labels, model, image);
                    if (other != null) {
                        refused.add(other);
                    } else {
                        kept.add(in);
                    }
                    continue;
                }
                if (whole) {
                    refused.add(notLabelsOf(labels, in, in.getFileName().toString()).getMessage());
                    continue;
                }
                if (outs.size() == 2 && existing.equals(List.of(outs.get(1))) && ofThisImage(outs.get(1), in)) {
                    // A run stopped between this image's two files (the probabilities are written first, recording
                    // their image): segmented again, so no earlier labels are ever replaced unasked.
                    continue;
                }
                List<Path> missing = outs.stream().filter(t -> !existing.contains(t)).toList();
                refused.add(existing.get(0) + ": already exists, without " + missing.get(0).getFileName()
                        + " beside it (use " + Setting.OVERWRITE.mention() + " to replace it)");
            }
        }
        refuseInputs(refused);
        return kept;
    }

    /**
     * Why earlier labels of an image ({@link #earlierLabels}) are not kept by a run with {@code model} and
     * {@code image}'s settings: their Info records others
     * ({@link LabelInfo#differences}); null when it does not, or records none.
     */
    public static String otherSettings(Path labels, LabelInfo.ModelIdentity model, ImageSettings image) throws IOException {
        List<String> d = LabelInfo.differences(ImageFiles.infoOf(labels), model, image.segment(), image.nuclearChannel(),
                image.channel());
        return d.isEmpty() ? null : labels + ": holds labels an earlier run made with other settings (" + String.join("; ", d)
                + "); use " + Setting.OVERWRITE.mention() + " to segment it again, or another " + Setting.OUTPUT.mention();
    }

    /** Whether {@code file} records {@code in}'s bytes as its image ({@link SourceImage}). */
    private static boolean ofThisImage(Path file, Path in) throws IOException {
        SourceImage recorded = SourceImage.recordedIn(file);
        return recorded != null && recorded.sameImage(SourceImage.of(in));
    }

    /**
     * Whether {@code labels} is what segmenting {@code in} writes ({@link #earlierLabels(Path, int, int, int)});
     * {@code h}, the input's header, is null where its format has none that {@code checkInput} reads.
     */
    static boolean earlierLabels(Path labels, Path in, ImageFiles.Header h, ImageSettings image) throws IOException {
        if (h != null) {
            return earlierLabels(labels, in, h.width(), h.height(), h.planes());
        }
        ImageFiles.Planes p = ImageFiles.readPlanes(in, image.channel(), image.nuclearChannel());
        return earlierLabels(labels, in, p.width(), p.height(), p.count());
    }

    /**
     * Whether {@code labels} is what segmenting {@code in}, an image of this size, writes: a 16- or 32-bit gray
     * TIFF with its width, height and planes, whose ids first appear in raster order 1, 2, 3, ... in each plane,
     * as this tool numbers them ({@link #numberedInRasterOrder}; a raw image of the same name and size, another
     * channel's, never is), and which records {@code in}'s bytes as its source ({@link SourceImage}; labels of
     * another plate's A01.tif do not; labels written before that record, which record none, are kept). Files
     * are written whole under a temporary name and renamed, so one that exists was finished. Every front end's
     * re-run keeps exactly these files (the Spark job's too).
     */
    public static boolean earlierLabels(Path labels, Path in, int width, int height, int planes) throws IOException {
        ImageFiles.Header t;
        try {
            t = ImageFiles.checkInput(labels, null, 0);
        } catch (IOException e) {
            return false; // not an image (a note, a cut-off file): refused as any other file in the way
        }
        if (t == null || t.channels() != 1 || (t.bytesPerPixel() != 2 && t.bytesPerPixel() != 4)) {
            return false;
        }
        if (t.width() != width || t.height() != height || t.planes() != planes || anotherImageIn(labels, in) != null) {
            return false;
        }
        try {
            return numberedInRasterOrder(labels, t);
        } catch (IOException e) {
            return false; // pixels cut short: not a file this tool finished
        }
    }

    /**
     * Why an existing file is not kept in an output's place ({@code in}'s; {@code name}, how the user named
     * it), and how to go on.
     */
    public static IOException notLabelsOf(Path existing, Path in, String name) throws IOException {
        SourceImage recorded = anotherImageIn(existing, in);
        if (recorded != null) {
            if (Path.of(recorded.path()).equals(in.toAbsolutePath().normalize())) {
                return new IOException(existing + ": already exists and holds the labels of " + name + " as it was"
                        + " before its file changed (use " + Setting.OVERWRITE.mention() + " to segment it again)");
            }
            // Two plates' wells of one name is how this happens; a file put there by hand, another.
            boolean sameName = Path.of(recorded.path()).getFileName().toString().equals(name);
            return new IOException(existing + ": already exists and holds the labels of another image, "
                    + recorded.path() + " (" + (sameName ? "give each plate its own " + Setting.OUTPUT.mention()
                            + " folder, or " : "") + "use " + Setting.OVERWRITE.mention() + " to replace them)");
        }
        return new IOException(existing + ": already exists and is not a label image of " + name
                + " (use " + Setting.OVERWRITE.mention() + " to replace it)");
    }

    /** The image {@code labels} records as its source when that is not {@code in} (other bytes); else null. */
    private static SourceImage anotherImageIn(Path labels, Path in) throws IOException {
        SourceImage recorded = SourceImage.recordedIn(labels);
        return recorded != null && !recorded.sameImage(SourceImage.of(in)) ? recorded : null;
    }

    /**
     * Whether every plane's non-zero ids first appear, row by row, as 1, 2, 3, ...: how every label file of this
     * tool is numbered (in memory, in bands, and by the Spark job). A slide too big for the heap is read in bands
     * of rows (16-bit, or 32-bit past 65535 nuclei).
     */
    static boolean numberedInRasterOrder(Path labels, ImageFiles.Header t) throws IOException {
        return numberedInRasterOrder(labels, t, STREAMING_PIXELS);
    }

    /** As above, reading files of up to {@code inMemory} pixels whole. */
    static boolean numberedInRasterOrder(Path labels, ImageFiles.Header t, long inMemory) throws IOException {
        if ((long) t.width() * t.height() * t.planes() <= inMemory) {
            for (org.segmentcells.img.LabelPlane p : ImageFiles.readLabelPlanes(labels)) {
                RasterOrder order = new RasterOrder();
                for (int v : p.data()) {
                    if (!order.takes(v)) {
                        return false;
                    }
                }
            }
            return true;
        }
        try (TiffRows rows = t.planes() == 1 ? TiffRows.openOrNull(labels, true) : null) {
            if (rows == null) {
                return false;
            }
            int band = Math.max(1, (1 << 22) / t.width());
            float[] buf = new float[band * t.width()];
            RasterOrder order = new RasterOrder();
            for (int y = 0; y < t.height(); y += band) {
                int n = Math.min(band, t.height() - y);
                rows.read(y, n, buf);
                for (int i = 0; i < n * t.width(); i++) {
                    if (!order.takes(buf[i])) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** Ids read in raster order, each new one the next number: 0 and ids seen before pass, a skip fails. */
    private static final class RasterOrder {
        private double next = 1;

        boolean takes(double id) {
            if (id < next) {
                return true;
            }
            if (id != next) {
                return false;
            }
            next++;
            return true;
        }
    }

    /**
     * Refuses inputs one of whose outputs in {@code folder} (labels, and probabilities when written) is an
     * input file itself, overwrite ({@code Setting.OVERWRITE}) or not: inputs are never modified. Every front end's file job
     * checks this. Inputs are resolved (symbolic links) only once an output exists.
     */
    public static void checkNoInputReplaced(List<Path> inputs, Path folder, boolean probabilities) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        Set<Path> inputFiles = null;
        for (Path in : inputs) {
            for (Path t : outputsOf(folder, in, probabilities)) {
                if (Files.exists(t)) {
                    if (inputFiles == null) {
                        inputFiles = new java.util.HashSet<>();
                        for (Path i : inputs) {
                            inputFiles.add(i.toRealPath());
                        }
                    }
                    if (inputFiles.contains(t.toRealPath())) {
                        throw new IOException(t + ": is an input image and would be replaced by an output;"
                                + " choose another " + Setting.OUTPUT.mention() + " folder");
                    }
                }
            }
        }
    }

    /** The files a run writes for {@code in} in {@code folder}: its labels, and with them its probabilities. */
    private static List<Path> outputsOf(Path folder, Path in, boolean probabilities) {
        Path labels = labelsFile(folder, in);
        return probabilities ? List.of(labels, probabilitiesFile(labels)) : List.of(labels);
    }

    /** Where an input's labels go: {@code folder/STEM.tif}. Every front end names its outputs so. */
    public static Path labelsFile(Path folder, Path in) {
        return folder.resolve(ImageFiles.stem(in) + ".tif");
    }

    /** Where the probabilities go beside a label file: {@code STEM-probabilities.tif}. */
    static Path probabilitiesFile(Path labels) {
        return labels.resolveSibling(ImageFiles.stem(labels) + "-probabilities.tif");
    }

    /**
     * Refuses inputs whose label files in {@code folder} would be one file: a.tif and a.png, or two
     * folders' a.tif, both give a.tif, and the second would replace the first (or pass for it when
     * existing outputs are kept).
     *
     * @param fileName an input's file name (the last part of its path or URI)
     */
    public static <T> void checkOneOutputEach(List<T> inputs, java.util.function.Function<T, String> fileName,
            Path folder) throws IOException {
        checkOneOutputEach(inputs, fileName, folder, false);
    }

    /**
     * The same, where with {@code probabilities} each input also writes STEM-probabilities.tif: a.tif's
     * probabilities would replace the labels of an input called a-probabilities.tif.
     */
    static <T> void checkOneOutputEach(List<T> inputs, java.util.function.Function<T, String> fileName, Path folder,
            boolean probabilities) throws IOException {
        record Claim<T>(T input, String name) {
        }
        java.util.Map<String, Claim<T>> byOutput = new java.util.HashMap<>();
        for (T in : inputs) {
            Path labels = labelsFile(folder, Path.of(fileName.apply(in)));
            for (Path out : probabilities ? List.of(labels, probabilitiesFile(labels)) : List.of(labels)) {
                // By name in lower case: macOS and Windows keep A.tif and a.tif as one file.
                String name = out.getFileName().toString();
                Claim<T> earlierClaim = byOutput.put(name.toLowerCase(Locale.ROOT), new Claim<>(in, name));
                T other = earlierClaim == null ? null : earlierClaim.input();
                String otherName = earlierClaim == null ? null : earlierClaim.name();
                if (other != null && other.equals(in)) {
                    throw new IOException(in + ": given twice; give each input once");
                }
                if (other != null) {
                    // The output folder's own label file among the inputs: most likely an earlier run's labels.
                    boolean earlier = out.toAbsolutePath().normalize().equals(
                            Path.of(String.valueOf(other)).toAbsolutePath().normalize())
                            || out.toAbsolutePath().normalize().equals(Path.of(String.valueOf(in)).toAbsolutePath().normalize());
                    throw new IOException(in + " and " + other + " would both be written to " + out + (earlier
                            ? "; " + out.getFileName() + " is in the " + Setting.OUTPUT.mention() + " folder (an earlier"
                                    + " run's labels?): write the labels to another folder"
                            : name.equals(otherName) ? "; rename one of them"
                                    : " and " + otherName + ", names that differ only in case (one file on macOS and"
                                            + " Windows); rename one of them"));
                }
            }
        }
    }

    private static Cancelled cancelled(int done, int total) {
        return new Cancelled("cancelled after " + done + " of " + total + " images; their outputs are complete, and"
                + " no other output was written");
    }

    /** {@code progress}, also printing a line to {@code out} after each band of {@code in}. */
    private static Progress bandLines(PrintStream out, Path in, Progress progress) {
        return new Progress() {
            @Override
            public void fraction(long done, long total) {
                out.printf(Locale.ROOT, "  %s: band %d/%d%n", in.getFileName(), done, total);
                progress.fraction(done, total);
            }

            @Override
            public boolean cancelRequested() {
                return progress.cancelRequested();
            }
        };
    }

    /**
     * One image segmented in memory: a 2D image, or the planes of a stack or time-lapse.
     *
     * @param labels each plane's label image, as written
     * @param plans  each plane's scale and instance settings (one object for all planes that share it)
     * @param read   the image as read, plane by plane (for measurements)
     */
    public record Segmented(List<LabelPlane> labels, List<Model.Plan> plans, ImageFiles.Planes read) {
        /** Its pixels, over all planes. */
        public long pixels() {
            return labels.stream().mapToLong(l -> (long) l.width() * l.height()).sum();
        }

        /** The nuclei found, over all planes. */
        public int nuclei() {
            return labels.stream().mapToInt(LabelPlane::countObjects).sum();
        }

        public int planes() {
            return plans.size();
        }

        /** The first plane's plan: the image's, when its planes share one. */
        public Model.Plan plan() {
            return plans.get(0);
        }

        /** The scale chosen, as a report says it: per plane, their range. */
        public String scales() {
            if (plans.stream().mapToDouble(p -> p.scale().factor()).distinct().count() == 1) {
                return plan().scale().describe();
            }
            double lo = plans.stream().mapToDouble(p -> p.scale().factor()).min().orElse(1);
            double hi = plans.stream().mapToDouble(p -> p.scale().factor()).max().orElse(1);
            return String.format(Locale.ROOT, "scales %.2f to %.2f (auto, per plane)", lo, hi);
        }
    }

    /**
     * Reads {@code in}, segments it and writes the labels to {@code target} (and the probabilities beside it,
     * {@code STEM-probabilities.tif}, when asked), each file complete or not at all. A stack or time-lapse
     * gets one label plane per plane, segmented at one scale measured on a few of its planes
     * ({@link Model#plan(SegmentSettings, int, java.util.function.IntFunction)}), or at each plane's own when
     * {@link ImageSettings#scalePerPlane} (a line per plane then goes to {@code out}). Warnings (NaN pixels, a
     * clamped scale) go to {@code err}; {@code progress} hears of each tile and may cancel, before anything
     * is written. The step every front end's file job repeats per image.
     */
    public static Segmented segmentImage(Model model, Path in, Path target, ImageSettings s, PrintStream out,
            PrintStream err, Progress progress) throws IOException {
        return segmentImage(model, in, SourceImage.of(in), target, s, out, err, progress);
    }

    /** As above, the labels recording {@code source} as their image ({@code in} read from a copy, say). */
    public static Segmented segmentImage(Model model, Path in, SourceImage source, Path target, ImageSettings s,
            PrintStream out, PrintStream err, Progress progress) throws IOException {
        ImageFiles.Planes planes = read(in, s);
        int n = planes.count();
        List<LabelPlane> labels = new ArrayList<>(n);
        LabelInfo info = LabelInfo.of(model, s.segment(), planes.nuclearChannel(), planes.channelRead());
        List<FloatPlane> probabilities = new ArrayList<>();
        List<String> probabilityNames = new ArrayList<>();
        List<Model.Plan> plans = PlaneSegmentation.run(model, s.segment(), s.scalePerPlane(), n, planes::plane,
                new PlaneSegmentation.Listener() {
                    @Override
                    public void planned(String plane, Model.Plan plan) {
                        warn(err, in, plane, plan.scale());
                    }

                    @Override
                    public void segmenting(int k, String plane, FloatPlane img, Model.Plan plan) throws IOException {
                        if (plane != null) {
                            progress.status(plane); // a stack's planes, one by one
                        }
                        if (plan.scale().factor() > 1) {
                            try {
                                requireHeapToEnlarge(in, img.size(), plan.scale(), ProcessMemory.freeHeapBytes());
                            } catch (IOException tooLittle) {
                                // Measuring the size left garbage; only what is still held (the planes' labels
                                // so far) should count against the enlargement.
                                System.gc();
                                requireHeapToEnlarge(in, img.size(), plan.scale(), ProcessMemory.freeHeapBytes());
                            }
                        }
                    }

                    @Override
                    public void nonFinite(String plane, long count) {
                        err.printf(Locale.ROOT, "warning: %s%s: %d NaN or infinite pixels, treated as background"
                                + " (0 after normalisation)%n", in, plane == null ? "" : " " + plane, count);
                    }

                    @Override
                    public void segmented(int k, String plane, Model.Plan plan, Segmenter.Probabilities p,
                            LabelPlane l) {
                        if (s.scalePerPlane() && plane != null) {
                            out.printf(Locale.ROOT, "  %s %s: %s, %s%n", in.getFileName(), plane,
                                    org.segmentcells.setting.Counts.nuclei(l.countObjects()), plan.scale().describe());
                        }
                        labels.add(l);
                        info.add(k + 1, plan);
                        if (s.probabilities()) {
                            String suffix = plane == null ? "" : " " + (k + 1);
                            probabilities.addAll(List.of(p.background(), p.nucleus(), p.contour()));
                            probabilityNames.addAll(List.of("background" + suffix, "nucleus" + suffix,
                                    "contour" + suffix));
                        }
                    }
                }, progress);
        // Probabilities first: a run stopped between the two leaves no labels, so a re-run segments the image
        // again (checkTargets) rather than keep labels without their probabilities.
        String made = info.text();
        if (s.probabilities()) {
            ImageFiles.writeStack(probabilities, probabilityNames, probabilitiesFile(target), planes, 3,
                    made + source.line());
        }
        ImageFiles.writeLabels(labels, target, planes, source, made);
        return new Segmented(labels, plans, planes);
    }

    /** The planes of {@code in} as {@code s} says to read them; a clear refusal where they overflow the heap. */
    private static ImageFiles.Planes read(Path in, ImageSettings s) throws IOException {
        try {
            return ImageFiles.readPlanes(in, s.channel(), s.nuclearChannel());
        } catch (OutOfMemoryError e) {
            throw new IOException(in + ": too big for the Java heap (" + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB); give Java more memory, or save it as an uncompressed single-plane 8- or 16-bit"
                    + " TIFF to segment it in bands");
        }
    }

    /** What a stack's outputs hold in memory until they are written, per pixel: its label planes. */
    static final int OUTPUT_BYTES_PER_PIXEL = Integer.BYTES;
    /** The same with its three class probabilities. */
    static final int OUTPUT_BYTES_PER_PIXEL_WITH_PROBABILITIES = Integer.BYTES + 3 * Float.BYTES;

    /**
     * Refuses, naming the file, a stack or time-lapse whose planes (of all its channels, as read), outputs
     * ({@code outputBytesPerPixel}) and one plane's segmenting would not fit in {@code maxHeap} (a header of
     * null or one plane passes: a big 2D image goes in bands).
     */
    static void requireHeapForStack(Path in, ImageFiles.Header header, int outputBytesPerPixel, long maxHeap)
            throws IOException {
        if (header == null || header.planes() < 2) {
            return;
        }
        long plane = (long) header.width() * header.height();
        long need = header.pixels() * ((long) header.channels() * Math.max(1, header.bytesPerPixel()) + outputBytesPerPixel)
                + plane * Segmenter.IN_MEMORY_BYTES_PER_PIXEL;
        if (need > maxHeap) {
            throw new IOException(String.format(Locale.ROOT, "%s: its %d planes of %d×%d need about %d MB of memory"
                    + " and the Java heap has %d MB; give Java more memory, or split the stack into"
                    + " smaller files", in, header.planes(), header.width(), header.height(), need >> 20, maxHeap >> 20));
        }
    }

    /**
     * Refuses, naming the file, an image whose chosen scale enlarges it beyond the heap left
     * ({@link Segmenter#inMemoryBytesPerPixel}): the check before reading could not know the scale (auto
     * enlarges images of tiny nuclei up to about twice), and running out of memory halfway helps no one.
     */
    static void requireHeapToEnlarge(Path in, long pixels, AutoScale.Choice scale, long freeBytes) throws IOException {
        long need = pixels * Segmenter.inMemoryBytesPerPixel(scale.factor());
        if (scale.factor() > 1 && need > freeBytes) {
            throw new IOException(String.format(Locale.ROOT, "%s: at %s it needs about %d MB of memory and %d MB are"
                    + " free; give Java more memory, give a smaller %s (or a larger %s), or save it as an"
                    + " uncompressed 8- or 16-bit TIFF and use %s (bands of rows)", in, scale.describe(), need >> 20,
                    freeBytes >> 20, Setting.SCALE.mention(), Setting.DIAMETER.mention(), Setting.STREAMING.mention()));
        }
    }

    private static void warn(PrintStream err, Path in, String plane, AutoScale.Choice c) {
        if (c.hasNote()) {
            err.printf(Locale.ROOT, "warning: %s%s: %s%n", in, plane == null ? "" : " " + plane,
                    c.note());
        }
    }

    /** Side of the full-resolution crops a TIFF segmented in bands is measured on (one {@link ObjectSize#MAX_PIXELS}). */
    static final int CROP = 1024;
    /** How many crops: enough nuclei for a stable median, at about a second of measuring. */
    static final int CROPS = 8;

    /**
     * The nucleus size of a TIFF segmented in bands, with memory bounded whatever its size: a block-mean
     * overview of at most {@link ObjectSize#MAX_PIXELS} (read a band of rows at a time) shows where the
     * texture is, and the {@link #CROPS} {@link #CROP}-px squares of most texture (on a grid, so spread over
     * the slide and not on empty glass) are read at full resolution and measured together. Why not the
     * overview itself: on a 20000×20000 slide it shrinks 20 times, so 21-px nuclei become 1 px and only
     * their clusters can be seen (measured at 84 px).
     */
    static ObjectSize.Estimate sizeInBands(Path in, Model model) {
        return model.measure(crops(in));
    }

    /**
     * The centred square of at most {@code Sharpness.CROP} px a side that {@link Sharpness#of} reads of a whole
     * plane, read from a TIFF a band of rows at a time: the same decision as in memory.
     */
    static FloatPlane centreSquare(Path in) {
        try (TiffRows rows = TiffRows.openOrNull(in)) {
            int w = rows.width();
            int h = rows.height();
            int cw = Math.min(Sharpness.CROP, w);
            int ch = Math.min(Sharpness.CROP, h);
            return crop(rows, (w - cw) / 2, (h - ch) / 2, cw, ch, new float[w * ch]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The {@code cw}×{@code ch} crop at ({@code x0}, {@code y0}) of a TIFF, read through {@code strip} (whole rows). */
    private static FloatPlane crop(TiffRows rows, int x0, int y0, int cw, int ch, float[] strip) throws IOException {
        int w = rows.width();
        rows.read(y0, ch, strip);
        float[] crop = new float[cw * ch];
        for (int y = 0; y < ch; y++) {
            System.arraycopy(strip, y * w + x0, crop, y * cw, cw);
        }
        return new FloatPlane(cw, ch, crop);
    }

    /** Reads the crops {@link #sizeInBands} measures. */
    static List<FloatPlane> crops(Path in) {
        try (TiffRows rows = TiffRows.openOrNull(in)) {
            int w = rows.width();
            int h = rows.height();
            int k = 1;
            // Never more rows per overview row than the image has (a 1,200,000×1 strip would read past its end).
            while (k < Math.min(w, h) && (long) (w / k) * (h / k) > ObjectSize.MAX_PIXELS) {
                k++;
            }
            int ow = Math.max(1, w / k);
            int oh = Math.max(1, h / k);
            float[] overview = new float[ow * oh];
            float[] band = new float[w * k];
            for (int oy = 0; oy < oh; oy++) {
                // Each band of k rows becomes one overview row.
                rows.read(oy * k, k, band);
                System.arraycopy(org.segmentcells.img.Resample.blockMean(new FloatPlane(w, k, band), k).data(), 0, overview, oy * ow, ow);
            }
            band = null;
            List<int[]> crops = textured(new FloatPlane(ow, oh, overview), k, w, h);
            List<FloatPlane> planes = new ArrayList<>();
            float[] strip = new float[w * Math.min(CROP, h)];
            for (int[] c : crops) {
                planes.add(crop(rows, c[0], c[1], Math.min(CROP, w - c[0]), Math.min(CROP, h - c[1]), strip));
            }
            return planes;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The top-left corners of the {@link #CROPS} cells of a {@link #CROP}-px grid whose overview pixels vary
     * most (their standard deviation), in raster order; every cell when there are no more.
     */
    private static List<int[]> textured(FloatPlane overview, int k, int w, int h) {
        int cols = Math.max(1, (w + CROP - 1) / CROP);
        int rowsOfCells = Math.max(1, (h + CROP - 1) / CROP);
        List<double[]> cells = new ArrayList<>();
        for (int cy = 0; cy < rowsOfCells; cy++) {
            for (int cx = 0; cx < cols; cx++) {
                int x0 = Math.min(Math.max(0, w - CROP), cx * CROP);
                int y0 = Math.min(Math.max(0, h - CROP), cy * CROP);
                double sum = 0;
                double sq = 0;
                int n = 0;
                for (int oy = y0 / k; oy < Math.min(overview.height(), (y0 + CROP) / k); oy++) {
                    for (int ox = x0 / k; ox < Math.min(overview.width(), (x0 + CROP) / k); ox++) {
                        double v = overview.data()[oy * overview.width() + ox];
                        if (Double.isFinite(v)) {
                            sum += v;
                            sq += v * v;
                            n++;
                        }
                    }
                }
                double sd = n == 0 ? 0 : Math.sqrt(Math.max(0, sq / n - (sum / n) * (sum / n)));
                cells.add(new double[] {sd, y0, x0});
            }
        }
        return cells.stream().sorted((a, b) -> Double.compare(b[0], a[0])).limit(CROPS)
                .sorted((a, b) -> a[1] != b[1] ? Double.compare(a[1], b[1]) : Double.compare(a[2], b[2]))
                .map(c -> new int[] {(int) c[2], (int) c[1]}).toList();
    }

    /**
     * The plan of a TIFF segmented in bands: the given or the model's scale, or an automatic one measured on
     * crops chosen on an overview ({@link #sizeInBands}), so memory stays bounded. Warnings go to {@code err}.
     */
    public static Model.Plan streamingPlan(Model model, Path in, SegmentSettings settings, PrintStream err)
            throws IOException {
        return streamingPlan(model, in, settings, err, Progress.NONE);
    }

    /** As above; {@code progress} may stop the measuring (its cancel only). */
    public static Model.Plan streamingPlan(Model model, Path in, SegmentSettings settings, PrintStream err,
            Progress progress) throws IOException {
        // The measuring crops are at the image's own sampling, so they show whether the image is soft or noisy.
        // Where nothing was measured (a scale given, or the model's), the centre square that segmenting in memory
        // would look at does, without a read of the whole file for the crops.
        Once<List<FloatPlane>> crops = Once.of(() -> crops(in));
        Model.Plan plan;
        try {
            plan = model.plan(settings, () -> model.measure(crops.get(), progress.cancelOnly()),
                    Sharpness.once(() -> crops.done() ? crops.get() : List.of(centreSquare(in))));
            // Small sharp nuclei, measured or given as a diameter, are judged on the measuring crops (or, where
            // nothing was measured, the centre square), as in memory on the planes measured.
            plan = model.enlargedIfSharp(settings, plan,
                    () -> crops.done() && !crops.get().isEmpty() ? crops.get() : List.of(centreSquare(in)),
                    progress.cancelOnly());
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // a file that cannot be read is the user's error, not an unexpected one
        }
        warn(err, in, null, plan.scale());
        return plan;
    }

    /**
     * Refuses (naming the file) an input that cannot be read row by row: bands need an uncompressed
     * single-plane 8- or 16-bit grayscale TIFF. {@code why} starts the message, e.g. {@code Setting.STREAMING.mention()}.
     */
    public static void requireRowReadable(Path in, String why) throws IOException {
        try (TiffRows rows = TiffRows.openOrNull(in)) {
            if (rows == null) {
                throw new IOException(in + ": " + why + " needs an uncompressed single-plane 8- or 16-bit grayscale"
                        + " TIFF (save it as one first)");
            }
            // Refused now, not after hours in bands: even 16-bit labels of this size pass what a classic TIFF holds.
            if (!TiffStripWriter.fits(rows.width(), rows.height(), TiffStripWriter.Type.GRAY16)) {
                throw new IOException(in + ": " + rows.width() + "x" + rows.height() + " is too big for its label image"
                        + " (16-bit, over the 4 GB a classic TIFF holds); split it into parts first");
            }
        }
    }

    /**
     * A warning for a slide whose label image fits a classic TIFF only while its ids fit 16 bits: past 65535
     * nuclei labels are 32-bit, and the count is known only after every band; null when either fits.
     */
    public static String labelSizeWarning(Path in) {
        int[] size = TiffRows.sizeOrNull(in);
        if (size == null || TiffStripWriter.fits(size[0], size[1], TiffStripWriter.Type.FLOAT32)) {
            return null;
        }
        return in + ": " + size[0] + "x" + size[1] + " with more than 65535 nuclei would need 32-bit labels, over the"
                + " 4 GB a classic TIFF holds, and fail after its bands; split it into parts if it may hold that many";
    }

    /** Images over this many pixels are segmented in bands even if the heap would hold them. */
    public static final long STREAMING_PIXELS = 64L << 20;

    /**
     * Whether a TIFF is one that {@link #run} segments in bands rather than in memory: over
     * {@link #STREAMING_PIXELS}, or needing more than the Java heap. False for files whose size the header
     * does not give (PNG, compressed TIFF), which are read whole.
     */
    public static boolean tooBigForMemory(Path in) {
        int[] size = TiffRows.sizeOrNull(in);
        return tooBigForMemory(size == null ? 0 : (long) size[0] * size[1]);
    }

    private static boolean tooBigForMemory(long pixels) {
        return pixels > STREAMING_PIXELS || pixels * Segmenter.IN_MEMORY_BYTES_PER_PIXEL > Runtime.getRuntime().maxMemory();
    }

    /**
     * Whether an input is segmented in bands: when asked, or when it is big; refuses (naming the file) the
     * cases that need bands but cannot have them, before any work starts.
     */
    static boolean streams(Path in, boolean forced, boolean probabilities) throws IOException {
        int[] size = TiffRows.sizeOrNull(in);
        long pixels = size == null ? 0 : (long) size[0] * size[1];
        long need = pixels * Segmenter.IN_MEMORY_BYTES_PER_PIXEL;
        boolean big = tooBigForMemory(pixels);
        if (!forced && !big) {
            return false;
        }
        String why = forced ? Setting.STREAMING.mention() : String.format(Locale.ROOT,
                "%d×%d is too big to segment in memory (about %d MB; the Java heap has %d MB), so it is segmented in"
                        + " bands, which", size[0], size[1], need >> 20, Runtime.getRuntime().maxMemory() >> 20);
        requireRowReadable(in, why);
        if (probabilities) {
            throw new IOException(in + ": " + why + " cannot write " + Setting.PROBABILITIES.mention() + " (they would take "
                    + pixels * 12 / (1 << 20) + " MB); leave out " + Setting.PROBABILITIES.mention());
        }
        return true;
    }

    /**
     * Segments one TIFF in bands, writing its label image row by row, with {@code info} ({@link LabelInfo}) in
     * its Info; returns the number of nuclei. {@code progress} hears of each band and may cancel, leaving no
     * output.
     */
    public static int segmentStreaming(Path in, Path target, Segmenter seg, InstanceOptions opts, Progress progress,
            String info) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path scratch = AtomicFiles.tempSibling(target.resolveSibling(ImageFiles.stem(target) + "-scratch"));
        TiffStripWriter[] writer = new TiffStripWriter[1];
        try (TiffRows rows = TiffRows.openOrNull(in)) {
            StreamingSegmenter.Result r = new StreamingSegmenter(seg, opts).segment(rowSource(rows), scratch, objects -> {
                writer[0] = labelWriter(target, in, rows.width(), rows.height(), objects, info);
                return writer[0]::writeRows;
            }, progress);
            writer[0].commit();
            return r.objects();
        } finally {
            if (writer[0] != null) {
                writer[0].close();
            }
        }
    }

    /**
     * Writes an all-background label image of {@code input}, as segmenting in memory gives where auto scale found no nuclei to
     * measure: the network at scale 1 would invent some in noise. Returns 0, the number of nuclei.
     */
    public static int writeEmptyLabels(Path target, Path input, int width, int height, String info) throws IOException {
        int rows = Math.max(1, Math.min(height, (1 << 22) / width));
        int[] zeros = new int[rows * width];
        try (TiffStripWriter writer = labelWriter(target, input, width, height, 0, info)) {
            for (int y = 0; y < height; y += rows) {
                writer.writeRows(zeros, 0, Math.min(rows, height - y));
            }
            writer.commit();
        }
        return 0;
    }

    /** A TIFF's rows as the bands read them. */
    public static StreamingSegmenter.RowSource rowSource(TiffRows rows) {
        return new StreamingSegmenter.RowSource() {
            @Override
            public int width() {
                return rows.width();
            }

            @Override
            public int height() {
                return rows.height();
            }

            @Override
            public int maxValue() {
                return rows.maxValue();
            }

            @Override
            public void read(int y0, int n, float[] dst) throws IOException {
                rows.read(y0, n, dst);
            }
        };
    }

    /**
     * The row-by-row writer of the label image of {@code input} with this many objects: as
     * {@link ImageFiles#writeLabels}, 16-bit while ids fit, else 32-bit float (exact to 2^24; more objects are
     * refused), with the input's pixel size, and {@code info}'s lines ({@link LabelInfo}) before the input's in
     * the Info.
     */
    public static TiffStripWriter labelWriter(Path target, Path input, int width, int height, int objects, String info)
            throws IOException {
        LabelType type;
        try {
            type = LabelType.forMaxLabel(objects);
        } catch (IllegalArgumentException e) {
            throw new IOException(target + ": " + e.getMessage(), e);
        }
        String source = SourceImage.of(input).line();
        return new TiffStripWriter(target, width, height,
                type == LabelType.GRAY16 ? TiffStripWriter.Type.GRAY16 : TiffStripWriter.Type.FLOAT32,
                TiffStripWriter.PixelSize.of(input), source, (info == null ? "" : info) + source + "\n");
    }

    /**
     * Creates the output folder and proves it writable by writing a file there: Files.isWritable is
     * true for root whatever the permissions, and says nothing about read-only file systems.
     */
    public static void checkWritable(Path output) throws IOException {
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new IOException(output + ": is a file; " + Setting.OUTPUT.mention() + " names a folder for the label images");
        }
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new IOException(output + ": cannot create the output folder (" + org.segmentcells.setting.FileErrors.about(output, e) + ")", e);
        }
        Path probe = org.segmentcells.io.AtomicFiles.tempSibling(output.resolve("write-test"));
        try {
            Files.createFile(probe);
        } catch (IOException e) {
            throw new IOException(output + ": output folder is not writable (" + org.segmentcells.setting.FileErrors.reason(e) + ")", e);
        }
        org.segmentcells.io.AtomicFiles.discard(probe);
    }

    /**
     * What {@link #inputs} leaves out of the folders given: their subfolders that hold images, which it does not
     * search (a plate's wells in folders of their own, say), named so the user can give them; the run's
     * {@code output} (null: none) is not one. Null when there are none.
     */
    public static String subfoldersNote(List<String> args, Path output) throws IOException {
        Path out = output == null ? null : output.toAbsolutePath().normalize();
        List<String> notes = new ArrayList<>();
        for (String s : args) {
            Path p = Path.of(s);
            if (!Files.isDirectory(p)) {
                continue;
            }
            List<String> sub;
            try (var st = Files.list(p)) {
                sub = st.filter(f -> Files.isDirectory(f) && !f.getFileName().toString().startsWith(".")
                        && !f.toAbsolutePath().normalize().equals(out) && holdsImages(f))
                        .map(f -> f.getFileName().toString()).sorted().toList();
            }
            if (!sub.isEmpty()) {
                notes.add(p + ": " + org.segmentcells.setting.Counts.of(sub.size(), "subfolder") + " not searched ("
                        + String.join(", ", sub.subList(0, Math.min(5, sub.size()))) + (sub.size() > 5 ? ", ..." : "")
                        + "); give a subfolder as an input to segment its images");
            }
        }
        return notes.isEmpty() ? null : String.join("; ", notes);
    }

    private static boolean holdsImages(Path folder) {
        try (var st = Files.list(folder)) {
            return st.anyMatch(f -> Files.isRegularFile(f) && ImageFiles.isImageName(f.getFileName().toString()));
        } catch (IOException e) {
            return false; // unreadable: nothing to point the user at
        }
    }

    /** Expands folders into their image files (sorted), keeps files as given. */
    public static List<Path> inputs(List<String> args) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String s : args) {
            Path p = Path.of(s);
            if (Files.isDirectory(p)) {
                try (var st = Files.list(p)) {
                    st.filter(f -> Files.isRegularFile(f) && ImageFiles.isImageName(f.getFileName().toString()))
                            .sorted().forEach(out::add);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IOException(p + ": no such file or folder");
            }
        }
        if (out.isEmpty()) {
            String sub = subfoldersNote(args, null);
            throw new IOException("no images found in " + args + (sub != null ? " (" + sub + ")" : ""));
        }
        return out;
    }
}
