package org.segmentcells.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.io.TiffStripWriter;
import org.segmentcells.model.ModelStore;
import org.segmentcells.model.SegmentSettings;

/** One image of the many-images job, as an executor runs it. */
class ImageTaskTest {

    @Test
    void anImageTheCliWouldSegmentInBandsIsAFailedRowNamingStreaming(@TempDir Path tmp) throws Exception {
        // Just over the in-memory limit: 8 rows more than 64 MP at 8192 px a row (zeros, 16-bit).
        int w = 8192;
        int h = (int) (FileSegmentation.STREAMING_PIXELS / w) + 8;
        Path big = tmp.resolve("slide.tif");
        try (TiffStripWriter tw = new TiffStripWriter(big, w, h, TiffStripWriter.Type.GRAY16)) {
            int[] rows = new int[w * 256];
            for (int y = 0; y < h; y += 256) {
                tw.writeRows(rows, 0, Math.min(256, h - y));
            }
            tw.commit();
        }
        Path labels = tmp.resolve("out").resolve("labels");
        SegmentJob.Settings s = new SegmentJob.Settings(JobSettings.of("default", tmp.resolve("out"), List.of(big.toString()))
                .withTableFormat("csv").withMaster("local[1]"));
        ImageTask task = new ImageTask(ModelStore.resolve("default"), s, labels);
        ImageTask.Outcome o = task.one(big.toString());
        assertEquals(ImageTask.Outcome.FAILED, o.status(), String.valueOf(o.reason()));
        assertTrue(o.reason().contains("too big to segment in one executor's memory") && o.reason().contains("--streaming"),
                o.reason());
        assertFalse(Files.exists(labels.resolve("slide.tif")));
    }

    @Test
    void hadoopSettingsGivenToSparkReachTheFileSystemsInputsAreReadFrom() {
        // spark-submit --conf spark.hadoop.fs.s3a.endpoint=... becomes a spark.* system property on the driver.
        System.setProperty("spark.hadoop.fs.s3a.endpoint", "http://store.example:9000");
        try {
            assertEquals("http://store.example:9000",
                    Inputs.hadoopConfiguration(new org.apache.spark.SparkConf()).get("fs.s3a.endpoint"));
        } finally {
            System.clearProperty("spark.hadoop.fs.s3a.endpoint");
        }
        assertEquals(null, Inputs.hadoopConfiguration(new org.apache.spark.SparkConf()).get("fs.s3a.endpoint"));
    }

    /** Two plates' A01.tif of one size into one folder: plate 2's row fails, and plate 1's labels stay. */
    @Test
    void anotherPlatesLabelsOfTheSameNameAreNotKept(@TempDir Path tmp) throws Exception {
        Path plate1 = Files.createDirectories(tmp.resolve("plate1")).resolve("A01.tif");
        Files.copy(Path.of("test-images/images/synth-00.tif"), plate1);
        Path plate2 = Files.createDirectories(tmp.resolve("plate2")).resolve("A01.tif");
        Files.copy(Path.of("test-images/images/synth-01.tif"), plate2);
        Path labels = tmp.resolve("out").resolve("labels");
        SegmentJob.Settings s = new SegmentJob.Settings(JobSettings.of("default", tmp.resolve("out"),
                List.of(plate1.toString(), plate2.toString())).withTableFormat("csv").withMaster("local[1]"));
        ImageTask task = new ImageTask(ModelStore.resolve("default"), s, labels);
        assertEquals(ImageTask.Outcome.SEGMENTED, task.one(plate1.toString()).status());
        byte[] first = Files.readAllBytes(labels.resolve("A01.tif"));
        assertEquals(ImageTask.Outcome.COMPLETE, task.one(plate1.toString()).status(), "its own labels are kept");
        ImageTask.Outcome o = task.one(plate2.toString());
        assertEquals(ImageTask.Outcome.FAILED, o.status());
        assertTrue(o.reason().contains("A01.tif: already exists and holds the labels of another image, "
                + plate1.toAbsolutePath() + " (give each plate its own --output folder, or use --overwrite"), o.reason());
        assertArrayEquals(first, Files.readAllBytes(labels.resolve("A01.tif")));
    }

