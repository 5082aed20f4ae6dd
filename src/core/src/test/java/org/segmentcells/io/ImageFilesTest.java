package org.segmentcells.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;

class ImageFilesTest {

    @Test
    void signed16BitLabelsReadAsTheirOwnValues(@TempDir Path tmp) throws Exception {
        // ImageJ stores int16 pixels shifted by 32768 with a calibration; labels must come back unshifted.
        ij.process.ShortProcessor sp = new ij.process.ShortProcessor(4, 3);
        int[] labels = {0, 0, 1, 1, 0, 2, 2, 0, 0, 0, 3, 0};
        for (int i = 0; i < labels.length; i++) {
            sp.set(i, labels[i] + 32768);
        }
        ImagePlus imp = new ImagePlus("int16", sp);
        imp.getCalibration().setSigned16BitCalibration();
        Path f = tmp.resolve("int16.tif");
        assertTrue(new FileSaver(imp).saveAsTiff(f.toString()));
        assertTrue(new ImagePlus(f.toString()).getCalibration().isSigned16Bit(), "ImageJ reads it back as signed");
        assertEquals(java.util.Arrays.toString(labels), java.util.Arrays.toString(ImageFiles.readLabels(f).data()));
        assertEquals(3, ImageFiles.readLabelPlanes(f).get(0).maxLabel());
    }

    @Test
    void readsEightSixteenAndThirtyTwoBit(@TempDir Path dir) throws Exception {
        ByteProcessor b = new ByteProcessor(3, 2, new byte[] {0, 1, 2, (byte) 200, 4, 5});
        new FileSaver(new ImagePlus("b", b)).saveAsTiff(dir.resolve("b.tif").toString());
        assertEquals(200f, ImageFiles.readPlane(dir.resolve("b.tif")).get(0, 1));
        FloatProcessor f = new FloatProcessor(2, 2, new float[] {-1.5f, 0, 3.25f, 1e6f});
        new FileSaver(new ImagePlus("f", f)).saveAsTiff(dir.resolve("f.tif").toString());
        FloatPlane p = ImageFiles.readPlane(dir.resolve("f.tif"));
        assertEquals(-1.5f, p.get(0, 0));
        assertEquals(1e6f, p.get(1, 1));
        ImageFiles.write16(2, 1, new int[] {65535, 7}, dir.resolve("s.tif"));
        assertEquals(65535f, ImageFiles.readPlane(dir.resolve("s.tif")).get(0, 0));
    }

