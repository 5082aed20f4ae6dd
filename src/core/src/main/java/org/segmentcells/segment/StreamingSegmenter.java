package org.segmentcells.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.Resample;
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
 *
 * <p>At a {@link Segmenter#scale() scale} other than 1 each band is resized with the rows around it, goes
 * through E and comes back ({@code scaledTileRow}); the resized pixels are the whole image's bit for bit,
 * but E's tiles differ from the in-memory ones, so the class probabilities may differ in the last float
 * bits and the labels in the rare pixel where that changes the class.
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

    /** Reads back rows {@code y0 .. y0 + rows} of band {@code band}'s provisional labels (pass 2's output). */
    @FunctionalInterface
    public interface ProvisionalRows {
        void read(int band, int y0, int rows, int[] into) throws IOException;
    }

    /**
     * Pass 3: every band's provisional ids become final ids, written to {@code sink} in row order, a few
     * megapixels at a time. The step the CLI's run ends with, and Spark's driver after its executors' bands.
     */
    public static void relabel(Layout layout, Relabelling ids, ProvisionalRows provisional, LabelSink sink)
            throws IOException {
        int w = layout.width();
        int chunk = Math.max(1, Math.min(layout.height(), (1 << 22) / w));
        int[] rows = new int[chunk * w];
        for (int band = 0; band < layout.bands(); band++) {
            int end = layout.coreEnd(band);
            for (int y0 = layout.coreStart(band); y0 < end; y0 += chunk) {
                int nr = Math.min(chunk, end - y0);
                provisional.read(band, y0, nr, rows);
                ids.apply(band, rows, 0, nr * w);
                sink.write(rows, 0, nr);
            }
        }
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

    // ------------------------------------------------------------------ the steps
    //
    // segment(...) runs these steps in order on one machine. They are public so that the bands can also be
    // spread over several processes: the statistics and the tile rows' masks are independent, each band
    // needs only the masks of the tile rows its window reaches, and the stitch needs only each band's
    // summary (no pixels). Whoever runs them in whatever order gets the same labels, as long as every
    // band's summary reaches one Stitch.

    /**
     * Pass 1's result: the normalisation range, the noise level, and the extra smoothing of a noisy image
     * shrunk ({@link Segmenter#smoothing}, source px; 0 for none) that the range was measured after; the same
     * for every band.
     */
    public record Statistics(float lo, float scale, double sigma, double smoothing) implements java.io.Serializable {

        /** A raw pixel normalised as {@link Normalization#apply} does (non-finite pixels are background). */
        float normalised(float v) {
            return Float.isFinite(v) ? (v - lo) * scale : 0f;
        }
    }

    /**
     * Where the bands are: {@code cuts} are the borders of the rows of tiles (band i is rows
     * {@code cuts[i]..cuts[i+1]}), each band labelled in a window reaching {@code overlap} rows further.
     */
    public record Layout(int width, int height, int[] cuts, int overlap) implements java.io.Serializable {

        public int bands() {
            return cuts.length - 1;
        }

        public int coreStart(int band) {
            return cuts[band];
        }

        public int coreEnd(int band) {
            return cuts[band + 1];
        }

        /** First row of the window the band is labelled in. */
        public int windowStart(int band) {
            return Math.max(0, cuts[band] - overlap);
        }

        /** End (exclusive) of the window the band is labelled in. */
        public int windowEnd(int band) {
            return Math.min(height, cuts[band + 1] + overlap);
        }

        /** First tile row (same numbering as bands) whose rows the band's window reaches. */
        public int firstTileRow(int band) {
            int a = windowStart(band);
            int j = band;
            while (j > 0 && cuts[j] > a) {
                j--;
            }
            return j;
        }

        /** Last tile row (inclusive) whose rows the band's window reaches. */
        public int lastTileRow(int band) {
            int b = windowEnd(band);
            int j = band;
            while (j + 1 < bands() && cuts[j + 1] < b) {
                j++;
            }
            return j;
        }
    }

    /** One row of tiles through E: the class mask ({@link Instances}' codes) and the raw pixels of its core rows. */
    public record TileRow(int y0, int rows, byte[] mask, float[] raw) {
        int end() {
            return y0 + rows;
        }
    }

    /** The core rows' class masks of a tile row, by tile row index (as {@link Layout#cuts}). */
    public interface MaskSource {
        byte[] mask(int tileRow) throws IOException;
    }

    /**
     * One band labelled: the provisional ids of its core rows (1..objects, in raster order of each object's
     * first pixel in the band; 0 background), and the summary the stitch needs.
     */
    public record Band(int[] labels, BandSummary summary) {
    }

    /**
     * What the stitch needs of one band, without its pixels. Per provisional id (index 1..objects): the
     * pixel count in the band, the raw sum, the first pixel (y·width + x), and the raw values of pieces
     * smaller than the minimum size (null otherwise: they are background for the faint-object filter if the
     * whole object is that small). {@code above}: for each x of the row just above the core, the band's id
     * of the window object there (0 if none or if that object has no pixel in the core); null for band 0.
     * {@code last}: the ids of the core's last row. The background histogram of the core, sparse.
     */
    public record BandSummary(int band, int objects, int[] area, double[] sum, long[] first, float[][] small,
            int[] above, int[] last, int[] backgroundValues, long[] backgroundCounts) implements java.io.Serializable {
    }

    /** Every band's final ids: {@code ids(band)[provisional]}; 0 for dropped objects. */
    public record Relabelling(int objects, int[][] ids) implements java.io.Serializable {

        /** Replaces provisional ids of {@code band} by final ones in {@code labels[from..to)}. */
        public void apply(int band, int[] labels, int from, int to) {
            int[] map = ids[band];
            for (int i = from; i < to; i++) {
                labels[i] = map[labels[i]];
            }
        }
    }

    /** The layout of the bands of an image of this size. */
    public Layout layout(int width, int height) {
        return new Layout(width, height, seg.scale() == 1 ? seg.cuts(height) : scaledBandCuts(height), overlap);
    }

    /**
     * Bands at a scale other than 1: cores of about a tile's core at that scale, at most two at scale 1 (so a
     * band's memory stays within twice scale 1's while E's margins stay a small part of its work).
     */
    private int[] scaledBandCuts(int height) {
        int core = seg.tileSize() - 2 * seg.margin();
        int rows = (int) Math.max(16, Math.min(2.0 * core, Math.round(core / seg.scale())));
        int n = Math.max(1, (height + rows - 1) / rows);
        int[] c = new int[n + 1];
        for (int i = 0; i <= n; i++) {
            c[i] = (int) ((long) height * i / n);
        }
        return c;
    }

    /** Pass 1: the statistics of the whole image, read in chunks of rows. */
    public Statistics statistics(RowSource src) throws IOException {
        int w = src.width();
        int h = src.height();
        long n = (long) w * h;
        int nStep = Normalization.sampleStep(n);
        int fStep = FaintObjects.sampleStep(n);
        // A noisy image shrunk takes its range from the shrunk rows (shrunkRange): no sample of the raw pixels.
        double smoothing = seg.smoothing();
        float[] sample = new float[smoothing > 0 ? 0 : (int) ((n + nStep - 1) / nStep)];
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
            if (smoothing == 0) {
                ns = sample(buf, base, end, nStep, sample, ns);
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
        float[] range = smoothing > 0 ? shrunkRange(src, smoothing) : seg.normalization().rangeOfSample(sample, ns);
        return new Statistics(range[0], Normalization.scale(range), FaintObjects.sigmaOfDifferences(diffs, nd), smoothing);
    }

    /**
     * The normalisation range of a noisy image shrunk with the extra smoothing, as {@link NetworkInput#of}
     * measures it on the whole shrunk plane: the same sample of its pixels, made in chunks of shrunk rows
     * ({@link Resample#bilinearRows}: the same pixels bit for bit).
     */
    private float[] shrunkRange(RowSource src, double smoothing) throws IOException {
        int w = src.width();
        int h = src.height();
        int ws = Resample.scaledSize(w, seg.scale());
        int hs = Resample.scaledSize(h, seg.scale());
        long n = (long) ws * hs;
        int step = Normalization.sampleStep(n);
        float[] sample = new float[(int) ((n + step - 1) / step)];
        int ns = 0;
        // About 4 M source pixels a chunk, as pass 1 reads, so memory stays that of a band at any scale.
        int chunk = Math.max(1, Math.min(hs, (int) ((1 << 22) / w * seg.scale())));
        for (int a = 0; a < hs; a += chunk) {
            int b = Math.min(hs, a + chunk);
            int[] rows = Resample.sourceRows(h, hs, a, b, smoothing);
            float[] buf = new float[(rows[1] - rows[0]) * w];
            src.read(rows[0], rows[1] - rows[0], buf);
            float[] out = Resample.bilinearRows(new FloatPlane(w, rows[1] - rows[0], buf), rows[0], h, ws, hs, a, b,
                    smoothing).data();
            ns = sample(out, (long) a * ws, (long) b * ws, step, sample, ns);
        }
        return seg.normalization().rangeOfSample(sample, ns);
    }

    /**
     * Adds to {@code sample} (holding {@code ns}) the finite pixels of {@code rows}, which hold the image's pixels
     * {@code base} to {@code end} (raster order), at every multiple of {@code step}, as Normalization samples a
     * whole plane; returns the new count.
     */
    private static int sample(float[] rows, long base, long end, int step, float[] sample, int ns) {
        for (long i = (base + step - 1) / step * step; i < end; i += step) {
            float v = rows[(int) (i - base)];
            if (Float.isFinite(v)) {
                sample[ns++] = v;
            }
        }
        return ns;
    }

    /**
     * Pass 2a: E on tile row {@code tileRow}, exactly the tiles the in-memory {@link Segmenter} cuts, so the
     * class probabilities are bit-identical; returns the class mask and raw pixels of its core rows.
     */
    public TileRow tileRow(RowSource src, Statistics stats, int tileRow) throws IOException {
        return tileRow(src, stats, tileRow, Progress.NONE);
    }

    /** As above; {@code progress} is asked whether to stop before each tile (a row of a wide slide takes minutes). */
    public TileRow tileRow(RowSource src, Statistics stats, int tileRow, Progress progress) throws IOException {
        if (seg.scale() != 1) {
            return scaledTileRow(src, stats, tileRow, progress);
        }
        int w = src.width();
        int h = src.height();
        int[] xs = seg.cuts(w);
        int[] ys = seg.cuts(h);
        int cy = ys[tileRow];
        int cyEnd = ys[tileRow + 1];
        int y0 = seg.windowStart(cy);
        int th = seg.windowEnd(cyEnd, h) - y0;
        int maxTw = 0;
        for (int i = 0; i + 1 < xs.length; i++) {
            maxTw = Math.max(maxTw, seg.windowEnd(xs[i + 1], w) - seg.windowStart(xs[i]));
        }
        float[] input = new float[th * w];
        float[] in = new float[maxTw * th];
        float[] out = new float[maxTw * th * 3];
        double threshold = options.seedThreshold();
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
                    in[y * tw + x] = stats.normalised(input[o + x]);
                }
            }
            progress.checkCancelled();
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
        return new TileRow(cy, cyEnd - cy, mask, raw);
    }

    /**
     * Pass 2a at a scale other than 1: the band's rows with the context they need are read, normalised and
     * resized as the whole image would be (a noisy image shrunk: resized with its extra smoothing, then
     * normalised; {@link NetworkInput}, {@link Resample#bilinearRows}: the same rows bit for bit), E runs
     * on that strip (from a row on its pooling grid, with its margin above and below, in its own tiles), and
     * the probabilities are resized back for the band's rows. E's tiles are not the in-memory path's, so
     * its output may differ from it in the last bits of a float; the labels then differ at most in the rare
     * pixel whose classes are that close.
     */
    private TileRow scaledTileRow(RowSource src, Statistics stats, int tileRow, Progress progress) throws IOException {
        int w = src.width();
        int h = src.height();
        int ws = Resample.scaledSize(w, seg.scale());
        int hs = Resample.scaledSize(h, seg.scale());
        int[] cuts = scaledBandCuts(h);
        int cy = cuts[tileRow];
        int cyEnd = cuts[tileRow + 1];
        int[] probRows = Resample.sourceRows(hs, h, cy, cyEnd);
        int sa = Math.max(0, probRows[0] - seg.margin()) / seg.alignment() * seg.alignment();
        int sb = Math.min(hs, probRows[1] + seg.margin());
        double smoothing = stats.smoothing();
        int[] rows = Resample.sourceRows(h, hs, sa, sb, smoothing);
        int oa = Math.min(rows[0], cy);
        int ob = Math.max(rows[1], cyEnd);
        float[] input = new float[(ob - oa) * w];
        src.read(oa, ob - oa, input);
        float[] raw = Arrays.copyOfRange(input, (cy - oa) * w, (cyEnd - oa) * w);
        FloatPlane strip;
        if (smoothing > 0) {
            // A noisy image: shrunk as read, then normalised by the range measured after the shrink (NetworkInput).
            strip = Resample.bilinearRows(new FloatPlane(w, ob - oa, input), oa, h, ws, hs, sa, sb, smoothing);
            float[] d = strip.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = stats.normalised(d[i]);
            }
        } else {
            for (int i = 0; i < input.length; i++) {
                input[i] = stats.normalised(input[i]);
            }
            strip = Resample.bilinearRows(new FloatPlane(w, ob - oa, input), oa, h, ws, hs, sa, sb);
        }
        input = null;
        // Cancel only: the bar counts bands, not this strip's tiles.
        Segmenter.Probabilities p = seg.probabilitiesOfNormalised(strip, progress.cancelOnly());
        strip = null;
        float[] bg = Resample.bilinearRows(p.background(), sa, hs, w, h, cy, cyEnd).data();
        float[] nuc = Resample.bilinearRows(p.nucleus(), sa, hs, w, h, cy, cyEnd).data();
        float[] con = Resample.bilinearRows(p.contour(), sa, hs, w, h, cy, cyEnd).data();
        double threshold = options.seedThreshold();
        byte[] mask = new byte[bg.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = Instances.maskOf(bg[i], nuc[i], con[i], threshold);
        }
        return new TileRow(cy, cyEnd - cy, mask, raw);
    }

    /** The class mask of a band's labelling window, put together from the tile rows it reaches. */
    public static byte[] windowMask(Layout layout, int band, MaskSource masks) throws IOException {
        int w = layout.width();
        int a = layout.windowStart(band);
        int b = layout.windowEnd(band);
        byte[] mask = new byte[(b - a) * w];
        for (int j = layout.firstTileRow(band); j <= layout.lastTileRow(band); j++) {
            byte[] m = masks.mask(j);
            int t0 = layout.cuts()[j];
            int from = Math.max(a, t0);
            int to = Math.min(b, layout.cuts()[j + 1]);
            if (m.length != (layout.cuts()[j + 1] - t0) * w) {
                throw new IOException("mask of tile row " + j + " has " + m.length + " pixels, expected "
                        + (layout.cuts()[j + 1] - t0) * w);
            }
            if (from < to) {
                System.arraycopy(m, (from - t0) * w, mask, (from - a) * w, (to - from) * w);
            }
        }
        return mask;
    }

    /**
     * Pass 2b: labels band {@code band}'s window ({@link #windowMask}) and keeps its core rows, with
     * provisional ids; {@code raw} is the core rows' pixels (integers in 0..maxValue).
     */
    public Band band(Layout layout, int band, byte[] windowMask, float[] raw, int maxValue) {
        int w = layout.width();
        int a = layout.windowStart(band);
        int c0 = layout.coreStart(band);
        int c1 = layout.coreEnd(band);
        int minSize = options.minSize();
        int[] lab = new int[windowMask.length];
        int windowObjects = Instances.flood(windowMask, w, lab);

        // Core rows: one provisional id per object of the window that has pixels in the core.
        int[] pid = new int[windowObjects + 1];
        int[] rows = new int[(c1 - c0) * w];
        int count = 0;
        int cap = 256;
        int[] area = new int[cap];
        double[] sum = new double[cap];
        long[] first = new long[cap];
        float[][] small = new float[cap][];
        long[] bgHist = new long[maxValue + 1];
        int off = (c0 - a) * w;
        long base = (long) c0 * w;
        for (int i = 0; i < rows.length; i++) {
            int l = lab[off + i];
            float v = raw[i];
            if (l == 0) {
                bgHist[(int) v]++;
                continue;
            }
            int p = pid[l];
            if (p == 0) {
                p = ++count;
                if (p == cap) {
                    cap *= 2;
                    area = Arrays.copyOf(area, cap);
                    sum = Arrays.copyOf(sum, cap);
                    first = Arrays.copyOf(first, cap);
                    small = Arrays.copyOf(small, cap);
                }
                first[p] = base + i;
                pid[l] = p;
            }
            rows[i] = p;
            int ar = ++area[p];
            sum[p] += v;
            if (ar < minSize) {
                if (small[p] == null) {
                    small[p] = new float[minSize - 1];
                }
                small[p][ar - 1] = v;
            } else {
                small[p] = null;
            }
        }
        // The row above the core, as this band's window sees it: where the band above put an object in that
        // row and this window puts it in the same object as core pixels, the two ids are one object. Every
        // object reaching across a border is 4-connected across it somewhere, so this joins them all.
        int[] above = null;
        if (band > 0) {
            above = new int[w];
            int o = (c0 - 1 - a) * w;
            for (int x = 0; x < w; x++) {
                int l = lab[o + x];
                above[x] = l == 0 ? 0 : pid[l];
            }
        }
        int[] last = Arrays.copyOfRange(rows, rows.length - w, rows.length);
        int nz = 0;
        for (long c : bgHist) {
            if (c > 0) {
                nz++;
            }
        }
        int[] bgValues = new int[nz];
        long[] bgCounts = new long[nz];
        for (int v = 0, k = 0; v < bgHist.length; v++) {
            if (bgHist[v] > 0) {
                bgValues[k] = v;
                bgCounts[k++] = bgHist[v];
            }
        }
        BandSummary s = new BandSummary(band, count, Arrays.copyOf(area, count + 1), Arrays.copyOf(sum, count + 1),
                Arrays.copyOf(first, count + 1), Arrays.copyOf(small, count + 1), above, last, bgValues, bgCounts);
        return new Band(rows, s);
    }

    /** A stitch of this image's bands, with this run's minimum size and the image's statistics. */
    public Stitch stitch(Layout layout, Statistics stats, int maxValue) {
        return new Stitch(layout, stats, maxValue, options.minSize());
    }

    /**
     * Pass 3's decisions: collects every band's summary (in any order), joins ids across band borders
     * (union-find), applies the minimum size and faint-object filters to whole objects and numbers the kept
     * ones in raster order of their first pixel, as in memory.
     */
    public static final class Stitch {
        private final Layout layout;
        private final Statistics stats;
        private final int minSize;
        private final BandSummary[] bands;
        private final long[] bgHist;
        private long bgCount;

        Stitch(Layout layout, Statistics stats, int maxValue, int minSize) {
            this.layout = layout;
            this.stats = stats;
            this.minSize = minSize;
            this.bands = new BandSummary[layout.bands()];
            this.bgHist = new long[maxValue + 1];
        }

        /** Adds one band's summary; its background histogram is merged at once. */
        public void add(BandSummary s) {
            if (bands[s.band()] != null) {
                throw new IllegalStateException("band " + s.band() + " added twice");
            }
            for (int k = 0; k < s.backgroundValues().length; k++) {
                bgHist[s.backgroundValues()[k]] += s.backgroundCounts()[k];
                bgCount += s.backgroundCounts()[k];
            }
            bands[s.band()] = new BandSummary(s.band(), s.objects(), s.area(), s.sum(), s.first(), s.small(), s.above(),
                    s.last(), null, null);
        }

        /** The final ids of every band; needs every band's summary. */
        public Relabelling resolve() {
            int nb = bands.length;
            int[] offset = new int[nb + 1];
            for (int b = 0; b < nb; b++) {
                if (bands[b] == null) {
                    throw new IllegalStateException("band " + b + " of " + nb + " is missing");
                }
                offset[b + 1] = offset[b] + bands[b].objects();
            }
            int n = offset[nb];
            int[] parent = new int[n + 1];
            for (int p = 0; p <= n; p++) {
                parent[p] = p;
            }
            for (int b = 1; b < nb; b++) {
                int[] prev = bands[b - 1].last();
                int[] above = bands[b].above();
                for (int x = 0; x < prev.length; x++) {
                    if (prev[x] != 0 && above[x] != 0) {
                        union(parent, offset[b - 1] + prev[x], offset[b] + above[x]);
                    }
                }
            }
            // Whole objects: sizes, sums, first pixels; then the two filters and raster-order ids.
            long[] area = new long[n + 1];
            double[] sum = new double[n + 1];
            long[] first = new long[n + 1];
            Arrays.fill(first, Long.MAX_VALUE);
            for (int b = 0; b < nb; b++) {
                BandSummary s = bands[b];
                for (int l = 1; l <= s.objects(); l++) {
                    int r = root(parent, offset[b] + l);
                    area[r] += s.area()[l];
                    sum[r] += s.sum()[l];
                    first[r] = Math.min(first[r], s.first()[l]);
                }
            }
            // Objects under the minimum size are background for the faint-object filter, as in memory.
            boolean[] keep = new boolean[n + 1];
            long[] hist = bgHist.clone();
            long count = bgCount;
            for (int b = 0; b < nb; b++) {
                BandSummary s = bands[b];
                for (int l = 1; l <= s.objects(); l++) {
                    int p = offset[b] + l;
                    int r = root(parent, p);
                    if (area[r] < minSize) {
                        for (int k = 0; k < s.area()[l]; k++) {
                            hist[(int) s.small()[l][k]]++;
                        }
                        count += s.area()[l];
                    } else if (r == p) {
                        keep[p] = true;
                    }
                }
            }
            if (FaintObjects.MIN_CONTRAST > 0 && count > 0) {
                double level = Select.valueOfRank(hist, count / 2);
                double faint = level + FaintObjects.MIN_CONTRAST * stats.sigma();
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
            int[][] ids = new int[nb][];
            for (int b = 0; b < nb; b++) {
                ids[b] = new int[bands[b].objects() + 1];
                for (int l = 1; l <= bands[b].objects(); l++) {
                    ids[b][l] = finalId[root(parent, offset[b] + l)];
                }
            }
            return new Relabelling(kept, ids);
        }

        private static int root(int[] parent, int id) {
            while (parent[id] != id) {
                parent[id] = parent[parent[id]];
                id = parent[id];
            }
            return id;
        }

        private static void union(int[] parent, int a, int b) {
            int ra = root(parent, a);
            int rb = root(parent, b);
            if (ra != rb) {
                parent[Math.max(ra, rb)] = Math.min(ra, rb);
            }
        }
    }

    // ------------------------------------------------------------------ the steps in order, on one machine

    private Result run(RowSource src, Path scratch, SinkFactory sinks, Progress progress) throws IOException {
        int w = src.width();
        int h = src.height();
        Statistics stats = statistics(src);
        Layout layout = layout(w, h);
        int nb = layout.bands();
        Stitch stitch = stitch(layout, stats, src.maxValue());
        // Tile rows through E in order, each kept while a band's window still reaches it.
        ArrayDeque<TileRow> blocks = new ArrayDeque<>();
        int nextTileRow = 0;
        try (FileChannel ch = FileChannel.open(scratch, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            for (int band = 0; band < nb; band++) {
                while (nextTileRow <= layout.lastTileRow(band)) {
                    blocks.addLast(tileRow(src, stats, nextTileRow++, progress));
                }
                int firstNeeded = layout.firstTileRow(band);
                while (blocks.peekFirst().end() <= layout.coreStart(firstNeeded)) {
                    blocks.removeFirst();
                }
                int firstKept = nextTileRow - blocks.size();
                TileRow[] kept = blocks.toArray(new TileRow[0]);
                byte[] mask = windowMask(layout, band, j -> kept[j - firstKept].mask());
                Band b = band(layout, band, mask, kept[band - firstKept].raw(), src.maxValue());
                mask = null;
                int[] rows = b.labels();
                ByteBuffer bb = ByteBuffer.allocate(rows.length * 4).order(ByteOrder.nativeOrder());
                bb.asIntBuffer().put(rows);
                while (bb.hasRemaining()) {
                    ch.write(bb, (long) layout.coreStart(band) * w * 4 + bb.position());
                }
                stitch.add(b.summary());
                progress.fraction(band + 1, nb);
                progress.checkCancelled();
            }
            blocks.clear();
            Relabelling ids = stitch.resolve();

            // Pass 3: provisional ids -> final ids, rows in order, read back from the scratch file.
            ByteBuffer[] buffer = {null}; // one buffer of the largest chunk, not one per chunk
            relabel(layout, ids, (band, y0, nr, into) -> {
                int bytes = nr * w * 4;
                if (buffer[0] == null || buffer[0].capacity() < bytes) {
                    buffer[0] = ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
                }
                ByteBuffer bb = buffer[0];
                bb.clear().limit(bytes);
                while (bb.hasRemaining()) {
                    if (ch.read(bb, (long) y0 * w * 4 + bb.position()) < 0) {
                        throw new IOException(scratch + ": scratch file ended early");
                    }
                }
                bb.flip();
                bb.asIntBuffer().get(into, 0, nr * w);
            }, sinks.open(ids.objects()));
            return new Result(ids.objects(), nb);
        }
    }
}