    /**
     * Kept from an earlier run are only the files the CLI keeps: labels of another image called demo.tif (another
     * size), or the raw image itself at its size, are left as they are without overwrite.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFileThatIsNotThisImagesLabelsIsKeptWithoutOverwrite(boolean sameSize, @TempDir Path tmp) throws Exception {
        Path labels = Files.createDirectories(tmp.resolve("out").resolve("labels"));
        String demo = Path.of("test-images/images/demo.tif").toAbsolutePath().toString();
        if (sameSize) {
            Files.copy(Path.of(demo), labels.resolve("demo.tif"));
        } else {
            ImageFiles.writeLabels(new LabelPlane(7, 5, new int[35]), labels.resolve("demo.tif"));
        }
        byte[] before = Files.readAllBytes(labels.resolve("demo.tif"));
        for (boolean overwrite : new boolean[] {false, true}) {
            SegmentJob.Settings s = new SegmentJob.Settings(JobSettings.of("default", tmp.resolve("out"), List.of(demo))
                    .withTableFormat("csv").withOverwrite(overwrite).withMaster("local[1]"));
            ImageTask.Outcome o = new ImageTask(ModelStore.resolve("default"), s, labels).one(demo);
            if (!overwrite) {
                assertEquals(ImageTask.Outcome.FAILED, o.status());
                assertTrue(o.reason().contains("demo.tif: already exists and is not a label image of demo.tif (use --overwrite"),
                        o.reason());
                assertArrayEquals(before, Files.readAllBytes(labels.resolve("demo.tif")));
            } else {
                assertEquals(ImageTask.Outcome.SEGMENTED, o.status(), String.valueOf(o.reason()));
                assertEquals(ImageFiles.readPlane(Path.of(demo)).width(), ImageFiles.readLabels(labels.resolve("demo.tif")).width());
            }
        }
    }
    /**
     * A colour image fails its row with the advice to give a channel, which this job takes (it used to name
     * a flag only the CLI had); with the channel it is segmented, in the tiles asked for.
     */
    @Test
    void aColourImageIsReadThroughTheChannelGiven(@TempDir Path tmp) throws Exception {
        ij.process.ImageProcessor gray = new ij.ImagePlus("test-images/images/demo.tif").getProcessor().convertToByte(true);
        ij.process.ColorProcessor rgb = new ij.process.ColorProcessor(gray.getWidth(), gray.getHeight());
        rgb.setChannel(3, (ij.process.ByteProcessor) gray);
        Path colour = tmp.resolve("colour.tif");
        assertTrue(new ij.io.FileSaver(new ij.ImagePlus("colour", rgb)).saveAsTiff(colour.toString()));
        Path labels = tmp.resolve("out").resolve("labels");
        JobSettings job = JobSettings.of("default", tmp.resolve("out"), List.of(colour.toString())).withTableFormat("csv")
                .withMaster("local[1]");
        ImageTask.Outcome refused = new ImageTask(ModelStore.resolve("default"), new SegmentJob.Settings(job),
                labels).one(colour.toString());
        assertEquals(ImageTask.Outcome.FAILED, refused.status());
        assertTrue(refused.reason().contains("--channel"), refused.reason());
        ImageTask.Outcome blue = new ImageTask(ModelStore.resolve("default"), new SegmentJob.Settings(
                job.withImage(job.image().withChannel(org.segmentcells.img.Channel.BLUE)
                        .withSegment(job.image().segment().withTile(512)))), labels).one(colour.toString());
        assertEquals(ImageTask.Outcome.SEGMENTED, blue.status(), String.valueOf(blue.reason()));
        assertTrue(blue.nuclei() > 10, blue.nuclei() + " nuclei");
        assertTrue(SparkMain.parse(new String[] {"segment", "--output", tmp.resolve("o").toString(), "--channel", "blue",
                "--tile", "512", colour.toString()}) instanceof SegmentJob.Settings p
                && p.job().image().channel() == org.segmentcells.img.Channel.BLUE && p.job().image().segment().tile() == 512);
    }

    /** --seed-threshold reaches each image's segmentation as the CLI's does. */
    @Test
    void aSeedThresholdGivenIsTheOneUsed(@TempDir Path tmp) throws Exception {
        String demo = Path.of("test-images/images/demo.tif").toAbsolutePath().toString();
        Path labels = tmp.resolve("out").resolve("labels");
        SegmentJob.Settings s = new SegmentJob.Settings(JobSettings.of("default", tmp.resolve("out"), List.of(demo))
                .withImage(FileSegmentation.ImageSettings.DEFAULT.withSegment(SegmentSettings.MODEL.withSeedThreshold(0.95)))
                .withTableFormat("csv").withMaster("local[1]"));
        ImageTask.Outcome o = new ImageTask(ModelStore.resolve("default"), s, labels).one(demo);
        assertEquals(ImageTask.Outcome.SEGMENTED, o.status(), String.valueOf(o.reason()));
        org.segmentcells.img.FloatPlane img = ImageFiles.readPlane(Path.of(demo));
        try (org.segmentcells.model.Model m = org.segmentcells.model.Model.load(ModelStore.resolve("default"))) {
            assertArrayEquals(m.plan(org.segmentcells.model.SegmentSettings.MODEL.withSeedThreshold(0.95), img).segment(img)
                    .data(), ImageFiles.readLabels(labels.resolve("demo.tif")).data());
        }
    }

