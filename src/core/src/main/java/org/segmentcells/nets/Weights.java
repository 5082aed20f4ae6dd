package org.segmentcells.nets;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.segmentcells.io.AtomicFiles;

/**
 * Named float arrays: the values of a network's variables, independent of any graph. Used to move
 * weights between the training graph and the exported inference graph, and as the on-disk form of
 * the discriminator.
 *
 * <p>File format (big-endian): magic "SCWT", int version, int count, then per entry: UTF name, int
 * rank, rank longs for the shape, and the float values in row-major order.
 */
public final class Weights {

    private static final int MAGIC = 0x53435754; // "SCWT"
    private static final int VERSION = 1;
    private static final long MAX_VALUES = 1L << 28; // 1 GB of floats: anything larger is corrupt

    /** One variable's shape and values. */
    public record Entry(long[] shape, float[] values) {
        public Entry {
            long n = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
                }
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                        + " values, got " + values.length);
            }
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public void put(String name, long[] shape, float[] values) {
        entries.put(name, new Entry(shape.clone(), values));
    }

    public Entry get(String name) {
        return entries.get(name);
    }

    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    public int size() {
        return entries.size();
    }

    /** Total number of scalar values. */
    public long count() {
        return entries.values().stream().mapToLong(e -> e.values.length).sum();
    }

    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = AtomicFiles.tempSibling(file);
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeInt(entries.size());
                for (Map.Entry<String, Entry> e : entries.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeInt(e.getValue().shape.length);
                    for (long d : e.getValue().shape) {
                        out.writeLong(d);
                    }
                    for (float v : e.getValue().values) {
                        out.writeFloat(v);
                    }
                }
            }
            AtomicFiles.moveIntoPlace(tmp, file);
        } finally {
            AtomicFiles.discard(tmp);
        }
    }

    /** Reads a weights file; any damage gives an IOException naming the file and the problem. */
    public static Weights read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": weights file is missing");
        }
        long fileSize = Files.size(file);
        Weights w = new Weights();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + ": not a Segment Cells weights file (bad magic number)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": weights format version " + version
                        + " is not supported (this version reads " + VERSION + ")");
            }
            int n = in.readInt();
            if (n < 0 || n > 10_000) {
                throw new IOException(file + ": corrupt weights file (entry count " + n + ")");
            }
            long remaining = fileSize;
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > 8) {
                    throw new IOException(file + ": corrupt weights file (rank " + rank + " for " + name + ")");
                }
                long[] shape = new long[rank];
                long count = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readLong();
                    if (shape[d] < 0 || shape[d] > MAX_VALUES) {
                        throw new IOException(file + ": corrupt weights file (shape of " + name + ")");
                    }
                    count *= shape[d];
                    if (count > MAX_VALUES || count * 4 > remaining) {
                        throw new IOException(file + ": truncated or corrupt weights file (" + name
                                + " claims more values than the file holds)");
                    }
                }
                float[] values = new float[(int) count];
                for (int k = 0; k < values.length; k++) {
                    values[k] = in.readFloat();
                }
                remaining -= count * 4;
                w.put(name, shape, values);
            }
        } catch (EOFException e) {
            throw new IOException(file + ": truncated weights file", e);
        } catch (java.io.UTFDataFormatException e) {
            throw new IOException(file + ": corrupt weights file (bad name)", e);
        }
        return w;
    }
}
