package org.segmentcells.spark;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.io.AtomicFiles;
import org.segmentcells.io.TiffRows;
import org.segmentcells.model.Model;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.StreamingSegmenter;

/**
 * What an executor does for one huge image: core's band steps ({@link StreamingSegmenter}), with the
 * intermediate results in a scratch folder every executor and the driver see (beside the output). A tile
 * row through E gives {@code mask-J.bin} (one byte per pixel of its core rows); a band gives
 * {@code labels-I.bin} (its provisional ids, 4 bytes per pixel) and returns its summary, which is all that
 * reaches the driver. Each file is written under a temporary name and renamed, so a retried task leaves
 * no partial file.
 */
final class BandTask implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String modelFolder;
    private final String image;
    private final String scratch;
    private final int tile;
    private final double scale;
    private final int minSize;
    private final double seedThreshold;
    private final StreamingSegmenter.Layout layout;
    private final StreamingSegmenter.Statistics stats;

    /** The run's scale and instance settings as the driver's plan chose them. */
    BandTask(Path modelFolder, Path image, Path scratch, int tile, double scale, int minSize, double seedThreshold,
            StreamingSegmenter.Layout layout, StreamingSegmenter.Statistics stats) {
        this.modelFolder = modelFolder.toAbsolutePath().toString();
        this.image = image.toAbsolutePath().toString();
        this.scratch = scratch.toAbsolutePath().toString();
        this.tile = tile;
        this.scale = scale;
        this.minSize = minSize;
        this.seedThreshold = seedThreshold;
        this.layout = layout;
        this.stats = stats;
    }

    /** The segmenter of this run on this executor, from the executor's one copy of the model. */
    private StreamingSegmenter segmenter(Model model) {
        Model.Plan plan = model.plan(SegmentSettings.MODEL.withScale(Scale.of(scale)).withMinSize(minSize).withSeedThreshold(seedThreshold)
                .withTile(tile), () -> {
            throw new IllegalStateException("the scale is given");
        });
        return new StreamingSegmenter(plan.segmenter(), plan.instances());
    }

    static Path maskFile(Path scratch, int tileRow) {
        return scratch.resolve("mask-" + tileRow + ".bin");
    }

    static Path labelsFile(Path scratch, int band) {
        return scratch.resolve("labels-" + band + ".bin");
    }

    /** E on one tile row; writes its class mask. */
    int mask(int tileRow) throws IOException {
        Model model = ImageTask.model(modelFolder);
        StreamingSegmenter s = segmenter(model);
        StreamingSegmenter.TileRow t;
        try (TiffRows rows = open()) {
            // The model runs one network call at a time; reading the rows needs no turn.
            t = s.tileRow(FileSegmentation.rowSource(rows), stats, tileRow);
        }
        write(maskFile(Path.of(scratch), tileRow), ByteBuffer.wrap(t.mask()));
        return tileRow;
    }

    /** Labels one band from the masks of the tile rows its window reaches; writes its provisional ids. */
    StreamingSegmenter.BandSummary band(int band) throws IOException {
        Model model = ImageTask.model(modelFolder);
        StreamingSegmenter s = segmenter(model);
        byte[] window = StreamingSegmenter.windowMask(layout, band, j -> readMask(j));
        int c0 = layout.coreStart(band);
        int rows = layout.coreEnd(band) - c0;
        float[] raw = new float[rows * layout.width()];
        int maxValue;
        try (TiffRows tr = open()) {
            tr.read(c0, rows, raw);
            maxValue = tr.maxValue();
        }
        StreamingSegmenter.Band b = s.band(layout, band, window, raw, maxValue);
        window = null;
        raw = null;
        int[] labels = b.labels();
        ByteBuffer bb = ByteBuffer.allocate(labels.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asIntBuffer().put(labels);
        write(labelsFile(Path.of(scratch), band), bb);
        return b.summary();
    }

    private TiffRows open() throws IOException {
        TiffRows rows = TiffRows.openOrNull(Path.of(image));
        if (rows == null) {
            throw new IOException(image + ": cannot be read row by row on this executor (missing, or not an"
                    + " uncompressed 8- or 16-bit TIFF)");
        }
        if (rows.width() != layout.width() || rows.height() != layout.height()) {
            rows.close();
            throw new IOException(image + ": is " + rows.width() + "x" + rows.height() + " on this executor, "
                    + layout.width() + "x" + layout.height() + " on the driver");
        }
        return rows;
    }

    private byte[] readMask(int tileRow) throws IOException {
        Path f = maskFile(Path.of(scratch), tileRow);
        byte[] m = new byte[(layout.coreEnd(tileRow) - layout.coreStart(tileRow)) * layout.width()];
        try (DataInputStream in = new DataInputStream(Files.newInputStream(f))) {
            in.readFully(m);
        }
        return m;
    }

    /** Reads band {@code band}'s provisional ids, rows {@code y0..y0+rows} of the image. */
    static void readLabels(Path scratch, StreamingSegmenter.Layout layout, int band, int y0, int rows, int[] dst)
            throws IOException {
        int w = layout.width();
        ByteBuffer bb = ByteBuffer.allocate(rows * w * 4).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(labelsFile(scratch, band), StandardOpenOption.READ)) {
            long pos = (long) (y0 - layout.coreStart(band)) * w * 4;
            while (bb.hasRemaining()) {
                if (ch.read(bb, pos + bb.position()) < 0) {
                    throw new IOException(labelsFile(scratch, band) + ": ended early");
                }
            }
        }
        bb.flip();
        bb.asIntBuffer().get(dst, 0, rows * w);
    }

    private static void write(Path target, ByteBuffer data) throws IOException {
        Path tmp = AtomicFiles.tempSibling(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                while (data.hasRemaining()) {
                    ch.write(data);
                }
            }
            AtomicFiles.moveIntoPlace(tmp, target);
        } finally {
            AtomicFiles.discard(tmp);
        }
    }
}
