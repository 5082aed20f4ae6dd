package org.segmentcells.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.batch.LabelInfo;
import org.segmentcells.io.AtomicFiles;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.io.TiffRows;
import org.segmentcells.io.TiffStripWriter;
import org.segmentcells.measure.NucleusMeasurements;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.segment.StreamingSegmenter;
import org.segmentcells.setting.Counts;
import org.segmentcells.setting.Setting;

/**
 * The huge-image job ({@code segment --streaming}): one TIFF at a time is cut into core's bands (rows of
 * tiles, each tile with a margin of E's receptive radius, each band labelled in a window of
 * {@link StreamingSegmenter#LABEL_OVERLAP} rows into its neighbours), and the bands are spread over the
 * executors. The driver computes the statistics (one read of the file), Spark runs E on every tile row
 * and then labels every band, the driver stitches the bands' summaries (joins across borders, the size and
 * faint filters, raster-order ids) and writes {@code OUTPUT/labels/STEM.tif} row by row. The steps are the
 * CLI's {@code segment --streaming} steps, so the labels are the CLI's, pixel for pixel. The driver then
 * measures the label file against the image in one pass of row bands ({@link NucleusMeasurements#ofFiles}),
 * and at the end writes job 1's two tables, by job 1's code: one row per nucleus and one per image.
 *
 * <p>The input must be an uncompressed single-plane 8- or 16-bit TIFF at the same path on every executor
 * (bands read their rows by offset); anything else is refused before Spark starts. The output folder holds
 * the scratch files ({@code labels/.STEM-bands-...}: one byte per pixel for the masks, four for the
 * provisional ids, deleted at the end), so it must be on a file system the driver and every executor see.
 */
final class BandJob {

    /** One huge image across the cluster: a band is a row of tiles of the job's tile size, less two margins. */
    record Settings(JobSettings job) {
    }

    private BandJob() {
    }

    record Checked(List<Path> images, Path model) {
    }

    static Checked check(Settings s) throws IOException {
        Path model = s.job().check();
        List<String> named = SegmentJob.listed(s.job().inputs());
        for (String location : named) {
            if (Inputs.isRemote(location)) {
                // Each executor reads its bands from the file itself, by path; refused before Hadoop is asked.
                throw new IOException(location + ": " + Setting.STREAMING.mention() + " reads each TIFF at a path every"
                        + " executor sees (a shared file system); use the many-images job for files on "
                        + location.substring(0, location.indexOf(':')) + "://, or copy it there");
            }
        }
        List<Path> images = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (String location : Inputs.expand(named)) {
            Path in = Path.of(location).toAbsolutePath().normalize();
            try {
                if (!Files.isRegularFile(in)) {
                    throw new IOException(in + ": no such file");
                }
                FileSegmentation.requireRowReadable(in, Setting.STREAMING.mention() + " (one image across the cluster, in bands)");
                org.segmentcells.io.SourceImage result = FileSegmentation.resultOf(in);
                if (result != null) {
                    throw new IOException(in + ": a result Segment Cells wrote (of " + result.path() + "), not an image to segment");
                }
                images.add(in);
            } catch (IOException e) {
                refused.add(e.getMessage());
            }
        }
        FileSegmentation.refuseInputs(refused);
        FileSegmentation.checkOneOutputEach(images, in -> in.getFileName().toString(), SegmentJob.labelsFolder(s.job().output()));
        FileSegmentation.checkNoInputReplaced(images, SegmentJob.labelsFolder(s.job().output()), false);
        for (Path in : images) {
            Path target = target(s.job().output(), in);
            if (Files.exists(target) && !s.job().overwrite()) {
                if (!complete(target, in)) {
                    throw FileSegmentation.notLabelsOf(target, in, in.getFileName().toString());
                }
                String other = FileSegmentation.otherSettings(target, LabelInfo.ModelIdentity.of(model), s.job().image());
                if (other != null) {
                    throw new IOException(other);
                }
            }
        }
        return new Checked(images, model);
    }

    static Path target(Path output, Path in) {
        return FileSegmentation.labelsFile(SegmentJob.labelsFolder(output), in);
    }

