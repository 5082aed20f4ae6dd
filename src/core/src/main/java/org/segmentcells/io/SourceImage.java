package org.segmentcells.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The image a label file was segmented from, as the label file records it: its path, and a fingerprint of its
 * bytes. A re-run into the same output folder keeps only labels whose recorded fingerprint is its input's, so
 * two plates whose wells share file names (A01.tif) never take each other's labels; a folder moved or mounted
 * elsewhere keeps its labels, since the path is only reported, never compared.
 *
 * @param path        the image's absolute path when it was segmented
 * @param fingerprint its size in bytes and a CRC-32 of its first, middle and last 64 KB
 */
public record SourceImage(String path, String fingerprint) {

    private static final int BLOCK = 1 << 16;
    private static final String PREFIX = "Segment Cells: labels of ";
    private static final Pattern LINE = Pattern.compile("(?m)^" + Pattern.quote(PREFIX) + "(.*) \\(fingerprint ([0-9a-f]+-[0-9a-f]+)\\)$");

    /** The record of {@code image}: reads three blocks of it, whatever its size. */
    public static SourceImage of(Path image) throws IOException {
        Path abs = image.toAbsolutePath().normalize();
        try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.READ)) {
            long size = ch.size();
            CRC32 crc = new CRC32();
            ByteBuffer buf = ByteBuffer.allocate(BLOCK);
            for (long at : new long[] {0, Math.max(0, size / 2 - BLOCK / 2), Math.max(0, size - BLOCK)}) {
                buf.clear();
                while (buf.hasRemaining() && ch.read(buf, at + buf.position()) > 0) {
                    // a short read goes on from where it stopped
                }
                buf.flip();
                crc.update(buf);
            }
            return new SourceImage(abs.toString(), String.format(Locale.ROOT, "%x-%08x", size, crc.getValue()));
        }
    }

    /**
     * The line a label file's Info (or, for one written in bands, its description) holds. Backslashes are
     * doubled: ImageJ reads a description as Java properties, where a Windows path's backslash and the letter u
     * that follows it would start a malformed escape, and the file would not open.
     */
    public String line() {
        return PREFIX + path.replace("\\", "\\\\") + " (fingerprint " + fingerprint + ")";
    }

    /** The same bytes, reported under {@code path} (a URI an image was copied from to be read). */
    public SourceImage at(String path) {
        return new SourceImage(path, fingerprint);
    }

    /** The source {@code text} (a TIFF's Info or description) records, or null when it records none. */
    static SourceImage in(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = LINE.matcher(text);
        return m.find() ? new SourceImage(m.group(1).replace("\\\\", "\\"), m.group(2)) : null;
    }

    /**
     * The source a label TIFF records, or null: none recorded (labels from before this record, or of another
     * tool), or not a readable TIFF.
     */
    public static SourceImage recordedIn(Path labels) {
        try {
            ij.io.FileInfo[] infos = ImageFiles.tiffInfo(labels);
            if (infos == null || infos.length == 0) {
                return null;
            }
            SourceImage s = in(infos[0].info);
            return s != null ? s : in(infos[0].description);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether this is the record of the same bytes as {@code other}, wherever either lies. */
    public boolean sameImage(SourceImage other) {
        return fingerprint.equals(other.fingerprint);
    }
}
