package org.segmentcells.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.AtomicFiles;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.model.Model;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.progress.Progress;
import org.segmentcells.segment.FaintObjects;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Instances;
import org.segmentcells.segment.ProbabilityNet;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.synth.SyntheticNuclei;

/**
 * Where the time of {@code segment} goes: the end-to-end path (file in, label file out) split into its
 * stages, next to E alone on the same pixels. The stages are the calls {@code segment} makes, in its
 * order, choosing the scale included (for an automatic scale: measuring the nuclei, and the network's
 * check where it runs); the total is also measured through the plain, uninstrumented path, so the split
 * can be checked against it, and again with each file's chosen scale given, so that what choosing costs
 * is a number of its own.
 */
public final class PipelineProfile {

    private final PrintStream out;

    public PipelineProfile(PrintStream out) {
        this.out = out;
    }

    /** Seconds spent inside the network, summed over calls. */
    private static final class TimedNet implements ProbabilityNet {
        private final ProbabilityNet net;
        private long nanos;

        TimedNet(ProbabilityNet net) {
            this.net = net;
        }

        @Override
        public void probabilities(float[] tile, int width, int height, float[] probs) {
            long t = System.nanoTime();
            net.probabilities(tile, width, height, probs);
            nanos += System.nanoTime() - t;
        }

        @Override
        public org.segmentcells.nets.Architecture architecture() {
            // The tiling follows the wrapped estimator's margin and alignment.
            return net.architecture();
        }
    }

    /**
     * Seconds per stage over all files, in pipeline order. The stages after choosing run at the chosen scale
     * with the chosen instance settings; where the check ran, its network passes count as choosing, and the
     * network stage runs once more (the plain path reuses the check's pass instead).
     */
    public Map<String, Double> stages(Model model, List<Path> files, Path outDir) throws IOException {
        TimedNet net = new TimedNet(model);
        long read = 0;
        long choose = 0;
        long norm = 0;
        long tiles = 0;
        long inst = 0;
        long faint = 0;
        long write = 0;
        for (Path f : files) {
            long t0 = System.nanoTime();
            FloatPlane img = ImageFiles.readPlane(f);
            long tc = System.nanoTime();
            Model.Plan plan = model.plan(SegmentSettings.MODEL, img);
            long t1 = System.nanoTime();
            Segmenter seg = new Segmenter(net, model.normalization(), Segmenter.DEFAULT_TILE, plan.segmenter().scale());
            InstanceOptions opts = plan.instances();
            FloatPlane n = model.normalization().apply(img);
            long t2 = System.nanoTime();
            Segmenter.Probabilities p = seg.probabilitiesOfNormalised(n, org.segmentcells.progress.Progress.NONE);
            long t3 = System.nanoTime();
            LabelPlane l = Instances.fromProbabilities(p.background(), p.nucleus(), p.contour(), opts.seedThreshold(),
                    opts.minSize());
            long t4 = System.nanoTime();
            l = FaintObjects.drop(l, img, FaintObjects.MIN_CONTRAST);
            long t5 = System.nanoTime();
            ImageFiles.writeLabels(l, outDir.resolve(ImageFiles.stem(f) + ".tif"));
            long t6 = System.nanoTime();
            read += tc - t0;
            choose += t1 - tc;
            norm += t2 - t1;
            tiles += t3 - t2;
            inst += t4 - t3;
            faint += t5 - t4;
            write += t6 - t5;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("read file", read / 1e9);
        m.put("choose the scale (auto: measure the nuclei; the network's check where it runs)", choose / 1e9);
        m.put("normalise", norm / 1e9);
        m.put("E (inside the network calls)", net.nanos / 1e9);
        m.put("tiling: copies in and out of tiles", (tiles - net.nanos) / 1e9);
        m.put("instances (seeds, flood, min size)", inst / 1e9);
        m.put("faint-object filter", faint / 1e9);
        m.put("write label TIFF", write / 1e9);
        return m;
    }

    /**
     * The plain path: {@code segment}'s own call per file ({@link FileSegmentation#segmentImage}), seconds for
     * all files.
     *
     * @param chosen each file's settings as auto chose them, given as fixed ones ({@link Model.Plan#given}), or null
     *               for the model's own setting (auto for {@code default}); when empty, receives them
     */
    public double plainSeconds(Model model, List<Path> files, Path outDir, List<SegmentSettings> chosen)
            throws IOException {
        boolean given = chosen != null && chosen.size() == files.size();
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        List<SegmentSettings> made = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            SegmentSettings settings = given ? chosen.get(i) : SegmentSettings.MODEL;
            FileSegmentation.Segmented s = FileSegmentation.segmentImage(model, f, outDir.resolve(ImageFiles.stem(f) + ".tif"),
                    FileSegmentation.ImageSettings.DEFAULT.withSegment(settings),
                    quiet, quiet, Progress.NONE);
            made.add(s.plan().given(SegmentSettings.MODEL));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!given && chosen != null) {
            chosen.addAll(made);
        }
        return seconds;
    }

