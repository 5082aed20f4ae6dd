package org.segmentcells.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import java.util.ArrayList;

import org.segmentcells.cli.Args;
import org.segmentcells.cli.Main;
import org.segmentcells.cli.SegmentCommand;
import org.segmentcells.cli.TrainCommand;
import org.segmentcells.model.SegmentSettings;
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
import org.segmentcells.train.Trainer;
import org.segmentcells.train.TrainingData;

/** {@code benchmark}: measurements that print numbers (never asserted in tests). */
final class BenchmarkCommand implements Main.Command {

    @Override
    public String summary() {
        return "print measurements: Table 1 protocol, new microscope, generalist model, speed, memory";
    }

    @Override
    public String usage() {
        return """
                usage: benchmark table1 [--frames 1,2,4,11] [--modes adversarial,cross-entropy,classdisc]
                                        [--steps N] [--seed S] [--work DIR] [--doc docs/benchmarks.md]
                       benchmark speed --model NAME|DIR [--train-steps N] [IMAGE_DIR]
                       benchmark memory --model NAME|DIR [--frames N] IMAGE_DIR
                       benchmark pipeline --model NAME|DIR [IMAGE_DIR]
                       benchmark generalist [--steps N] [--mode M] [--estimator paper|unet] [--patch N] [--seed S]
                                            [--lr X] [--lr-d X] [--lr-drop-at N] [--ce-weight X] [--real-scale X]
                                            [--contour-width N] [--validate-every N]
                                            [--init MODEL] [--bbbc039-repeat K] [--small-object-weight W]
                                            [--zoom Z] [--gamma G] [--crops-by-area] [--blur S] [--noise N] [--object-diameter D | --object-range LOW,HIGH [--own-size] [--auto-sizes]]
                                            [--output DIR] [--resume] [--compare default,...] [--tta] [--doc docs/benchmarks.md]
                       benchmark prior [--model NAME|DIR] [--sets new-microscope,lab2] [--frames 1,2,4] [--seeds 1,2,3]
                                       [--scribble-k 10] [--scribble-frames 1,2,4 (as --frames)] [--steps N] [--lr X]
                                       [--select] [--work DIR] [--doc docs/benchmarks.md]
                       benchmark d-quality [--model NAME|DIR (default bbbc039-2frames)] [--count N] [--doc FILE]
                       benchmark sizes [--model NAME|DIR] [--scale auto|S|own] [--factors 0.5,1,2,3,4] [--count N]
                                       [--no-classic] [--doc docs/benchmarks.md]
                       benchmark estimator [--work DIR] [--doc docs/benchmarks.md]
                       benchmark diameter [--model M] [--work DIR] [--doc docs/benchmarks.md]
                       benchmark microscope [--model NAME|DIR] [--frames 1,2,4] [--modes adversarial,cross-entropy,classdisc]
                                            [--scribble-k 5,10,20] [--scribble-frames 2] [--steps N] [--seed S] [--lr X]
                                            [--scribble-pseudo W] [--scribble-d-steps N] [--select|--select-swapped]
                                            [--freeze-batch-norm] [--set new-microscope|lab1|lab2]
                                            [--work DIR] [--doc docs/benchmarks.md]

                table1: the paper's Table 1 protocol on BBBC039 (from $SEGMENT_CELLS_DATA or ../shared/data):
                for each N and mode, train on the first N frames of train.txt with the same steps and seed,
                select on the last 10 train.txt frames, score on all of val.txt; plus the classic ImageJ
                workflow. Prints a Markdown table and, with --doc, writes it into that file between the
                markers <!-- table1:start --> and <!-- table1:end -->. Skips when the data is absent.

                speed: E alone on 640x512 and 1024x1024 frames (megapixels/s, GFLOP/s against a TensorFlow
                matrix-multiply peak), end to end on IMAGE_DIR's images (default: the first 20 BBBC039
                val.txt frames if present), and training steps/s at batch 8, 16, 32.

                microscope: "a new microscope", the 13 512x640 frames of dsb2018_fluo/ids_512x640.tsv. The
                model (default: default) is fine-tuned on the first N frames (full labels) in each mode, and
                on simulated scribbles (K nuclei strokes per frame, plus background and border strokes) on
                the first --scribble-frames frames, with D frozen (adversarial) and without D
                (cross-entropy), for the --modes given; the unscribbled pixels are pseudo-labelled with the
                starting model's classes at weight --scribble-pseudo W (default: Fine-tune Model's for the mode; 0
                turns it off), and --scribble-d-steps N (with it)
                keeps training D on those maps instead of freezing it; steps default to Fine-tune Model's 500. Every row, and the model without
                fine-tuning and the classic workflow, is scored on the same last 9 frames. With --select, rows
                are scored on frames 3 and 4 instead (N at most 2), to choose settings without the test frames;
                --select-swapped trains from frame 3 on and scores frames 1 and 2 (the second fold). --doc writes the
                table between <!-- microscope:start --> and <!-- microscope:end -->. --set lab2 runs the same on a
                second new microscope like issue 19's stem-cell lab (MagnifiedSet: BBBC039 val.txt frames magnified 2.4x,
                cut to 512x640, dimmed, with read noise; trained on wells of rows A-B, scored on rows N-P), and
                --set lab1 on one like its lab 1 (the same wells magnified 4x, nuclei about 110 px, cut to
                1280x1024, 8-bit), written under --work; --doc then writes between <!-- lab2:start --> and
                <!-- lab2:end --> (or lab1).

                generalist: a nuclei model for every microscope, trained on BBBC039 train.txt plus
                dsb2018_fluo (split by rule, see GeneralistProtocol: the 13 new-microscope frames and DSB
                images of BBBC039 val.txt fields left out, every 5th other DSB image held out), selected at
                scale 1 on 10 BBBC039 and 23 DSB frames of every frame size, scored on BBBC039 val.txt and the held-out
                DSB images, next to the --compare models and the classic workflow. --steps 0 (default)
                only scores the model in --output; --resume continues from its checkpoint (with the learning
                rates of the step it continues at, so --lr-drop-at can be added to a run that left it out);
                --init MODEL starts from that model's weights (E; D too if it fits --mode) and keeps its
                estimator; with --lr 0 in an adversarial mode only D trains, against MODEL's fixed E (model.json
                keeps MODEL's training block and records the run as discriminatorTraining); --bbbc039-repeat K draws each BBBC039 frame K times as often as a DSB frame;
                --small-object-weight W weighs the cross-entropy of nuclei under 200 px (and of the contour width around them) W times;
                --object-diameter D resizes every training and selection frame so its labelled nuclei's median
                diameter is D px (what scale auto brings images to; 0, the default, keeps their size);
                --object-range LOW,HIGH learns each frame brought into that range and at both its ends, --own-size
                at its own size instead of brought in, --auto-sizes at its own size and at auto's size for it
                (with --own-size also at the range's centre and ends) and selects as auto shows the selection
                frames; --tta scores
                the models with E averaged over flips (segment --tta).

                estimator: how well auto scale's size estimate (no network) measures real nuclei at their own
                size: per set, the share of frames within 15% and 30% of their labels' median diameter and the
                median of measured / labelled; the training splits of `benchmark generalist` (where a change to
                the estimator is judged), then BBBC039 val.txt, the held-out DSB images, the new microscope's 13
                frames and the lab1 and lab2 sets (written to --work's lab1/set and lab2/set, by default where
                microscope --set writes them). --doc writes between <!-- estimator:start -->
                and <!-- estimator:end -->.

                diameter: what knowing the nuclei's size gives. The three new-microscope sets' test frames (the
                new microscope's frames 5-13, lab1's and lab2's, as microscope scores them) segmented by the
                model (default: default) with no options and with --diameter set to each frame's labels'
                median diameter; pooled F each. --doc writes between <!-- diameter:start --> and <!-- diameter:end -->.

                sizes: any magnification. BBBC039 val.txt and the held-out DSB images (GeneralistProtocol's
                split) resized by each factor (image bilinearly with anti-aliasing, labels by nearest
                neighbour), segmented by the model (default: default) with no options, or at --scale, next
                to the classic ImageJ workflow; F / SEG per factor, the measured nucleus size against the
                labels' (auto scale's estimator), seconds per frame with the model's choice and again at the
                scale it chose, given (each frame is run once untimed first, so both are timed warm). --scale own
                segments each frame at 1 / factor, its original size as if the magnification were known, to
                show what the resizing itself takes; its --doc section is
                <!-- sizes-own:start --> ... <!-- sizes-own:end -->. --count N
                uses N frames of each set, spread over it. --doc writes the table between <!-- sizes:start --> and <!-- sizes:end -->.

                prior: does the Rib Cage discriminator help where the paper says it should? On each --sets
                set (microscope's two new microscopes), the model (default: default; it must carry a D) is
                fine-tuned on the first N frames with full labels (adversarial: D keeps training) and with
                K-stroke scribbles (adversarial: D frozen as a prior; pseudo-labels as train --scribbles), in
                adversarial and cross-entropy mode, once per seed, as Fine-tune Model runs it; each fine-tune is
                scored on the set's test frames as trained and as kept by the fine-tune check. Prints F mean ± sd
                over seeds, the paired difference ADV − CE, and seconds per fine-tune; --doc writes the table
                between <!-- prior:start --> and <!-- prior:end -->. --select scores frames 3-4 instead (N at most
                2), as microscope --select does, for choosing a recipe without the test frames; --adv-weight W
                changes the adversarial term's weight (default the fine-tune's). Each finished
                fine-tune is kept in --work's trials.tsv (default target/bench/prior); a later run skips what
                is recorded there for the same model, steps, learning rates and scored frames, so a stopped run
                resumes, and a run given all the seeds and N prints the table of what earlier runs recorded
                (one process per --work folder).

                d-quality: does the model's discriminator D predict a segmentation's real F? Spearman's rho between
                D's mean score and F per frame, and per D-sized tile, on BBBC039 val.txt and the held-out DSB
                images, as given (model's settings) and at twice the magnification segmented at scale 1.
                --doc writes the table between <!-- d-quality:start --> and <!-- d-quality:end -->.

                pipeline: where segment's time goes (read, choose the scale, normalise, E, tiling, instances,
                faint filter, write) on 20 synthetic 640x512 frames, on IMAGE_DIR's images if given, and on one
                4096x4096 image, each next to E alone on the same pixels and to segment with each file's chosen
                scale given (what choosing costs); then frames per network call 1, 2, 4.

                memory: segments the folder's images over and over (writing label images to a temporary
                folder) until N frames (default 200) are done, printing resident memory (VmRSS) and Java
                heap as it goes, to show that long runs do not leak.
                """;
    }

