package org.segmentcells.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.segmentcells.io.AtomicFiles;
import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.measure.NucleusMeasurements;
import org.segmentcells.setting.Counts;

/**
 * The many-images job: image files become tasks, each executor segments its images with one model, and
 * the driver writes two tables, one row per nucleus and one per image. A thin driver over core: labels
 * are written by core's per-image step exactly as the CLI writes them.
 *
 * <p>Output folder: {@code labels/STEM.tif}, {@code nuclei.FORMAT/} and {@code images.FORMAT/} (Spark's
 * table folders, Parquet or CSV). A second run keeps complete label files (status {@code complete}) and
 * measures them again, so the tables always cover every image; {@code overwrite} segments them again.
 */
public final class SegmentJob {

    /** Most tasks per job; more images than this share tasks. */
    static final int MAX_TASKS = 10_000;

    /** Table formats: Parquet (the default) or CSV. */
    public static final List<String> FORMATS = List.of("parquet", "csv");

    /** The many-images job: each input segmented whole (a stack plane by plane), as the CLI's segment does. */
    public record Settings(JobSettings job) {
    }

    /** What either job did. */
    public record Summary(int images, int segmented, int complete, int failed, long nuclei, double seconds) {
    }

    static final StructType NUCLEI = new StructType()
            .add("image", DataTypes.StringType, false)
            .add("plane", DataTypes.IntegerType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("area", DataTypes.LongType, false)
            .add("centroid_x", DataTypes.DoubleType, false)
            .add("centroid_y", DataTypes.DoubleType, false)
            .add("bbox_x", DataTypes.IntegerType, false)
            .add("bbox_y", DataTypes.IntegerType, false)
            .add("bbox_width", DataTypes.IntegerType, false)
            .add("bbox_height", DataTypes.IntegerType, false)
            .add("mean_intensity", DataTypes.DoubleType, false)
            .add("min_intensity", DataTypes.DoubleType, false)
            .add("max_intensity", DataTypes.DoubleType, false)
            .add("integrated_intensity", DataTypes.DoubleType, false)
            .add("touches_border", DataTypes.BooleanType, false)
            .add("scale", DataTypes.DoubleType, true);

    static final StructType IMAGES = new StructType()
            .add("image", DataTypes.StringType, false)
            .add("status", DataTypes.StringType, false)
            .add("nuclei", DataTypes.IntegerType, true) // empty for a failed image: not measured, not none found
            .add("seconds", DataTypes.DoubleType, false)
            .add("scale", DataTypes.DoubleType, true)
            .add("reason", DataTypes.StringType, true);

    private static final String LABELS = "labels";

    /** What may already be in the output folder: this job's own outputs. */
    private static final Set<String> OWN = Set.of(LABELS, "nuclei.parquet", "images.parquet", "nuclei.csv",
            "images.csv");

    private SegmentJob() {
    }

    /** Where both jobs write the label images: {@code OUT/labels/STEM.tif}. */
    static Path labelsFolder(Path output) {
        return output.resolve(LABELS);
    }

    /** The images to segment and the model folder, checked before Spark starts. */
    record Checked(List<String> images, Path model) {
    }

    /** Checks everything that can be checked before Spark starts; an IOException says what is wrong. */
    static Checked check(Settings s) throws IOException {
        Path model = s.job().check();
        List<String> images = Inputs.expand(listed(s.job().inputs()));
        Path labels = labelsFolder(s.job().output());
        FileSegmentation.checkOneOutputEach(images, Inputs::name, labels);
        FileSegmentation.checkNoInputReplaced(images.stream().filter(i -> !Inputs.isRemote(i)).map(Path::of).toList(),
                labels, false);
        return new Checked(images, model);
    }

    /**
     * Refuses a standalone master ({@code spark://host:port}, several for high availability) that none of
     * its addresses answers within a few seconds: Spark itself would retry for a minute and then fail
     * somewhere in its log. Other masters (YARN, Kubernetes) are left to Spark.
     */
    static void checkMaster(String master) throws IOException {
        if (master == null || !master.startsWith("spark://")) {
            return;
        }
        String reason = null;
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon > 0 ? hostPort.substring(0, colon).replace("[", "").replace("]", "") : hostPort;
            int port;
            try {
                port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1).replaceAll("/.*", "")) : 7077;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--master " + master + ": not host:port");
            }
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(host, port), 5000);
                return;
            } catch (IOException e) {
                reason = host + ":" + port + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
            }
        }
        throw new IOException("cannot reach the Spark master " + master + " at " + reason + "; is it running? (nothing was"
                + " segmented)");
    }

    static void checkFormat(String tableFormat) {
        if (!FORMATS.contains(tableFormat)) {
            throw new IllegalArgumentException("table format must be parquet or csv, got '" + tableFormat + "'");
        }
    }

    /** Refuses an output that is a file or a folder holding anything this job does not write. */
    static void checkOutput(Path out) throws IOException {
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) {
                throw new IOException(out + ": is a file; the output must be a folder");
            }
            try (Stream<Path> st = Files.list(out)) {
                List<String> foreign = st.map(p -> p.getFileName().toString())
                        .filter(n -> !OWN.contains(n) && !madeByTheSystem(n)).sorted().toList();
                if (!foreign.isEmpty()) {
                    throw new IOException(out + ": holds files this job did not write (" + String.join(", ",
                            foreign.subList(0, Math.min(3, foreign.size()))) + (foreign.size() > 3 ? ", ..." : "")
                            + "); choose a new or empty output folder");
                }
            }
        }
    }

    /**
     * Hidden files, and those a file browser leaves in any folder it shows (.DS_Store, Thumbs.db): nobody's
     * results, so they do not stop a re-run going on where it stopped.
     */
    private static boolean madeByTheSystem(String name) {
        return name.startsWith(".") || name.equalsIgnoreCase("Thumbs.db") || name.equalsIgnoreCase("desktop.ini");
    }

    /** Inputs with text files (.txt, .lst) replaced by the paths they list, one per line. */
    static List<String> listed(List<String> inputs) throws IOException {
        List<String> out = new ArrayList<>();
        for (String in : inputs) {
            Path p = Path.of(in);
            String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (Files.isRegularFile(p) && (name.endsWith(".txt") || name.endsWith(".lst"))) {
                int before = out.size();
                for (String line : Files.readAllLines(p)) {
                    String t = line.strip();
                    if (!t.isEmpty() && !t.startsWith("#") && Inputs.isUri(t)) {
                        out.add(t);
                    } else if (!t.isEmpty() && !t.startsWith("#")) {
                        Path listedPath = Path.of(t);
                        out.add((listedPath.isAbsolute() ? listedPath : p.toAbsolutePath().getParent().resolve(t))
                                .toString());
                    }
                }
                if (out.size() == before) {
                    // As an empty folder is: a list emptied by mistake must not pass for a finished screen.
                    throw new IOException(in + ": the list names no images");
                }
            } else {
                out.add(in);
            }
        }
        return out;
    }

    /**
     * Says so when {@code labels} holds label images of images this run does not name (another plate run into
     * the same folder): the tables are this run's, and replace those an earlier run wrote.
     */
    static void warnOfOtherRuns(Path labels, List<String> images, PrintStream out) throws IOException {
        if (!Files.isDirectory(labels)) {
            return;
        }
        java.util.Set<String> ours = new java.util.HashSet<>();
        for (String i : images) {
            ours.add(FileSegmentation.labelsFile(labels, Path.of(Inputs.name(i))).getFileName().toString());
        }
        List<String> others;
        try (var files = Files.list(labels)) {
            others = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tif") && !ours.contains(n))
                    .sorted().toList();
        }
        if (!others.isEmpty()) {
            out.printf(java.util.Locale.ROOT, "warning: %s holds %d label image%s of images not in this run (%s%s);"
                    + " the tables will list this run's %d image%s only, replacing those of the earlier run; give"
                    + " each plate its own --output folder to keep both%n", labels, others.size(),
                    others.size() == 1 ? "" : "s", others.get(0), others.size() > 1 ? ", ..." : "", images.size(),
                    images.size() == 1 ? "" : "s");
        }
    }

    /**
     * Says so when {@code output} holds tables in another format than this run writes: an earlier run's,
     * which this run leaves as they were (the user's to remove) and does not bring up to date.
     */
    static void warnOfOtherFormat(Path output, String format, PrintStream out) {
        for (String other : FORMATS) {
            if (!other.equals(format) && (Files.exists(output.resolve("nuclei." + other))
                    || Files.exists(output.resolve("images." + other)))) {
                out.printf(java.util.Locale.ROOT, "warning: %s holds %s tables of an earlier run; this run writes %s"
                        + " tables and leaves those as they were%n", output, other, format);
            }
        }
    }

    /** Runs the job; progress and the summary go to {@code out}. */
    public static Summary run(Settings s, PrintStream out) throws IOException {
        Checked checked = check(s);
        List<String> images = checked.images();
        String subfolders = FileSegmentation.subfoldersNote(listed(s.job().inputs()).stream().filter(i -> !Inputs.isUri(i))
                .toList(), s.job().output());
        if (subfolders != null) {
            out.println("note: " + subfolders);
        }
        Path labels = labelsFolder(s.job().output());
        warnOfOtherRuns(labels, images, out);
        warnOfOtherFormat(s.job().output(), s.job().tableFormat(), out);
        String leftovers = org.segmentcells.io.AtomicFiles.leftovers(labels);
        if (leftovers != null) {
            out.println("warning: " + leftovers);
        }
        long t0 = System.nanoTime();
        // Embedded, the executors are this JVM and share its model cache: load the model while Spark starts.
        java.util.concurrent.CompletableFuture<?> preload = embedded(s.job().master())
                ? java.util.concurrent.CompletableFuture.runAsync(() -> preload(checked.model()))
                : java.util.concurrent.CompletableFuture.completedFuture(null);
        SparkSession spark = start(s.job().master());
        try {
            Files.createDirectories(labels); // only now: a master Spark cannot use leaves no folder behind
            preload.join();
            long tStarted = System.nanoTime();
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            ImageTask task = new ImageTask(checked.model(), s, labels);
            // One image per task up to MAX_TASKS: tasks balance across executors and a retried task redoes one
            // image; past that, a few images per task keep the driver's scheduling small.
            JavaRDD<ImageTask.Outcome> outcomes = jsc.parallelize(images, Math.max(1, Math.min(images.size(), MAX_TASKS)))
                    .mapPartitions(task::run).persist(StorageLevel.MEMORY_AND_DISK());
            // Segment first, with every partition in parallel; the tables are then written from the cache (one
            // file each: a coalesce before this would also narrow the segmentation to one task). Only each
            // image's row comes to the driver, never the nuclei, so its memory does not grow with a screen.
            List<ImageTask.Outcome> all = outcomes.map(ImageTask.Outcome::withoutNuclei).collect();
            long tSegmented = System.nanoTime();
            writeTables(spark, outcomes, s.job().output(), s.job().tableFormat());
            int segmented = 0;
            int complete = 0;
            int failed = 0;
            long nuclei = 0;
            for (ImageTask.Outcome o : all) {
                switch (o.status()) {
                    case ImageTask.Outcome.SEGMENTED -> segmented++;
                    case ImageTask.Outcome.COMPLETE -> complete++;
                    default -> failed++;
                }
                if (o.line() != null) {
                    out.println(o.line());
                }
                nuclei += o.nuclei();
            }
            long tEnd = System.nanoTime();
            Summary sum = new Summary(all.size(), segmented, complete, failed, nuclei, (tEnd - t0) / 1e9);
            out.printf(Locale.ROOT, "%s: %d segmented, %d complete from an earlier run, %d failed; %s;"
                    + " %.1f s (start %.1f s, images %.1f s, tables %.1f s); tables in %s%n", Counts.of(sum.images(), "image"),
                    segmented, complete, failed, Counts.nuclei(nuclei), sum.seconds(), (tStarted - t0) / 1e9, (tSegmented - tStarted) / 1e9,
                    (tEnd - tSegmented) / 1e9, s.job().output().resolve("nuclei." + s.job().tableFormat()));
            return sum;
        } finally {
            spark.stop();
        }
    }

    /**
     * Starts Spark: the given master, else spark-submit's, else embedded {@code local[*]} (bound to
     * 127.0.0.1, UI off); on a cluster, executors get this jar and ours from lib/.
     */
    static SparkSession start(String master) {
        SparkConf conf = new SparkConf().setAppName("segment-cells");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]"); // embedded: no cluster, no installation
        }
        conf.setIfMissing("spark.ui.enabled", "false");
        if (conf.get("spark.master").startsWith("local") || onLoopback(conf.get("spark.master"))) {
            // Embedded, or a cluster on this machine only: nothing listens beyond it, and executors reach the
            // driver where the master is (Spark would otherwise bind the host's outside address).
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
        }
        if (!conf.get("spark.master").startsWith("local")) {
            // A cluster's executors get this jar and ours from lib/ (core, TensorFlow Java, ImageJ's readers),
            // also under spark-submit, which sets spark.jars to the application jar alone.
            String jars = jarsWith(conf.get("spark.jars", ""), applicationJars());
            if (!jars.isEmpty()) {
                conf.set("spark.jars", jars);
            }
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    // The masters SparkContext takes itself; others go to a cluster manager on the class path (YARN, Kubernetes).
    private static final java.util.regex.Pattern OWN_MASTERS = java.util.regex.Pattern.compile("local"
            + "|local\\[([1-9][0-9]*|\\*)\\]|local\\[([1-9][0-9]*|\\*)\\s*,\\s*[0-9]+\\]"
            + "|local-cluster\\[\\s*[0-9]+\\s*,\\s*[0-9]+\\s*,\\s*[0-9]+\\s*]|spark://.+");

    /**
     * Whether this Spark can start with {@code master}, found before it tries: SparkContext logs its failure
     * with a stack trace, and would leave the user Spark's words instead of the job's one line.
     */
    static boolean usableMaster(String master) {
        if (OWN_MASTERS.matcher(master).matches()) {
            return true;
        }
        for (org.apache.spark.scheduler.ExternalClusterManager m : java.util.ServiceLoader.load(
                org.apache.spark.scheduler.ExternalClusterManager.class, SegmentJob.class.getClassLoader())) {
            if (m.canCreate(master)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the job runs inside this JVM: a local master, or none given outside spark-submit. */
    static boolean embedded(String master) {
        String m = master != null ? master : new SparkConf().get("spark.master", "local[*]");
        return m.equals("local") || m.startsWith("local["); // not local-cluster[...]: separate executor JVMs
    }

    /** Loads the model into the executors' cache; a failure is left for the tasks to report per image. */
    private static void preload(Path model) {
        try {
            ImageTask.model(model.toString());
        } catch (IOException | RuntimeException | LinkageError e) {
            // Each image's row will say why.
        }
    }

    /** Whether a master URL names this machine's loopback ({@code spark://127.0.0.1:7077}, {@code localhost}). */
    static boolean onLoopback(String master) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^spark://(\\[[^\\]]+\\]|[^:/,]+)").matcher(master);
        if (!m.find()) {
            return false;
        }
        String host = m.group(1);
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    /**
     * {@code given} (a spark.jars list) with each of {@code ours} whose file name it does not hold yet, so a
     * jar is shipped once however it is named.
     */
    static String jarsWith(String given, List<String> ours) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String j : given.split(",")) {
            if (!j.isBlank()) {
                all.add(j.strip());
                names.add(fileName(j.strip()));
            }
        }
        for (String j : ours) {
            if (names.add(fileName(j))) {
                all.add(j);
            }
        }
        return String.join(",", all);
    }

    private static String fileName(String jar) {
        return jar.substring(Math.max(jar.lastIndexOf('/'), jar.lastIndexOf('\\')) + 1);
    }

    /** This jar and the jars in lib/ beside it (not lib/spark/: a cluster has its own Spark); empty outside a jar. */
    static List<String> applicationJars() {
        try {
            Path self = Path.of(SegmentJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(self)) {
                return List.of();
            }
            List<String> jars = new ArrayList<>(List.of(self.toAbsolutePath().toString()));
            Path lib = self.resolveSibling("lib");
            if (Files.isDirectory(lib)) {
                try (Stream<Path> st = Files.list(lib)) {
                    st.filter(p -> p.toString().endsWith(".jar")).sorted()
                            .forEach(p -> jars.add(p.toAbsolutePath().toString()));
                }
            }
            return jars;
        } catch (java.net.URISyntaxException | IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Job 1's two tables in {@code output}: {@code images.FORMAT/}, one row per outcome, and
     * {@code nuclei.FORMAT/}, one row per measured nucleus; each replaces an earlier run's. Rows are made
     * where the outcomes are cached, on the executors.
     */
    static void writeTables(SparkSession spark, JavaRDD<ImageTask.Outcome> outcomes, Path output, String format) {
        writeBoth(output, format, folder -> write(spark.createDataFrame(outcomes.map(SegmentJob::imageRow), IMAGES),
                folder, format, false),
                folder -> write(spark.createDataFrame(outcomes.flatMap(o -> nucleusRows(o).iterator()), NUCLEI),
                        folder, format, false));
    }

    /** Rows per slice when the driver hands rows to Spark: about half a megabyte serialized. */
    static final int ROWS_PER_SLICE = 5_000;

    /**
     * The same tables from outcomes held by the driver (job 2). The rows go to Spark in slices and reach the
     * one writing task through a shuffle, so no task carries a whole slide's nuclei (Spark warns of tasks
     * over 1 MB, and a task's size is bounded by what it must ship).
     */
    static void writeTables(SparkSession spark, List<ImageTask.Outcome> outcomes, Path output, String format) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Row> images = outcomes.stream().map(SegmentJob::imageRow).toList();
        List<Row> nuclei = outcomes.stream().flatMap(o -> nucleusRows(o).stream()).toList();
        writeBoth(output, format, folder -> write(spark.createDataFrame(jsc.parallelize(images, slices(images.size())),
                IMAGES), folder, format, true),
                folder -> write(spark.createDataFrame(jsc.parallelize(nuclei, slices(nuclei.size())), NUCLEI),
                        folder, format, true));
    }

    /**
     * Writes the two tables beside their places, then puts both in place: a write that fails (a full disk, a
     * killed driver) leaves an earlier run's tables whole, and never one table of each run.
     */
    private static void writeBoth(Path output, String format, java.util.function.Consumer<Path> images,
            java.util.function.Consumer<Path> nuclei) {
        Path[] tables = {output.resolve("images." + format), output.resolve("nuclei." + format)};
        Path[] written = {AtomicFiles.tempSibling(tables[0]), AtomicFiles.tempSibling(tables[1])};
        try {
            both(() -> images.accept(written[0]), () -> nuclei.accept(written[1]));
            AtomicFiles.replaceFolders(List.of(written), List.of(tables));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            for (Path w : written) {
                try {
                    AtomicFiles.discard(w);
                } catch (IOException e) {
                    // a hidden leftover beside the tables; the shutdown hook tries again
                }
            }
        }
    }

    /**
     * Writes the two tables as two Spark jobs at once: each is small, and most of its time is Spark's
     * planning and code generation on the driver, which the other job's tasks can overlap.
     */
    private static void both(Runnable first, Runnable second) {
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                first.run();
            } catch (Throwable e) {
                failed[0] = e;
            }
        }, "segment-cells: images table");
        // The application's classes (spark-submit puts them in the context class loader) for Spark's closures.
        t.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        t.start();
        Throwable own = null;
        try {
            second.run();
        } catch (Throwable e) {
            own = e;
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (own == null) {
                own = e;
            }
        }
        if (own != null && failed[0] != null) {
            own.addSuppressed(failed[0]);
        }
        Throwable first0 = own != null ? own : failed[0];
        if (first0 instanceof RuntimeException r) {
            throw r;
        } else if (first0 instanceof Error e) {
            throw e;
        } else if (first0 != null) {
            throw new IllegalStateException(first0);
        }
    }

    static int slices(int rows) {
        return Math.max(1, (rows + ROWS_PER_SLICE - 1) / ROWS_PER_SLICE);
    }

    private static Row imageRow(ImageTask.Outcome o) {
        return RowFactory.create(o.image(), o.status(), ImageTask.Outcome.FAILED.equals(o.status()) ? null : o.nuclei(),
                o.seconds(), o.scale(), o.reason());
    }

    private static List<Row> nucleusRows(ImageTask.Outcome o) {
        List<Row> rows = new ArrayList<>(o.measured().size());
        for (ImageTask.Measured m : o.measured()) {
            NucleusMeasurements.Nucleus n = m.nucleus();
            rows.add(RowFactory.create(o.image(), m.plane(), n.label(), n.area(), n.centroidX(), n.centroidY(), n.bboxX(),
                    n.bboxY(), n.bboxWidth(), n.bboxHeight(), n.meanIntensity(), n.minIntensity(),
                    n.maxIntensity(), n.integratedIntensity(), n.touchesBorder(), m.scale()));
        }
        return rows;
    }

    /** One file per table: coalesced where the rows already are, or through a shuffle ({@code shuffle}). */
    private static void write(Dataset<Row> table, Path folder, String format, boolean shuffle) {
        var w = (shuffle ? table.repartition(1) : table.coalesce(1)).write().mode(SaveMode.Overwrite);
        if (format.equals("csv")) {
            // RFC 4180 quoting (a quote inside a field doubled), as spreadsheets, pandas and R read it; Spark's own
            // default escapes it with a backslash, which they read as two fields' worth of garbage.
            w = w.option("header", "true").option("escape", "\"");
        }
        // With its scheme, so that a cluster whose default file system is HDFS writes beside the labels, on the
        // shared disk; as Hadoop spells a path, since it would take a URI's %20 for a folder named "%20".
        w.format(format).save(new org.apache.hadoop.fs.Path(folder.toAbsolutePath().toUri()).toString());
    }
}
