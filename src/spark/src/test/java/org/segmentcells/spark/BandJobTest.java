package org.segmentcells.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.io.TiffStripWriter;
import org.segmentcells.measure.NucleusMeasurements;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.StreamingSegmenter;
import org.segmentcells.segment.StreamingSegmenterTest;
import org.segmentcells.synth.SyntheticNuclei;

/**
 * The huge-image job ({@code segment --streaming}) in Spark's {@code local[2]}, on an image of several
 * bands (small tiles keep it fast): the stitched labels equal the CLI's {@code segment --streaming} labels
 * pixel for pixel (a one-to-one map between ids, here the identity), its tables hold one row per nucleus
 * equal to measuring the label file in memory, a second run keeps the complete output and measures it
 * again, and inputs that cannot be read by offset, a foreign label file and bad flags stop it before any
 * work with a one-line error.
 */
class BandJobTest {

    /** {@code img} as an uncompressed 16-bit TIFF, written row by row as a slide scanner would. */
    static Path write16(FloatPlane img, Path target) throws Exception {
        int[] px = new int[img.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (int) img.data()[i];
        }
        try (TiffStripWriter w = new TiffStripWriter(target, img.width(), img.height(), TiffStripWriter.Type.GRAY16)) {
            w.writeRows(px, 0, img.height());
            w.commit();
        }
        return target;
    }

    /** {@code px} as an LZW-compressed 16-bit TIFF, whose rows cannot be read by offset. */
    static Path writeLzw16(int[] px, int width, int height, Path target) throws Exception {
        BufferedImage bi = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        bi.getRaster().setPixels(0, 0, width, height, px);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        Files.deleteIfExists(target);
        try (ImageOutputStream os = ImageIO.createImageOutputStream(target.toFile())) {
            writer.setOutput(os);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionType("LZW");
            writer.write(null, new IIOImage(bi, null, null), p);
        } finally {
            writer.dispose();
        }
        return target;
    }

    /** A row of the nuclei table as the record it was written from. */
    private static NucleusMeasurements.Nucleus nucleus(Row r) {
        return new NucleusMeasurements.Nucleus(r.getAs("label"), r.getAs("area"), r.getAs("centroid_x"),
                r.getAs("centroid_y"), r.getAs("bbox_x"), r.getAs("bbox_y"), r.getAs("bbox_width"), r.getAs("bbox_height"),
                r.getAs("mean_intensity"), r.getAs("min_intensity"), r.getAs("max_intensity"),
                r.getAs("integrated_intensity"), r.getAs("touches_border"));
    }

    @Test
    void bandsOnTwoExecutorsEqualTheCliStreamedLabels(@TempDir Path tmp) throws Exception {
        // 256-px tiles: bands of about 110 rows (256 minus E's margins, aligned), 11 in this 1300-row image.
        FloatPlane img = SyntheticNuclei.generate(700, 1300, 450, 11).image();
        Path in = write16(img, tmp.resolve("slide.tif"));
        Path cli = tmp.resolve("cli");
        FileSegmentation.run(FileSegmentation.Settings.of("default", cli, List.of(in))
                .withSegment(SegmentSettings.MODEL.withScale(Scale.parse("1")).withTile(256)).withStreaming(true),
                new PrintStream(PrintStream.nullOutputStream()), System.err);
        LabelPlane expected = ImageFiles.readLabels(cli.resolve("slide.tif"));
        assertTrue(expected.countObjects() > 150, "only " + expected.countObjects() + " nuclei");

        Path out = tmp.resolve("spark");
        MainRun r = MainRun.of("segment", "--streaming", "--master", "local[2]", "--tile", "256", "--scale", "1", "--output",
                out.toString(), in.toString());
        assertEquals(0, r.status(), r.err() + r.out());
        int[] cuts;
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            Model.Plan plan = model.plan(new SegmentSettings(Scale.parse("1"), null, null, null, 256, false), () -> null);
            cuts = new StreamingSegmenter(plan.segmenter(), plan.instances()).layout(700, 1300).cuts();
        }
        assertTrue(cuts.length > 5, "only " + (cuts.length - 1) + " bands");
        assertTrue(r.out().contains(expected.countObjects() + " nuclei in " + (cuts.length - 1) + " bands of " + cuts[1]
                + " rows"), r.out());
        Path labelsFile = out.resolve("labels/slide.tif");
        LabelPlane stitched = ImageFiles.readLabels(labelsFile);
        StreamingSegmenterTest.assertSamePartition(expected, stitched);
        // The same steps in the same raster order: even the ids are the CLI's.
        assertArrayEquals(expected.data(), stitched.data());
        // Nuclei do cross band borders (the stitch had work to do).
        int crossing = 0;
        for (int i = 1; i + 1 < cuts.length; i++) {
            int y = cuts[i];
            for (int x = 0; x < 700; x++) {
                int l = stitched.data()[y * 700 + x];
                if (l != 0 && l == stitched.data()[(y - 1) * 700 + x]) {
                    crossing++;
                }
            }
        }
        assertTrue(crossing > 100, "only " + crossing + " pixel pairs of one nucleus across band borders");
        try (Stream<Path> st = Files.list(out.resolve("labels"))) {
            assertEquals(List.of("slide.tif"), st.map(p -> p.getFileName().toString()).toList(), "scratch left behind");
        }