    @Override
    public void run(String[] argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of("model", "frames", "modes", "steps", "seed", "work", "doc", "train-steps",
                "scribble-k", "set", "scribble-frames", "scribble-pseudo", "scribble-d-steps", "lr", "lr-d", "adv-weight", "lr-drop-at", "mode", "output",
                "bbbc039-repeat", "small-object-weight", "validate-every", "compare", "estimator", "patch", "ce-weight", "real-scale", "init", "contour-width", "zoom", "gamma", "blur", "noise", "object-diameter", "object-range",
                "factors", "count", "scale", "seeds", "sets"),
                Set.of("select", "select-swapped", "freeze-batch-norm", "resume", "crops-by-area", "tta", "no-classic", "own-size", "auto-sizes"));
        String what = a.positional().isEmpty() ? "" : a.positional().get(0);
        if (what.equals("memory") && a.positional().size() == 2) {
            memory(a, Path.of(a.positional().get(1)), out);
        } else if (what.equals("table1") && a.positional().size() == 1) {
            table1(a, out);
        } else if (what.equals("microscope") && a.positional().size() == 1) {
            microscope(a, out);
        } else if (what.equals("sizes") && a.positional().size() == 1) {
            sizes(a, argv, out);
        } else if (what.equals("estimator") && a.positional().size() == 1) {
            estimator(a, argv, out);
        } else if (what.equals("diameter") && a.positional().size() == 1) {
            diameter(a, argv, out);
        } else if (what.equals("prior") && a.positional().size() == 1) {
            String table = ShapePriorBenchmark.run(a, argv, out);
            if (!table.isEmpty()) {
                publish(a, "prior", table, out);
            }
        } else if (what.equals("d-quality") && a.positional().size() == 1) {
            dQuality(a, argv, out);
        } else if (what.equals("generalist") && a.positional().size() == 1) {
            generalist(a, argv, out);
        } else if (what.equals("pipeline") && a.positional().size() <= 2) {
            List<Path> images = a.positional().size() == 2 ? org.segmentcells.batch.FileSegmentation.inputs(List.of(a.positional().get(1)))
                    : List.of();
            try (Model model = Model.load(ModelStore.resolve(a.require("model")))) {
                new PipelineProfile(out).run(model, images);
            }
        } else if (what.equals("speed") && a.positional().size() <= 2) {
            List<Path> images = new ArrayList<>();
            if (a.positional().size() == 2) {
                images = org.segmentcells.batch.FileSegmentation.inputs(List.of(a.positional().get(1)));
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
            throw new Args.UsageException("expected: benchmark table1|microscope|prior|sizes|estimator|diameter|d-quality|generalist|speed|pipeline|memory ...");
        }
    }

