package org.segmentcells.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.segmentcells.setting.Setting;
import org.segmentcells.tf.QuietStart;

/**
 * {@code java -jar segment-cells-spark.jar segment --model default --output OUT INPUT...} (Spark embedded,
 * {@code local[*]}), or the same through {@code spark-submit --master URL}. The flags are the CLI's
 * {@code segment} flags where they mean the same, plus {@code --master} and {@code --table-format}.
 */
public final class SparkMain {

    static final String USAGE = String.join("\n",
            "usage: segment-cells-spark segment --output DIR [options] INPUT...",
            "       segment-cells-spark segment --streaming --output DIR [options] TIFF...",
            "  INPUT            image files, folders of images, glob patterns ('plate1/*.tif'), URIs of any Hadoop",
            "                   file system (hdfs://, s3a://, file://), or .txt/.lst files listing one per line",
            "  --output DIR     labels/STEM.tif, nuclei.FORMAT/ (one row per nucleus), images.FORMAT/ (one per image)",
            "  --model NAME     default (the default), another model name, or a model folder",
            "  --scale S        auto or a factor (default: the model's own)",
            "  --diameter PX    the nuclei are about PX pixels across: the scale is chosen from that, as auto",
            "                   would from a measurement (not with --scale)",
            "  --min-size N     smallest nucleus kept, in pixels (default: the model's own)",
            "  --seed-threshold P  nucleus probability that starts an object (default: the model's own)",
            "  --scale-per-plane  with auto scale, measure each plane of a stack on its own (default: one scale per",
            "                   stack; a stack's nuclei rows carry their plane, 1, 2, ...)",
            "  --nuclear-channel N  of files of several channels, segment channel N over Z and T (default: refuse them)",
            "  --channel C      read colour images through luminance, red, green or blue (default: refuse them)",
            "  --table-format F parquet (default) or csv",
            "  --overwrite      segment images again whose label files exist (else they are kept and measured)",
            "  --streaming      one huge image across the cluster: each TIFF is cut into bands of rows (rows of",
            "                   tiles) that the executors segment, stitched into labels/STEM.tif equal to the CLI's",
            "                   segment --streaming; needs an uncompressed 8- or 16-bit grayscale TIFF at the same",
            "                   path on every executor (others are refused: use the many-images job) and an",
            "                   output folder every executor can write; the driver measures the labels for the tables",
            "  --tile N         tile size in pixels (default 1024; with --streaming, a band is a row of tiles)",
            "  --master URL     Spark master, e.g. spark://host:7077 (default: spark-submit's, or local[*])",
            "  --verbose        also show TensorFlow's own start-up messages");

    private SparkMain() {
    }

    public static void main(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean verbose = rest.remove("--verbose");
        String[] a = rest.toArray(String[]::new);
        // Embedded, the executors run TensorFlow in this JVM, on the user's terminal: start quiet, as the
        // CLI does. Under spark-submit (it sets spark.master) the driver's options and class path are
        // spark-submit's, so it runs as it is; executors log to their own files there.
        boolean embedded = System.getProperty("spark.master") == null && a.length > 0 && a[0].equals("segment");
        int status = embedded ? QuietStart.relaunch(SparkMain.class, a, verbose) : -1;
        System.exit(status >= 0 ? status : run(a, System.out, System.err));
    }

    /** Exit status: 0 all images done, 1 some failed or the job could not run, 2 usage error. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean help = args.length > 0 && (args[0].equals("help") || args[0].equals("--help")
                || (args[0].equals("segment") && List.of(args).subList(1, args.length).contains("--help")));
        if (help) {
            out.println(USAGE); // asked for: to stdout, so that it pages
            return 0;
        }
        if (args.length == 0 || !args[0].equals("segment")) {
            err.println(args.length == 0 ? USAGE : "segment-cells-spark: unknown command '" + args[0] + "'\n" + USAGE);
            return 2;
        }
        Record s;
        try {
            s = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("segment-cells-spark segment: " + e.getMessage());
            return 2;
        }
        try {
            if (s instanceof BandJob.Settings b) {
                return BandJob.run(b, out).failed() > 0 ? 1 : 0;
            }
            SegmentJob.Summary sum = SegmentJob.run((SegmentJob.Settings) s, out);
            return sum.failed() > 0 ? 1 : 0;
        } catch (IllegalArgumentException e) {
            err.println("segment-cells-spark segment: " + Setting.spell(e, SPELLING));
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("segment-cells-spark segment: " + Setting.spell(e, SPELLING));
            return 1;
        }
    }

    /** The job's flags, as the CLI writes them: {@code --scale 1}; core messages name settings, not flags. */
    static final Setting.Spelling SPELLING = (setting, value) -> "--" + setting.key().replace('_', '-')
            + (value == null ? "" : " " + value);

