package org.segmentcells.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;

import org.segmentcells.io.AtomicFiles;
import org.segmentcells.progress.Progress;

/**
 * Segments an image far larger than the heap, in horizontal bands, with the same result as
 * {@link Segmenter#segment} followed by {@link InstanceOptions#label} (see "Guarantee" below). Memory
 * is bounded by the image width times about {@code tile + 2·LABEL_OVERLAP} rows, whatever the height.
 *
 * <p>Three passes over the rows:
 * <ol>
 *   <li>statistics: the percentile sample of {@link Normalization} and the noise sample of
 *       {@link FaintObjects}, at the same pixel indices as the in-memory path, so both give the same
 *       numbers;</li>
 *   <li>bands: E runs on exactly the tiles the in-memory {@link Segmenter} cuts (one row of tiles is one
 *       band), so the class probabilities are bit-identical; each band's core rows are labelled in a
 *       window reaching {@link #LABEL_OVERLAP} rows into its neighbours, and provisional ids go to a
 *       scratch file. Ids are joined across each border where the lower band's window sees one object
 *       on both sides (union-find);</li>
 *   <li>the minimum size and faint-object filters on whole objects, renumbering in raster order of each
 *       object's first pixel (as in memory), then the label image is written row by row.</li>
 * </ol>
 *
 * <p><b>Guarantee.</b> The labels equal the in-memory ones pixel for pixel when every foreground region
 * (4-connected nucleus and contour pixels, i.e. a nucleus or a cluster of touching nuclei) spans fewer
 * than {@link #LABEL_OVERLAP} rows: seeds then compete for pixels inside one window exactly as in the
 * whole image, and the seed order that breaks ties (raster order) is the same. Larger regions usually
 * still match, as long as their seeds and growth distances are shorter than the overlap. Whatever the
 * sizes, an object is never split at a band border: pixels on either side of a border that the lower
 * band's window puts in one object get one id. An oversized region may differ from the in-memory result
 * in shape (growth that would come from a seed more than the overlap away is missing) but not in being
 * split. Needs integer pixels (8- or 16-bit), for the exact background median of the faint-object filter.
 */
public final class StreamingSegmenter {

    /**
     * Rows of context above and below a band's core for labelling. Enough for a cluster of touching
     * nuclei twice the size of the largest plausible one (≈ 100 px at 40× on BBBC039-like data): any
     * foreground region shorter than this lies whole in the window of every band it reaches. The
     * probabilities need no extra margin, since they come from the same tiles as in memory (each with
     * its margin ≥ E's receptive radius).
     */
    public static final int LABEL_OVERLAP = 256;

    /** Rows of an integer-valued image, read in order. */
    public interface RowSource {
        int width();

        int height();

        /** Largest pixel value (255 or 65535); pixels are integers in 0..maxValue. */
        int maxValue();

        /** Reads {@code rows} rows from {@code y0} into {@code dst} from index 0. */
        void read(int y0, int rows, float[] dst) throws IOException;
    }

    /** Receives the final labels, rows in order. */
    public interface LabelSink {
        void write(int[] labels, int offset, int rows) throws IOException;
    }

    /** Opens the sink once the number of objects (hence the label type) is known. */
    public interface SinkFactory {
        LabelSink open(int objects) throws IOException;
    }

    public record Result(int objects, int bands) {
    }

    private final Segmenter seg;
    private final InstanceOptions options;
    private final int overlap;

    public StreamingSegmenter(Segmenter seg, InstanceOptions options) {
        this(seg, options, LABEL_OVERLAP);
    }

    /** With another overlap, for tests of what happens to objects taller than it. */
    StreamingSegmenter(Segmenter seg, InstanceOptions options, int overlap) {
        if (overlap < 1) {
            throw new IllegalArgumentException("overlap must be at least 1 row, got " + overlap);
        }
        if (seg.scale() != 1) {
            // Bands would need resampling with overlap in both directions; not built yet.
            throw new IllegalArgumentException("segmenting in bands works at scale 1 only (this model or run uses scale "
                    + seg.scale() + "); give " + org.segmentcells.setting.Setting.SCALE.is(1) + ", or shrink the image first");
        }
        this.seg = seg;
        this.options = options;
        this.overlap = overlap;
    }