        // Job 1's tables: one row per nucleus of the written labels, each what measuring them in memory gives.
        String image = in.toAbsolutePath().normalize().toString();
        List<NucleusMeasurements.Nucleus> inMemory = NucleusMeasurements.of(stitched, ImageFiles.readPlane(in));
        assertEquals(stitched.countObjects(), inMemory.size());
        List<Row> rows = SegmentJobTest.table(out.resolve("nuclei.parquet"));
        assertEquals(inMemory.size(), rows.size(), "one row per nucleus");
        Map<Integer, Row> byLabel = rows.stream().collect(Collectors.toMap(row -> row.<Integer>getAs("label"), Function.identity()));
        for (NucleusMeasurements.Nucleus n : inMemory) {
            Row row = byLabel.get(n.label());
            assertEquals(n, nucleus(row), "nucleus " + n.label());
            assertEquals(image, row.getAs("image"));
            assertEquals(1.0, row.<Double>getAs("scale"));
        }
        assertTrue(inMemory.stream().anyMatch(NucleusMeasurements.Nucleus::touchesBorder));
        List<Row> images = SegmentJobTest.table(out.resolve("images.parquet"));
        assertEquals(1, images.size());
        assertEquals(List.of(image, "segmented", inMemory.size(), 1.0), List.of(images.get(0).getAs("image"),
                images.get(0).getAs("status"), images.get(0).getAs("nuclei"), images.get(0).getAs("scale")));
        assertTrue(Files.exists(out.resolve("nuclei.parquet/_SUCCESS")), "Spark's commit marker");

