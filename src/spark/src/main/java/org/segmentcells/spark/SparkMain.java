package org.segmentcells.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.cli.Args;
import org.segmentcells.cli.Main;
import org.segmentcells.cli.SegmentCommand;

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
        boolean segment = a.length > 0 && a[0].equals("segment") && !rest.contains("--help");
        boolean embedded = System.getProperty("spark.master") == null && segment;
        // Spark's own hook then stops the context, and its jobs end as cancelled: no image's fault (stopping()).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping = true));
        Thread say = segment ? QuietStart.sayIfStopped("segment-cells-spark segment", () -> WHEN_STOPPED) : null;
        int status = embedded ? QuietStart.relaunch(SparkMain.class, a, verbose) : -1;
        int code = status >= 0 ? status : run(a, System.out, System.err);
        QuietStart.removeHook(say);
        System.exit(code);
    }

    static final String WHEN_STOPPED = "the label files written so far are complete; the same command run again"
            + " keeps them, measures them again for the tables, and segments the rest";

    private static volatile boolean stopping;

    /** Whether this JVM is stopping (Ctrl-C, a kill), so that a failing job says nothing of its images. */
    static boolean stopping() {
        return stopping;
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
        } catch (Args.UsageException e) {
            err.println("segment-cells-spark segment: " + Setting.spell(e, SPELLING));
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
        } catch (Exception e) {
            if (stopping()) {
                return 130; // the JVM the user started says what is left
            }
            // Spark's job failures arrive as SparkException, which Java does not declare; their message goes
            // on with the remote stack trace (so may a Hadoop IOException's), so the first line says it. A list of
            // refused inputs is shown whole.
            String said = Setting.spell(e, SPELLING);
            err.println("segment-cells-spark segment: "
                    + (e instanceof FileSegmentation.InputsRefused ? said : said.lines().findFirst().orElse("")));
            return 1;
        }
    }

    /** The job's flags are the CLI's: {@code --scale 1}; core messages name settings, not flags. */
    static final Setting.Spelling SPELLING = Main.SPELLING;

    /** The driver's own options, beside the CLI's {@link SegmentCommand#IMAGE_OPTIONS}. */
    private static final Set<String> VALUED = Set.of("output", "table-format", "master");
    private static final Set<String> FLAGS = Set.of("streaming", "overwrite");

    /**
     * A {@link SegmentJob.Settings}, or with --streaming a {@link BandJob.Settings}; the options shared with the
     * CLI's {@code segment} are read as it reads them. A usage error is an {@link Args.UsageException}.
     */
    static Record parse(String[] args) {
        Set<String> valued = new HashSet<>(SegmentCommand.IMAGE_OPTIONS);
        valued.addAll(VALUED);
        Set<String> flags = new HashSet<>(SegmentCommand.IMAGE_FLAGS);
        flags.addAll(FLAGS);
        Args a = new Args(Arrays.copyOfRange(args, 1, args.length), valued, flags);
        String output = a.require("output");
        if (Inputs.isUri(output)) {
            // Path.of would make s3a://b/out a local folder on each executor.
            throw new Args.UsageException("--output must be a folder every executor and the driver can write as a"
                    + " file path (a shared file system), got the URI " + output);
        }
        if (a.positional().isEmpty()) {
            throw new Args.UsageException("give at least one INPUT image, folder or list");
        }
        String format = a.get("table-format", "parquet");
        if (!SegmentJob.FORMATS.contains(format)) {
            throw new Args.UsageException("--table-format must be parquet or csv, got '" + format + "'");
        }
        String master = a.get("master", null);
        if (master != null && !SegmentJob.usableMaster(master)) {
            throw new Args.UsageException("--master " + master + ": not a master this Spark can use (local[*], local[N],"
                    + " spark://HOST:PORT; yarn and k8s:// through spark-submit of a Spark built with them)");
        }
        boolean streaming = a.has("streaming");
        if (streaming && (a.has("nuclear-channel") || a.has("scale-per-plane") || a.has("channel"))) {
            throw new Args.UsageException("--streaming segments one single-plane grayscale TIFF; --nuclear-channel,"
                    + " --scale-per-plane and --channel are for the many-images job");
        }
        JobSettings job = JobSettings.of(SegmentCommand.model(a), Path.of(output), a.positional())
                .withImage(SegmentCommand.imageSettings(a)).withTableFormat(format).withOverwrite(a.has("overwrite"))
                .withMaster(master);
        return streaming ? new BandJob.Settings(job) : new SegmentJob.Settings(job);
    }
}
