package org.segmentcells.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.segmentcells.bench.Machine;
import org.segmentcells.img.Channel;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.AtomicFiles;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.io.TiffRows;
import org.segmentcells.io.TiffStripWriter;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.segment.StreamingSegmenter;
import org.segmentcells.tf.TensorFlowRuntime;

/** {@code segment}: label images for image files or folders. */
final class SegmentCommand implements Main.Command {

    @Override
    public String summary() {
        return "segment images into nucleus label images";
    }

    @Override
    public String usage() {
        return """
                usage: segment --model NAME|DIR --output DIR [options] IMAGE_OR_DIR...

                Writes DIR/STEM.tif, a 16-bit label image (32-bit when there are more than 65535 nuclei):
                0 is background, k is nucleus k.

                  --model NAME|DIR     model name (e.g. default) or model folder
                  --output DIR         output folder (created if needed)
                  --probabilities      also write DIR/STEM-probabilities.tif (background, nucleus, contour)
                  --min-size N         drop objects smaller than N pixels (default: the model's)
                  --seed-threshold P   nucleus probability that starts an object (default: the model's)
                  --scale S            resize images by S before the network, e.g. 0.5 when
                                       nuclei are twice the size the model learned from
                                       (default: the model's, chosen when it was calibrated)
                  --tile N             tile size in pixels (default 1024)
                  --channel C          read RGB images through luminance, red, green or blue
                                       (default: RGB images are refused)
                  --streaming          segment in bands of rows, reading and writing the files
                                       row by row (default: only for images over 64 megapixels
                                       or too big for the heap); needs an uncompressed 8- or
                                       16-bit TIFF, and cannot write --probabilities
                  --overwrite          replace existing outputs (default: refuse)
                """;
    }

    @Override
    public void run(String[] argv, PrintStream out) throws Exception {
        run(argv, out, System.err);
    }

