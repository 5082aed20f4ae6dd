package org.segmentcells.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.img.Channel;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.setting.Setting;

/** {@code segment}: label images for image files or folders. */
public final class SegmentCommand implements Main.Command {

    @Override
    public String summary() {
        return "segment images into nucleus label images";
    }

    @Override
    public String usage() {
        return """
                usage: segment --output DIR [options] IMAGE_OR_DIR...

                Writes DIR/STEM.tif, a 16-bit label image (32-bit when there are more than 65535 nuclei):
                0 is background, k is nucleus k. A stack or time-lapse (a multi-page TIFF of one
                channel) gets one label plane per plane, numbered from 1 in each.

                  --model NAME|DIR     model name or model folder (default: default)
                  --output DIR         output folder (created if needed)
                  --probabilities      also write DIR/STEM-probabilities.tif (background, nucleus, contour)
                  --min-size N         drop objects smaller than N pixels (default: the model's)
                  --seed-threshold P   nucleus probability that starts an object (default: the model's)
                  --scale auto|S       auto: measure each image's nuclei and, when they lie
                                       outside the sizes the model learned from, resize the
                                       image to bring them in (just above that range,
                                       default keeps a sharp image of up to 1 MP as it is,
                                       and a model trained on sharp crops only resizes
                                       where the network finds different nuclei at scale 1;
                                       smaller nuclei are enlarged to its smallest size,
                                       which the latter does below half of it only);
                                       S: resize by S, e.g. 0.5 when
                                       nuclei are twice that size (default: the model's own,
                                       auto for the shipped models, or what calibration chose)
                  --diameter PX        the nuclei are about PX pixels across: the scale is chosen
                                       from that, as auto would from a measurement, instead of
                                       measuring (not with --scale)
                  --scale-per-plane    with auto scale, measure each plane of a stack on its own
                                       (default: one scale per stack, measured on up to 5 of its
                                       planes, since the planes of one acquisition share a
                                       magnification)
                  --tile N             tile size in pixels (default 1024; at least 160 for U-Net
                                       models such as default, 48 for the paper's)
                  --tta                test-time augmentation: average the network over the 4
                                       flips of each tile; 4 times the network time (about 3.5
                                       times slower end to end); for the default model
                                       better on held-out DSB images (F 0.874 against
                                       0.867), level on BBBC039 val (0.946)
                  --channel C          read RGB images through luminance, red, green or blue
                                       (default: RGB images are refused)
                  --nuclear-channel N  of files of several channels (ImageJ hyperstacks), segment
                                       channel N (1, 2, ...), over Z and T (default: refuse them)
                  --streaming          segment in bands of rows, reading and writing the files
                                       row by row (default: only for images over 64 megapixels
                                       or too big for the heap); needs an uncompressed 8- or
                                       16-bit TIFF, and cannot write --probabilities
                  --overwrite          replace existing outputs (default: keep the label files an
                                       earlier run wrote for these images, refuse any other file)
                """;
    }

    /** {@code --scale auto|S}; anything else is a usage error naming the flag. */
    public static Scale scale(Args a) throws Args.UsageException {
        try {
            return Scale.parse(a.get("scale", ""));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage()); // names the setting
        }
    }

    @Override
    public void run(String[] argv, PrintStream out) throws Exception {
        run(argv, out, System.err);
    }

    /** The options that say how each image is segmented, which the Spark driver's {@code segment} shares. */
    public static final Set<String> IMAGE_OPTIONS = Set.of("model", "min-size", "seed-threshold", "tile", "channel",
            "scale", "diameter", "nuclear-channel");
    public static final Set<String> IMAGE_FLAGS = Set.of("scale-per-plane");

    /** {@code --model}: a name or folder; {@code default} when not given, as in Fiji and on Spark. */
    public static String model(Args a) {
        return a.get("model", "default");
    }

    /**
     * {@link #IMAGE_OPTIONS} and {@link #IMAGE_FLAGS} (and {@code --tta}, {@code --probabilities} where the
     * front end takes them) as core's settings; an option not given stays null, the model's own value. A value
     * out of range is a usage error naming its flag.
     */
    public static FileSegmentation.ImageSettings imageSettings(Args a) {
        Channel channel;
        try {
            channel = Channel.parse(a.get("channel", null));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage()); // names the setting
        }
        int nuclearChannel = a.integer("nuclear-channel", 0);
        if (a.has("nuclear-channel") && nuclearChannel < 1) {
            throw new Args.UsageException("--nuclear-channel: a channel is numbered from 1, got " + nuclearChannel);
        }
        SegmentSettings settings;
        try {
            settings = SegmentSettings.MODEL.withScale(a.has("scale") ? scale(a) : null)
                    .withDiameter(a.has("diameter") ? (double) a.number("diameter", 0) : null)
                    .withMinSize(a.has("min-size") ? a.integer("min-size", 0) : null)
                    .withSeedThreshold(a.has("seed-threshold") ? (double) a.number("seed-threshold", 0.5f) : null)
                    .withTile(a.integer("tile", Segmenter.DEFAULT_TILE)).withTta(a.has("tta"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage()); // a value out of range is a command-line mistake
        }
        return FileSegmentation.ImageSettings.DEFAULT.withChannel(channel).withNuclearChannel(nuclearChannel)
                .withSegment(settings).withScalePerPlane(a.has("scale-per-plane"))
                .withProbabilities(a.has("probabilities"));
    }

    @Override
    public String whenStopped(String[] args) {
        return "the label files written so far are complete; the same command run again keeps them and segments"
                + " the rest";
    }

    @Override
    public void run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Set<String> valued = new java.util.HashSet<>(IMAGE_OPTIONS);
        valued.add("output");
        Set<String> flags = new java.util.HashSet<>(IMAGE_FLAGS);
        flags.addAll(Set.of("probabilities", "overwrite", "streaming", "tta"));
        Args a = new Args(argv, valued, flags);
        Path output = Path.of(a.require("output"));
        if (a.positional().isEmpty()) {
            throw new Args.UsageException("no input images given");
        }
        if (a.has("streaming") && a.has("probabilities")) {
            // Bands are written row by row; probabilities would need the whole image's three planes at once.
            throw new Args.UsageException(Setting.STREAMING.mention() + " cannot write "
                    + Setting.PROBABILITIES.mention() + "; leave out one of them");
        }
        FileSegmentation.ImageSettings image = imageSettings(a);
        List<Path> inputs = FileSegmentation.inputs(a.positional());
        String subfolders = FileSegmentation.subfoldersNote(a.positional(), output);
        if (subfolders != null) {
            err.println("note: " + subfolders);
        }
        FileSegmentation.run(FileSegmentation.Settings.of(model(a), output, inputs)
                .withImage(image).withOverwrite(a.has("overwrite")).withStreaming(a.has("streaming")), out,
                Setting.spelled(err, Main.SPELLING));
    }
}
