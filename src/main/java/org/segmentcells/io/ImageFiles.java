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
        ImagePlus imp = open(file);
        try {
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

    private static void checkSinglePlaneGray(ImagePlus imp, Path file) throws IOException {
        if (imp.getBitDepth() == 24 || imp.getType() == ImagePlus.COLOR_256) {
            throw new IOException(file + ": colour image; Segment Cells needs a single-channel 8-, 16- or"
                    + " 32-bit grayscale image");
        }
        if (imp.getStackSize() != 1) {
            throw new IOException(file + ": has " + imp.getStackSize()
                    + " planes; the CLI reads single-plane images");
        }
    }

    /** Writes labels as a 16-bit TIFF, or 32-bit float when an id exceeds 65535 (exact to 2^24). */
    public static void writeLabels(LabelPlane labels, Path file) throws IOException {
        int max = labels.maxLabel();
        if (max >= (1 << 24)) {
            throw new IOException("too many objects to store exactly in a 32-bit float TIFF: " + max);
        }
        ImageProcessor ip;
        int n = labels.data().length;
        if (max <= 65535) {
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
            Files.deleteIfExists(tmp);
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
