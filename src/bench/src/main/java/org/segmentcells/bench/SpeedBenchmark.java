package org.segmentcells.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.AtomicFiles;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.nets.Architecture;
import org.segmentcells.segment.Normalization;
import org.segmentcells.synth.SyntheticNuclei;
import org.segmentcells.tf.TensorFlowRuntime;
import org.segmentcells.train.Batch;
import org.segmentcells.train.Mode;
import org.segmentcells.train.PatchSampler;
import org.segmentcells.train.TrainConfig;
import org.segmentcells.train.TrainingFrame;
import org.segmentcells.train.TrainingGraph;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Speed on the machine it runs on: E alone (megapixels/s and achieved GFLOP/s next to a same-process
 * matrix-multiply peak), end to end (files in, label files out), and training steps/s.
 */
public final class SpeedBenchmark {

    private final PrintStream out;

    public SpeedBenchmark(PrintStream out) {
        this.out = out;
    }

    /** FLOPs of E per output pixel: two per multiply-add of the convolutions. */
    public static double flopsPerPixel(Architecture a) {
        return 2.0 * a.multiplyAddsPerPixel();
    }

    /** GFLOP/s of a square float matrix multiply in TensorFlow, best of a few runs. */
    public double matmulPeak(int n) {
        TensorFlowRuntime.ensureLoaded();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
            Operand<TFloat32> c = tf.sum(tf.linalg.matMul(a, a), tf.constant(new int[] {0, 1}));
            float[] data = new float[n * n];
            java.util.Arrays.fill(data, 0.001f);
            try (Session s = new Session(g, TensorFlowRuntime.sessionConfig());
                 TFloat32 t = TFloat32.tensorOf(Shape.of(n, n), DataBuffers.of(data, true, false))) {
                double best = Double.MAX_VALUE;
                for (int i = 0; i < 5; i++) {
                    long t0 = System.nanoTime();
                    s.runner().feed(a, t).fetch(c).run().close();
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
                return 2.0 * n * n * n / best / 1e9;
            }
        }
    }

    /** Training steps per second (one D and one E update per step in adversarial mode). */
    public double stepsPerSecond(Architecture estimator, Mode mode, int batch, int steps) {
        FloatPlane img = SyntheticNuclei.generate(256, 256, 25, 4).image();
        LabelPlane lab = SyntheticNuclei.generate(256, 256, 25, 4).labels();
        TrainingFrame f = TrainingFrame.full("s", Normalization.DEFAULT.apply(img),
                org.segmentcells.annotate.Targets.fromLabels(lab, 2));
        TrainConfig cfg = TrainConfig.builder().mode(mode).steps(steps).batch(batch).patch(64).validateEvery(0)
                .estimator(estimator).build();
        PatchSampler sampler = new PatchSampler(List.of(f), batch, 64, 0.2f, 0f, 1);
        try (TrainingGraph g = new TrainingGraph(cfg)) {
            List<Batch> batches = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                batches.add(sampler.next());
            }
            for (int i = 0; i < 2; i++) {
                step(g, mode, batches.get(i % 4));
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step(g, mode, batches.get(i % 4));
            }
            return steps / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static void step(TrainingGraph g, Mode mode, Batch b) {
        if (mode.adversarial()) {
            g.trainD(b);
        }
        g.trainE(b);
    }

    /** Runs everything and prints a Markdown report. */
    public void run(Model model, List<Path> images, int trainSteps) throws IOException {
        out.printf(Locale.ROOT, "machine: %s%n", Machine.describe());
        double peak = matmulPeak(2048);
        out.printf(Locale.ROOT, "TensorFlow matmul 2048^3 peak: %.1f GFLOP/s%n", peak);
        Architecture a = model.architecture();
        out.printf(Locale.ROOT, "E (%s): %d multiply-adds per pixel (%.0f FLOP)%n%n", a.settingName(),
                a.multiplyAddsPerPixel(), flopsPerPixel(a));
        out.println("| what | size | time per frame (s) | megapixels/s | GFLOP/s | % of matmul peak |");
        out.println("|---|---|---|---|---|---|");
        for (int[] size : new int[][] {{640, 512}, {1024, 1024}}) {
            double s = PipelineProfile.networkSeconds(model, size[0], size[1], 3);
            double px = (double) size[0] * size[1];
            double gflops = px * flopsPerPixel(a) / s / 1e9;
            out.printf(Locale.ROOT, "| E alone | %dx%d | %.3f | %.2f | %.1f | %.0f%% |%n", size[0], size[1], s,
                    px / s / 1e6, gflops, 100 * gflops / peak);
        }
        if (!images.isEmpty()) {
            Path tmp = Files.createTempDirectory("segment-cells-speed");
            try {
                // As segment runs it, after one warm-up frame (TensorFlow's one-off set-up).
                PipelineProfile profile = new PipelineProfile(out);
                profile.plainSeconds(model, images.subList(0, 1), tmp, null);
                double s = profile.plainSeconds(model, images, tmp, null);
                long px = 0;
                FloatPlane first = ImageFiles.readPlane(images.get(0));
                px = (long) first.size() * images.size();
                out.printf(Locale.ROOT, "| end to end (read, normalise, E, instances, write) | %d files of %dx%d | %.3f | %.2f | | |%n",
                        images.size(), first.width(), first.height(), s / images.size(), px / s / 1e6);
            } finally {
                AtomicFiles.deleteTree(tmp);
            }
        }
        out.println();
        out.printf(Locale.ROOT, "training the %s estimator on 64x64 crops:%n%n", a.settingName());
        out.println("| training mode | batch | steps/s | s/step |");
        out.println("|---|---|---|---|");
        for (Mode m : new Mode[] {Mode.CROSS_ENTROPY, Mode.ADVERSARIAL}) {
            for (int b : new int[] {8, 16, 32}) {
                double sps = stepsPerSecond(a, m, b, trainSteps);
                out.printf(Locale.ROOT, "| %s | %d | %.2f | %.3f |%n", m.id(), b, sps, 1 / sps);
            }
        }
        out.printf(Locale.ROOT, "%npeak resident memory: %.0f MB%n", Machine.peakRssMb());
    }
}