    private static void estimator(Args a, String[] argv, PrintStream out) throws Exception {
        Path bbbc = findOrSay("bbbc039", out);
        Path dsb = bbbc == null ? null : findOrSay("dsb2018_fluo", out);
        if (dsb == null) {
            return;
        }
        GeneralistProtocol.Split s = new GeneralistProtocol(bbbc, dsb, new PrintStream(PrintStream.nullOutputStream())).split();
        EstimatorAccuracy accuracy = new EstimatorAccuracy(out);
        List<EstimatorAccuracy.Row> rows = new ArrayList<>();
        rows.add(accuracy.score("BBBC039 train", EstimatorAccuracy.TRAINING, s.train().subList(0, s.bbbcTrain())));
        rows.add(accuracy.score("DSB train", EstimatorAccuracy.TRAINING, s.train().subList(s.bbbcTrain(), s.train().size())));
        rows.add(accuracy.score("BBBC039 val", EstimatorAccuracy.SCORED, s.bbbcVal()));
        rows.add(accuracy.score("DSB held-out", EstimatorAccuracy.SCORED, s.dsbHeldOut()));
        rows.add(accuracy.score("new microscope", EstimatorAccuracy.SCORED, NewMicroscopeProtocol.frames(dsb)));
        for (MagnifiedSet lab : MagnifiedSet.ALL) {
            Path set = lab.write(bbbc, Path.of(a.get("work", "target/bench")).resolve(lab.name()).resolve("set"));
            rows.add(accuracy.score(lab.name(), EstimatorAccuracy.SCORED, NewMicroscopeProtocol.frames(set)));
        }
        publish(a, "estimator", EstimatorAccuracy.markdown(rows) + commandAndMachine(argv), out);
    }