    /** A {@link SegmentJob.Settings}, or with --streaming a {@link BandJob.Settings}. */
    static Record parse(String[] args) {
        String model = "default";
        Path output = null;
        String scale = null;
        Double diameter = null;
        Integer minSize = null;
        Double seedThreshold = null;
        String format = "parquet";
        boolean overwrite = false;
        String master = null;
        boolean streaming = false;
        int tile = org.segmentcells.segment.Segmenter.DEFAULT_TILE;
        int nuclearChannel = 0;
        boolean scalePerPlane = false;
        String channel = null;
        List<String> inputs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--model" -> model = value(args, ++i, a);
                case "--output" -> {
                    String o = value(args, ++i, a);
                    if (Inputs.isUri(o)) {
                        // Path.of would make s3a://b/out a local folder on each executor.
                        throw new IllegalArgumentException("--output must be a folder every executor and the driver"
                                + " can write as a file path (a shared file system), got the URI " + o);
                    }
                    output = Path.of(o);
                }
                case "--scale" -> scale = value(args, ++i, a);
                case "--diameter" -> diameter = number(args, ++i, a);
                case "--min-size" -> minSize = integer(args, ++i, a);
                case "--seed-threshold" -> seedThreshold = number(args, ++i, a);
                case "--table-format" -> format = value(args, ++i, a);
                case "--streaming" -> streaming = true;
                case "--tile" -> tile = integer(args, ++i, a);
                case "--overwrite" -> overwrite = true;
                case "--master" -> master = value(args, ++i, a);
                case "--nuclear-channel" -> {
                    nuclearChannel = integer(args, ++i, a);
                    if (nuclearChannel < 1) {
                        throw new IllegalArgumentException("--nuclear-channel: a channel is numbered from 1, got "
                                + nuclearChannel);
                    }
                }
                case "--scale-per-plane" -> scalePerPlane = true;
                case "--channel" -> {
                    channel = value(args, ++i, a);
                    try {
                        org.segmentcells.img.Channel.parse(channel);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--channel: " + e.getMessage());
                    }
                }
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    inputs.add(a);
                }
            }
        }
        if (output == null) {
            throw new IllegalArgumentException("--output is required");
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("give at least one INPUT image, folder or list");
        }
        if (!SegmentJob.FORMATS.contains(format)) {
            throw new IllegalArgumentException("--table-format must be parquet or csv, got '" + format + "'");
        }
        if (scale != null) {
            try {
                org.segmentcells.segment.Scale.parse(scale);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--scale: " + e.getMessage());
            }
        }
        if (streaming && (nuclearChannel != 0 || scalePerPlane || channel != null)) {
            throw new IllegalArgumentException("--streaming segments one single-plane grayscale TIFF; --nuclear-channel,"
                    + " --scale-per-plane and --channel are for the many-images job");
        }
        JobSettings job = new JobSettings(model, output, inputs, scale, diameter, minSize, format, overwrite, master,
                seedThreshold);
        try {
            // Values no model could use, refused before Spark starts, named as this job's flags.
            job.segment().withTile(tile);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Setting.spell(e.getMessage(), SPELLING), e);
        }
        if (streaming) {
            return new BandJob.Settings(job, tile);
        }
        return new SegmentJob.Settings(job, nuclearChannel, scalePerPlane, channel, tile);
    }

    private static double number(String[] args, int i, String flag) {
        String v = value(args, i, flag);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, got '" + v + "'");
        }
    }

    private static int integer(String[] args, int i, String flag) {
        String v = value(args, i, flag);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, got '" + v + "'");
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