    /** E alone on whole frames of this size: best seconds per frame (after a warm-up). */
    public static double networkSeconds(ProbabilityNet net, int width, int height, int runs) {
        float[] in = new float[width * height];
        float[] probs = new float[width * height * 3];
        FloatPlane img = SyntheticNuclei.generate(width, height, Math.max(1, width * height / 3000), 3).image();
        System.arraycopy(org.segmentcells.segment.Normalization.DEFAULT.apply(img).data(), 0, in, 0, in.length);
        net.probabilities(in, width, height, probs);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            net.probabilities(in, width, height, probs);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    /**
     * Profiles one set of files; {@code networkAlone} is E's time for the same pixels as whole frames.
     * The first file is run once before timing, so TensorFlow's one-off set-up is not counted.
     */
    public void report(String title, Model model, List<Path> files, double networkAlone) throws IOException {
        Path tmp = Files.createTempDirectory("segment-cells-profile");
        try {
            plainSeconds(model, files.subList(0, 1), tmp, null);
            Map<String, Double> st = stages(model, files, tmp);
            List<SegmentSettings> chosen = new ArrayList<>();
            // Untimed: learns each file's chosen scale and minimum size. Then each path twice, alternating, best of two:
            // TensorFlow's first call at a new input size is slow, so the first auto pass over frames it
            // resizes met each size cold and the given pass after it warm (the 13 DSB 640x512 frames: 0.135 s
            // a file on the first auto pass, 0.092-0.097 s on later ones), as SizeSweep already avoids.
            plainSeconds(model, files, tmp, chosen);
            List<Double> scales = chosen.stream().map(c -> c.scale().factor()).toList();
            double plain = Double.MAX_VALUE;
            double atChosen = Double.MAX_VALUE;
            for (int round = 0; round < 2; round++) {
                atChosen = Math.min(atChosen, plainSeconds(model, files, tmp, chosen));
                plain = Math.min(plain, plainSeconds(model, files, tmp, null));
            }
            double sum = st.values().stream().mapToDouble(Double::doubleValue).sum();
            FloatPlane first = ImageFiles.readPlane(files.get(0));
            int n = files.size();
            out.printf(Locale.ROOT, "%n### %s: %d file%s of %dx%d%n%n", title, n, n == 1 ? "" : "s", first.width(),
                    first.height());
            out.println("| stage | s per file | share |");
            out.println("|---|---|---|");
            for (Map.Entry<String, Double> e : st.entrySet()) {
                out.printf(Locale.ROOT, "| %s | %.3f | %.1f%% |%n", e.getKey(), e.getValue() / n, 100 * e.getValue() / sum);
            }
            out.printf(Locale.ROOT, "| **sum of stages** | %.3f | |%n", sum / n);
            out.printf(Locale.ROOT, "| end to end, plain path (as `segment`) | %.3f | |%n", plain / n);
            out.printf(Locale.ROOT, "| end to end, each file's chosen scale given (%s) | %.3f | %+.0f%% for choosing |%n",
                    describeScales(scales), atChosen / n, 100 * (plain / atChosen - 1));
            out.printf(Locale.ROOT, "| E alone on the same pixels as whole frames | %.3f | |%n", networkAlone);
            out.printf(Locale.ROOT, "%nend to end / E alone = **%.2f** (plain path), %.2f (instrumented)%n",
                    plain / n / networkAlone, sum / n / networkAlone);
            if (scales.stream().anyMatch(x -> x != 1)) {
                // E alone at scale 1 would flatter a plan that shrinks: the network sees fewer pixels there.
                double atScale = 0;
                for (int i = 0; i < n; i++) {
                    FloatPlane f = ImageFiles.readPlane(files.get(i));
                    atScale += networkSeconds(model, org.segmentcells.img.Resample.scaledSize(f.width(), scales.get(i)),
                            org.segmentcells.img.Resample.scaledSize(f.height(), scales.get(i)), 2);
                }
                out.printf(Locale.ROOT, "end to end at the chosen scale given / E alone on the frames so resized = **%.2f**"
                        + " (E alone %.3f s per file)%n", atChosen / atScale, atScale / n);
            }
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
    }

    /** The scales chosen, for the table: one value, or the range. */
    static String describeScales(List<Double> scales) {
        double lo = scales.stream().mapToDouble(Double::doubleValue).min().orElse(1);
        double hi = scales.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        return lo == hi ? String.format(Locale.ROOT, "%.2f", lo) : String.format(Locale.ROOT, "%.2f to %.2f", lo, hi);
    }

    /**
     * The two cases on synthetic 16-bit TIFFs written to a temporary folder: 20 frames of
     * 640×512, and one 4096×4096 image. E alone for 4096² is the image's pixels at E's rate on whole
     * 1024² frames (one 4096² pass would need about 10 GB for activations), so the tiles' overlap
     * counts as overhead.
     */
    public void run(Model model, List<Path> realFrames) throws IOException {
        out.printf(Locale.ROOT, "machine: %s%n", Machine.describe());
        out.println(org.segmentcells.tf.TensorFlowRuntime.deviceSummary());
        Path tmp = Files.createTempDirectory("segment-cells-pipeline");
        try {
            List<Path> frames = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                frames.add(synthetic(tmp, "frame-" + i, 640, 512, 110, i));
            }
            double e640 = networkSeconds(model, 640, 512, 3);
            report("synthetic frames", model, frames, e640);
            if (!realFrames.isEmpty()) {
                FloatPlane f = ImageFiles.readPlane(realFrames.get(0));
                report("real frames", model, realFrames, networkSeconds(model, f.width(), f.height(), 3));
            }
            Path big = synthetic(tmp, "big", 4096, 4096, 5600, 99);
            double rate = 1024.0 * 1024 / networkSeconds(model, 1024, 1024, 3);
            report("one big image", model, List.of(big), 4096.0 * 4096 / rate);
            out.printf(Locale.ROOT, "%nE sees %.3f× the pixels of a 4096² image through 1024 px tiles (overlap)%n",
                    model.segmenter(Segmenter.DEFAULT_TILE).pixelsThroughNetwork(4096, 4096) / (4096.0 * 4096));
            batching(model);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
        out.printf(Locale.ROOT, "%npeak resident memory: %.0f MB%n", Machine.peakRssMb());
    }

    /** Several frames per network call against one call per frame, 640×512. */
    void batching(Model model) {
        int w = 640;
        int h = 512;
        out.println();
        out.println("| frames per network call | s per frame |");
        out.println("|---|---|");
        for (int batch : new int[] {1, 2, 4}) {
            float[] in = new float[batch * w * h];
            for (int b = 0; b < batch; b++) {
                FloatPlane img = SyntheticNuclei.generate(w, h, 110, b).image();
                System.arraycopy(model.normalization().apply(img).data(), 0, in, b * w * h, w * h);
            }
            float[] probs = new float[batch * w * h * 3];
            model.probabilities(in, batch, w, h, probs);
            double best = Double.MAX_VALUE;
            for (int r = 0; r < 3; r++) {
                long t0 = System.nanoTime();
                model.probabilities(in, batch, w, h, probs);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            out.printf(Locale.ROOT, "| %d | %.3f |%n", batch, best / batch);
        }
    }

    private static Path synthetic(Path dir, String stem, int w, int h, int count, long seed) throws IOException {
        FloatPlane img = SyntheticNuclei.generate(w, h, count, seed).image();
        int[] px = new int[img.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = Math.round(img.data()[i]);
        }
        Path f = dir.resolve(stem + ".tif");
        ImageFiles.write16(w, h, px, f);
        return f;
    }
}
