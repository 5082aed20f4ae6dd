package org.segmentcells.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads rows of an uncompressed single-plane 8- or 16-bit unsigned TIFF (or, when asked, 32-bit float)
 * straight from the file, so an image larger than the heap can be processed in bands. ImageJ's
 * TiffDecoder parses the header (it gives the strip offsets, byte order and pixel type); the pixels are
 * read here.
 */
public final class TiffRows implements AutoCloseable {

    private final Path file;
    private final int width;
    private final int height;
    private final int bytes;
    private final boolean intel;
    private final long[] stripOffsets;
    private final int rowsPerStrip;
    private final FileChannel ch;

    private TiffRows(Path file, ij.io.FileInfo fi) throws IOException {
        this.file = file;
        this.width = fi.width;
        this.height = fi.height;
        this.bytes = fi.fileType == ij.io.FileInfo.GRAY8 ? 1 : fi.fileType == ij.io.FileInfo.GRAY32_FLOAT ? 4 : 2;
        this.intel = fi.intelByteOrder;
        if (fi.stripOffsets != null && fi.stripOffsets.length > 0) {
            stripOffsets = new long[fi.stripOffsets.length];
            for (int i = 0; i < stripOffsets.length; i++) {
                stripOffsets[i] = fi.stripOffsets[i] & 0xffffffffL;
            }
            rowsPerStrip = fi.stripOffsets.length == 1 ? height : Math.max(1, fi.rowsPerStrip);
        } else {
            stripOffsets = new long[] {fi.getOffset()};
            rowsPerStrip = height;
        }
        if ((long) (stripOffsets.length - 1) * rowsPerStrip >= height && stripOffsets.length > 1) {
            throw new IOException(file + ": corrupt TIFF (more strips than rows)");
        }
        if ((long) stripOffsets.length * rowsPerStrip < height) {
            throw new IOException(file + ": corrupt TIFF (its strips hold fewer rows than its height)");
        }
        this.ch = FileChannel.open(file, StandardOpenOption.READ);
    }

    /**
     * Opens a TIFF for row reading, or returns null when it cannot be read this way (compressed, not
     * 8- or 16-bit unsigned grayscale, more than one plane, or not a TIFF): those go through ImageJ whole.
     */
    public static TiffRows openOrNull(Path file) throws IOException {
        return openOrNull(file, false);
    }

    /**
     * As {@link #openOrNull(Path)}, also accepting 32-bit float files when {@code float32}: label images
     * past 65535 nuclei are stored so. Bands of an input image are not (their normalisation needs
     * {@link #maxValue()}).
     */
    public static TiffRows openOrNull(Path file, boolean float32) throws IOException {
        ij.io.FileInfo[] infos;
        try {
            infos = ImageFiles.tiffInfo(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (infos == null || infos.length != 1) {
            return null;
        }
        ij.io.FileInfo fi = infos[0];
        boolean gray = fi.fileType == ij.io.FileInfo.GRAY8 || fi.fileType == ij.io.FileInfo.GRAY16_UNSIGNED
                || (float32 && fi.fileType == ij.io.FileInfo.GRAY32_FLOAT);
        if (!gray || fi.compression > ij.io.FileInfo.COMPRESSION_NONE || fi.nImages > 1 || fi.lutSize > 0
                || fi.width <= 0 || fi.height <= 0) {
            return null;
        }
        return new TiffRows(file, fi);
    }

    /** Width and height of a TIFF's first image from its header, or null when it is not a readable TIFF. */
    public static int[] sizeOrNull(Path file) {
        try {
            ij.io.FileInfo[] infos = ImageFiles.tiffInfo(file);
            return infos == null || infos.length == 0 ? null : new int[] {infos[0].width, infos[0].height};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Largest pixel value of the type: 255 or 65535; a 32-bit float file has none. */
    public int maxValue() {
        if (bytes == 4) {
            throw new IllegalStateException(file + ": a 32-bit float TIFF has no largest pixel value");
        }
        return bytes == 1 ? 255 : 65535;
    }

    /** Reads {@code rows} rows starting at row {@code y0} into {@code dst} (row-major, from index 0). */
    public void read(int y0, int rows, float[] dst) throws IOException {
        if (y0 < 0 || rows < 0 || y0 + rows > height) {
            throw new IllegalArgumentException("rows " + y0 + ".." + (y0 + rows) + " outside 0.." + height);
        }
        ByteBuffer buf = ByteBuffer.allocate(width * bytes).order(intel ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        for (int r = 0; r < rows; r++) {
            int y = y0 + r;
            long pos = stripOffsets[y / rowsPerStrip] + (long) (y % rowsPerStrip) * width * bytes;
            buf.clear();
            while (buf.hasRemaining()) {
                if (ch.read(buf, pos + buf.position()) < 0) {
                    throw new IOException(file + ": truncated TIFF (row " + y + " is missing)");
                }
            }
            buf.flip();
            int o = r * width;
            if (bytes == 1) {
                for (int x = 0; x < width; x++) {
                    dst[o + x] = buf.get() & 0xff;
                }
            } else if (bytes == 4) {
                buf.asFloatBuffer().get(dst, o, width);
            } else {
                for (int x = 0; x < width; x++) {
                    dst[o + x] = buf.getShort() & 0xffff;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