    /** --diameter reaches each image's segmentation as the CLI's does; beside --scale it is refused before Spark starts. */
    @Test
    void aDiameterGivenSetsEachImagesScale(@TempDir Path tmp) throws Exception {
        String demo = Path.of("test-images/images/demo.tif").toAbsolutePath().toString();
        Path labels = tmp.resolve("out").resolve("labels");
        SegmentJob.Settings s = new SegmentJob.Settings(JobSettings.of("default", tmp.resolve("out"), List.of(demo))
                .withImage(FileSegmentation.ImageSettings.DEFAULT.withSegment(SegmentSettings.MODEL.withDiameter(80.0)))
                .withTableFormat("csv").withMaster("local[1]"));
        ImageTask.Outcome o = new ImageTask(ModelStore.resolve("default"), s, labels).one(demo);
        assertEquals(ImageTask.Outcome.SEGMENTED, o.status(), String.valueOf(o.reason()));
        org.segmentcells.img.FloatPlane img = ImageFiles.readPlane(Path.of(demo));
        try (org.segmentcells.model.Model m = org.segmentcells.model.Model.load(ModelStore.resolve("default"))) {
            org.segmentcells.model.Model.Plan plan = m.plan(org.segmentcells.model.SegmentSettings.MODEL.withDiameter(80.0), img);
            assertTrue(plan.scale().factor() < 1, "80 px nuclei are brought into the range");
            assertEquals(plan.scale().factor(), o.scale(), 1e-9);
            assertArrayEquals(plan.segment(img).data(), ImageFiles.readLabels(labels.resolve("demo.tif")).data());
        }
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(org.segmentcells.cli.Args.UsageException.class,
                () -> SparkMain.parse(new String[] {"segment", "--output", tmp.resolve("o").toString(), "--diameter", "40",
                        "--scale", "1", demo}));
        String said = org.segmentcells.setting.Setting.spell(e, SparkMain.SPELLING);
        assertTrue(said.contains("--scale") && said.contains("--diameter"), said);
    }

    /**
     * A master this Spark cannot use (no YARN or Kubernetes module, a malformed local[...]) is a usage error
     * before Spark starts, which would log its failure with a stack trace; the masters it takes pass.
     */
    @Test
    void aMasterThisSparkCannotUseIsAUsageError(@TempDir Path tmp) {
        for (String bad : new String[] {"yarn", "local[abc]", "local[0]", "k8s://https://127.0.0.1:6443", "mesos://x:5050"}) {
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(org.segmentcells.cli.Args.UsageException.class,
                    () -> SparkMain.parse(new String[] {"segment", "--output", tmp.resolve("o").toString(), "--master", bad,
                            "x.tif"}));
            assertTrue(e.getMessage().startsWith("--master " + bad + ": not a master this Spark can use"), e.getMessage());
        }
        for (String good : new String[] {"local", "local[*]", "local[2]", "local[2, 3]", "local-cluster[2,1,1024]",
            "spark://host:7077"}) {
            assertTrue(SegmentJob.usableMaster(good), good);
        }
        assertFalse(java.nio.file.Files.exists(tmp.resolve("o")));
    }

    /** An image with no nuclei to measure has no scale in its row, as the CLI says "no nuclei (auto)". */
    @Test
    void aFlatImageHasNoScale(@TempDir Path tmp) throws Exception {
        int[] px = new int[200 * 160];
        java.util.Arrays.fill(px, 700);
        Path flat = tmp.resolve("flat.tif");
        ImageFiles.write16(200, 160, px, flat);
        SegmentJob.Settings s = new SegmentJob.Settings(JobSettings.of("default", tmp.resolve("out"),
                List.of(flat.toString())).withTableFormat("csv").withMaster("local[1]"));
        ImageTask.Outcome o = new ImageTask(ModelStore.resolve("default"), s, tmp.resolve("out").resolve("labels"))
                .one(flat.toString());
        assertEquals(ImageTask.Outcome.SEGMENTED, o.status(), String.valueOf(o.reason()));
        assertEquals(0, o.nuclei());
        assertEquals(null, o.scale());
    }
}
