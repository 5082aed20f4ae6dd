package org.segmentcells.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.Prefs;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.img.LabelPlane;

/**
 * Row reading of big TIFFs gives exactly what ImageJ reads, in either byte order (32-bit float only when
 * asked); the row writer's files read back.
 */
class TiffRowsTest {

    @Test
    void rowsEqualImageJsPixelsForEightAndSixteenBitInBothByteOrders(@TempDir Path tmp) throws Exception {
        int w = 37;
        int h = 23;
        short[] s = new short[w * h];
        byte[] b = new byte[w * h];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (i * 2654435761L >>> 16);
            b[i] = (byte) (i * 31);
        }
        boolean intel = Prefs.intelByteOrder;
        try {
            for (boolean little : new boolean[] {false, true}) {
                Prefs.intelByteOrder = little;
                for (var ip : new ij.process.ImageProcessor[] {new ShortProcessor(w, h, s, null),
                        new ByteProcessor(w, h, b)}) {
                    Path f = tmp.resolve("i" + little + ip.getBitDepth() + ".tif");
                    new FileSaver(new ImagePlus("i", ip)).saveAsTiff(f.toString());
                    float[] expected = ImageFiles.readPlane(f).data();
                    try (TiffRows rows = TiffRows.openOrNull(f)) {
                        assertNotNull(rows, f.toString());
                        assertEquals(ip.getBitDepth() == 8 ? 255 : 65535, rows.maxValue());
                        float[] all = new float[w * h];
                        rows.read(0, h, all);
                        assertArrayEquals(expected, all);
                        float[] part = new float[w * 5];
                        rows.read(11, 5, part);
                        assertArrayEquals(java.util.Arrays.copyOfRange(expected, 11 * w, 16 * w), part);
                    }
                }
            }
        } finally {
            Prefs.intelByteOrder = intel;
        }
        float[] fl = new float[w * h];
        for (int i = 0; i < fl.length; i++) {
            fl[i] = i % 7 == 0 ? 70000 + i : -1.5f * i; // labels past 65535, and any other float
        }
        for (boolean little : new boolean[] {false, true}) {
            Prefs.intelByteOrder = little;
            try {
                Path f = tmp.resolve("float" + little + ".tif");
                new FileSaver(new ImagePlus("f", new FloatProcessor(w, h, fl))).saveAsTiff(f.toString());
                assertNull(TiffRows.openOrNull(f), "32-bit images are not read in rows unless asked");
                try (TiffRows rows = TiffRows.openOrNull(f, true)) {
                    float[] part = new float[w * 5];
                    rows.read(11, 5, part);
                    assertArrayEquals(java.util.Arrays.copyOfRange(ImageFiles.readPlane(f).data(), 11 * w, 16 * w), part);
                }
            } finally {
                Prefs.intelByteOrder = intel;
            }
        }
    }

    @Test
    void theRowWriterWritesWhatImageJReads(@TempDir Path tmp) throws Exception {
        for (var type : TiffStripWriter.Type.values()) {
            // 700 rows of 3000 px span several 1 MB strips; a 1-row image has one.
            for (int[] size : new int[][] {{3000, 700}, {5, 1}}) {
                int w = size[0];
                int h = size[1];
                int[] px = new int[w * h];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (int) ((i * 40503L) % (type == TiffStripWriter.Type.GRAY16 ? 65536 : 1 << 24));
                }
                Path f = tmp.resolve(type + "-" + w + ".tif");
                try (TiffStripWriter out = new TiffStripWriter(f, w, h, type)) {
                    out.writeRows(px, 0, h / 2);
                    out.writeRows(px, (h / 2) * w, h - h / 2);
                    out.commit();
                }
                LabelPlane l = ImageFiles.readLabels(f);
                assertArrayEquals(px, l.data(), f.toString());
                try (TiffRows rows = TiffRows.openOrNull(f, true)) {
                    float[] all = new float[w * h];
                    rows.read(0, h, all);
                    for (int i = 0; i < px.length; i++) {
                        assertEquals((float) px[i], all[i], f + " pixel " + i);
                    }
                }
                assertEquals(type == TiffStripWriter.Type.GRAY16 ? 16 : 32, new ImagePlus(f.toString()).getBitDepth());
            }
        }
        try (var s = java.nio.file.Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".part")));
        }
    }
}
