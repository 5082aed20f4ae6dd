package org.segmentcells.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.synth.SyntheticNuclei;
import org.segmentcells.progress.Progress;

public class StreamingSegmenterTest {

    @TempDir
    Path tmp;

    /** Rows of an in-memory image, as the CLI reads them from a TIFF. */
    static StreamingSegmenter.RowSource rows(FloatPlane img) {
        return new StreamingSegmenter.RowSource() {
            @Override
            public int width() {
                return img.width();
            }

            @Override
            public int height() {
                return img.height();
            }

            @Override
            public int maxValue() {
                return 65535;
            }

            @Override
            public void read(int y0, int n, float[] dst) {
                System.arraycopy(img.data(), y0 * img.width(), dst, 0, n * img.width());
            }
        };
    }

    /** Streams {@code img} and returns the label image; checks the declared count and the scratch file. */
    LabelPlane stream(StreamingSegmenter s, FloatPlane img) throws IOException {
        int w = img.width();
        int[] out = new int[w * img.height()];
        int[] written = {0};
        int[] declared = {-1};
        Path scratch = tmp.resolve("scratch-" + System.nanoTime());
        StreamingSegmenter.Result r = s.segment(rows(img), scratch, objects -> {
            declared[0] = objects;
            return (labels, offset, n) -> {
                System.arraycopy(labels, offset, out, written[0] * w, n * w);
                written[0] += n;
            };
        }, Progress.NONE);
        assertEquals(img.height(), written[0]);
        assertEquals(r.objects(), declared[0]);
        assertFalse(Files.exists(scratch), "scratch file left behind");
        LabelPlane l = new LabelPlane(w, img.height(), out);
        assertEquals(r.objects(), l.countObjects());
        assertEquals(r.objects(), l.maxLabel());
        return l;
    }

    /** Ids present on both sides of the border between rows y-1 and y, in 4-adjacent pixels. */
    static int objectsAcross(LabelPlane l, int y) {
        Set<Integer> ids = new HashSet<>();
        for (int x = 0; x < l.width(); x++) {
            int v = l.get(x, y);
            if (v != 0 && v == l.get(x, y - 1)) {
                ids.add(v);
            }
        }
        return ids.size();
    }