    /** The three new-microscope sets' test frames, with no options and with the nuclei's size given. */
    private static void diameter(Args a, String[] argv, PrintStream out) throws Exception {
        Path bbbc = findOrSay("bbbc039", out);
        Path dsb = bbbc == null ? null : findOrSay("dsb2018_fluo", out);
        if (dsb == null) {
            return;
        }
        DiameterGiven given = new DiameterGiven(out);
        List<DiameterGiven.Row> rows = new ArrayList<>();
        try (Model model = Model.load(ModelStore.resolve(a.get("model", "default")))) {
            rows.add(given.score("new microscope", model, testFrames(dsb)));
            for (MagnifiedSet lab : MagnifiedSet.ALL) {
                Path set = lab.write(bbbc, Path.of(a.get("work", "target/bench")).resolve(lab.name()).resolve("set"));
                rows.add(given.score(lab.name(), model, testFrames(set)));
            }
        }
        publish(a, "diameter", DiameterGiven.markdown(rows) + commandAndMachine(argv), out);
    }

    /** A new-microscope set's test frames: those after the {@link NewMicroscopeProtocol#MAX_TRAIN} it trains on. */
    private static List<TrainingData.Pair> testFrames(Path set) throws java.io.IOException {
        List<TrainingData.Pair> all = NewMicroscopeProtocol.frames(set);
        return all.subList(NewMicroscopeProtocol.MAX_TRAIN, all.size());
    }