    @Override
    public void run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = new Args(argv, Set.of("model", "output", "min-size", "seed-threshold", "tile", "channel", "scale"),
                Set.of("probabilities", "overwrite", "streaming"));
        Path output = Path.of(a.require("output"));
        String modelName = a.require("model");
        if (a.positional().isEmpty()) {
            throw new Args.UsageException("no input images given");
        }
        Channel channel;
        try {
            channel = Channel.parse(a.get("channel", null));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--channel: " + e.getMessage());
        }
        if (a.has("scale")) {
            try {
                Segmenter.checkScale(a.number("scale", 1f));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("--scale: " + e.getMessage());
            }
        }
        List<Path> inputs = inputs(a.positional());
        boolean overwrite = a.has("overwrite");
        boolean probs = a.has("probabilities");
        // Check the output and the inputs' headers before any work starts, so a long run does not fail
        // at its end or halfway through (both checks are cheap: no pixels are decoded).
        checkWritable(output);
        List<String> unreadable = new ArrayList<>();
        for (Path in : inputs) {
            try {
                ImageFiles.checkPlane(in, channel);
            } catch (IOException e) {
                unreadable.add(e.getMessage());
            }
        }
        if (!unreadable.isEmpty()) {
            throw new IOException(unreadable.get(0) + (unreadable.size() > 1 ? " (and " + (unreadable.size() - 1)
                    + " more unreadable inputs; nothing was segmented)" : " (nothing was segmented)"));
        }
        Set<Path> streamed = new java.util.HashSet<>();
        for (Path in : inputs) {
            if (streams(in, a.has("streaming"), probs)) {
                streamed.add(in);
            }
        }
        // Outputs must never land on an input or on each other (a.tif and a.png both give a.tif).
        java.util.Map<Path, Path> targets = new java.util.HashMap<>();
        java.util.Set<Path> inputFiles = new java.util.HashSet<>();
        for (Path in : inputs) {
            inputFiles.add(in.toRealPath());
        }
        for (Path in : inputs) {
            Path target = output.resolve(ImageFiles.stem(in) + ".tif").toAbsolutePath().normalize();
            Path other = targets.put(target, in);
            if (other != null) {
                throw new IOException(in + " and " + other + " would both be written to " + target
                        + "; rename one of them");
            }
            for (Path t : List.of(target, target.resolveSibling(ImageFiles.stem(in) + "-probabilities.tif"))) {
                if (Files.exists(t) && inputFiles.contains(t.toRealPath())) {
                    throw new IOException(t + ": is an input image and would be replaced by an output;"
                            + " choose another --output folder");
                }
            }
        }
        if (!overwrite) {
            for (Path in : inputs) {
                Path target = output.resolve(ImageFiles.stem(in) + ".tif");
                if (Files.exists(target)) {
                    throw new IOException(target + ": already exists (use --overwrite to replace it)");
                }
            }
        }
        try (Model model = Model.load(ModelStore.resolve(modelName))) {
            out.println(TensorFlowRuntime.deviceSummary());
            InstanceOptions opts = model.instanceOptions();
            opts = new InstanceOptions(a.number("seed-threshold", (float) opts.seedThreshold()),
                    a.integer("min-size", opts.minSize()));
            Segmenter seg = model.segmenter(a.integer("tile", Segmenter.DEFAULT_TILE));
            if (a.has("scale")) {
                seg = seg.withScale(a.number("scale", 1f));
            }
            if (!streamed.isEmpty() && seg.scale() != 1) {
                throw new IOException(streamed.iterator().next() + ": segmenting in bands works at scale 1 only, and "
                        + (a.has("scale") ? "--scale is " : "model " + modelName + " uses scale ") + seg.scale()
                        + "; give --scale 1, or shrink the image first (nothing was segmented)");
            }
            long t0 = System.nanoTime();
            long pixels = 0;
            int i = 0;
            for (Path in : inputs) {
                long t = System.nanoTime();
                if (streamed.contains(in)) {
                    int[] size = TiffRows.sizeOrNull(in);
                    int n = segmentStreaming(in, output.resolve(ImageFiles.stem(in) + ".tif"), seg, opts, out);
                    pixels += (long) size[0] * size[1];
                    out.printf(Locale.ROOT, "[%d/%d] %s: %d nuclei (%.2f s, in bands; peak resident memory %.0f MB)%n",
                            ++i, inputs.size(), in.getFileName(), n, (System.nanoTime() - t) / 1e9, Machine.peakRssMb());
                    continue;
                }
                FloatPlane img;
                try {
                    img = ImageFiles.readPlane(in, channel);
                } catch (OutOfMemoryError e) {
                    throw new IOException(in + ": too big for the Java heap (" + Runtime.getRuntime().maxMemory() / (1 << 20)
                            + " MB); save it as an uncompressed 8- or 16-bit TIFF to segment it in bands");
                }
                long nonFinite = Normalization.countNonFinite(img.data());
                if (nonFinite > 0) {
                    err.printf(Locale.ROOT, "segment-cells segment: warning: %s: %d NaN or infinite pixels, treated"
                            + " as background (0 after normalisation)%n", in, nonFinite);
                }
                Segmenter.Probabilities p = seg.probabilities(img);
                LabelPlane labels = opts.label(p, img);
                String stem = ImageFiles.stem(in);
                ImageFiles.writeLabels(labels, output.resolve(stem + ".tif"));
                if (probs) {
                    ImageFiles.writeStack(List.of(p.background(), p.nucleus(), p.contour()),
                            List.of("background", "nucleus", "contour"), output.resolve(stem + "-probabilities.tif"));
                }
                pixels += img.size();
                out.printf(Locale.ROOT, "[%d/%d] %s: %d nuclei (%.2f s)%n", ++i, inputs.size(), in.getFileName(),
                        labels.countObjects(), (System.nanoTime() - t) / 1e9);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "segmented %d images in %.1f s (%.2f megapixels/s) with model %s%n",
                    inputs.size(), s, pixels / 1e6 / s, model.folder());
        }
    }

    /** Images over this many pixels are segmented in bands even if the heap would hold them. */
    static final long STREAMING_PIXELS = 64L << 20;

    /**
     * Whether an input is segmented in bands: when asked, or when it is big; refuses (naming the file) the
     * cases that need bands but cannot have them, before any work starts.
     */
    static boolean streams(Path in, boolean forced, boolean probabilities) throws IOException {
        int[] size = TiffRows.sizeOrNull(in);
        long pixels = size == null ? 0 : (long) size[0] * size[1];
        long need = pixels * Segmenter.IN_MEMORY_BYTES_PER_PIXEL;
        boolean big = pixels > STREAMING_PIXELS || need > Runtime.getRuntime().maxMemory();
        if (!forced && !big) {
            return false;
        }
        String why = forced ? "--streaming" : String.format(Locale.ROOT,
                "%d×%d is too big to segment in memory (about %d MB; the Java heap has %d MB), so it is segmented in"
                        + " bands, which", size[0], size[1], need >> 20, Runtime.getRuntime().maxMemory() >> 20);
        try (TiffRows rows = TiffRows.openOrNull(in)) {
            if (rows == null) {
                throw new IOException(in + ": " + why + " needs an uncompressed single-plane 8- or 16-bit grayscale"
                        + " TIFF (save it as one in ImageJ/Fiji)");
            }
        }
        if (probabilities) {
            throw new IOException(in + ": " + why + " cannot write --probabilities (they would take "
                    + pixels * 12 / (1 << 20) + " MB); leave out --probabilities");
        }
        return true;
    }

    /** Segments one TIFF in bands, writing its label image row by row; returns the number of nuclei. */
    static int segmentStreaming(Path in, Path target, Segmenter seg, InstanceOptions opts, PrintStream out)
            throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path scratch = AtomicFiles.tempSibling(target.resolveSibling(ImageFiles.stem(target) + "-scratch"));
        TiffStripWriter[] writer = new TiffStripWriter[1];
        try (TiffRows rows = TiffRows.openOrNull(in)) {
            StreamingSegmenter.RowSource src = new StreamingSegmenter.RowSource() {
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
            StreamingSegmenter.Result r = new StreamingSegmenter(seg, opts).segment(src, scratch, objects -> {
                if (objects >= (1 << 24)) {
                    throw new IOException(target + ": too many objects to store exactly in a 32-bit float TIFF: "
                            + objects);
                }
                // As ImageFiles.writeLabels: 16-bit while ids fit, else 32-bit float (exact to 2^24).
                writer[0] = new TiffStripWriter(target, rows.width(), rows.height(),
                        objects <= 65535 ? TiffStripWriter.Type.GRAY16 : TiffStripWriter.Type.FLOAT32);
                return writer[0]::writeRows;
            }, (done, total) -> out.printf(Locale.ROOT, "  %s: band %d/%d%n", in.getFileName(), done, total));
            writer[0].commit();
            return r.objects();
        } finally {
            if (writer[0] != null) {
                writer[0].close();
            }
        }
    }

    /**
     * Creates the output folder and proves it writable by writing a file there: Files.isWritable is
     * true for root whatever the permissions, and says nothing about read-only file systems.
     */
    static void checkWritable(Path output) throws IOException {
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new IOException(output + ": cannot create the output folder (" + e + ")", e);
        }
        Path probe = org.segmentcells.io.AtomicFiles.tempSibling(output.resolve("write-test"));
        try {
            Files.createFile(probe);
        } catch (IOException e) {
            throw new IOException(output + ": output folder is not writable (" + e + ")", e);
        }
        org.segmentcells.io.AtomicFiles.discard(probe);
    }

    /** Expands folders into their image files (sorted), keeps files as given. */
    static List<Path> inputs(List<String> args) throws IOException {
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
            throw new IOException("no images found in " + args);
        }
        return out;
    }
}
