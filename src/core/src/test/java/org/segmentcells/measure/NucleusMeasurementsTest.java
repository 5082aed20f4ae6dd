package org.segmentcells.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.io.TiffStripWriter;
import org.segmentcells.synth.SyntheticNuclei;

/**
 * Measurements of a label image in memory, and of its files read in bands of rows: the same records, bit for
 * bit, whatever the band height.
 */
class NucleusMeasurementsTest {

    @Test
    void measuresAreaCentroidBoxIntensityAndBorder() {
        int w = 6;
        int h = 5;
        int[] l = new int[w * h];
        float[] v = new float[w * h];
        // label 3: a 2x2 square at (1,1)-(2,2) with values 1..4; label 7: the column x=5, rows 0-1
        int[][] sq = {{1, 1}, {2, 1}, {1, 2}, {2, 2}};
        for (int i = 0; i < 4; i++) {
            l[sq[i][1] * w + sq[i][0]] = 3;
            v[sq[i][1] * w + sq[i][0]] = i + 1;
        }
        l[5] = 7;
        l[w + 5] = 7;
        v[5] = 10;
        v[w + 5] = 20;
        List<NucleusMeasurements.Nucleus> n = NucleusMeasurements.of(new LabelPlane(w, h, l), new FloatPlane(w, h, v));
        assertEquals(2, n.size(), "unused label values give no row");
        NucleusMeasurements.Nucleus a = n.get(0);
        assertEquals(3, a.label());
        assertEquals(4, a.area());
        assertEquals(1.5, a.centroidX(), 1e-12);
        assertEquals(1.5, a.centroidY(), 1e-12);
        assertEquals(List.of(1, 1, 2, 2), List.of(a.bboxX(), a.bboxY(), a.bboxWidth(), a.bboxHeight()));
        assertEquals(2.5, a.meanIntensity(), 1e-12);
        assertEquals(1, a.minIntensity(), 1e-12);
        assertEquals(4, a.maxIntensity(), 1e-12);
        assertEquals(10, a.integratedIntensity(), 1e-12);
        assertFalse(a.touchesBorder());
        NucleusMeasurements.Nucleus b = n.get(1);
        assertEquals(7, b.label());
        assertEquals(2, b.area());
        assertEquals(5, b.centroidX(), 1e-12);
        assertEquals(0.5, b.centroidY(), 1e-12);
        assertEquals(30, b.integratedIntensity(), 1e-12);
        assertTrue(b.touchesBorder());
        assertThrows(IllegalArgumentException.class,
                () -> NucleusMeasurements.of(new LabelPlane(w, h, l), new FloatPlane(w, h - 1, new float[w * (h - 1)])));
    }

    /** {@code img} (integral values) as a 16-bit TIFF. */
    private static Path write16(FloatPlane img, Path file) throws IOException {
        int[] px = new int[img.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (int) img.data()[i];
        }
        ImageFiles.write16(img.width(), img.height(), px, file);
        return file;
    }