    private static void sizes(Args a, String[] argv, PrintStream out) throws Exception {
        Path bbbc = findOrSay("bbbc039", out);
        Path dsb = bbbc == null ? null : findOrSay("dsb2018_fluo", out);
        if (dsb == null) {
            return;
        }
        double[] factors = SizeSweep.FACTORS;
        if (a.has("factors")) {
            factors = a.numbers("factors", "");
        }
        boolean ownSize = SizeSweep.OWN_SIZE.equals(a.get("scale", ""));
        SegmentSettings settings = SegmentSettings.MODEL.withScale(a.has("scale") && !ownSize ? SegmentCommand.scale(a) : null);
        int count = a.integer("count", 0);
        boolean classic = !a.has("no-classic");
        SizeSweep sweep = new SizeSweep(out);
        List<SizeSweep.Cell> cells = new ArrayList<>();
        try (Model model = Model.load(ModelStore.resolve(a.get("model", "default")))) {
            Map<String, List<TrainingData.Pair>> sets = new LinkedHashMap<>();
            sets.put("BBBC039 val", SizeSweep.spread(SizeSweep.bbbc039Val(bbbc), count));
            sets.put("DSB held-out", SizeSweep.spread(SizeSweep.dsbHeldOut(bbbc, dsb), count));
            for (Map.Entry<String, List<TrainingData.Pair>> set : sets.entrySet()) {
                cells.addAll(ownSize
                        ? sweep.runAtOwnSize(set.getKey(), set.getValue(), model, settings, factors, classic)
                        : sweep.run(set.getKey(), set.getValue(), model, settings, factors, classic));
            }
        }
        String table = SizeSweep.markdown(cells, factors) + commandAndMachine(argv);
        // The own-size table has its own section, so it never overwrites auto's.
        publish(a, ownSize ? "sizes-own" : "sizes", table, out);
    }

    private static void dQuality(Args a, String[] argv, PrintStream out) throws Exception {
        Path bbbc = findOrSay("bbbc039", out);
        Path dsb = bbbc == null ? null : findOrSay("dsb2018_fluo", out);
        if (dsb == null) {
            return;
        }
        int count = a.integer("count", 0);
        // The only shipped model with a discriminator, until default has one.
        Path folder = ModelStore.resolve(a.get("model", "bbbc039-2frames"));
        List<DQuality.Row> rows = new ArrayList<>();
        try (Model model = Model.load(folder); org.segmentcells.quality.DiscriminatorScore d =
                org.segmentcells.quality.DiscriminatorScore.load(folder)) {
            DQuality q = new DQuality(out);
            rows.addAll(q.run("BBBC039 val", SizeSweep.spread(SizeSweep.bbbc039Val(bbbc), count), model, d));
            rows.addAll(q.run("DSB held-out", SizeSweep.spread(SizeSweep.dsbHeldOut(bbbc, dsb), count), model, d));
        }
        String table = DQuality.markdown(rows) + commandAndMachine(argv);
        publish(a, "d-quality", table, out);
    }

    /** The line under a table that says how to make it again and where it was made. */
    private static String commandAndMachine(String[] argv) {
        return String.format(Locale.ROOT, "%nCommand: `java -jar src/bench/target/segment-cells-bench.jar benchmark %s`."
                + " Machine: %s.%n", String.join(" ", argv), Machine.describe());
    }

    /** Prints a table and, with --doc FILE, writes it whole between FILE's {@code <!-- key:start/end -->} markers. */
    private static void publish(Args a, String key, String table, PrintStream out) throws java.io.IOException {
        out.print(table);
        Path doc = a.path("doc");
        if (doc != null) {
            PaperProtocol.replaceSection(doc, key, table);
            out.println("wrote the table into " + doc);
        }
    }