    /** A label file from an earlier run, kept as the CLI keeps it. */
    private static boolean complete(Path target, Path in) throws IOException {
        int[] size = TiffRows.sizeOrNull(in);
        return size != null && FileSegmentation.earlierLabels(target, in, size[0], size[1], 1);
    }

    static SegmentJob.Summary run(Settings s, PrintStream out) throws IOException {
        Checked checked = check(s);
        SegmentJob.warnOfOtherRuns(SegmentJob.labelsFolder(s.job().output()),
                checked.images().stream().map(Path::toString).toList(), out);
        SegmentJob.warnOfOtherFormat(s.job().output(), s.job().tableFormat(), out);
        long t0 = System.nanoTime();
        SparkSession spark = SegmentJob.start(s.job().master());
        double started = (System.nanoTime() - t0) / 1e9;
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int segmented = 0;
            int complete = 0;
            int failed = 0;
            long nuclei = 0;
            List<ImageTask.Outcome> outcomes = new ArrayList<>();
            for (Path in : checked.images()) {
                Path target = target(s.job().output(), in);
                ImageTask.Outcome o;
                boolean kept = Files.exists(target) && !s.job().overwrite();
                long t = System.nanoTime();
                try {
                    if (kept) {
                        // As job 1: a kept label file is measured again, so the tables cover every image.
                        List<NucleusMeasurements.Nucleus> measured = NucleusMeasurements.ofFiles(target, in);
                        double seconds = (System.nanoTime() - t) / 1e9;
                        o = new ImageTask.Outcome(in.toString(), ImageTask.Outcome.COMPLETE, measured.size(), seconds,
                                null, null, ImageTask.Measured.of(1, null, measured));
                        out.printf(Locale.ROOT, "%s: complete from an earlier run, kept (--overwrite to segment it"
                                + " again); %s measured in %.1f s%n", target, Counts.nuclei(measured.size()), seconds);
                        complete++;
                    } else {
                        o = one(jsc, s, checked.model(), in, target, out);
                        segmented++;
                    }
                } catch (Exception e) {
                    if (SparkMain.stopping() || spark.sparkContext().isStopped()) {
                        throw e; // cancelled as the JVM stops: the image is not at fault, and nothing goes on
                    }
                    // As job 1: the image's row says why and the other images go on (a kept file that cannot be
                    // measured, re-saved compressed, say, too). Spark's task failures (retried first) arrive as
                    // SparkException, which Java does not declare.
                    String reason = Setting.spell(e, SparkMain.SPELLING);
                    if (kept) {
                        reason = target + ": kept from an earlier run but cannot be measured (" + reason
                                + "); give --overwrite to segment it again";
                    }
                    o = ImageTask.Outcome.failed(in.toString(), reason, (System.nanoTime() - t) / 1e9);
                    out.println(o.line());
                    failed++;
                }
                nuclei += o.nuclei();
                outcomes.add(o);
            }
            long tTables = System.nanoTime();
            // The driver holds the measurements (about 100 bytes a nucleus); Spark writes them as job 1's tables.
            SegmentJob.writeTables(spark, outcomes, s.job().output(), s.job().tableFormat());
            long tEnd = System.nanoTime();
            double sec = (tEnd - t0) / 1e9;
            out.printf(Locale.ROOT, "%s in bands: %d segmented, %d complete from an earlier run, %d failed;"
                    + " %s; %.1f s (Spark start %.1f s, tables %.1f s); tables in %s%n",
                    Counts.of(checked.images().size(), "image"),
                    segmented, complete, failed, Counts.nuclei(nuclei), sec, started, (tEnd - tTables) / 1e9,
                    s.job().output().resolve("nuclei." + s.job().tableFormat()));
            return new SegmentJob.Summary(checked.images().size(), segmented, complete, failed, nuclei, sec);
        } finally {
            spark.stop();
        }
    }

    /** Segments one TIFF across the executors, then measures its nuclei on the driver. */
    private static ImageTask.Outcome one(JavaSparkContext jsc, Settings s, Path modelFolder, Path in, Path target, PrintStream out)
            throws IOException {
        long t0 = System.nanoTime();
        Model model = ImageTask.model(modelFolder.toString());
        SegmentSettings given = s.job().image().segment();
        String big = FileSegmentation.labelSizeWarning(in); // only for a slide this run segments
        if (big != null) {
            Setting.spelled(System.err, SparkMain.SPELLING).println("warning: " + big);
        }
        Model.Plan plan = FileSegmentation.streamingPlan(model, in, given, Setting.spelled(System.err, SparkMain.SPELLING));
        if (plan.scale().nothing()) {
            int[] size = TiffRows.sizeOrNull(in);
            FileSegmentation.writeEmptyLabels(target, in, size[0], size[1], LabelInfo.text(model, given, plan));
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "%s: no nuclei found to measure, empty labels (%.1f s) -> %s%n", in.getFileName(),
                    seconds, target);
            return new ImageTask.Outcome(in.toString(), ImageTask.Outcome.SEGMENTED, 0, seconds, null, null,
                    ImageTask.Measured.of(1, null, List.of()));
        }
        StreamingSegmenter seg = new StreamingSegmenter(plan.segmenter(), plan.instances());
        StreamingSegmenter.Statistics stats;
        StreamingSegmenter.Layout layout;
        int maxValue;
        try (TiffRows rows = TiffRows.openOrNull(in)) {
            stats = seg.statistics(FileSegmentation.rowSource(rows));
            layout = seg.layout(rows.width(), rows.height());
            maxValue = rows.maxValue();
        }
        long tStats = System.nanoTime();
        Files.createDirectories(target.getParent());
        Path scratch = AtomicFiles.tempSibling(target.resolveSibling(ImageFiles.stem(target) + "-bands"));
        Files.createDirectories(scratch);
        TiffStripWriter writer = null;
        int n = layout.bands();
        long tMasks;
        long tBands;
        int objects;
        try {
            BandTask task = new BandTask(modelFolder, in, scratch, given.tile(), plan.segmenter().scale(), plan.instances().minSize(),
                    plan.instances().seedThreshold(), layout, stats);
            List<Integer> rowsOfTiles = IntStream.range(0, n).boxed().toList();
            // E on every row of tiles, then every band labelled from the masks: two waves of n tasks each.
            jsc.parallelize(rowsOfTiles, n).map(task::mask).collect();
            tMasks = System.nanoTime();
            List<StreamingSegmenter.BandSummary> summaries = jsc.parallelize(rowsOfTiles, n).map(task::band).collect();
            tBands = System.nanoTime();
            StreamingSegmenter.Stitch stitch = seg.stitch(layout, stats, maxValue);
            summaries.forEach(stitch::add);
            StreamingSegmenter.Relabelling ids = stitch.resolve();
            objects = ids.objects();
            writer = FileSegmentation.labelWriter(target, in, layout.width(), layout.height(), objects,
                    LabelInfo.text(model, given, plan));
            // Core's pass 3, reading each band's provisional labels from the file its executor wrote.
            StreamingSegmenter.relabel(layout, ids, (band, y0, nr, into) -> BandTask.readLabels(scratch, layout, band, y0,
                    nr, into), writer::writeRows);
            writer.commit();
        } finally {
            if (writer != null) {
                writer.close();
            }
            AtomicFiles.discard(scratch);
        }
        long tWritten = System.nanoTime();
        // One pass over the written file: memory stays one band plus the per-label sums.
        List<NucleusMeasurements.Nucleus> measured = NucleusMeasurements.ofFiles(target, in);
        long tEnd = System.nanoTime();
        out.printf(Locale.ROOT, "%s: %s in %s of %d rows, %dx%d (%.1f s: statistics %.1f s, E %.1f s,"
                + " labels %.1f s, stitch and write %.1f s, measure %.1f s) -> %s%n", in.getFileName(),
                org.segmentcells.setting.Counts.nuclei(objects), org.segmentcells.setting.Counts.of(n, "band"),
                layout.coreEnd(0), layout.width(), layout.height(), (tEnd - t0) / 1e9, (tStats - t0) / 1e9,
                (tMasks - tStats) / 1e9, (tBands - tMasks) / 1e9, (tWritten - tBands) / 1e9, (tEnd - tWritten) / 1e9,
                target);
        return new ImageTask.Outcome(in.toString(), ImageTask.Outcome.SEGMENTED, measured.size(), (tEnd - t0) / 1e9,
                plan.segmenter().scale(), null, ImageTask.Measured.of(1, plan.segmenter().scale(), measured));
    }
}