    /**
     * Segments {@code src}; provisional labels go to {@code scratch} (4 bytes per pixel), which is
     * deleted at the end. {@code progress} hears of each band; a cancel stops after a band
     * ({@link org.segmentcells.progress.Cancelled}), before the sink is opened.
     */
    public Result segment(RowSource src, Path scratch, SinkFactory sinks, Progress progress) throws IOException {
        try {
            return run(src, scratch, sinks, progress);
        } finally {
            AtomicFiles.discard(scratch);
        }
    }

    // ------------------------------------------------------------------ pass 1: statistics

    private record Stats(float lo, float scale, double sigma) {
    }

    private Stats statistics(RowSource src) throws IOException {
        int w = src.width();
        int h = src.height();
        long n = (long) w * h;
        int nStep = Normalization.sampleStep(n);
        int fStep = FaintObjects.sampleStep(n);
        float[] sample = new float[(int) ((n + nStep - 1) / nStep)];
        float[] diffs = new float[(int) (n / fStep + 1)];
        int ns = 0;
        int nd = 0;
        int chunk = Math.max(1, Math.min(h, (1 << 22) / w));
        float[] buf = new float[chunk * w];
        for (int y0 = 0; y0 < h; y0 += chunk) {
            int rows = Math.min(chunk, h - y0);
            src.read(y0, rows, buf);
            long base = (long) y0 * w;
            long end = base + (long) rows * w;
            for (long i = (base + nStep - 1) / nStep * nStep; i < end; i += nStep) {
                float v = buf[(int) (i - base)];
                if (Float.isFinite(v)) {
                    sample[ns++] = v;
                }
            }
            // Pairs (i, i+1) on one row, as FaintObjects.noiseSigma takes them.
            for (long i = (base + fStep - 1) / fStep * fStep; i < end; i += fStep) {
                if (i + 1 < n && (i + 1) % w != 0) {
                    float a = buf[(int) (i - base)];
                    float b = buf[(int) (i + 1 - base)];
                    if (Float.isFinite(a) && Float.isFinite(b)) {
                        diffs[nd++] = Math.abs(b - a);
                    }
                }
            }
        }
        float[] range = seg.normalization().rangeOfSample(sample, ns);
        return new Stats(range[0], Normalization.scale(range), FaintObjects.sigmaOfDifferences(diffs, nd));
    }

    // ------------------------------------------------------------------ pass 2: bands

    /** Core rows of one row of tiles: the class mask and the raw pixels. */
    private record Block(int y0, int rows, byte[] mask, float[] raw) {
        int end() {
            return y0 + rows;
        }
    }

    /** Per provisional id: pixel count, raw sum, first pixel, union-find parent, raw values while small. */
    private static final class Objects {
        int count;
        int[] area = new int[1024];
        double[] sum = new double[1024];
        long[] first = new long[1024];
        int[] parent = new int[1024];
        float[][] small = new float[1024][];

        int add(long firstPixel) {
            int id = ++count;
            if (id == area.length) {
                int len = 2 * id;
                area = Arrays.copyOf(area, len);
                sum = Arrays.copyOf(sum, len);
                first = Arrays.copyOf(first, len);
                parent = Arrays.copyOf(parent, len);
                small = Arrays.copyOf(small, len);
            }
            first[id] = firstPixel;
            parent[id] = id;
            return id;
        }

        int root(int id) {
            while (parent[id] != id) {
                parent[id] = parent[parent[id]];
                id = parent[id];
            }
            return id;
        }

        void union(int a, int b) {
            int ra = root(a);
            int rb = root(b);
            if (ra != rb) {
                parent[Math.max(ra, rb)] = Math.min(ra, rb);
            }
        }
    }