    private static void generalist(Args a, String[] argv, PrintStream out) throws Exception {
        int repeat = a.integer("bbbc039-repeat", 1);
        if (repeat < 1) {
            throw new Args.UsageException("--bbbc039-repeat must be at least 1, got " + repeat);
        }
        float smallWeight = a.number("small-object-weight", 1f);
        if (!(smallWeight >= 1)) {
            throw new Args.UsageException("--small-object-weight must be at least 1, got " + smallWeight);
        }
        if (!a.has("object-range") && (a.has("own-size") || a.has("auto-sizes"))) {
            throw new Args.UsageException("--own-size and --auto-sizes go with --object-range LOW,HIGH");
        }
        Path bbbc = findOrSay("bbbc039", out);
        Path dsb = bbbc == null ? null : findOrSay("dsb2018_fluo", out);
        if (dsb == null) {
            return;
        }
        GeneralistProtocol protocol;
        try {
            protocol = new GeneralistProtocol(bbbc, dsb, out);
            if (a.has("object-range")) {
                double[] r = a.numbers("object-range", "");
                if (r.length != 2) {
                    throw new IllegalArgumentException("two sizes in px, LOW,HIGH, got " + a.get("object-range", ""));
                }
                protocol = a.has("auto-sizes") ? protocol.atAutoSizes(r[0], r[1], a.has("own-size"))
                        : a.has("own-size") ? protocol.acrossSizesAndOwn(r[0], r[1]) : protocol.acrossSizes(r[0], r[1]);
            } else {
                protocol = protocol.sizedTo(a.number("object-diameter", 0f));
            }
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException((a.has("object-range") ? "--object-range: " : "--object-diameter: ")
                    + e.getMessage());
        }
        Path output = Path.of(a.get("output", "target/bench/generalist/model"));
        int steps = a.integer("steps", 0);
        if (steps > 0) {
            TrainConfig d = TrainConfig.defaults();
            TrainConfig cfg = d.toBuilder().mode(Mode.parse(a.get("mode", d.mode().id()))).steps(steps)
                    .patch(a.integer("patch", d.patch())).seed(a.longValue("seed", d.seed()))
                    .learningRate(a.number("lr", d.learningRate())).learningRateD(a.number("lr-d", d.learningRateD()))
                    .ceWeight(a.number("ce-weight", d.ceWeight())).contourWidth(a.integer("contour-width", d.contourWidth()))
                    .realScale(a.number("real-scale", d.realScale())).validateEvery(a.integer("validate-every", 1000)).estimator(TrainCommand.estimator(a))
                    .cropping(TrainCommand.cropping(a)).lrDropAt(TrainCommand.lrDropAt(a)).build();
            Trainer.Outcome o = protocol.train(cfg, GeneralistProtocol.Init.named(a.get("init", null), a.has("patch")), repeat,
                    smallWeight, output, a.has("resume"), "benchmark " + String.join(" ", argv));
            out.printf(Locale.ROOT, "trained %d steps (best at %d) in %.0f s: %s%n", o.stepsDone(), o.bestStep(),
                    o.seconds(), output);
        }
        List<PaperProtocol.Row> rows = new ArrayList<>();
        if (Files.isDirectory(output)) {
            rows.addAll(protocol.score(output.getFileName().toString(), output, a.has("tta")));
        }
        for (String c : a.get("compare", "default").split(",")) {
            if (!c.isBlank()) {
                rows.addAll(protocol.score(c.strip(), ModelStore.resolve(c.strip()), a.has("tta")));
            }
        }
        rows.addAll(protocol.classic());
        String table = PaperProtocol.markdown(rows) + String.format(Locale.ROOT, "%nMachine: %s.%n", Machine.describe());
        publish(a, "generalist", table, out);
    }

    /** A frame's name, short: DSB's hex ids to 8 characters, BBBC039's names to plate well and site. */
    static String shortId(String stem) {
        return stem.substring(0, Math.min(stem.length(), stem.startsWith("IXMtest_") ? 14 : 8));
    }

