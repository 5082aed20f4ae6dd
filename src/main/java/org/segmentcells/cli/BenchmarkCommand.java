package org.segmentcells.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import java.util.ArrayList;

import org.segmentcells.bench.DataSets;
import org.segmentcells.bench.Machine;
import org.segmentcells.bench.SpeedBenchmark;
import org.segmentcells.bench.PaperProtocol;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.AtomicFiles;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.train.Mode;
import org.segmentcells.train.TrainConfig;

/** {@code benchmark}: measurements that print numbers (never asserted in tests). */
final class BenchmarkCommand implements Main.Command {

    @Override
    public String summary() {
        return "print measurements: Table 1 protocol, speed, memory over a long run";
    }

    @Override
    public String usage() {
        return """
                usage: benchmark table1 [--frames 1,2,4,11] [--modes adversarial,cross-entropy,classdisc]
                                        [--steps N] [--seed S] [--work DIR] [--doc docs/benchmarks.md]
                       benchmark speed --model NAME|DIR [--train-steps N] [IMAGE_DIR]
                       benchmark memory --model NAME|DIR [--frames N] IMAGE_DIR

                table1: the paper's Table 1 protocol on BBBC039 (from $SEGMENT_CELLS_DATA or ../shared/data):
                for each N and mode, train on the first N frames of train.txt with the same steps and seed,
                select on the last 10 train.txt frames, score on all of val.txt; plus the classic ImageJ
                workflow. Prints a Markdown table and, with --doc, writes it into that file between the
                markers <!-- table1:start --> and <!-- table1:end -->. Skips when the data is absent.

                speed: E alone on 640x512 and 1024x1024 frames (megapixels/s, GFLOP/s against a TensorFlow
                matrix-multiply peak), end to end on IMAGE_DIR's images (default: the first 20 BBBC039
                val.txt frames if present), and training steps/s at batch 8, 16, 32.

                memory: segments the folder's images over and over (writing label images to a temporary
                folder) until N frames (default 200) are done, printing resident memory (VmRSS) and Java
                heap as it goes, to show that long runs do not leak.
                """;
    }

    @Override
    public void run(String[] argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of("model", "frames", "modes", "steps", "seed", "work", "doc", "train-steps"),
                Set.of());
        String what = a.positional().isEmpty() ? "" : a.positional().get(0);
        if (what.equals("memory") && a.positional().size() == 2) {
            memory(a, Path.of(a.positional().get(1)), out);
        } else if (what.equals("table1") && a.positional().size() == 1) {
            table1(a, out);
        } else if (what.equals("speed") && a.positional().size() <= 2) {
            List<Path> images = new ArrayList<>();
            if (a.positional().size() == 2) {
                images = SegmentCommand.inputs(List.of(a.positional().get(1)));
            } else if (DataSets.find("bbbc039") != null) {
                Path set = DataSets.find("bbbc039");
                for (String s : DataSets.stems(set.resolve("val.txt")).subList(0, 20)) {
                    images.add(set.resolve("images").resolve(s + ".png"));
                }
            }
            try (Model model = Model.load(ModelStore.resolve(a.require("model")))) {
                new SpeedBenchmark(out).run(model, images, a.integer("train-steps", 10));
            }
        } else {
            throw new Args.UsageException("expected: benchmark table1|speed|memory ...");
        }
    }

    private static void table1(Args a, PrintStream out) throws Exception {
        Path set = DataSets.find("bbbc039");
        if (set == null) {
            out.println("skipped: no bbbc039 under " + DataSets.root().toAbsolutePath()
                    + " (set SEGMENT_CELLS_DATA or -Dsegmentcells.data)");
            return;
        }
        TrainConfig d = TrainConfig.defaults();
        TrainConfig cfg = d.withSteps(a.integer("steps", 1000));
        cfg = new TrainConfig(cfg.mode(), cfg.steps(), cfg.batch(), cfg.patch(), a.longValue("seed", 1), cfg.optimizer(),
                cfg.learningRate(), cfg.learningRateD(), cfg.ceWeight(), cfg.advWeight(), cfg.dSteps(), cfg.realNoise(),
                cfg.realBlur(), cfg.realScale(), cfg.contourWidth(), Math.max(1, cfg.steps() / 5));
        Path work = Path.of(a.get("work", "target/bench/table1"));
        PaperProtocol protocol = new PaperProtocol(set, cfg, work, out);
        List<PaperProtocol.Row> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String n : a.get("frames", "1,2,4,11").split(",")) {
            for (String m : a.get("modes", "adversarial,cross-entropy,classdisc").split(",")) {
                rows.add(protocol.train(Mode.parse(m.strip()), Integer.parseInt(n.strip())));
                out.print(PaperProtocol.markdown(rows));
            }
        }
        rows.add(protocol.classic());
        String table = PaperProtocol.markdown(rows) + String.format(Locale.ROOT,
                "%nMachine: %s. Total wall time %.0f min. Reproduce: `java -jar target/segment-cells.jar benchmark"
                        + " table1 --frames %s --modes %s --steps %d --seed %d`.%n",
                Machine.describe(), (System.nanoTime() - t0) / 60e9, a.get("frames", "1,2,4,11"),
                a.get("modes", "adversarial,cross-entropy,classdisc"), cfg.steps(), cfg.seed());
        out.print(table);
        Path doc = a.path("doc");
        if (doc != null) {
            PaperProtocol.replaceSection(doc, "table1", table);
            out.println("wrote the table into " + doc);
        }
    }

    private static void memory(Args a, Path dir, PrintStream out) throws Exception {
        List<Path> images = SegmentCommand.inputs(List.of(dir.toString()));
        int frames = a.integer("frames", 200);
        Path tmp = Files.createTempDirectory("segment-cells-bench");
        try (Model model = Model.load(ModelStore.resolve(a.require("model")))) {
            Segmenter seg = model.segmenter(Segmenter.DEFAULT_TILE);
            InstanceOptions opts = model.instanceOptions();
            long t0 = System.nanoTime();
            out.printf(Locale.ROOT, "%8s %10s %10s %8s%n", "frame", "rss_mb", "heap_mb", "s");
            for (int i = 1; i <= frames; i++) {
                Path in = images.get((i - 1) % images.size());
                FloatPlane img = ImageFiles.readPlane(in);
                LabelPlane labels = seg.segment(img, opts);
                ImageFiles.writeLabels(labels, tmp.resolve("f" + (i % 10) + ".tif"));
                if (i == 1 || i == 10 || i % 50 == 0 || i == frames) {
                    Runtime rt = Runtime.getRuntime();
                    out.printf(Locale.ROOT, "%8d %10.1f %10.1f %8.1f%n", i, Machine.rssMb(),
                            (rt.totalMemory() - rt.freeMemory()) / 1e6, (System.nanoTime() - t0) / 1e9);
                }
            }
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
    }
}