        // A second run keeps the complete output and measures it again, here into CSV tables.
        long modified = Files.getLastModifiedTime(labelsFile).toMillis();
        MainRun again = MainRun.of("segment", "--streaming", "--master", "local[2]", "--tile", "256", "--scale", "1", "--output",
                out.toString(), "--table-format", "csv", in.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("complete from an earlier run, kept"), again.out());
        assertTrue(again.out().contains("0 segmented, 1 complete from an earlier run, 0 failed; " + inMemory.size() + " nuclei"),
                again.out());
        assertEquals(modified, Files.getLastModifiedTime(labelsFile).toMillis());
        List<String> csv = csvLines(out.resolve("nuclei.csv"));
        assertEquals("image,plane,label,area,centroid_x,centroid_y,bbox_x,bbox_y,bbox_width,bbox_height,mean_intensity,"
                + "min_intensity,max_intensity,integrated_intensity,touches_border,scale", csv.get(0));
        assertEquals(inMemory.size() + 1, csv.size());
        List<String> imagesCsv = csvLines(out.resolve("images.csv"));
        assertEquals(2, imagesCsv.size());
        assertTrue(imagesCsv.get(1).startsWith(image + ",complete," + inMemory.size() + ","), imagesCsv.get(1));
    }

    /**
     * A slide whose nuclei are three times the default's training size: with no scale option the driver
     * measures crops picked on an overview, and the executors' bands run at that scale, with the CLI's labels.
     */
    @Test
    void bandsAtTheAutomaticScaleEqualTheCli(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("big.tif");
        LabelPlane truth = org.segmentcells.synth.TestImages.largeNuclei(in, 3);
        Path cli = tmp.resolve("cli");
        FileSegmentation.run(FileSegmentation.Settings.of("default", cli, List.of(in)).withStreaming(true),
                new PrintStream(PrintStream.nullOutputStream()), System.err);
        LabelPlane expected = ImageFiles.readLabels(cli.resolve("big.tif"));
        Path out = tmp.resolve("spark");
        MainRun r = MainRun.of("segment", "--streaming", "--master", "local[2]", "--output", out.toString(), in.toString());
        assertEquals(0, r.status(), r.err() + r.out());
        assertArrayEquals(expected.data(), ImageFiles.readLabels(out.resolve("labels/big.tif")).data());
        assertTrue(org.segmentcells.eval.Evaluator.scoreFrame(truth, expected, 0).f() >= 0.85, "F against the truth");
        double scale = SegmentJobTest.table(out.resolve("images.parquet")).get(0).<Double>getAs("scale");
        assertTrue(scale > 0.2 && scale < 0.4, "scale " + scale);
    }

    @Test
    void anImageThatFailsMidRunGetsAFailedRowAndTheOthersFinish(@TempDir Path tmp) throws Exception {
        FloatPlane img = SyntheticNuclei.generate(320, 240, 30, 5).image();
        Path good = write16(img, tmp.resolve("good.tif"));
        // Header and strip table intact, pixels cut short: it passes the format check and fails on reading.
        Path broken = write16(img, tmp.resolve("broken.tif"));
        try (var ch = java.nio.channels.FileChannel.open(broken, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(broken) / 2);
        }
        Path out = tmp.resolve("out");
        MainRun r = MainRun.of("segment", "--streaming", "--master", "local[2]", "--scale", "1", "--output",
                out.toString(), broken.toString(), good.toString());
        assertEquals(1, r.status(), "some image failed: " + r.err() + r.out());
        String brokenName = broken.toAbsolutePath().normalize().toString();
        assertTrue(r.out().contains("failed: " + brokenName + ": truncated TIFF"), r.out()); // the path once
        assertTrue(r.out().contains("2 images in bands: 1 segmented, 0 complete from an earlier run, 1 failed;"), r.out());
        assertTrue(Files.exists(out.resolve("labels/good.tif")));
        try (Stream<Path> st = Files.list(out.resolve("labels"))) {
            assertEquals(List.of("good.tif"), st.map(p -> p.getFileName().toString()).toList(), "nothing of the failed image");
        }
        Map<String, Row> images = SegmentJobTest.table(out.resolve("images.parquet")).stream()
                .collect(Collectors.toMap(row -> row.<String>getAs("image"), Function.identity()));
        assertEquals("failed", images.get(brokenName).getAs("status"));
        assertTrue(images.get(brokenName).<String>getAs("reason").contains("truncated TIFF"));
        assertEquals("segmented", images.get(good.toAbsolutePath().normalize().toString()).getAs("status"));

        // Run again with good's labels cut short: not a file this tool finished, so refused before any work, as
        // the CLI refuses it; the labels and the earlier run's tables stay as they were.
        Path kept = out.resolve("labels/good.tif");
        byte[] whole = Files.readAllBytes(kept);
        try (var ch = java.nio.channels.FileChannel.open(kept, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(kept) / 2);
        }
        byte[] cut = Files.readAllBytes(kept);
        MainRun refused = MainRun.of("segment", "--streaming", "--master", "local[2]", "--scale", "1", "--output",
                out.toString(), good.toString());
        assertEquals(1, refused.status(), refused.err() + refused.out());
        assertTrue(refused.err().contains(kept + ": already exists and is not a label image of good.tif (use --overwrite"),
                refused.err());
        assertArrayEquals(cut, Files.readAllBytes(kept));
        assertEquals(2, SegmentJobTest.table(out.resolve("images.parquet")).size(), "the earlier run's table");

        // Whole labels re-saved compressed are kept but cannot be measured in bands: their row fails, and the run
        // still writes both tables in place.
        Files.write(kept, whole);
        LabelPlane labels = ImageFiles.readLabels(kept);
        writeLzw16(labels.data(), labels.width(), labels.height(), kept);
        MainRun again = MainRun.of("segment", "--streaming", "--master", "local[2]", "--scale", "1", "--output",
                out.toString(), good.toString());
        assertEquals(1, again.status(), again.err() + again.out());
        assertTrue(again.out().contains("kept from an earlier run but cannot be measured"), again.out() + again.err());
        assertTrue(again.out().contains("1 image in bands: 0 segmented, 0 complete from an earlier run, 1 failed;"),
                again.out());
        List<Row> rows = SegmentJobTest.table(out.resolve("images.parquet"));
        assertEquals(List.of("failed"), rows.stream().map(row -> row.<String>getAs("status")).toList());
        try (Stream<Path> st = Files.list(out)) {
            assertEquals(List.of(), st.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList(),
                    "no temporary or replaced tables left");
        }
    }

    private static List<String> csvLines(Path folder) throws Exception {
        try (Stream<Path> st = Files.list(folder)) {
            List<Path> parts = st.filter(p -> p.toString().endsWith(".csv")).toList();
            assertEquals(1, parts.size(), folder + ": one file");
            return Files.readAllLines(parts.get(0));
        }
    }

    @Test
    void inputsThatCannotBeReadByOffsetAndForeignFilesStopBeforeAnyWork(@TempDir Path tmp) throws Exception {
        // An LZW-compressed 16-bit TIFF: rows cannot be read by offset.
        Path lzw = writeLzw16(new int[300 * 200], 300, 200, tmp.resolve("lzw.tif"));
        Path out = tmp.resolve("out");
        MainRun compressed = MainRun.of("segment", "--streaming", "--output", out.toString(), lzw.toString());
        assertEquals(1, compressed.status());
        assertTrue(compressed.err().contains(lzw + ": --streaming (one image across the cluster, in bands) needs an"
                + " uncompressed single-plane 8- or 16-bit grayscale TIFF"), compressed.err());
        assertEquals(1, compressed.err().strip().lines().count(), compressed.err());
        assertFalse(Files.exists(out), "nothing written");

        Path png = tmp.resolve("small.png");
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY), "png", png.toFile());
        MainRun notTiff = MainRun.of("segment", "--streaming", "--output", out.toString(), png.toString());
        assertEquals(1, notTiff.status());
        assertTrue(notTiff.err().contains("needs an uncompressed single-plane 8- or 16-bit grayscale TIFF"), notTiff.err());
        MainRun both = MainRun.of("segment", "--streaming", "--output", out.toString(), lzw.toString(), png.toString());
        assertEquals(1, both.status());
        assertTrue(both.err().contains("2 inputs cannot be segmented as given") && both.err().contains(lzw + ": ")
                && both.err().contains(png + ": "), "each named in one run: " + both.err());

        // A label file of another size in the output is not ours to replace.
        Path in = write16(new FloatPlane(64, 48), tmp.resolve("slide.tif"));
        Files.createDirectories(out.resolve("labels"));
        ImageIO.write(new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY), "tiff", out.resolve("labels/slide.tif").toFile());
        byte[] before = Files.readAllBytes(out.resolve("labels/slide.tif"));
        MainRun foreign = MainRun.of("segment", "--streaming", "--output", out.toString(), in.toString());
        assertEquals(1, foreign.status());
        assertTrue(foreign.err().contains("already exists and is not a label image of slide.tif (use --overwrite"),
                foreign.err());
        assertArrayEquals(before, Files.readAllBytes(out.resolve("labels/slide.tif")));
        // Nor is a 16-bit image of the slide's size that this tool did not number (a raw frame saved there).
        FloatPlane rawFrame = new FloatPlane(64, 48);
        for (int i = 0; i < rawFrame.size(); i++) {
            rawFrame.data()[i] = 100 + i % 64;
        }
        write16(rawFrame, out.resolve("labels/slide.tif"));
        before = Files.readAllBytes(out.resolve("labels/slide.tif"));
        MainRun raw = MainRun.of("segment", "--streaming", "--output", out.toString(), in.toString());
        assertEquals(1, raw.status());
        assertTrue(raw.err().contains("already exists and is not a label image of slide.tif (use --overwrite"), raw.err());
        assertArrayEquals(before, Files.readAllBytes(out.resolve("labels/slide.tif")));

        MainRun tables = MainRun.of("segment", "--streaming", "--table-format", "xml", "--output", out.toString(), in.toString());
        assertEquals(2, tables.status());
        assertTrue(tables.err().contains("--table-format must be parquet or csv, got 'xml'"), tables.err());
        MainRun missing = MainRun.of("segment", "--streaming", "--output", out.toString(), tmp.resolve("nope.tif").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("nope.tif"), missing.err());
    }
}