    private Result run(RowSource src, Path scratch, SinkFactory sinks, Progress progress) throws IOException {
        int w = src.width();
        int h = src.height();
        Stats stats = statistics(src);
        // The tiles of Segmenter.probabilities, row of tiles by row of tiles.
        int[] xs = seg.cuts(w);
        int[] ys = seg.cuts(h);
        int maxTw = 0;
        int maxTh = 0;
        for (int i = 0; i + 1 < xs.length; i++) {
            maxTw = Math.max(maxTw, seg.windowEnd(xs[i + 1], w) - seg.windowStart(xs[i]));
        }
        for (int i = 0; i + 1 < ys.length; i++) {
            maxTh = Math.max(maxTh, seg.windowEnd(ys[i + 1], h) - seg.windowStart(ys[i]));
        }
        float[] input = new float[maxTh * w];
        float[] in = new float[maxTw * maxTh];
        float[] out = new float[maxTw * maxTh * 3];
        double threshold = options.seedThreshold();
        int minSize = options.minSize();

        ArrayDeque<Block> blocks = new ArrayDeque<>();
        int nextTileRow = 0;
        Objects obj = new Objects();
        long[] bgHist = new long[src.maxValue() + 1];
        long bgCount = 0;
        int[] prevLastRow = null;

        try (FileChannel ch = FileChannel.open(scratch, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            for (int band = 0; band + 1 < ys.length; band++) {
                int c0 = ys[band];
                int c1 = ys[band + 1];
                int a = Math.max(0, c0 - overlap);
                int b = Math.min(h, c1 + overlap);
                // E on every row of tiles up to the window's end, each exactly as in Segmenter.probabilities.
                while (blocks.isEmpty() || blocks.peekLast().end() < b) {
                    int cy = ys[nextTileRow];
                    int cyEnd = ys[++nextTileRow];
                    int y0 = seg.windowStart(cy);
                    int th = seg.windowEnd(cyEnd, h) - y0;
                    src.read(y0, th, input);
                    byte[] mask = new byte[(cyEnd - cy) * w];
                    for (int i = 0; i + 1 < xs.length; i++) {
                        int cx = xs[i];
                        int cxEnd = xs[i + 1];
                        int x0 = seg.windowStart(cx);
                        int tw = seg.windowEnd(cxEnd, w) - x0;
                        for (int y = 0; y < th; y++) {
                            int o = y * w + x0;
                            for (int x = 0; x < tw; x++) {
                                float v = input[o + x];
                                in[y * tw + x] = Float.isFinite(v) ? (v - stats.lo) * stats.scale : 0f;
                            }
                        }
                        seg.net().probabilities(in, tw, th, out);
                        for (int y = cy; y < cyEnd; y++) {
                            int s = ((y - y0) * tw + (cx - x0)) * 3;
                            int d = (y - cy) * w + cx;
                            for (int x = cx; x < cxEnd; x++, s += 3, d++) {
                                mask[d] = Instances.maskOf(out[s], out[s + 1], out[s + 2], threshold);
                            }
                        }
                    }
                    float[] raw = Arrays.copyOfRange(input, (cy - y0) * w, (cyEnd - y0) * w);
                    blocks.addLast(new Block(cy, cyEnd - cy, mask, raw));
                }
                while (blocks.peekFirst().end() <= Math.min(a, c0)) {
                    blocks.removeFirst();
                }

                // Label the window [a, b).
                byte[] mask = new byte[(b - a) * w];
                for (Block blk : blocks) {
                    int from = Math.max(a, blk.y0);
                    int to = Math.min(b, blk.end());
                    if (from < to) {
                        System.arraycopy(blk.mask, (from - blk.y0) * w, mask, (from - a) * w, (to - from) * w);
                    }
                }
                int[] lab = new int[mask.length];
                int objects = Instances.flood(mask, w, lab);
                mask = null;

                // Core rows: one provisional id per object of the window that has pixels in the core.
                int[] pid = new int[objects + 1];
                int[] rows = new int[(c1 - c0) * w];
                Block coreBlock = null;
                for (Block blk : blocks) {
                    if (blk.y0 == c0) {
                        coreBlock = blk;
                    }
                }
                float[] raw = coreBlock.raw;
                int off = (c0 - a) * w;
                long base = (long) c0 * w;
                for (int i = 0; i < rows.length; i++) {
                    int l = lab[off + i];
                    float v = raw[i];
                    if (l == 0) {
                        bgHist[(int) v]++;
                        bgCount++;
                        continue;
                    }
                    int p = pid[l];
                    if (p == 0) {
                        p = obj.add(base + i);
                        pid[l] = p;
                    }
                    rows[i] = p;
                    int ar = ++obj.area[p];
                    obj.sum[p] += v;
                    if (ar < minSize) {
                        if (obj.small[p] == null) {
                            obj.small[p] = new float[minSize - 1];
                        }
                        obj.small[p][ar - 1] = v;
                    } else {
                        obj.small[p] = null;
                    }
                }
                // Join across the border: the row above the core was labelled by the band above; where this
                // band's window puts it in the same object as core pixels, the two ids are one object. Every
                // object reaching across a border is 4-connected across it somewhere, so this joins them all.
                if (prevLastRow != null) {
                    int o = (c0 - 1 - a) * w;
                    for (int x = 0; x < w; x++) {
                        int l = lab[o + x];
                        if (prevLastRow[x] != 0 && l != 0 && pid[l] != 0) {
                            obj.union(prevLastRow[x], pid[l]);
                        }
                    }
                }
                prevLastRow = Arrays.copyOfRange(rows, rows.length - w, rows.length);
                ByteBuffer bb = ByteBuffer.allocate(rows.length * 4).order(ByteOrder.nativeOrder());
                bb.asIntBuffer().put(rows);
                while (bb.hasRemaining()) {
                    ch.write(bb, (long) c0 * w * 4 + bb.position());
                }
                progress.fraction(band + 1, ys.length - 1);
                progress.checkCancelled();
            }
            blocks.clear();

            // Whole objects: sizes, sums, first pixels; then the two filters and raster-order ids.
            int n = obj.count;
            long[] area = new long[n + 1];
            double[] sum = new double[n + 1];
            long[] first = new long[n + 1];
            Arrays.fill(first, Long.MAX_VALUE);
            for (int p = 1; p <= n; p++) {
                int r = obj.root(p);
                area[r] += obj.area[p];
                sum[r] += obj.sum[p];
                first[r] = Math.min(first[r], obj.first[p]);
            }
            // Objects under the minimum size are background for the faint-object filter, as in memory.
            boolean[] keep = new boolean[n + 1];
            for (int p = 1; p <= n; p++) {
                int r = obj.root(p);
                if (area[r] < minSize) {
                    for (int k = 0; k < obj.area[p]; k++) {
                        bgHist[(int) obj.small[p][k]]++;
                    }
                    bgCount += obj.area[p];
                } else if (r == p) {
                    keep[p] = true;
                }
            }
            obj.small = null;
            if (FaintObjects.MIN_CONTRAST > 0 && bgCount > 0) {
                double level = rank(bgHist, bgCount / 2);
                double faint = level + FaintObjects.MIN_CONTRAST * stats.sigma;
                for (int r = 1; r <= n; r++) {
                    if (keep[r] && !(sum[r] / area[r] > faint)) {
                        keep[r] = false;
                    }
                }
            }
            int kept = 0;
            for (int r = 1; r <= n; r++) {
                if (keep[r]) {
                    kept++;
                }
            }
            long[] order = new long[kept];
            int k = 0;
            for (int r = 1; r <= n; r++) {
                if (keep[r]) {
                    order[k++] = first[r];
                }
            }
            Arrays.sort(order);
            int[] finalId = new int[n + 1];
            for (int r = 1; r <= n; r++) {
                if (keep[r]) {
                    finalId[r] = Arrays.binarySearch(order, first[r]) + 1;
                }
            }
            for (int p = 1; p <= n; p++) {
                finalId[p] = finalId[obj.root(p)];
            }

            // Pass 3: provisional ids -> final ids, rows in order.
            LabelSink sink = sinks.open(kept);
            int chunk = Math.max(1, Math.min(h, (1 << 22) / w));
            ByteBuffer bb = ByteBuffer.allocate(chunk * w * 4).order(ByteOrder.nativeOrder());
            int[] rows = new int[chunk * w];
            for (int y0 = 0; y0 < h; y0 += chunk) {
                int nr = Math.min(chunk, h - y0);
                bb.clear().limit(nr * w * 4);
                while (bb.hasRemaining()) {
                    if (ch.read(bb, (long) y0 * w * 4 + bb.position()) < 0) {
                        throw new IOException(scratch + ": scratch file ended early");
                    }
                }
                bb.flip();
                IntBuffer ib = bb.asIntBuffer();
                ib.get(rows, 0, nr * w);
                for (int i = 0; i < nr * w; i++) {
                    rows[i] = finalId[rows[i]];
                }
                sink.write(rows, 0, nr);
            }
            return new Result(kept, ys.length - 1);
        }
    }

    /** The value at 0-based rank {@code r} in the sorted multiset a histogram describes. */
    private static double rank(long[] hist, long r) {
        long cum = 0;
        for (int v = 0; v < hist.length; v++) {
            cum += hist[v];
            if (cum > r) {
                return v;
            }
        }
        return hist.length - 1;
    }
}
