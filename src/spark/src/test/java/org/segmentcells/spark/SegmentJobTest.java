package org.segmentcells.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.measure.NucleusMeasurements;

/**
 * The many-images job in Spark's {@code local[2]}: the label files equal the CLI's byte for byte, the
 * tables have one row per nucleus and per image, a corrupt image is a failed row (exit 1) while the others
 * finish, a second run keeps complete outputs, and bad output folders or flags stop it before any work.
 */
class SegmentJobTest {

    private static final Path IMAGES = Path.of("test-images/images");

    static List<Row> table(Path folder) {
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            return spark.read().parquet(folder.toString()).collectAsList();
        } finally {
            spark.stop();
        }
    }

    @Test
    void globsAndHadoopUrisNameTheSameImages(@TempDir Path tmp) throws Exception {
        Path images = IMAGES.toAbsolutePath().normalize();
        List<String> all = Inputs.expand(List.of(images.toString()));
        assertEquals(5, all.size());
        // A file: URI of the folder, a glob pattern, and a URI listed in a text file: the same five images.
        assertEquals(all, Inputs.expand(List.of(images.toUri().toString())));
        assertEquals(all, Inputs.expand(List.of(images.resolve("*.tif").toString())));
        Path list = Files.writeString(tmp.resolve("list.txt"), images.resolve("demo.tif").toUri() + "\n");
        assertEquals(List.of(images.resolve("demo.tif").toString()), Inputs.expand(SegmentJob.listed(List.of(list.toString()))));
        IOException none = assertThrows(IOException.class, () -> Inputs.expand(List.of(images.resolve("*.png").toString())));
        assertTrue(none.getMessage().startsWith(images.resolve("*.png") + ": no such file or folder"), none.getMessage());
        IOException scheme = assertThrows(IOException.class, () -> Inputs.expand(List.of("nosuchfs://host/a.tif")));
        assertTrue(scheme.getMessage().startsWith("nosuchfs://host/a.tif: no file system for it"), scheme.getMessage());

        // What an executor does with an image on another file system: reads a local copy, named like it.
        String uri = images.resolve("demo.tif").toUri().toString();
        assertTrue(Inputs.isRemote("hdfs://namenode/plate1/a.tif") && !Inputs.isRemote(uri) && !Inputs.isUri("/data/a.tif"));
        assertEquals("a.tif", Inputs.name("hdfs://namenode/plate1/a.tif"));
        Path copy = Inputs.localCopy(uri);
        try {
            assertTrue(copy.getFileName().toString().endsWith(".tif"));
            assertArrayEquals(Files.readAllBytes(images.resolve("demo.tif")), Files.readAllBytes(copy));
        } finally {
            Files.delete(copy);
        }

        // The job on a glob gives the CLI's labels.
        Path out = tmp.resolve("out");
        MainRun r = MainRun.of("segment", "--master", "local[2]", "--output", out.toString(),
                images.resolve("demo*.tif").toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("1 image: 1 segmented"), r.out());
        Path cli = tmp.resolve("cli");
        FileSegmentation.run(FileSegmentation.Settings.of("default", cli, List.of(images.resolve("demo.tif"))),
                new PrintStream(PrintStream.nullOutputStream()), System.err);
        assertArrayEquals(Files.readAllBytes(cli.resolve("demo.tif")), Files.readAllBytes(out.resolve("labels/demo.tif")));
    }

    @Test
    void segmentsLikeTheCliMeasuresEveryNucleusAndResumes(@TempDir Path tmp) throws Exception {
        Path corrupt = Files.writeString(tmp.resolve("broken.tif"), "not a TIFF");
        Path out = tmp.resolve("out");
        MainRun first = MainRun.of("segment", "--master", "local[2]", "--output", out.toString(), IMAGES.toString(), corrupt.toString());
        assertEquals(1, first.status(), "a failed image makes the exit status 1: " + first.out() + first.err());
        assertTrue(first.out().contains("5 segmented, 0 complete from an earlier run, 1 failed"), first.out());
        assertTrue(first.out().contains("failed: " + corrupt.toAbsolutePath()), first.out());
        assertFalse(Files.exists(out.resolve("labels/broken.tif")), "no output for a failed image");

        // The CLI's segment on the same images.
        Path cli = tmp.resolve("cli");
        List<Path> inputs = FileSegmentation.inputs(List.of(IMAGES.toString()));
        FileSegmentation.run(FileSegmentation.Settings.of("default", cli, inputs),
                new PrintStream(PrintStream.nullOutputStream()), System.err);
        long nuclei = 0;
        Map<String, Integer> perImage = new HashMap<>();
        for (Path in : inputs) {
            String name = ImageFiles.stem(in) + ".tif";
            assertArrayEquals(Files.readAllBytes(cli.resolve(name)), Files.readAllBytes(out.resolve("labels").resolve(name)),
                    name + ": the same bytes as the CLI's");
            LabelPlane labels = ImageFiles.readLabels(cli.resolve(name));
            nuclei += labels.countObjects();
            perImage.put(in.toAbsolutePath().normalize().toString(), labels.countObjects());
        }

        List<Row> images = table(out.resolve("images.parquet"));
        assertEquals(6, images.size());
        for (Row r : images) {
            String image = r.getAs("image");
            if (image.endsWith("broken.tif")) {
                assertEquals("failed", r.getAs("status"));
                assertTrue(((String) r.getAs("reason")).contains("not an image"), (String) r.getAs("reason"));
            } else {
                assertEquals("segmented", r.getAs("status"));
                assertEquals(perImage.get(image), r.<Integer>getAs("nuclei"), image);
                assertEquals(1.0, r.<Double>getAs("scale"), 1e-12);
            }
        }
        List<Row> rows = table(out.resolve("nuclei.parquet"));
        assertEquals(nuclei, rows.size(), "one row per nucleus");
        Path demo = IMAGES.resolve("demo.tif").toAbsolutePath().normalize();
        NucleusMeasurements.Nucleus first1 = NucleusMeasurements.of(ImageFiles.readLabels(cli.resolve("demo.tif")),
                ImageFiles.readPlane(demo)).get(0);
        Row row = rows.stream().filter(r -> demo.toString().equals(r.getAs("image")) && r.<Integer>getAs("label") == 1)
                .findFirst().orElseThrow();
        assertEquals(first1.area(), row.<Long>getAs("area"));
        assertEquals(first1.centroidX(), row.<Double>getAs("centroid_x"), 1e-9);
        assertEquals(first1.integratedIntensity(), row.<Double>getAs("integrated_intensity"), 1e-6);
        assertEquals(first1.touchesBorder(), row.<Boolean>getAs("touches_border"));

        // Again, without the broken image: every label file is complete and kept, and measured again.
        byte[] before = Files.readAllBytes(out.resolve("labels/demo.tif"));
        MainRun second = MainRun.of("segment", "--master", "local[2]", "--output", out.toString(), IMAGES.toString());
        assertEquals(0, second.status(), second.out() + second.err());
        assertTrue(second.out().contains("0 segmented, 5 complete from an earlier run, 0 failed; " + nuclei + " nuclei"),
                second.out());
        assertArrayEquals(before, Files.readAllBytes(out.resolve("labels/demo.tif")));
        assertEquals(nuclei, table(out.resolve("nuclei.parquet")).size());
        // Kept labels report the factor their Info records, as when they were segmented.
        assertTrue(table(out.resolve("nuclei.parquet")).stream().allMatch(n -> n.getAs("scale") != null),
                "every kept nucleus has its scale");
        assertTrue(table(out.resolve("images.parquet")).stream().allMatch(i -> i.getAs("scale") != null),
                "every kept image has its scale");

        // Another model's run does not take these labels for its own: the image's row says why.
        MainRun other = MainRun.of("segment", "--master", "local[2]", "--output", out.toString(), "--model", "bbbc039-2frames",
                demo.toString());
        assertEquals(1, other.status(), other.out() + other.err());
        Row refused = table(out.resolve("images.parquet")).get(0);
        assertEquals("failed", refused.<String>getAs("status"));
        assertNull(refused.getAs("nuclei"), "not measured, rather than none found");
        assertTrue(refused.<String>getAs("reason").contains("holds labels an earlier run made with other settings (--model "),
                refused.<String>getAs("reason"));
        assertArrayEquals(before, Files.readAllBytes(out.resolve("labels/demo.tif")));
        // Labels given as an input are a result, not an image: their row says so, as the CLI leaves them out.
        Path results = Files.createDirectories(tmp.resolve("results"));
        Files.copy(out.resolve("labels/demo.tif"), results.resolve("demo.tif"));
        MainRun labelsIn = MainRun.of("segment", "--master", "local[2]", "--output", tmp.resolve("of-results").toString(),
                results.toString());
        assertEquals(1, labelsIn.status(), labelsIn.out() + labelsIn.err());
        assertTrue(labelsIn.out().contains("demo.tif: a result Segment Cells wrote (of " + demo.toAbsolutePath()),
                labelsIn.out());

        // --overwrite segments again; CSV tables on request.
        MainRun third = MainRun.of("segment", "--master", "local[2]", "--output", out.toString(), "--overwrite", "--table-format",
                "csv", demo.toString());
        assertEquals(0, third.status(), third.out() + third.err());
        assertTrue(third.out().contains("1 segmented, 0 complete"), third.out());
        List<Path> csv;
        try (Stream<Path> s = Files.list(out.resolve("nuclei.csv"))) {
            csv = s.filter(p -> p.toString().endsWith(".csv")).toList();
        }
        List<String> lines = Files.readAllLines(csv.get(0));
        assertEquals("image,plane,label,area,centroid_x,centroid_y,bbox_x,bbox_y,bbox_width,bbox_height,mean_intensity,"
                + "min_intensity,max_intensity,integrated_intensity,touches_border,scale", lines.get(0));
        assertEquals(perImage.get(demo.toString()) + 1, lines.size());
    }

    /**
     * A job stopped mid-run (SIGTERM, which runs the shutdown hooks as Ctrl-C's SIGINT does) says what is left and
     * how to go on, and blames no image for Spark's cancelled jobs.
     */
    @Test
    void aStoppedJobSaysHowToGoOn(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (int i = 0; i < 300; i++) {
            Files.copy(Path.of("test-images/images/demo.tif"), in.resolve(String.format("f%03d.tif", i)));
        }
        Path labels = tmp.resolve("out").resolve("labels");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SparkMain.class.getName(), "segment", "--master", "local[1]",
                "--output", tmp.resolve("out").toString(), in.toString());
        Process p = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out.txt").toFile())
                .redirectError(tmp.resolve("err.txt").toFile()).start();
        try {
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
            while (p.isAlive() && System.nanoTime() < end && countFiles(labels) < 2) {
                Thread.sleep(50);
            }
            assertTrue(p.isAlive(), "stopped while at work: " + Files.readString(tmp.resolve("out.txt")));
            p.destroy();
            assertTrue(p.waitFor(1, java.util.concurrent.TimeUnit.MINUTES));
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(tmp.resolve("err.txt"));
        assertTrue(err.contains("segment-cells-spark segment: stopped before the end; " + SparkMain.WHEN_STOPPED), err);
        assertFalse(err.contains("cancelled") || Files.readString(tmp.resolve("out.txt")).contains("failed"), err);
        assertTrue(countFiles(labels) < 300);
    }

    private static long countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> !f.getFileName().toString().startsWith(".")).count();
        }
    }

    /**
     * CSV tables quote as RFC 4180 does, so a file name with a comma and quotes reads back as one field; and they
     * land in an output folder whose name holds a space, '#' or '%' (not in a percent-encoded sibling).
     */
    @Test
    void csvTablesQuoteAsSpreadsheetsReadThem(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in")).resolve("q,\"uote\".tif");
        Files.copy(Path.of("test-images/images/synth-00.tif"), in);
        Path out = tmp.resolve("my out #1 100%");
        MainRun r = MainRun.of("segment", "--master", "local[1]", "--table-format", "csv", "--output", out.toString(),
                in.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        List<String> lines;
        try (Stream<Path> s = Files.list(out.resolve("images.csv"))) {
            lines = Files.readAllLines(s.filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow());
        }
        String quoted = "\"" + in.toAbsolutePath().toString().replace("\"", "\"\"") + "\",segmented,";
        assertTrue(lines.get(1).startsWith(quoted), lines.get(1) + " should start with " + quoted);
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("in", "my out #1 100%"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aStackGetsRowsPerPlaneAndTheNuclearChannelOfAFileOfSeveralIsSegmented(@TempDir Path tmp) throws Exception {
        ij.ImagePlus a = ij.IJ.openImage("test-images/images/synth-00.tif");
        ij.ImagePlus b = ij.IJ.openImage("test-images/images/synth-01.tif");
        int w = a.getWidth();
        int h = a.getHeight();
        Path in = Files.createDirectories(tmp.resolve("in"));
        ij.ImageStack movie = new ij.ImageStack(w, h);
        movie.addSlice(null, a.getProcessor());
        movie.addSlice(null, b.getProcessor().resize(w, h));
        assertTrue(new ij.io.FileSaver(new ij.ImagePlus("movie", movie)).saveAsTiffStack(in.resolve("movie.tif").toString()));
        // Two channels, the nuclei in the second.
        ij.ImageStack two = new ij.ImageStack(w, h);
        two.addSlice(null, new ij.process.ShortProcessor(w, h));
        two.addSlice(null, a.getProcessor());
        ij.ImagePlus hyper = new ij.ImagePlus("two", two);
        hyper.setDimensions(2, 1, 1);
        assertTrue(new ij.io.FileSaver(hyper).saveAsTiffStack(in.resolve("two.tif").toString()));

        Path refused = tmp.resolve("refused");
        MainRun without = MainRun.of("segment", "--master", "local[2]", "--output", refused.toString(), in.toString());
        assertEquals(1, without.status(), without.out() + without.err());
        Row failed = table(refused.resolve("images.parquet")).stream()
                .filter(r -> r.<String>getAs("image").endsWith("two.tif")).findFirst().orElseThrow();
        assertTrue(failed.<String>getAs("reason").contains("has 2 channels; give the --nuclear-channel (1 to 2)"),
                failed.<String>getAs("reason"));

        Path out = tmp.resolve("out");
        MainRun run = MainRun.of("segment", "--master", "local[2]", "--output", out.toString(), "--nuclear-channel", "2",
                in.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        // The one-channel movie is segmented as it is; its row and the driver's line say so, as the CLI warns.
        String oneChannel = "movie.tif: has one channel, so it is segmented as it is, not --nuclear-channel 2";
        assertTrue(run.out().contains("warning: " + in.resolve(oneChannel)), run.out());
        Row movieRow = table(out.resolve("images.parquet")).stream()
                .filter(r -> r.<String>getAs("image").endsWith("movie.tif")).findFirst().orElseThrow();
        assertEquals("segmented", movieRow.<String>getAs("status"));
        assertTrue(movieRow.<String>getAs("reason").endsWith("has one channel, so it is segmented as it is, not"
                + " --nuclear-channel 2"), movieRow.<String>getAs("reason"));
        assertNull(table(out.resolve("images.parquet")).stream().filter(r -> r.<String>getAs("image").endsWith("two.tif"))
                .findFirst().orElseThrow().getAs("reason"));
        // The CLI's label files, and a row per nucleus of each plane, measured on that plane.
        Path cli = tmp.resolve("cli");
        FileSegmentation.run(FileSegmentation.Settings.of("default", cli, FileSegmentation.inputs(List.of(in.toString())))
                .withNuclearChannel(2), new PrintStream(PrintStream.nullOutputStream()), System.err);
        List<Row> rows = table(out.resolve("nuclei.parquet"));
        for (String name : List.of("movie.tif", "two.tif")) {
            assertArrayEquals(Files.readAllBytes(cli.resolve(name)), Files.readAllBytes(out.resolve("labels").resolve(name)),
                    name);
            List<LabelPlane> planes = ImageFiles.readLabelPlanes(cli.resolve(name));
            ImageFiles.Planes pixels = ImageFiles.readPlanes(in.resolve(name), null, 2);
            for (int k = 0; k < planes.size(); k++) {
                int plane = k + 1;
                List<Row> ofPlane = rows.stream().filter(r -> r.<String>getAs("image").endsWith(name)
                        && r.<Integer>getAs("plane") == plane).toList();
                assertEquals(planes.get(k).countObjects(), ofPlane.size(), name + " plane " + plane);
                NucleusMeasurements.Nucleus first = NucleusMeasurements.of(planes.get(k), pixels.plane(k)).get(0);
                Row row = ofPlane.stream().filter(r -> r.<Integer>getAs("label") == 1).findFirst().orElseThrow();
                assertEquals(first.integratedIntensity(), row.<Double>getAs("integrated_intensity"), 1e-6, name);
            }
        }
        assertEquals(2, rows.stream().filter(r -> r.<String>getAs("image").endsWith("movie.tif"))
                .map(r -> r.<Integer>getAs("plane")).distinct().count());
        // Again: the label stacks are complete, kept and measured again, plane by plane.
        MainRun again = MainRun.of("segment", "--master", "local[2]", "--output", out.toString(), "--nuclear-channel", "2",
                in.toString());
        assertEquals(0, again.status(), again.out() + again.err());
        assertTrue(again.out().contains("0 segmented, 2 complete"), again.out());
        assertEquals(rows.size(), table(out.resolve("nuclei.parquet")).size());
    }

    @Test
    void badOutputFolderAndFlagsStopBeforeAnyWork(@TempDir Path tmp) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        // What a file browser leaves there is nobody's result: only the note is named.
        Files.writeString(out.resolve(".DS_Store"), "Finder's");
        Files.writeString(out.resolve("Thumbs.db"), "Explorer's");
        MainRun foreign = MainRun.of("segment", "--output", out.toString(), IMAGES.toString());
        assertEquals(1, foreign.status());
        assertTrue(foreign.err().contains("holds files this job did not write (notes.txt);"), foreign.err());
        assertFalse(Files.exists(out.resolve("labels")));

        MainRun format = MainRun.of("segment", "--output", tmp.resolve("o2").toString(), "--table-format", "xml", IMAGES.toString());
        assertEquals(2, format.status());
        assertTrue(format.err().contains("--table-format must be parquet or csv, got 'xml'"), format.err());
        MainRun scale = MainRun.of("segment", "--output", tmp.resolve("o2").toString(), "--scale", "0", IMAGES.toString());
        assertEquals(2, scale.status());
        assertTrue(scale.err().contains("--scale must be auto or a number"), scale.err());
        MainRun tile = MainRun.of("segment", "--output", tmp.resolve("o2").toString(), "--tile", "8", IMAGES.toString());
        assertEquals(2, tile.status());
        assertTrue(tile.err().contains("--tile must be at least"), tile.err());
        MainRun seed = MainRun.of("segment", "--output", tmp.resolve("o2").toString(), "--seed-threshold", "1.5",
                IMAGES.toString());
        assertEquals(2, seed.status());
        assertTrue(seed.err().contains("--seed-threshold must be at least 0 and under 1, got 1.5"), seed.err());
        MainRun purple = MainRun.of("segment", "--output", tmp.resolve("o2").toString(), "--channel", "purple",
                IMAGES.toString());
        assertEquals(2, purple.status());
        assertTrue(purple.err().contains("--channel must be luminance, red, green or blue, got 'purple'"), purple.err());
        // Both jobs share one check of the settings they share, spelt as the flags.
        for (String streaming : List.of("--overwrite", "--streaming")) {
            MainRun minSize = MainRun.of("segment", streaming, "--output", tmp.resolve("o7").toString(), "--min-size", "-3",
                    IMAGES.resolve("demo.tif").toString());
            assertEquals(2, minSize.status(), minSize.err());
            assertTrue(minSize.err().contains("--min-size must be at least 0, got -3"), minSize.err());
            assertFalse(Files.exists(tmp.resolve("o7")));
        }
        // Two plates' A01.tif would both be labels/A01.tif: the second would replace (or pass for) the first.
        Path plate1 = Files.createDirectories(tmp.resolve("plate1"));
        Path plate2 = Files.createDirectories(tmp.resolve("plate2"));
        Files.copy(IMAGES.resolve("demo.tif"), plate1.resolve("A01.tif"));
        Files.copy(IMAGES.resolve("synth-00.tif"), plate2.resolve("A01.tif"));
        for (String streaming : List.of("--overwrite", "--streaming")) {
            MainRun twice = MainRun.of("segment", streaming, "--output", tmp.resolve("o8").toString(),
                    plate1.resolve("A01.tif").toString(), plate2.toString());
            assertEquals(1, twice.status(), twice.err());
            assertTrue(twice.err().contains("would both be written to " + tmp.resolve("o8").resolve("labels").resolve("A01.tif")),
                    twice.err());
            assertFalse(Files.exists(tmp.resolve("o8")), "nothing written for two images of one name");
        }
        MainRun channel = MainRun.of("segment", "--output", tmp.resolve("o5").toString(), "--nuclear-channel", "0",
                IMAGES.toString());
        assertEquals(2, channel.status());
        assertTrue(channel.err().contains("--nuclear-channel: a channel is numbered from 1, got 0"), channel.err());
        MainRun bands = MainRun.of("segment", "--streaming", "--output", tmp.resolve("o6").toString(), "--nuclear-channel",
                "2", IMAGES.resolve("demo.tif").toString());
        assertEquals(2, bands.status());
        assertTrue(bands.err().contains("--nuclear-channel, --scale-per-plane and --channel are for the many-images job"),
                bands.err());
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort(); // free again once closed: nothing listens there
        }
        MainRun master = MainRun.of("segment", "--master", "spark://127.0.0.1:" + closed, "--output",
                tmp.resolve("o4").toString(), IMAGES.toString());
        assertEquals(1, master.status());
        assertTrue(master.err().contains("cannot reach the Spark master spark://127.0.0.1:" + closed), master.err());
        assertFalse(Files.exists(tmp.resolve("o4")), "nothing written for an unreachable master");
        MainRun model = MainRun.of("segment", "--output", tmp.resolve("o3").toString(), "--model", "no-such-model", IMAGES.toString());
        assertEquals(1, model.status());
        assertTrue(model.err().contains("no-such-model"), model.err());
        assertFalse(Files.exists(tmp.resolve("o3")), "nothing written for a missing model");

        // A folder that is no model stops the job as a missing one does, before Spark starts.
        for (String streaming : List.of("--overwrite", "--streaming")) {
            MainRun notAModel = MainRun.of("segment", streaming, "--output", tmp.resolve("o9").toString(), "--model",
                    IMAGES.toString(), IMAGES.resolve("demo.tif").toString());
            assertEquals(1, notAModel.status(), notAModel.err());
            assertTrue(notAModel.err().contains("model.json"), notAModel.err());
            assertFalse(Files.exists(tmp.resolve("o9")), "nothing written for a folder that is no model");
        }
        // An input inside OUT/labels is never replaced by its own labels, --overwrite or not.
        Path inside = Files.createDirectories(tmp.resolve("o10").resolve("labels")).resolve("demo.tif");
        Files.copy(IMAGES.resolve("demo.tif"), inside);
        byte[] before = Files.readAllBytes(inside);
        for (String streaming : List.of("--overwrite", "--streaming")) {
            MainRun self = MainRun.of("segment", streaming, "--overwrite", "--output", tmp.resolve("o10").toString(),
                    inside.toString());
            assertEquals(1, self.status(), self.err());
            assertTrue(self.err().contains("is an input image and would be replaced by an output; choose another --output"),
                    self.err());
            assertArrayEquals(before, Files.readAllBytes(inside));
        }
        MainRun help = MainRun.of("segment", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("usage: segment-cells-spark segment"), help.out());

        // A list file names images relative to itself.
        Path list = Files.writeString(tmp.resolve("list.txt"), "# two images\n" + IMAGES.toAbsolutePath().resolve("demo.tif")
                + "\n\n" + IMAGES.toAbsolutePath().resolve("synth-00.tif") + "\n");
        assertEquals(List.of(IMAGES.toAbsolutePath().resolve("demo.tif").toString(),
                IMAGES.toAbsolutePath().resolve("synth-00.tif").toString()), SegmentJob.listed(List.of(list.toString())));
        // One that names none fails as an empty folder does, rather than finish a screen of 0 images.
        Path empty = Files.writeString(tmp.resolve("empty.lst"), "# nothing yet\n\n");
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> SegmentJob.listed(List.of(empty.toString())));
        assertEquals(empty + ": the list names no images", e.getMessage());
    }

    /** Another plate run into the same folder: the tables will be this run's, and the job says so first. */
    @Test
    void labelsOfOtherRunsAreNamedBeforeTheTablesReplaceTheirs(@TempDir Path tmp) throws Exception {
        Path labels = Files.createDirectories(tmp.resolve("labels"));
        Files.writeString(labels.resolve("A01.tif"), "");
        Files.writeString(labels.resolve("B07.tif"), "");
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        SegmentJob.warnOfOtherRuns(labels, List.of(tmp.resolve("plate2").resolve("A01.png").toString()),
                new java.io.PrintStream(b, true, java.nio.charset.StandardCharsets.UTF_8));
        String said = b.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(said.contains("holds 1 label image of images not in this run (B07.tif); the tables will list this"
                + " run's 1 image only"), said);
        b.reset();
        SegmentJob.warnOfOtherRuns(labels, List.of("/x/A01.tif", "/x/B07.tif"),
                new java.io.PrintStream(b, true, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("", b.toString(java.nio.charset.StandardCharsets.UTF_8), "a re-run of the same images");

        // Tables of the other format are an earlier run's, left as they were: said, not silently stale.
        Files.createDirectories(tmp.resolve("nuclei.csv"));
        SegmentJob.warnOfOtherFormat(tmp, "parquet", new java.io.PrintStream(b, true, java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(b.toString(java.nio.charset.StandardCharsets.UTF_8).contains("holds csv tables of an earlier run;"
                + " this run writes parquet tables"), b.toString(java.nio.charset.StandardCharsets.UTF_8));
        b.reset();
        SegmentJob.warnOfOtherFormat(tmp, "csv", new java.io.PrintStream(b, true, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("", b.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** One huge image across the cluster takes its TIFFs as the many-images job does: globs and file:// URIs. */
    @Test
    void bandsTakeGlobsAndFileUris(@TempDir Path tmp) throws Exception {
        Path slides = Files.createDirectories(tmp.resolve("slides"));
        Files.copy(IMAGES.resolve("demo.tif"), slides.resolve("s1.tif"));
        for (String input : List.of(slides + "/*.tif", slides.resolve("s1.tif").toUri().toString())) {
            BandJob.Settings s = (BandJob.Settings) SparkMain.parse(new String[] {"segment", "--streaming", "--output",
                    tmp.resolve("out").toString(), input});
            assertEquals(List.of(slides.resolve("s1.tif").toAbsolutePath().normalize()), BandJob.check(s).images(), input);
        }
        // A file whose name looks like a pattern is taken as it is.
        Path bracketed = Files.copy(IMAGES.resolve("demo.tif"), slides.resolve("slide[1].tif"));
        BandJob.Settings literal = (BandJob.Settings) SparkMain.parse(new String[] {"segment", "--streaming", "--output",
                tmp.resolve("out").toString(), bracketed.toString()});
        assertEquals(List.of(bracketed.toAbsolutePath().normalize()), BandJob.check(literal).images());
        // A TIFF on another file system is refused by name, before any file system is asked.
        BandJob.Settings remote = (BandJob.Settings) SparkMain.parse(new String[] {"segment", "--streaming", "--output",
                tmp.resolve("out").toString(), "s3a://bucket/slide.tif"});
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> BandJob.check(remote));
        assertTrue(e.getMessage().startsWith("s3a://bucket/slide.tif: ‹streaming› reads each TIFF at a path every executor"),
                e.getMessage());
        // A label file this tool wrote is a result, not a slide to segment.
        Path labels = tmp.resolve("labels");
        FileSegmentation.run(FileSegmentation.Settings.of("default", labels, List.of(slides.resolve("s1.tif"))),
                new PrintStream(PrintStream.nullOutputStream()), System.err);
        BandJob.Settings result = (BandJob.Settings) SparkMain.parse(new String[] {"segment", "--streaming", "--output",
                tmp.resolve("out").toString(), labels.resolve("s1.tif").toString()});
        e = assertThrows(java.io.IOException.class, () -> BandJob.check(result));
        assertTrue(e.getMessage().contains("s1.tif: a result Segment Cells wrote (of " + slides.resolve("s1.tif").toAbsolutePath()),
                e.getMessage());
    }

    @Test
    void aClusterGetsOurJarsAlsoWhenSparkSubmitNamedTheApplicationJar() {
        // spark-submit sets spark.jars to the application jar; lib/'s jars must still reach the executors.
        String merged = SegmentJob.jarsWith("file:/opt/app/segment-cells-spark.jar",
                List.of("/opt/app/segment-cells-spark.jar", "/opt/app/lib/segment-cells-core.jar", "/opt/app/lib/tf.jar"));
        assertEquals("file:/opt/app/segment-cells-spark.jar,/opt/app/lib/segment-cells-core.jar,/opt/app/lib/tf.jar", merged);
        assertEquals("/a/x.jar", SegmentJob.jarsWith("", List.of("/a/x.jar")));
        assertEquals("/u/extra.jar,/a/x.jar", SegmentJob.jarsWith(" /u/extra.jar , ", List.of("/a/x.jar")));
    }

    @Test
    void anOutputUriIsRefusedRatherThanMadeALocalFolder() {
        MainRun uri = MainRun.of("segment", "--output", "s3a://bucket/out", IMAGES.toString());
        assertEquals(2, uri.status(), uri.err());
        assertTrue(uri.err().contains("--output must be a folder every executor and the driver can write"), uri.err());
        assertFalse(Files.exists(Path.of("s3a:")), "no local folder named after the URI");
    }

    /**
     * A master Spark cannot parse is found before Spark starts (which would log its failure with a trace): a
     * usage error naming it, status 2, and no output folder.
     */
    @Test
    void aMasterSparkCannotUseIsOneLine(@TempDir Path tmp) {
        MainRun r = MainRun.of("segment", "--master", "nowhere", "--scale", "1", "--output", tmp.resolve("out").toString(),
                IMAGES.toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().startsWith("segment-cells-spark segment: --master nowhere: not a master this Spark can use"),
                r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void aClusterOnThisMachineKeepsTheDriverOnLoopback() {
        assertTrue(SegmentJob.onLoopback("spark://127.0.0.1:7077"));
        assertTrue(SegmentJob.onLoopback("spark://localhost:7077"));
        assertTrue(SegmentJob.onLoopback("spark://[::1]:7077"));
        assertFalse(SegmentJob.onLoopback("spark://node1.cluster:7077"));
        assertFalse(SegmentJob.onLoopback("yarn"));
        assertFalse(SegmentJob.onLoopback("k8s://https://127.0.0.1:6443"), "on Kubernetes executors run in pods");
    }

    /**
     * Job 2 hands the driver's measurements to Spark: a slide's worth of nuclei (here 12,000, about 1.4 MB)
     * makes one table file with every row, and no task over Spark's 1 MB warning size.
     */
    @Test
    void nucleiHeldByTheDriverAreWrittenWithoutOneHugeTask(@TempDir Path tmp) throws Exception {
        List<NucleusMeasurements.Nucleus> measured = new java.util.ArrayList<>();
        for (int i = 1; i <= 12_000; i++) {
            measured.add(new NucleusMeasurements.Nucleus(i, 100 + i, i * 0.5, i * 0.25, i, i, 10, 12, 1.5 * i, 1, 2 * i,
                    150.0 * i, i % 7 == 0));
        }
        List<ImageTask.Outcome> outcomes = List.of(new ImageTask.Outcome("/slides/a.tif", ImageTask.Outcome.SEGMENTED,
                measured.size(), 12.5, 0.5, null, ImageTask.Measured.of(1, 0.5, measured)),
                ImageTask.Outcome.failed("/slides/b.tif", "unreadable", 0.1));
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        var ctx = (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
        var capture = new org.apache.logging.log4j.core.appender.AbstractAppender("capture", null, null, true,
                org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
            @Override
            public void append(org.apache.logging.log4j.core.LogEvent e) {
                warnings.add(e.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        ctx.getConfiguration().getRootLogger().addAppender(capture, org.apache.logging.log4j.Level.WARN, null);
        ctx.updateLoggers();
        SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            SegmentJob.writeTables(spark, outcomes, tmp, "parquet");
        } finally {
            spark.stop();
            ctx.getConfiguration().getRootLogger().removeAppender("capture");
            ctx.updateLoggers();
        }
        assertTrue(warnings.stream().noneMatch(w -> w.contains("very large size")), warnings.toString());
        List<Row> nuclei = table(tmp.resolve("nuclei.parquet"));
        assertEquals(12_000, nuclei.size());
        assertEquals(12_000, nuclei.stream().map(r -> r.<Integer>getAs("label")).distinct().count());
        try (Stream<Path> s = Files.list(tmp.resolve("nuclei.parquet"))) {
            assertEquals(1, s.filter(p -> p.toString().endsWith(".parquet")).count(), "one file per table");
        }
        List<Row> images = table(tmp.resolve("images.parquet"));
        assertEquals(2, images.size());
    }
}