    @Test
    void labelsBeyond65535AreWrittenAs32BitAndReadBackExactly(@TempDir Path dir) throws Exception {
        LabelPlane big = new LabelPlane(3, 1, new int[] {0, 65536, 1_000_000});
        ImageFiles.writeLabels(big, dir.resolve("l.tif"));
        assertEquals(1_000_000, ImageFiles.readLabels(dir.resolve("l.tif")).get(2, 0));
        LabelPlane small = new LabelPlane(2, 1, new int[] {65535, 3});
        ImageFiles.writeLabels(small, dir.resolve("s.tif"));
        assertEquals(65535, ImageFiles.readLabels(dir.resolve("s.tif")).get(0, 0));
        // Written via a temporary name: nothing else is left in the folder, and the file is readable
        // by others like any file the user writes.
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count());
        }
        assertTrue(Files.getPosixFilePermissions(dir.resolve("s.tif")).contains(PosixFilePermission.OWNER_READ));
    }

    /**
     * The nuclear channel of a virtual hyperstack stays virtual: a plane is read when asked for, so a
     * time-lapse bigger than the heap is not read whole before its memory is checked.
     */
    @Test
    void theNuclearChannelOfAVirtualStackIsReadPlaneByPlane() {
        int[] reads = new int[1];
        ij.VirtualStack disk = new ij.VirtualStack(4, 3, 6) {
            @Override
            public ij.process.ImageProcessor getProcessor(int n) {
                reads[0]++;
                ij.process.ShortProcessor p = new ij.process.ShortProcessor(4, 3);
                p.set(0, 0, n); // its stack index
                return p;
            }

            @Override
            public int getBitDepth() {
                return 16;
            }

            @Override
            public String getSliceLabel(int n) {
                return "plane " + n;
            }
        };
        ImagePlus imp = new ImagePlus("virtual", disk);
        imp.setDimensions(2, 1, 3); // C, Z, T: index = c + 2 * (t - 1)
        imp.getCalibration().pixelWidth = 0.65;
        imp.getCalibration().frameInterval = 30;
        reads[0] = 0;
        ImagePlus second = ImageFiles.nuclearChannel(imp, 2);
        assertTrue(second.getStack().isVirtual());
        assertTrue(reads[0] <= 1, "at most the plane an ImagePlus shows: " + reads[0]);
        assertEquals(3, second.getStackSize());
        int before = reads[0];
        assertEquals(6, second.getStack().getProcessor(3).get(0, 0), "channel 2 of frame 3");
        assertEquals(before + 1, reads[0]);
        assertEquals("plane 6", second.getStack().getSliceLabel(3));
        assertEquals(16, second.getBitDepth());
        assertEquals(0.65, second.getCalibration().pixelWidth, 1e-12);
        assertEquals(30, second.getCalibration().frameInterval, 1e-12);
        assertEquals(3, second.getNFrames());
    }

    /** A name the file system takes keeps a temporary it takes: 240 bytes plus the suffix would pass 255. */
    @Test
    void aLongFileNameIsWritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w".repeat(236) + ".tif");
        LabelPlane l = new LabelPlane(3, 1, new int[] {0, 1, 2});
        ImageFiles.writeLabels(l, file);
        assertTrue(java.util.Arrays.equals(l.data(), ImageFiles.readLabels(file).data()));
        // A name past what the file system takes: the reason, not only that it failed.
        Path tooLong = dir.resolve("w".repeat(300) + ".tif");
        IOException e = assertThrows(IOException.class, () -> ImageFiles.writeLabels(l, tooLong));
        assertTrue(e.getMessage().contains("File name too long"), e.getMessage());
    }

    @Test
    void clearErrorsForBadFiles(@TempDir Path dir) throws Exception {
        IOException e = assertThrows(IOException.class, () -> ImageFiles.readPlane(dir.resolve("none.tif")));
        assertTrue(e.getMessage().endsWith("none.tif: no such file"), e.getMessage());
        Files.writeString(dir.resolve("junk.tif"), "not an image at all");
        e = assertThrows(IOException.class, () -> ImageFiles.readPlane(dir.resolve("junk.tif")));
        assertTrue(e.getMessage().contains("junk.tif"), e.getMessage());
        // A text file named as such is no image either, though ImageJ's opener would read its numbers as one.
        Files.writeString(dir.resolve("nums.txt"), "1\t2\t3\n4\t5\t6\n");
        e = assertThrows(IOException.class, () -> ImageFiles.readPlane(dir.resolve("nums.txt")));
        assertTrue(e.getMessage().endsWith("nums.txt: not an image (TIFF, PNG, JPEG, BMP or PGM)"), e.getMessage());
        new FileSaver(new ImagePlus("c", new ColorProcessor(4, 4))).saveAsTiff(dir.resolve("rgb.tif").toString());
        e = assertThrows(IOException.class, () -> ImageFiles.readPlane(dir.resolve("rgb.tif")));
        assertTrue(e.getMessage().contains("colour image"), e.getMessage());
        // As labels (train, evaluate), no channel option applies: the message says what a label image is.
        for (java.util.function.Supplier<org.junit.jupiter.api.function.Executable> read : List.<java.util.function.Supplier<
                org.junit.jupiter.api.function.Executable>>of(() -> () -> ImageFiles.readLabels(dir.resolve("rgb.tif")),
                () -> () -> ImageFiles.readLabelPlanes(dir.resolve("rgb.tif")))) {
            e = assertThrows(IOException.class, read.get());
            assertTrue(e.getMessage().contains("colour image; a label image is single-channel grayscale")
                    && !e.getMessage().contains("channel\u203a"), e.getMessage());
        }
        // A hyperstack whose description claims no channels (or more than it has planes).
        ij.ImageStack two = new ij.ImageStack(4, 4);
        two.addSlice(new ByteProcessor(4, 4));
        two.addSlice(new ByteProcessor(4, 4));
        ImagePlus hyper = new ImagePlus("h", two);
        hyper.setDimensions(2, 1, 1);
        assertTrue(new FileSaver(hyper).saveAsTiffStack(dir.resolve("h.tif").toString()));
        byte[] bytes = Files.readAllBytes(dir.resolve("h.tif"));
        String latin = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(latin.contains("channels=2"), "ImageJ wrote the channels");
        for (String claim : List.of("channels=0", "channels=9")) {
            Files.write(dir.resolve("h0.tif"), latin.replace("channels=2", claim).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            e = assertThrows(IOException.class, () -> ImageFiles.checkInput(dir.resolve("h0.tif"), null, 1));
            assertTrue(e.getMessage().contains("h0.tif: corrupt TIFF description (" + claim + " for 2 planes)"), e.getMessage());
        }
        FloatProcessor f = new FloatProcessor(2, 1, new float[] {1.5f, 0});
        new FileSaver(new ImagePlus("f", f)).saveAsTiff(dir.resolve("frac.tif").toString());
        e = assertThrows(IOException.class, () -> ImageFiles.readLabels(dir.resolve("frac.tif")));
        assertTrue(e.getMessage().contains("not a label image"), e.getMessage());
        // 2^24 and 2^24 + 1 are one float: past it, labels would merge, so they are refused.
        FloatProcessor big = new FloatProcessor(2, 1, new float[] {1 << 24, 1});
        new FileSaver(new ImagePlus("big", big)).saveAsTiff(dir.resolve("big.tif").toString());
        e = assertThrows(IOException.class, () -> ImageFiles.readLabels(dir.resolve("big.tif")));
        assertTrue(e.getMessage().endsWith("big.tif: label 1.6777216E7 is past 16777215, the largest a label image keeps"
                + " exactly"), e.getMessage());
    }

    /** A file cut off in transfer is named as such, not read as an image padded with zeros. */
    @Test
    void cutOffPgmAndPngFilesAreRefusedAndNamed(@TempDir Path dir) throws Exception {
        byte[] header = "P5\n# a comment\n4 3\n255\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] whole = java.util.Arrays.copyOf(header, header.length + 12);
        whole[header.length + 5] = 9;
        Files.write(dir.resolve("whole.pgm"), whole);
        assertEquals(9, ImageFiles.readPlane(dir.resolve("whole.pgm")).get(1, 1), 0);
        Files.write(dir.resolve("short.pgm"), java.util.Arrays.copyOf(whole, whole.length - 1));
        IOException e = assertThrows(IOException.class, () -> ImageFiles.readPlane(dir.resolve("short.pgm")));
        assertTrue(e.getMessage().endsWith("short.pgm: cut off (11 of its 12 bytes of pixels)"), e.getMessage());
        Files.write(dir.resolve("text.pgm"), "P2 2 2 255 1 2 3".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        e = assertThrows(IOException.class, () -> ImageFiles.readPlane(dir.resolve("text.pgm")));
        assertTrue(e.getMessage().endsWith("text.pgm: cut off (3 of its 4 pixel values)"), e.getMessage());
        // Whole files larger than a read buffer: 16-bit gray, and a bitmap.
        byte[] h16 = "P5 200 200 65535\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] g16 = java.util.Arrays.copyOf(h16, h16.length + 200 * 200 * 2);
        g16[h16.length + 2 * (200 * 10 + 7) + 1] = 5;
        Files.write(dir.resolve("g16.pgm"), g16);
        assertEquals(5, ImageFiles.readPlane(dir.resolve("g16.pgm")).get(7, 10), 0);
        byte[] h1 = "P4\n100 100\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Files.write(dir.resolve("bits.pbm"), java.util.Arrays.copyOf(h1, h1.length + 13 * 100));
        assertEquals(100, ImageFiles.readPlane(dir.resolve("bits.pbm")).width());
        Files.write(dir.resolve("nohead.pgm"), "P5\n4".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        e = assertThrows(IOException.class, () -> ImageFiles.readPlane(dir.resolve("nohead.pgm")));
        assertTrue(e.getMessage().endsWith("nohead.pgm: corrupt image header"), e.getMessage());

        new FileSaver(new ImagePlus("p", new ByteProcessor(40, 30))).saveAsPng(dir.resolve("p.png").toString());
        Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("p.png")), 40));
        e = assertThrows(IOException.class, () -> ImageFiles.readPlane(dir.resolve("cut.png")));
        assertTrue(e.getMessage().contains("cut.png: corrupt image header"), e.getMessage());
    }

    /** A PPM's colour is seen in its header, so a batch refuses it before any work, as a TIFF's. */
    @Test
    void aPpmsChannelsAreReadFromItsHeader(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("p8.ppm"), java.util.Arrays.copyOf("P6 4 3 255\n".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII), 11 + 36));
        IOException e = assertThrows(IOException.class, () -> ImageFiles.checkInput(dir.resolve("p8.ppm"), null, 0));
        assertTrue(e.getMessage().contains("p8.ppm: colour image"), e.getMessage());
        ImageFiles.checkInput(dir.resolve("p8.ppm"), org.segmentcells.img.Channel.RED, 0);
        Files.write(dir.resolve("p16.ppm"), java.util.Arrays.copyOf("P6 4 3 65535\n".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII), 13 + 72));
        e = assertThrows(IOException.class, () -> ImageFiles.checkInput(dir.resolve("p16.ppm"), null, 0));
        assertTrue(e.getMessage().contains("p16.ppm: has 3 channels"), e.getMessage());
        assertEquals(3, ImageFiles.checkInput(dir.resolve("p16.ppm"), null, 2).channels());
        Files.write(dir.resolve("g.pgm"), java.util.Arrays.copyOf("P5 4 3 255\n".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII), 11 + 12));
        assertEquals(4, ImageFiles.checkInput(dir.resolve("g.pgm"), null, 0).width());
    }

    /**
     * A gray PNG with an alpha channel is read as its gray values, 8- or 16-bit, the alpha left out, with or
     * without a channel: the same pixels as the file without the alpha (ImageJ opens it as RGB through a gamma
     * curve, which brightened them).
     */
    @Test
    void aGrayPngWithAlphaIsReadAsItsGrayValues(@TempDir Path dir) throws Exception {
        for (int type : new int[] {java.awt.image.DataBuffer.TYPE_BYTE, java.awt.image.DataBuffer.TYPE_USHORT}) {
            int max = type == java.awt.image.DataBuffer.TYPE_BYTE ? 255 : 65535;
            java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(type, 40, 30, 2, null);
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 40; x++) {
                    // The whole range (past the sign bit of a byte and a short), some pixels transparent.
                    raster.setSample(x, y, 0, (int) ((long) ((x * 7 + y * 13) % 100) * max / 99));
                    raster.setSample(x, y, 1, x < 5 ? 0 : max);
                }
            }
            java.awt.image.BufferedImage ga = new java.awt.image.BufferedImage(new java.awt.image.ComponentColorModel(
                    java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), true, false,
                    java.awt.Transparency.TRANSLUCENT, type), raster, false, null);
            Path f = dir.resolve("ga" + type + ".png");
            assertTrue(javax.imageio.ImageIO.write(ga, "png", f.toFile()));
            ImageFiles.checkInput(f, null, 0); // not refused as colour
            for (org.segmentcells.img.Channel c : new org.segmentcells.img.Channel[] {null,
                    org.segmentcells.img.Channel.LUMINANCE}) {
                FloatPlane p = ImageFiles.readPlane(f, c);
                assertEquals(40, p.width());
                for (int y = 0; y < 30; y++) {
                    for (int x = 0; x < 40; x++) {
                        assertEquals(raster.getSample(x, y, 0), p.data()[y * 40 + x], 0, "pixel " + x + "," + y);
                    }
                }
            }
        }
        // A gray PNG with alpha whose pixel data is cut off is named, as any corrupt image is.
        Path whole = dir.resolve("ga0.png");
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(bytes, bytes.length - 40));
        IOException e = assertThrows(IOException.class, () -> ImageFiles.readPlane(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
    }

    /** TIFFs ImageJ does not read (BigTIFF, tiled, 64-bit samples) are named as such, each on one line. */
    @Test
    void tiffsThatCannotBeReadSayWhatTheyAre(@TempDir Path dir) throws Exception {
        Path big = Files.write(dir.resolve("big.tif"), new byte[] {'I', 'I', 43, 0, 8, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0});
        java.awt.image.BufferedImage gray = new java.awt.image.BufferedImage(64, 64,
                java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
        Path tiled = dir.resolve("tiled.tif");
        javax.imageio.ImageWriter w = javax.imageio.ImageIO.getImageWritersByFormatName("tiff").next();
        try (javax.imageio.stream.ImageOutputStream os = javax.imageio.ImageIO.createImageOutputStream(tiled.toFile())) {
            w.setOutput(os);
            javax.imageio.ImageWriteParam p = w.getDefaultWriteParam();
            p.setTilingMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            p.setTiling(32, 32, 0, 0);
            w.write(null, new javax.imageio.IIOImage(gray, null, null), p);
        } finally {
            w.dispose();
        }
        // A 4×4 uncompressed TIFF of 64-bit floats, as numpy's tifffile writes one.
        int[][] tags = {{256, 4, 4}, {257, 4, 4}, {258, 3, 64}, {259, 3, 1}, {262, 3, 1}, {273, 4, 8 + 2 + 10 * 12 + 4},
                {277, 3, 1}, {278, 4, 4}, {279, 4, 128}, {339, 3, 3}};
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 2 + tags.length * 12 + 4 + 128);
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8).putShort((short) tags.length);
        for (int[] t : tags) {
            b.putShort((short) t[0]).putShort((short) t[1]).putInt(1);
            if (t[1] == 3) {
                b.putShort((short) t[2]).putShort((short) 0);
            } else {
                b.putInt(t[2]);
            }
        }
        Files.write(dir.resolve("f64.tif"), b.putInt(0).array());
        for (String[] c : new String[][] {{"big.tif", "a BigTIFF, which Segment Cells cannot read yet"},
                {"tiled.tif", "a tiled TIFF, which Segment Cells cannot read; save it in strips"},
                {"f64.tif", "64-bit samples, which Segment Cells cannot read; save it as 8-, 16- or 32-bit"}}) {
            IOException e = assertThrows(IOException.class, () -> ImageFiles.checkInput(dir.resolve(c[0]), null, 0));
            assertTrue(e.getMessage().contains(c[0] + ": " + c[1]), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        assertTrue(Files.size(big) > 0);
    }

    /**
     * A 16-bit RGB TIFF is three 16-bit channels, as ImageJ reads it: the header check asks for the nuclear
     * channel by number (not a colour channel, which reading it would then refuse), and that channel is read.
     */
    @Test
    void aSixteenBitRgbTiffIsThreeChannels(@TempDir Path dir) throws Exception {
        java.awt.image.WritableRaster r = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_USHORT, 20, 10, 3, null);
        for (int i = 0; i < 200; i++) {
            r.setPixel(i % 20, i / 20, new int[] {100, 1000 + i, 7});
        }
        java.awt.image.BufferedImage rgb48 = new java.awt.image.BufferedImage(new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_USHORT), r, false, null);
        Path f = dir.resolve("rgb48.tif");
        assertTrue(javax.imageio.ImageIO.write(rgb48, "tiff", f.toFile()));
        IOException e = assertThrows(IOException.class, () -> ImageFiles.checkInput(f, null, 0));
        assertTrue(e.getMessage().contains("rgb48.tif: has 3 channels"), e.getMessage());
        ImageFiles.Header h = ImageFiles.checkInput(f, null, 2);
        assertEquals(List.of(20, 10, 1, 3, 2), List.of(h.width(), h.height(), h.planes(), h.channels(), h.bytesPerPixel()));
        ImageFiles.Planes p = ImageFiles.readPlanes(f, null, 2);
        assertEquals(1, p.count());
        assertEquals(1000 + 45, p.plane(0).data()[45], 1e-3, "the second channel's pixels");
    }
}