    @Test
    void filesReadInBandsMeasureExactlyAsInMemory(@TempDir Path tmp) throws Exception {
        SyntheticNuclei.Sample s = SyntheticNuclei.generate(301, 157, 60, 5);
        Path raw = write16(s.image(), tmp.resolve("raw.tif"));
        Path labels = tmp.resolve("labels.tif");
        ImageFiles.writeLabels(s.labels(), labels);
        List<NucleusMeasurements.Nucleus> expected = NucleusMeasurements.of(ImageFiles.readLabels(labels),
                ImageFiles.readPlane(raw));
        assertEquals(60, expected.size());
        int band = 7;
        // The cases the bands must get right: a nucleus over several band borders, and nuclei on the frame.
        assertTrue(expected.stream().anyMatch(n -> n.bboxY() / band + 2 <= (n.bboxY() + n.bboxHeight() - 1) / band),
                "no nucleus spans three bands");
        assertTrue(expected.stream().anyMatch(n -> n.touchesBorder() && n.bboxY() + n.bboxHeight() == 157),
                "no nucleus on the last row");
        assertTrue(expected.stream().anyMatch(n -> n.touchesBorder() && n.bboxY() > 0 && n.bboxY() + n.bboxHeight() < 157),
                "no nucleus on a side");
        for (int rows : new int[] {band, 1, 156, 157, 1000, 0}) {
            // Records compare doubles bit for bit: the same sums in the same order.
            assertEquals(expected, NucleusMeasurements.ofFiles(labels, raw, rows), "bands of " + rows + " rows");
        }
        assertEquals(expected, NucleusMeasurements.ofFiles(labels, raw));

        // By hand, the rows next to the frame: 1 ends one row above the bottom (inside), 2 is one pixel on the
        // last row, 3 touches the right edge inside a band, 4 runs from the top row to the bottom row.
        int w = 9;
        int h = 10;
        int[] l = new int[w * h];
        float[] v = new float[w * h];
        for (int y = 2; y <= h - 2; y++) {
            l[y * w + 4] = 1;
        }
        l[(h - 1) * w + 6] = 2;
        l[4 * w + w - 1] = 3;
        for (int y = 0; y < h; y++) {
            l[y * w + 1] = 4;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 37) % 101;
        }
        Path handLabels = tmp.resolve("hand-labels.tif");
        ImageFiles.writeLabels(new LabelPlane(w, h, l), handLabels);
        Path handRaw = write16(new FloatPlane(w, h, v), tmp.resolve("hand-raw.tif"));
        List<NucleusMeasurements.Nucleus> hand = NucleusMeasurements.of(new LabelPlane(w, h, l), new FloatPlane(w, h, v));
        assertEquals(List.of(false, true, true, true), hand.stream().map(NucleusMeasurements.Nucleus::touchesBorder).toList());
        for (int rows : new int[] {1, 3, 4, h}) {
            assertEquals(hand, NucleusMeasurements.ofFiles(handLabels, handRaw, rows), "bands of " + rows + " rows");
        }

        // Label files past 65535 nuclei are 32-bit float, written row by row; ids need not be consecutive.
        int[] ids = s.labels().data().clone();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ids[i] == 0 ? 0 : 70_000 + 3 * ids[i];
        }
        Path floats = tmp.resolve("float-labels.tif");
        try (TiffStripWriter out = new TiffStripWriter(floats, 301, 157, TiffStripWriter.Type.FLOAT32)) {
            out.writeRows(ids, 0, 157);
            out.commit();
        }
        List<NucleusMeasurements.Nucleus> wide = NucleusMeasurements.of(new LabelPlane(301, 157, ids),
                ImageFiles.readPlane(raw));
        assertEquals(70_003, wide.get(0).label());
        assertEquals(wide, NucleusMeasurements.ofFiles(floats, raw, band));
    }

    @Test
    void filesOfAnotherSizeOrFormatAreRefusedNamingTheFile(@TempDir Path tmp) throws Exception {
        Path labels = tmp.resolve("labels.tif");
        ImageFiles.writeLabels(new LabelPlane(40, 30), labels);
        Path raw = write16(new FloatPlane(40, 31), tmp.resolve("raw.tif"));
        IOException size = assertThrows(IOException.class, () -> NucleusMeasurements.ofFiles(labels, raw));
        assertEquals(labels + ": is 40x30 but its image " + raw + " is 40x31", size.getMessage());

        IOException missing = assertThrows(IOException.class,
                () -> NucleusMeasurements.ofFiles(labels, tmp.resolve("nope.tif")));
        assertTrue(missing.getMessage().startsWith(tmp.resolve("nope.tif") + ": no such file"), missing.getMessage());

        Path png = tmp.resolve("raw.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
                "png", png.toFile());
        IOException format = assertThrows(IOException.class, () -> NucleusMeasurements.ofFiles(labels, png));
        assertTrue(format.getMessage().startsWith(png + ": cannot be measured in bands of rows; that needs an uncompressed"),
                format.getMessage());

        float[] half = new float[40 * 30];
        half[40 * 29 + 3] = 2.5f;
        Path notLabels = tmp.resolve("not-labels.tif");
        new ij.io.FileSaver(new ij.ImagePlus("f", new ij.process.FloatProcessor(40, 30, half))).saveAsTiff(notLabels.toString());
        IOException value = assertThrows(IOException.class, () -> NucleusMeasurements.ofFiles(notLabels,
                write16(new FloatPlane(40, 30), tmp.resolve("raw30.tif")), 4));
        assertEquals(notLabels + ": not a label image (pixel value 2.5 at x 3, y 29 is not a whole number from 0 to 16777215)",
                value.getMessage());
        assertFalse(Files.exists(tmp.resolve("nope.tif")));
    }
}