    /** A value as typed in a shell: "" for an empty one, which would otherwise vanish from the command. */
    static String shellWord(String value) {
        return value.isEmpty() ? "\"\"" : value;
    }

    /** The data set's folder, or null after saying why the benchmark is skipped. */
    private static Path findOrSay(String name, PrintStream out) {
        Path set = DataSets.find(name);
        if (set == null) {
            out.println("skipped: no " + name + " under " + DataSets.root().toAbsolutePath()
                    + " (set SEGMENT_CELLS_DATA or -Dsegmentcells.data)");
        }
        return set;
    }

    private static void table1(Args a, PrintStream out) throws Exception {
        Path set = findOrSay("bbbc039", out);
        if (set == null) {
            return;
        }
        int steps = a.integer("steps", 1000);
        TrainConfig cfg = TrainConfig.builder().steps(steps).seed(a.longValue("seed", 1))
                .validateEvery(Math.max(1, steps / 5)).build();
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
                "%nMachine: %s. Total wall time %.0f min. Reproduce: `java -jar src/bench/target/segment-cells-bench.jar benchmark"
                        + " table1 --frames %s --modes %s --steps %d --seed %d`.%n",
                Machine.describe(), (System.nanoTime() - t0) / 60e9, a.get("frames", "1,2,4,11"),
                a.get("modes", "adversarial,cross-entropy,classdisc"), cfg.steps(), cfg.seed());
        publish(a, "table1", table, out);
    }

    private static void microscope(Args a, PrintStream out) throws Exception {
        if (a.has("select") && a.has("select-swapped")) {
            throw new Args.UsageException("--select and --select-swapped are the two folds; give one");
        }
        String setName = a.get("set", NEW_MICROSCOPE);
        Path work = Path.of(a.get("work", "target/bench/" + microscopeTable(setName)));
        Path set = microscopeSet(setName, work, out);
        if (set == null) {
            return;
        }
        String init = a.get("model", "default");
        Path folder = ModelStore.resolve(init);
        TrainConfig cfg = fineTuneConfig(a, folder);
        NewMicroscopeProtocol protocol = new NewMicroscopeProtocol(set, init, folder, cfg, work, out);
        if (a.has("select")) {
            protocol = protocol.scoringSelectionFrames();
        } else if (a.has("select-swapped")) {
            protocol = protocol.scoringSelectionFramesSwapped();
        }
        List<PaperProtocol.Row> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        rows.add(protocol.noFineTune(folder));
        rows.add(protocol.classic());
        List<Integer> ns = a.integers("frames", "1,2,4");
        for (int n : ns) {
            rows.add(protocol.calibratedOnly(n));
        }
        out.print(PaperProtocol.markdown(rows));
        // ClassDisc last: it is the costliest and the least use to a user (its D starts from random).
        List<Mode> modes = new ArrayList<>();
        for (String m : a.get("modes", "adversarial,cross-entropy,classdisc").split(",")) {
            modes.add(Mode.parse(m.strip()));
        }
        for (Mode m : modes) {
            if (m != Mode.CLASSDISC) {
                for (int n : ns) {
                    rows.add(protocol.fullLabels(m, n));
                    out.print(PaperProtocol.markdown(rows));
                }
            }
        }
        int sn = a.integer("scribble-frames", 2);
        Float given = a.has("scribble-pseudo") ? a.number("scribble-pseudo", 0f) : null; // null: each mode's default
        for (String k : a.get("scribble-k", "5,10,20").split(",")) {
            if (k.isBlank()) {
                continue;
            }
            for (Mode m : new Mode[] {Mode.ADVERSARIAL, Mode.CROSS_ENTROPY}) {
                if (!modes.contains(m)) {
                    continue;
                }
                float pseudo = given != null ? given : TrainConfig.scribblePseudoLabels(m);
                rows.add(protocol.scribbles(m, sn, Integer.parseInt(k.strip()), pseudo, a.integer("scribble-d-steps", 0)));
                out.print(PaperProtocol.markdown(rows));
            }
        }
        if (modes.contains(Mode.CLASSDISC)) {
            for (int n : ns) {
                rows.add(protocol.fullLabels(Mode.CLASSDISC, n));
                out.print(PaperProtocol.markdown(rows));
            }
        }
        String table = PaperProtocol.markdown(rows) + String.format(Locale.ROOT,
                "%nScored on the %d frames %s..%s of " + (setName.equals(NEW_MICROSCOPE) ? "ids_512x640.tsv" : "the " + setName + " set")
                        + ". Machine: %s; load average at"
                        + " the end %s. Total wall time %.0f min. Reproduce: `java -jar src/bench/target/segment-cells-bench.jar"
                        + " benchmark microscope" + (setName.equals(NEW_MICROSCOPE) ? "" : " --set " + setName) + (a.has("select") ? " --select" : a.has("select-swapped") ? " --select-swapped" : "")
                        + (a.has("freeze-batch-norm") ? " --freeze-batch-norm" : "") + " --model %s --frames %s --modes %s --scribble-k %s --scribble-frames %d"
                        + (given != null ? " --scribble-pseudo " + given : "")
                        + (a.has("scribble-d-steps") ? " --scribble-d-steps " + a.get("scribble-d-steps", "") : "")
                        + " --steps %d --seed %d --lr %s`.%n",
                protocol.testIds().size(), shortId(protocol.testIds().get(0)),
                shortId(protocol.testIds().get(protocol.testIds().size() - 1)), Machine.describe(),
                Machine.loadAverage(), (System.nanoTime() - t0) / 60e9, init, shellWord(a.get("frames", "1,2,4")),
                shellWord(a.get("modes", "adversarial,cross-entropy,classdisc")), shellWord(a.get("scribble-k", "5,10,20")), sn, cfg.steps(),
                cfg.seed(), cfg.learningRate());
        publish(a, microscopeTable(setName), table, out);
    }

    /**
     * A new-microscope set by name: the DSB 512x640 frames, or a {@link MagnifiedSet} written under {@code work};
     * null (and said) when the data is absent.
     */
    static Path microscopeSet(String name, Path work, PrintStream out) throws java.io.IOException {
        MagnifiedSet magnified = MagnifiedSet.named(name);
        if (!name.equals(NEW_MICROSCOPE) && magnified == null) {
            throw new Args.UsageException("--set must be " + NEW_MICROSCOPE + ", lab1 or lab2, got " + name);
        }
        Path set = findOrSay(magnified != null ? "bbbc039" : "dsb2018_fluo", out);
        return set == null || magnified == null ? set : magnified.write(set, work.resolve("set"));
    }

    /** The set of {@code benchmark microscope} without --set: the DSB 512x640 frames. */
    static final String NEW_MICROSCOPE = "new-microscope";

    /** Where a microscope set's runs go without --work, and its table's name in --doc. */
    static String microscopeTable(String setName) {
        return setName.equals(NEW_MICROSCOPE) ? "microscope" : setName;
    }

    /** Fine-Tune Model's settings for the starting model, with --steps, --seed, --lr, --lr-d and the BN flag. */
    static TrainConfig fineTuneConfig(Args a, Path startFolder) throws java.io.IOException {
        TrainConfig d = TrainConfig.fineTuneDefaults(org.segmentcells.nets.Architecture.ofId(
                org.segmentcells.model.ModelFolder.readInfo(startFolder).architecture));
        return d.toBuilder().steps(a.integer("steps", d.steps())).seed(a.longValue("seed", d.seed()))
                .learningRate(a.number("lr", d.learningRate())).learningRateD(a.number("lr-d", d.learningRateD()))
                .advWeight(a.number("adv-weight", d.advWeight()))
                .validateEvery(0).freezeBatchNorm(a.has("freeze-batch-norm")).build();
    }

    private static void memory(Args a, Path dir, PrintStream out) throws Exception {
        List<Path> images = org.segmentcells.batch.FileSegmentation.inputs(List.of(dir.toString()));
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
