package org.segmentcells.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one uncompressed grayscale TIFF plane row by row, so an image far larger than the heap can be
 * written: the header and the strip table go first (the size is known up front), then the rows in
 * order. The file is written under a temporary name and renamed by {@link #commit()}; closing without
 * committing deletes it. Pixels are 16-bit unsigned or 32-bit float, the two types
 * {@link ImageFiles#writeLabels} uses, so ImageJ and {@code readLabels} read both.
 */
public final class TiffStripWriter implements AutoCloseable {

    /** Pixel type of the file. */
    public enum Type {
        GRAY16(2, 1), FLOAT32(4, 3);

        final int bytes;
        final int sampleFormat;

        Type(int bytes, int sampleFormat) {
            this.bytes = bytes;
            this.sampleFormat = sampleFormat;
        }
    }

    /**
     * The size of a pixel, as ImageJ stores it in a TIFF (resolution tags and {@code unit=} in its description);
     * {@link #NONE} for an image without one.
     */
    public record PixelSize(double width, double height, String unit) {
        public static final PixelSize NONE = new PixelSize(1, 1, null);

        /** A TIFF's pixel size as ImageJ reads it; {@link #NONE} for other files or where it has none. */
        public static PixelSize of(Path file) {
            try {
                ij.io.FileInfo[] info = ImageFiles.tiffInfo(file);
                if (info == null || info.length == 0) {
                    return NONE;
                }
                ij.io.FileInfo fi = info[0];
                // ImageJ keeps the unit in its description (the header's resolution unit says "none" then).
                String unit = fi.unit;
                if (fi.description != null) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^unit=(.*)$").matcher(fi.description);
                    if (m.find()) {
                        unit = m.group(1);
                    }
                }
                unit = unit == null ? null : unescape(unit).strip();
                if (unit == null || unit.isEmpty() || !(fi.pixelWidth > 0 && fi.pixelHeight > 0)) {
                    return NONE;
                }
                return new PixelSize(fi.pixelWidth, fi.pixelHeight, unit);
            } catch (IOException | RuntimeException e) {
                return NONE; // the input was read already; a header it cannot give again only costs the units
            }
        }

        /** The unit as ImageJ's description writes it: ASCII, other letters as {@code \\uXXXX} (µm: {@code \\u00B5m}). */
        String escapedUnit() {
            StringBuilder b = new StringBuilder();
            unit.chars().forEach(c -> b.append(c >= 32 && c < 127 ? String.valueOf((char) c)
                    : String.format(java.util.Locale.ROOT, "\\u%04X", c)));
            return b.toString();
        }

        private static String unescape(String s) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\\\u([0-9A-Fa-f]{4})").matcher(s);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(
                        String.valueOf((char) Integer.parseInt(m.group(1), 16))));
            }
            return m.appendTail(b).toString();
        }
    }

    private final Path target;
    private final Path tmp;
    private final int width;
    private final int height;
    private final Type type;
    private final FileChannel ch;
    private final ByteBuffer row;
    private int written;
    private boolean committed;

    /** The most pixel data a classic TIFF (32-bit offsets) holds, leaving room for the header and tags. */
    private static final long MAX_DATA = 0xFFFF_0000L;

    /** Whether a {@code width}×{@code height} image of {@code type} fits a classic TIFF (4 GB). */
    public static boolean fits(long width, long height, Type type) {
        return width * height * type.bytes <= MAX_DATA;
    }

    private final PixelSize pixelSize;
    private final String note;
    private final String info;

    public TiffStripWriter(Path target, int width, int height, Type type) throws IOException {
        this(target, width, height, type, PixelSize.NONE);
    }

    /** As above, with the pixel size of the image the file goes with. */
    public TiffStripWriter(Path target, int width, int height, Type type, PixelSize pixelSize) throws IOException {
        this(target, width, height, type, pixelSize, null);
    }

    /**
     * As above, with a line of text for the file's description ({@link SourceImage#line()}; null for none), where
     * ImageJ's own keys leave room for it.
     */
    public TiffStripWriter(Path target, int width, int height, Type type, PixelSize pixelSize, String note)
            throws IOException {
        this(target, width, height, type, pixelSize, note, null);
    }

    /**
     * As above, with {@code info} (lines; null for none) as the image's Info, in ImageJ's own metadata tags where
     * ImageJ's writer puts it, so that Image › Show Info gives it. Not in the description: ImageJ reads that as
     * Java properties, where a Windows path's backslash before a u is a broken escape.
     */
    public TiffStripWriter(Path target, int width, int height, Type type, PixelSize pixelSize, String note,
            String info) throws IOException {
        if (note != null && (note.contains("\n") || note.contains("\0"))) {
            throw new IllegalArgumentException("a description note is one line");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (!fits(width, height, type)) {
            throw new IOException(target + ": " + width + "x" + height + " is too big for a classic TIFF (4 GB)");
        }
        this.target = target;
        this.width = width;
        this.height = height;
        this.type = type;
        this.pixelSize = pixelSize;
        this.note = note;
        this.info = info;
        Files.createDirectories(target.toAbsolutePath().getParent());
        this.tmp = AtomicFiles.tempSibling(target);
        this.ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.row = ByteBuffer.allocate(width * type.bytes).order(ByteOrder.BIG_ENDIAN);
        try {
            writeHeader();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    // About 1 MB strips: few enough entries for any reader, small enough for readers that load a strip whole.
    private int rowsPerStrip() {
        return Math.max(1, Math.min(height, (1 << 20) / (width * type.bytes)));
    }

    private void writeHeader() throws IOException {
        int rps = rowsPerStrip();
        int strips = (height + rps - 1) / rps;
        boolean calibrated = pixelSize.unit() != null;
        boolean described = calibrated || note != null;
        // ImageJ's own header: its description names the unit, the resolutions are pixels per unit. The note
        // follows ImageJ's keys, which its reader takes and leaves the rest (UTF-8: a path may not be ASCII).
        byte[] description = described ? ("ImageJ=1.54p\n" + (calibrated ? "unit=" + pixelSize.escapedUnit() + "\n" : "")
                + (note != null ? note + "\n" : "") + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8) : new byte[0];
        boolean informed = info != null;
        byte[] infoBytes = informed ? imageJInfo(info) : new byte[0];
        int entries = 11 + (described ? 1 : 0) + (calibrated ? 3 : 0) + (informed ? 2 : 0);
        long ifd = 8;
        long arrays = ifd + 2 + 12L * entries + 4;
        long descriptionAt = arrays;
        long resolutionAt = descriptionAt + (description.length + 1) / 2 * 2;
        long infoCountsAt = calibrated ? resolutionAt + 16 : resolutionAt;
        long infoAt = infoCountsAt + (informed ? 8 : 0);
        long offsetsAt = infoAt + (infoBytes.length + 1) / 2 * 2;
        long countsAt = offsetsAt + 4L * strips;
        long dataAt = countsAt + 4L * strips;
        ByteBuffer b = ByteBuffer.allocate((int) dataAt).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt((int) ifd);
        b.putShort((short) entries);
        entry(b, 254, 4, 1, 0); // NewSubfileType
        entry(b, 256, 4, 1, width);
        entry(b, 257, 4, 1, height);
        entry(b, 258, 3, 1, type.bytes * 8 << 16); // BitsPerSample, SHORT left-justified in the value field
        entry(b, 259, 3, 1, 1 << 16); // no compression
        entry(b, 262, 3, 1, 1 << 16); // BlackIsZero
        if (described) {
            entry(b, 270, 2, description.length, (int) descriptionAt); // ImageDescription
        }
        entry(b, 273, 4, strips, strips == 1 ? (int) dataAt : (int) offsetsAt);
        entry(b, 277, 3, 1, 1 << 16); // one sample per pixel
        entry(b, 278, 4, 1, rps);
        entry(b, 279, 4, strips, strips == 1 ? (int) stripBytes(0, rps) : (int) countsAt);
        if (calibrated) {
            entry(b, 282, 5, 1, (int) resolutionAt); // XResolution
            entry(b, 283, 5, 1, (int) resolutionAt + 8); // YResolution
            entry(b, 296, 3, 1, 1 << 16); // ResolutionUnit: none (the description's unit holds)
        }
        entry(b, 339, 3, 1, type.sampleFormat << 16); // unsigned integer or IEEE float
        if (informed) {
            entry(b, 50838, 4, 2, (int) infoCountsAt); // ImageJ's metadata: the byte counts of its header and Info
            entry(b, 50839, 1, infoBytes.length, (int) infoAt); // ImageJ's metadata
        }
        b.putInt(0); // no next IFD
        b.put(description);
        if (calibrated) {
            b.position((int) resolutionAt);
            rational(b, 1 / pixelSize.width());
            rational(b, 1 / pixelSize.height());
        }
        if (informed) {
            b.position((int) infoCountsAt);
            b.putInt(IMAGEJ_INFO_HEADER).putInt(infoBytes.length - IMAGEJ_INFO_HEADER);
            b.put(infoBytes);
        }
        if (strips > 1) {
            b.position((int) offsetsAt); // after the description and Info, padded to an even offset
            for (int s = 0; s < strips; s++) {
                b.putInt((int) (dataAt + (long) s * rps * width * type.bytes));
            }
            for (int s = 0; s < strips; s++) {
                b.putInt((int) stripBytes(s, rps));
            }
        }
        b.rewind(); // the whole buffer: with one strip the arrays' space is left as padding before the data
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Bytes of ImageJ's metadata header for one entry: its magic number, then the entry's type and count. */
    private static final int IMAGEJ_INFO_HEADER = 12;

    /** ImageJ's metadata holding {@code text} as the Info, as its TiffEncoder writes it in a big-endian file. */
    private static byte[] imageJInfo(String text) {
        byte[] chars = text.getBytes(java.nio.charset.StandardCharsets.UTF_16BE);
        return ByteBuffer.allocate(IMAGEJ_INFO_HEADER + chars.length).order(ByteOrder.BIG_ENDIAN)
                .putInt(0x494a494a) // "IJIJ"
                .putInt(0x696e666f) // "info"
                .putInt(1).put(chars).array();
    }

    private long stripBytes(int s, int rps) {
        int rows = Math.min(rps, height - s * rps);
        return (long) rows * width * type.bytes;
    }

    /** Pixels per unit as ImageJ's TiffEncoder writes them: a fraction over a million (a thousand when large). */
    private static void rational(ByteBuffer b, double perUnit) {
        double scale = perUnit > 1000 ? 1000 : 1_000_000;
        b.putInt((int) Math.min(Integer.MAX_VALUE, Math.round(perUnit * scale))).putInt((int) scale);
    }

    private static void entry(ByteBuffer b, int tag, int fieldType, int count, int value) {
        b.putShort((short) tag).putShort((short) fieldType).putInt(count).putInt(value);
    }

    /** Appends rows: {@code rows} rows of {@code width} pixels from {@code px}, starting at {@code offset}. */
    public void writeRows(int[] px, int offset, int rows) throws IOException {
        for (int r = 0; r < rows; r++) {
            row.clear();
            int o = offset + r * width;
            if (type == Type.GRAY16) {
                for (int x = 0; x < width; x++) {
                    int v = px[o + x];
                    if (v < 0 || v > 65535) {
                        throw new IllegalArgumentException("value " + v + " does not fit a 16-bit TIFF");
                    }
                    row.putShort((short) v);
                }
            } else {
                for (int x = 0; x < width; x++) {
                    row.putFloat(px[o + x]);
                }
            }
            row.flip();
            while (row.hasRemaining()) {
                ch.write(row);
            }
        }
        written += rows;
        if (written > height) {
            throw new IllegalStateException("more rows written than the image has: " + written + " > " + height);
        }
    }

    /** Finishes the file and renames it onto the target. */
    public void commit() throws IOException {
        if (written != height) {
            throw new IllegalStateException(target + ": " + written + " of " + height + " rows written");
        }
        ch.force(false);
        ch.close();
        AtomicFiles.moveIntoPlace(tmp, target);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            try {
                ch.close();
            } finally {
                AtomicFiles.discard(tmp);
            }
        }
    }
}
