package org.segmentcells.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.segmentcells.img.Channel;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;
import org.segmentcells.segment.Segmenter;

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
                  --tile N             tile size in pixels (default 1024)
                  --channel C          read RGB images through luminance, red, green or blue
                                       (default: RGB images are refused)
                  --overwrite          replace existing outputs (default: refuse)
                """;
    }

    @Override
    public void run(String[] argv, PrintStream out) throws Exception {
        run(argv, out, System.err);
    }

    @Override
    public void run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = new Args(argv, Set.of("model", "output", "min-size", "seed-threshold", "tile", "channel"),
                Set.of("probabilities", "overwrite"));
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
        List<Path> inputs = inputs(a.positional());
        boolean overwrite = a.has("overwrite");
        boolean probs = a.has("probabilities");
        // Check the output and the inputs' headers before any work starts, so a long run does not fail
        // at its end or halfway through (both checks are cheap: no pixels are decoded).
        checkWritable(output);
        List<String> unreadable = new ArrayList<>();
        for (Path in : inputs) {
            try {
                ImageFiles.checkReadable(in);
            } catch (IOException e) {
                unreadable.add(e.getMessage());
            }
        }
        if (!unreadable.isEmpty()) {
            throw new IOException(unreadable.get(0) + (unreadable.size() > 1 ? " (and " + (unreadable.size() - 1)
                    + " more unreadable inputs; nothing was segmented)" : " (nothing was segmented)"));
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
            InstanceOptions opts = model.instanceOptions();
            opts = new InstanceOptions(a.number("seed-threshold", (float) opts.seedThreshold()),
                    a.integer("min-size", opts.minSize()));
            Segmenter seg = model.segmenter(a.integer("tile", Segmenter.DEFAULT_TILE));
            long t0 = System.nanoTime();
            long pixels = 0;
            int i = 0;
            for (Path in : inputs) {
                long t = System.nanoTime();
                FloatPlane img = ImageFiles.readPlane(in, channel);
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