    @Test
    void streamingEqualsInMemoryWithTheShippedModel() throws IOException {
        // About the density of test-images/ (25 nuclei in 256×256), with touching nuclei.
        FloatPlane img = SyntheticNuclei.generate(1500, 1300, 750, 42).image();
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            InstanceOptions opts = model.instanceOptions();
            // A middle tile size and the smallest this model's estimator takes.
            for (int tile : new int[] {256, Segmenter.minTile(model.architecture())}) {
                Segmenter seg = model.segmenter(tile);
                LabelPlane expected = opts.label(seg.probabilities(img), img);
                LabelPlane streamed = stream(new StreamingSegmenter(seg, opts), img);
                assertTrue(expected.countObjects() > 300, "only " + expected.countObjects() + " nuclei");
                // Bands are rows of tiles (cores of about tile - 2 margins rows): nuclei cross many band borders.
                int core = tile - 2 * model.architecture().margin();
                int crossing = 0;
                for (int y = core; y < img.height(); y += core) {
                    crossing += objectsAcross(expected, y);
                }
                assertTrue(crossing > 20, "only " + crossing + " nuclei cross band borders");
                assertArrayEquals(expected.data(), streamed.data(), "tile " + tile);
            }
        }
    }

    /**
     * At a scale other than 1 each band is resized with its context, through E and back. With a net that
     * looks at one pixel at a time the labels equal the in-memory ones exactly (the resized pixels are the
     * whole image's bit for bit); with the shipped model, whose tiles then differ from the in-memory ones,
     * nearly every pixel agrees and every nucleus matches.
     */
    @Test
    void streamingAtOtherScalesEqualsInMemory() throws IOException {
        FloatPlane img = SyntheticNuclei.generate(700, 900, 120, 7).image();
        for (double scale : new double[] {0.4, 0.7, 1.6}) {
            Segmenter seg = new Segmenter(THRESHOLDS, Normalization.DEFAULT, 64, scale);
            LabelPlane expected = InstanceOptions.DEFAULT.label(seg.probabilities(img), img);
            StreamingSegmenter s = new StreamingSegmenter(seg, InstanceOptions.DEFAULT);
            assertTrue(s.layout(700, 900).bands() >= 4, "bands at scale " + scale);
            assertArrayEquals(expected.data(), stream(s, img).data(), "scale " + scale);
        }
        // A noisy image shrunk is smoothed more and normalised after the shrink (NetworkInput), in bands as in memory.
        float[] range = Normalization.DEFAULT.range(img.data());
        FloatPlane grainy = new FloatPlane(img.width(), img.height(), img.data().clone());
        java.util.Random noise = new java.util.Random(2);
        for (int i = 0; i < grainy.data().length; i++) {
            grainy.data()[i] = Math.max(0, Math.round(grainy.data()[i] + 0.1 * (range[1] - range[0]) * noise.nextGaussian()));
        }
        for (double scale : new double[] {0.4, 0.7}) {
            Segmenter seg = new Segmenter(THRESHOLDS, Normalization.DEFAULT, 64, scale).withNoisy(true);
            LabelPlane expected = InstanceOptions.DEFAULT.label(seg.probabilities(grainy), grainy);
            StreamingSegmenter s = new StreamingSegmenter(seg, InstanceOptions.DEFAULT);
            assertEquals(1 / scale, s.statistics(rows(grainy)).smoothing(), 1e-12, "the range measured after the smoothing");
            LabelPlane plain = InstanceOptions.DEFAULT.label(seg.withNoisy(false).probabilities(grainy), grainy);
            assertTrue(expected.countObjects() >= 20, expected.countObjects() + " nuclei at " + scale);
            assertFalse(java.util.Arrays.equals(plain.data(), expected.data()), "the smoothing changed nothing at " + scale + ": " + plain.countObjects() + " / " + expected.countObjects());
            assertArrayEquals(expected.data(), stream(s, grainy).data(), "noisy, scale " + scale);
        }
        // Nuclei twice the usual size, as scale 0.5 would be chosen for; integer pixels, as from a TIFF.
        FloatPlane big = org.segmentcells.img.Resample.bilinear(SyntheticNuclei.generate(500, 450, 60, 11).image(), 1000, 900);
        for (int i = 0; i < big.data().length; i++) {
            big.data()[i] = Math.round(big.data()[i]);
        }
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            InstanceOptions opts = model.instanceOptions();
            Segmenter seg = model.segmenter(256).withScale(0.5);
            LabelPlane expected = opts.label(seg.probabilities(big), big);
            LabelPlane streamed = stream(new StreamingSegmenter(seg, opts), big);
            assertTrue(expected.countObjects() >= 30, expected.countObjects() + " nuclei");
            int same = 0;
            for (int i = 0; i < expected.data().length; i++) {
                same += (expected.data()[i] == 0) == (streamed.data()[i] == 0) ? 1 : 0;
            }
            assertTrue(same >= 0.999 * expected.data().length, "foreground agrees on " + same + " pixels");
            assertEquals(1.0, org.segmentcells.eval.Evaluator.scoreFrame(expected, streamed, 0).f(), 1e-9);
        }
    }

    /**
     * A net that reads classes off the normalised input: bright is nucleus, middle is contour, dark is
     * background; enough to draw objects of any shape.
     */
    static final ProbabilityNet THRESHOLDS = (in, w, h, out) -> {
        for (int i = 0; i < w * h; i++) {
            float v = in[i];
            float[] p = v > 0.7f ? new float[] {0.05f, 0.9f, 0.05f}
                    : v > 0.3f ? new float[] {0.2f, 0.2f, 0.6f} : new float[] {0.9f, 0.05f, 0.05f};
            System.arraycopy(p, 0, out, 3 * i, 3);
        }
    };

    @Test
    void objectsTallerThanTheOverlapKeepOneId() throws IOException {
        int w = 120;
        int h = 400;
        float[] px = new float[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = 100 + (i * 7919) % 5; // a little noise, so the faint-object filter has a σ
        }
        // A nucleus bar 300 rows tall (more than 10 bands of 32 rows, and 15 times an overlap of 20) in a
        // contour rim, and small round nuclei everywhere.
        for (int y = 48; y < 352; y++) {
            for (int x = 8; x < 18; x++) {
                px[y * w + x] = y >= 50 && y < 350 && x >= 10 && x < 16 ? 1000 : 500;
            }
        }
        for (int cy = 20; cy < h; cy += 27) {
            for (int cx = 55; cx < w - 8; cx += 19) {
                for (int y = cy - 5; y <= cy + 5 && y < h; y++) {
                    for (int x = cx - 5; x <= cx + 5; x++) {
                        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 25) {
                            px[y * w + x] = 1000;
                        }
                    }
                }
            }
        }
        FloatPlane img = new FloatPlane(w, h, px);
        Segmenter seg = new Segmenter(THRESHOLDS, Normalization.DEFAULT, 64);
        InstanceOptions opts = new InstanceOptions(0.5, 10);
        LabelPlane expected = opts.label(seg.probabilities(img), img);
        LabelPlane streamed = stream(new StreamingSegmenter(seg, opts, 20), img);
        // The tall bar with its rim is one object, in both.
        assertEquals(1, idsIn(streamed, 8, 18, 48, 352).size());
        assertEquals(1, idsIn(expected, 8, 18, 48, 352).size());
        assertTrue(expected.countObjects() > 40, expected.countObjects() + " objects");
        assertSamePartition(expected, streamed);
    }

    /**
     * The public steps, run as separate processes would run them: tile rows and bands in reverse order, the
     * summaries stitched in reverse order, each band relabelled on its own. The labels equal segment()'s,
     * ids included, which equal the in-memory ones. Windows of 40 rows reach two rows of tiles (cores of 32) each way, and a minimum size
     * above the round nuclei's area makes pieces that cross borders count as background for the faint filter.
     */
    @Test
    void stepsInAnyOrderGiveSegmentsLabels() throws IOException {
        int w = 120;
        int h = 400;
        float[] px = new float[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = 100 + (i * 7919) % 5;
        }
        for (int cy = 20; cy < h; cy += 23) {
            for (int cx = 8 + (cy % 3) * 4; cx < w - 8; cx += 17) {
                int r = 3 + (cx + cy) % 5;
                for (int y = Math.max(0, cy - r); y <= cy + r && y < h; y++) {
                    for (int x = cx - r; x <= cx + r; x++) {
                        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                            px[y * w + x] = 1000;
                        }
                    }
                }
            }
        }
        FloatPlane img = new FloatPlane(w, h, px);
        Segmenter seg = new Segmenter(THRESHOLDS, Normalization.DEFAULT, 64);
        InstanceOptions opts = new InstanceOptions(0.5, 60);
        StreamingSegmenter s = new StreamingSegmenter(seg, opts, 40);
        LabelPlane expected = stream(s, img);
        assertTrue(expected.countObjects() > 20, expected.countObjects() + " objects");
        // Every object is shorter than the overlap, so segment() gives the in-memory labels themselves.
        assertArrayEquals(opts.label(seg.probabilities(img), img).data(), expected.data());

        StreamingSegmenter.RowSource src = rows(img);
        StreamingSegmenter.Statistics stats = s.statistics(src);
        StreamingSegmenter.Layout layout = s.layout(w, h);
        int nb = layout.bands();
        assertTrue(layout.firstTileRow(nb - 1) < nb - 2, "windows reach only the next row of tiles");
        byte[][] masks = new byte[nb][];
        float[][] raw = new float[nb][];
        for (int j = nb - 1; j >= 0; j--) {
            StreamingSegmenter.TileRow t = s.tileRow(src, stats, j);
            masks[j] = t.mask();
            raw[j] = t.raw();
        }
        int[][] labels = new int[nb][];
        StreamingSegmenter.BandSummary[] summaries = new StreamingSegmenter.BandSummary[nb];
        for (int b = nb - 1; b >= 0; b--) {
            StreamingSegmenter.Band band = s.band(layout, b, StreamingSegmenter.windowMask(layout, b, j -> masks[j]),
                    raw[b], src.maxValue());
            labels[b] = band.labels();
            summaries[b] = band.summary();
        }
        StreamingSegmenter.Stitch stitch = s.stitch(layout, stats, src.maxValue());
        for (int b = nb - 1; b >= 0; b--) {
            stitch.add(summaries[b]);
        }
        StreamingSegmenter.Relabelling ids = stitch.resolve();
        assertEquals(expected.countObjects(), ids.objects());
        int[] out = new int[w * h];
        for (int b = 0; b < nb; b++) {
            ids.apply(b, labels[b], 0, labels[b].length);
            System.arraycopy(labels[b], 0, out, layout.coreStart(b) * w, labels[b].length);
        }
        assertArrayEquals(expected.data(), out);
    }

    private static Set<Integer> idsIn(LabelPlane l, int x0, int x1, int y0, int y1) {
        Set<Integer> ids = new HashSet<>();
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (l.get(x, y) != 0) {
                    ids.add(l.get(x, y));
                }
            }
        }
        return ids;
    }

    /** Same objects up to the numbering: a one-to-one map between the ids, and the same background. */
    public static void assertSamePartition(LabelPlane a, LabelPlane b) {
        Map<Integer, Integer> ab = new HashMap<>();
        Map<Integer, Integer> ba = new HashMap<>();
        for (int i = 0; i < a.data().length; i++) {
            int x = a.data()[i];
            int y = b.data()[i];
            assertEquals(x == 0, y == 0, "background differs at pixel " + i);
            if (x != 0) {
                assertEquals(y, (int) ab.computeIfAbsent(x, k -> y), "object " + x + " split or merged at pixel " + i);
                assertEquals(x, (int) ba.computeIfAbsent(y, k -> x), "object " + y + " split or merged at pixel " + i);
            }
        }
        assertEquals(a.countObjects(), b.countObjects());
    }

    @Test
    void emptyAndConstantImagesGiveNoObjects() throws IOException {
        FloatPlane flat = new FloatPlane(90, 200);
        java.util.Arrays.fill(flat.data(), 7f);
        Segmenter seg = new Segmenter(THRESHOLDS, Normalization.DEFAULT, 64);
        LabelPlane l = stream(new StreamingSegmenter(seg, InstanceOptions.DEFAULT), flat);
        assertEquals(0, l.maxLabel());
    }
}
