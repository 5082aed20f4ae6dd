package org.segmentcells.io;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.LabelType;

/**
 * Reads and writes image files through ImageJ 1.x's file classes, without any GUI. Every write goes to
 * a temporary file in the target folder and is then renamed, so an interrupted run never leaves a
 * truncated file under the final name.
 */
public final class ImageFiles {

    private ImageFiles() {
    }

    /** Reads a single-plane 8-, 16- or 32-bit grayscale image as floats. */
    public static FloatPlane readPlane(Path file) throws IOException {
        return readPlane(file, null);
    }

    /**
     * Reads a single-plane image as floats; a colour image is read through {@code channel}, and refused
     * if it is null.
     */
    public static FloatPlane readPlane(Path file, org.segmentcells.img.Channel channel) throws IOException {
        ImagePlus imp = open(file);
        try {
            if (channel != null && (imp.getBitDepth() == 24 || imp.getType() == ImagePlus.COLOR_256)
                    && imp.getStackSize() == 1) {
                ImageProcessor rgb = imp.getProcessor().convertToColorProcessor();
                return channel.extract(rgb.getWidth(), rgb.getHeight(), (int[]) rgb.getPixels());
            }
            checkSinglePlaneGray(imp, file);
            ImageProcessor ip = imp.getProcessor();
            float[] px = (float[]) ip.convertToFloatProcessor().getPixels();
            return new FloatPlane(ip.getWidth(), ip.getHeight(), px);
        } finally {
            imp.close();
        }
    }

    /** Reads an instance label image (8/16-bit, or 32-bit float holding integers). */
    public static LabelPlane readLabels(Path file) throws IOException {
        ImagePlus imp = open(file);
        try {
            checkSinglePlaneGray(imp, file);
            ImageProcessor ip = imp.getProcessor();
            int w = ip.getWidth();
            int h = ip.getHeight();
            int[] out = new int[w * h];
            for (int i = 0; i < out.length; i++) {
                float v = ip.getf(i);
                if (v < 0 || v != Math.rint(v) || Float.isNaN(v)) {
                    throw new IOException(file + ": not a label image (pixel value " + v
                            + " is not a non-negative integer)");
                }
                out[i] = (int) v;
            }
            return new LabelPlane(w, h, out);
        } finally {
            imp.close();
        }
    }

    /**
     * Reads an RGB image as packed 0xRRGGBB ints, or returns null when the file is not RGB (used to
     * accept the paper's RGB annotations next to label images).
     */
    public static int[] readRgbOrNull(Path file) throws IOException {
        ImagePlus imp = open(file);
        try {
            if (imp.getBitDepth() != 24) {
                return null;
            }
            if (imp.getStackSize() != 1) {
                throw new IOException(file + ": has " + imp.getStackSize() + " planes; expected one RGB annotation");
            }
            int[] px = (int[]) imp.getProcessor().getPixels();
            int[] out = new int[px.length];
            for (int i = 0; i < px.length; i++) {
                out[i] = px[i] & 0xFFFFFF;
            }
            return out;
        } finally {
            imp.close();
        }
    }

    static ImagePlus open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new IOException(file + ": not readable");
        }
        checkReadable(file);
        ImagePlus imp;
        try {
            imp = new Opener().openImage(file.toAbsolutePath().toString());
        } catch (RuntimeException e) {
            throw new IOException(file + ": cannot be read as an image (" + e + ")", e);
        }
        if (imp == null) {
            throw new IOException(file + ": not an image ImageJ can read (unknown format or corrupt)");
        }
        return imp;
    }

    /**
     * Cheap check that a file is an image this tool can read, from its header only (no pixels decoded):
     * TIFFs are parsed and must hold all the pixel data their header promises (ImageJ would otherwise
     * read a truncated TIFF with zeros where the data is missing), PNG/JPEG/BMP headers go through
     * javax.imageio, and a file named like an image must start like one.
     */
    public static void checkReadable(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        long size = Files.size(file);
        byte[] magic = new byte[4];
        try (var in = Files.newInputStream(file)) {
            if (in.readNBytes(magic, 0, 4) < 4) {
                throw new IOException(file + ": not an image (" + size + " bytes)");
            }
        }
        boolean tiff = (magic[0] == 'I' && magic[1] == 'I' && magic[2] == 42) || (magic[0] == 'M' && magic[1] == 'M'
                && magic[3] == 42);
        if (tiff) {
            checkTiff(file, size);
        } else if (isImageIoFormat(magic)) {
            checkImageIo(file);
        } else if (isImageName(file.getFileName().toString()) && !(magic[0] == 'P' && magic[1] >= '1' && magic[1] <= '6')) {
            // Named like an image (so it was picked from a folder), but not a TIFF, PNG, JPEG, BMP or PGM.
            throw new IOException(file + ": not an image (its content is not in the format its name says)");
        }
    }

    /** ImageJ's reading of a TIFF's header: one FileInfo per IFD (may be null). */
    static ij.io.FileInfo[] tiffInfo(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        return new ij.io.TiffDecoder(abs.getParent().toString() + java.io.File.separator,
                abs.getFileName().toString()).getTiffInfo();
    }

    private static void checkTiff(Path file, long size) throws IOException {
        ij.io.FileInfo[] infos;
        try {
            infos = tiffInfo(file);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": corrupt TIFF header (" + e.getMessage() + ")", e);
        }
        if (infos == null || infos.length == 0) {
            throw new IOException(file + ": corrupt TIFF (no image in it)");
        }
        for (ij.io.FileInfo fi : infos) {
            if (fi.width <= 0 || fi.height <= 0) {
                throw new IOException(file + ": corrupt TIFF (size " + fi.width + "×" + fi.height + ")");
            }
            long end;
            if (fi.stripOffsets != null && fi.stripLengths != null && fi.stripOffsets.length > 0
                    && fi.stripOffsets.length == fi.stripLengths.length) {
                end = 0;
                for (int i = 0; i < fi.stripOffsets.length; i++) {
                    end = Math.max(end, (fi.stripOffsets[i] & 0xffffffffL) + (fi.stripLengths[i] & 0xffffffffL));
                }
            } else if (fi.compression <= ij.io.FileInfo.COMPRESSION_NONE) {
                long plane = (long) fi.width * fi.height * fi.getBytesPerPixel();
                end = fi.getOffset() + plane * Math.max(1, fi.nImages)
                        + (long) fi.gapBetweenImages * (Math.max(1, fi.nImages) - 1);
            } else {
                continue;
            }
            if (end > size) {
                throw new IOException(file + ": truncated TIFF (" + size + " bytes, its header needs " + end + ")");
            }
        }
    }

    private static boolean isImageIoFormat(byte[] m) {
        boolean png = (m[0] & 0xff) == 0x89 && m[1] == 'P' && m[2] == 'N' && m[3] == 'G';
        boolean jpeg = (m[0] & 0xff) == 0xff && (m[1] & 0xff) == 0xd8;
        boolean bmp = m[0] == 'B' && m[1] == 'M';
        return png || jpeg || bmp;
    }

    private static void checkImageIo(Path file) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(file.toFile())) {
            var readers = javax.imageio.ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(file + ": not an image in a format Segment Cells can read");
            }
            javax.imageio.ImageReader r = readers.next();
            try {
                r.setInput(in);
                if (r.getWidth(0) <= 0 || r.getHeight(0) <= 0) {
                    throw new IOException(file + ": corrupt image header");
                }
            } finally {
                r.dispose();
            }
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().contains(file.getFileName().toString()) ? e
                    : new IOException(file + ": corrupt image header (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new IOException(file + ": corrupt image header (" + e + ")", e);
        }
    }

    /**
     * {@link #checkReadable}, plus what the header says about planes and colour, so a batch refuses a
     * stack or an RGB file among its inputs before any work rather than when it reaches that file.
     * Colour is accepted when a {@code channel} is given. Indexed-colour files are left to the reader,
     * which knows whether their palette is gray.
     */
    public static void checkPlane(Path file, org.segmentcells.img.Channel channel) throws IOException {
        checkReadable(file);
        byte[] magic = new byte[4];
        try (var in = Files.newInputStream(file)) {
            in.readNBytes(magic, 0, 4);
        }
        boolean colour;
        int planes = 1;
        if ((magic[0] == 'I' && magic[1] == 'I') || (magic[0] == 'M' && magic[1] == 'M')) {
            ij.io.FileInfo[] infos = tiffInfo(file);
            planes = 0;
            for (ij.io.FileInfo fi : infos) {
                planes += Math.max(1, fi.nImages);
            }
            int t = infos[0].fileType;
            colour = t == ij.io.FileInfo.RGB || t == ij.io.FileInfo.RGB_PLANAR || t == ij.io.FileInfo.BGR
                    || t == ij.io.FileInfo.ARGB || t == ij.io.FileInfo.BARG || t == ij.io.FileInfo.ABGR
                    || t == ij.io.FileInfo.CMYK || t == ij.io.FileInfo.RGB48 || t == ij.io.FileInfo.RGB48_PLANAR;
        } else if (isImageIoFormat(magic)) {
            colour = imageIoBands(file) >= 3;
        } else {
            return;
        }
        if (planes > 1) {
            throw new IOException(file + ": has " + planes + " planes; the CLI reads single-plane images");
        }
        if (colour && channel == null) {
            throw new IOException(file + ": colour image; Segment Cells needs a single-channel 8-, 16- or"
                    + " 32-bit grayscale image (or choose a channel: luminance, red, green or blue)");
        }
    }

    /** Colour bands of the first image (gray and gray+alpha give 1 and 2), from the header. */
    private static int imageIoBands(Path file) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(file.toFile())) {
            javax.imageio.ImageReader r = javax.imageio.ImageIO.getImageReaders(in).next();
            try {
                r.setInput(in);
                javax.imageio.ImageTypeSpecifier t = r.getRawImageType(0);
                if (t == null || t.getColorModel() instanceof java.awt.image.IndexColorModel) {
                    return 1;
                }
                return t.getNumBands();
            } finally {
                r.dispose();
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": corrupt image header (" + e + ")", e);
        }
    }

    private static void checkSinglePlaneGray(ImagePlus imp, Path file) throws IOException {
        if (imp.getBitDepth() == 24 || imp.getType() == ImagePlus.COLOR_256) {
            throw new IOException(file + ": colour image; Segment Cells needs a single-channel 8-, 16- or"
                    + " 32-bit grayscale image (or choose a channel: luminance, red, green or blue)");
        }
        if (imp.getStackSize() != 1) {
            throw new IOException(file + ": has " + imp.getStackSize()
                    + " planes; the CLI reads single-plane images");
        }
    }

    /** Writes labels as a 16-bit TIFF, or 32-bit float when an id exceeds 65535 (exact to 2^24). */
    public static void writeLabels(LabelPlane labels, Path file) throws IOException {
        int max = labels.maxLabel();
        LabelType type;
        try {
            type = LabelType.forMaxLabel(max);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        ImageProcessor ip;
        int n = labels.data().length;
        if (type == LabelType.GRAY16) {
            short[] s = new short[n];
            for (int i = 0; i < n; i++) {
                s[i] = (short) labels.data()[i];
            }
            ip = new ShortProcessor(labels.width(), labels.height(), s, null);
        } else {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = labels.data()[i];
            }
            ip = new FloatProcessor(labels.width(), labels.height(), f);
        }
        ip.resetMinAndMax();
        writeTiff(new ImagePlus(stem(file), ip), file);
    }

    /** Writes float planes (for example class probabilities) as one 32-bit TIFF stack. */
    public static void writeStack(List<FloatPlane> planes, List<String> sliceLabels, Path file)
            throws IOException {
        FloatPlane first = planes.get(0);
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (int i = 0; i < planes.size(); i++) {
            FloatPlane p = planes.get(i);
            stack.addSlice(sliceLabels.get(i), new FloatProcessor(p.width(), p.height(), p.data()));
        }
        writeTiff(new ImagePlus(stem(file), stack), file);
    }

    /** Writes a 16-bit grayscale TIFF from integer pixels in [0, 65535]. */
    public static void write16(int width, int height, int[] px, Path file) throws IOException {
        short[] s = new short[px.length];
        for (int i = 0; i < px.length; i++) {
            s[i] = (short) Math.max(0, Math.min(65535, px[i]));
        }
        ShortProcessor ip = new ShortProcessor(width, height, s, null);
        ip.resetMinAndMax();
        writeTiff(new ImagePlus(stem(file), ip), file);
    }

    private static void writeTiff(ImagePlus imp, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = AtomicFiles.tempSibling(file);
        try {
            boolean ok = imp.getStackSize() > 1
                    ? new FileSaver(imp).saveAsTiffStack(tmp.toString())
                    : new FileSaver(imp).saveAsTiff(tmp.toString());
            if (!ok) {
                throw new IOException(file + ": could not be written");
            }
            AtomicFiles.moveIntoPlace(tmp, file);
        } finally {
            AtomicFiles.discard(tmp);
        }
    }

    /** File name without its extension. */
    public static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** True for file names this tool reads as images. */
    public static boolean isImageName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".tif") || n.endsWith(".tiff") || n.endsWith(".png")
                || n.endsWith(".pgm") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp"));
    }
}
