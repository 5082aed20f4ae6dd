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
import java.util.function.ToDoubleFunction;

import org.segmentcells.cli.Args;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.model.ModelStore;
import org.segmentcells.train.Mode;
import org.segmentcells.train.TrainConfig;

/**
 * Does the Rib Cage discriminator help a fine-tune where the paper says it should: few annotated frames
 * of a new microscope, full labels or scribbles? On each new-microscope set, for N annotated frames and
 * each annotation kind, adversarial (full labels: D keeps training; scribbles: D frozen, as a prior)
 * against cross-entropy with the same steps and seeds. Every fine-tune is the recipe users run
 * ({@link NewMicroscopeProtocol}: calibration, scribbles at the auto scale with pseudo-labels at
 * {@link TrainConfig#scribblePseudoLabels}, the fine-tune check), scored on the set's test frames as
 * training left it ("trained") and as the user gets it after the check ("kept").
 */
final class ShapePriorBenchmark {

    private static final Mode[] MODES = {Mode.ADVERSARIAL, Mode.CROSS_ENTROPY};

    /**
     * Scribble fine-tunes since their automatic scale is checked against the strokes (FineTuneStart.byStrokes)
     * and every 4th stroke is held out for the fine-tune check (HeldOutStrokes), with the pseudo-label weight:
     * rows of older recipes in a work folder are not reused.
     */
    private static final String SCRIBBLE_RECIPE = " scribble-scale=strokes held-out-strokes=4 pseudo-labels="
            + TrainConfig.SCRIBBLE_PSEUDO_LABELS + "/" + TrainConfig.SCRIBBLE_PSEUDO_LABELS_ADVERSARIAL;

    record Key(String set, String annotation, int n, Mode mode) {
    }

    /**
     * What the table needs of one fine-tune, one line of {@code trials.tsv} in the work folder. A run keeps
     * every finished fine-tune there and skips those already recorded for the same model, steps, learning
     * rate and scored frames, so a stopped run resumes and runs for different seeds or N (one per process)
     * add up to one table.
     */
    record Result(String set, String annotation, int n, Mode mode, long seed, String recipe, double fTrained,
            double fKept, double precision, double recall, double seg, double seconds) {

        static final String HEADER = "set\tannotation\tn\tmode\tseed\trecipe\tf_trained\tf_kept\tprecision"
                + "\trecall\tseg\tseconds";

        static Result of(Key key, long seed, String recipe, NewMicroscopeProtocol.Trial t) {
            var s = t.trained().scores();
            return new Result(key.set(), key.annotation(), key.n(), key.mode(), seed, recipe, s.f(),
                    t.kept().scores().f(), s.precision(), s.recall(), s.seg(), t.trained().trainSeconds());
        }

        Key key() {
            return new Key(set, annotation, n, mode);
        }

        String line() {
            return String.join("\t", set, annotation, Integer.toString(n), mode.id(), Long.toString(seed),
                    recipe, num(fTrained), num(fKept), num(precision), num(recall), num(seg), num(seconds));
        }

        static Result parse(String line) {
            String[] c = line.split("\t");
            if (c.length != 12) {
                throw new IllegalArgumentException("expected 12 tab-separated columns, got " + c.length + ": " + line);
            }
            return new Result(c[0], c[1], Integer.parseInt(c[2]), Mode.parse(c[3]), Long.parseLong(c[4]), c[5],
                    Double.parseDouble(c[6]), Double.parseDouble(c[7]), Double.parseDouble(c[8]),
                    Double.parseDouble(c[9]), Double.parseDouble(c[10]), Double.parseDouble(c[11]));
        }

        private static String num(double v) {
            return String.format(Locale.ROOT, "%.6f", v);
        }
    }

    /** The fine-tunes recorded so far in {@code file}, in file order; none when it does not exist. */
    static List<Result> readResults(Path file) throws IOException {
        List<Result> r = new ArrayList<>();
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 1; i < lines.size(); i++) {
                if (!lines.get(i).isBlank()) {
                    try {
                        r.add(Result.parse(lines.get(i)));
                    } catch (IllegalArgumentException e) {
                        throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return r;
    }

    /** Appends one result, writing the header first for a new file; the whole file is rewritten atomically. */
    static void record(Path file, Result result) throws IOException {
        List<String> lines = new ArrayList<>(Files.exists(file) ? Files.readAllLines(file) : List.of(Result.HEADER));
        lines.add(result.line());
        Files.createDirectories(file.toAbsolutePath().getParent());
        org.segmentcells.io.AtomicFiles.writeString(file, String.join("\n", lines) + "\n");
    }

    private ShapePriorBenchmark() {
    }

    /** Runs the protocol and returns the table (Markdown), printing the table so far after each seed. */
    static String run(Args a, String[] argv, PrintStream out) throws IOException {
        String init = a.get("model", "default");
        Path folder = ModelStore.resolve(init);
        ModelInfo info = org.segmentcells.model.ModelFolder.readInfo(folder);
        if (info.discriminator == null) {
            throw new Args.UsageException("model " + init + " has no discriminator to measure");
        }
        List<Integer> ns = a.integers("frames", "1,2,4");
        List<Integer> scribbleNs = a.integers("scribble-frames", a.get("frames", "1,2,4"));
        List<Integer> seeds = a.integers("seeds", "1,2,3");
        int k = a.integer("scribble-k", 10);
        Path work = Path.of(a.get("work", "target/bench/prior"));
        TrainConfig cfg = BenchmarkCommand.fineTuneConfig(a, folder);
        long t0 = System.nanoTime();
        Map<String, NewMicroscopeProtocol> protocols = new LinkedHashMap<>();
        Map<String, PaperProtocol.Row> zeroShot = new LinkedHashMap<>();
        for (String name : a.get("sets", "new-microscope,lab2").split(",")) {
            Path setWork = work.resolve(name.strip());
            Path set = BenchmarkCommand.microscopeSet(name.strip(), setWork, out);
            if (set != null) {
                NewMicroscopeProtocol p = new NewMicroscopeProtocol(set, init, folder, cfg, setWork, out);
                if (a.has("select")) {
                    // Choosing a recipe: scored on frames 3-4, trained on at most 2, the test frames unseen.
                    p = p.scoringSelectionFrames();
                }
                protocols.put(name.strip(), p);
                zeroShot.put(name.strip(), p.noFineTune(folder));
            }
        }
        if (protocols.isEmpty()) {
            return "";
        }
        Path file = work.resolve("trials.tsv");
        List<Result> done = readResults(file);
        String table = "";
        // Seeds outermost: a run stopped early still has every cell for the seeds it finished.
        for (int seed : seeds) {
            for (Map.Entry<String, NewMicroscopeProtocol> e : protocols.entrySet()) {
                NewMicroscopeProtocol p = e.getValue().withSeed(seed);
                String recipe = recipe(init, cfg, p, a);
                for (int n : ns) {
                    for (Mode m : MODES) {
                        Key key = new Key(e.getKey(), "labels", n, m);
                        if (find(done, key, seed, recipe) == null) {
                            done.add(Result.of(key, seed, recipe, p.fullLabelsTrial(m, n)));
                            record(file, done.get(done.size() - 1));
                        }
                    }
                }
                for (int n : scribbleNs) {
                    for (Mode m : MODES) {
                        Key key = new Key(e.getKey(), "scribbles K=" + k, n, m);
                        if (find(done, key, seed, recipeOf(key, recipe)) == null) {
                            done.add(Result.of(key, seed, recipeOf(key, recipe),
                                    p.scribblesTrial(m, n, k, TrainConfig.scribblePseudoLabels(m), 0)));
                            record(file, done.get(done.size() - 1));
                        }
                    }
                }
            }
            // The table covers the cells asked for, with every seed asked for that is recorded.
            Map<Key, List<Result>> trials = new LinkedHashMap<>();
            for (String set : protocols.keySet()) {
                String recipe = recipe(init, cfg, protocols.get(set), a);
                for (Key key : cells(set, ns, scribbleNs, k)) {
                    for (int s : seeds) {
                        Result r = find(done, key, s, recipeOf(key, recipe));
                        if (r != null) {
                            trials.computeIfAbsent(key, x -> new ArrayList<>()).add(r);
                        }
                    }
                }
            }
            table = markdown(zeroShot, trials) + String.format(Locale.ROOT,
                    "%nSeeds done: %d of %s. %d steps per fine-tune (lr %s). Machine: %s; load average at the end %s."
                            + " Total wall time %.0f min. Command: `java -jar src/bench/target/segment-cells-bench.jar"
                            + " benchmark %s`.%n",
                    seeds.indexOf(seed) + 1, seeds, cfg.steps(), cfg.learningRate(), Machine.describe(),
                    Machine.loadAverage(), (System.nanoTime() - t0) / 60e9, String.join(" ", argv));
            out.print(table);
            out.flush();
        }
        return table;
    }

    /** What must match for a recorded fine-tune to count: the start, the budget and the scored frames. */
    private static String recipe(String init, TrainConfig cfg, NewMicroscopeProtocol p, Args a) {
        return String.format(Locale.ROOT, "%s steps=%d lr=%s scored=%s", init, cfg.steps(), cfg.learningRate(),
                p.scoredFrames()) + (a.has("lr-d") ? " lr-d=" + cfg.learningRateD() : "")
                + (a.has("freeze-batch-norm") ? " freeze-batch-norm" : "")
                + (a.has("adv-weight") ? " adv-weight=" + cfg.advWeight() : "");
    }

    /** A cell's recipe: scribble rows also name the scale rule they were trained under. */
    private static String recipeOf(Key key, String recipe) {
        return key.annotation().equals("labels") ? recipe : recipe + SCRIBBLE_RECIPE;
    }

    private static List<Key> cells(String set, List<Integer> ns, List<Integer> scribbleNs, int k) {
        List<Key> keys = new ArrayList<>();
        for (int n : ns) {
            for (Mode m : MODES) {
                keys.add(new Key(set, "labels", n, m));
            }
        }
        for (int n : scribbleNs) {
            for (Mode m : MODES) {
                keys.add(new Key(set, "scribbles K=" + k, n, m));
            }
        }
        return keys;
    }

    private static Result find(List<Result> done, Key key, long seed, String recipe) {
        for (Result r : done) {
            if (r.key().equals(key) && r.seed() == seed && r.recipe().equals(recipe)) {
                return r;
            }
        }
        return null;
    }

    static String markdown(Map<String, PaperProtocol.Row> zeroShot, Map<Key, List<Result>> trials) {
        StringBuilder sb = new StringBuilder("| set | annotation | N | mode | F trained | F kept | ΔF trained, ADV − CE"
                + " | precision | recall | SEG | s per fine-tune |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, PaperProtocol.Row> z : zeroShot.entrySet()) {
            var s = z.getValue().scores();
            sb.append(String.format(Locale.ROOT, "| %s | none (zero-shot) | 0 | – | %.3f | – | – | %.3f | %.3f | %.3f | – |%n",
                    z.getKey(), s.f(), s.precision(), s.recall(), s.seg()));
        }
        for (Map.Entry<Key, List<Result>> e : trials.entrySet()) {
            Key key = e.getKey();
            List<Result> t = e.getValue();
            String delta = "–";
            if (key.mode() == Mode.ADVERSARIAL) {
                List<Result> ce = trials.get(new Key(key.set(), key.annotation(), key.n(),
                        Mode.CROSS_ENTROPY));
                if (ce != null) {
                    // Paired by seed: the same crops and the same start, only the mode differs.
                    List<Double> d = new ArrayList<>();
                    for (Result adv : t) {
                        for (Result c : ce) {
                            if (c.seed() == adv.seed()) {
                                d.add(adv.fTrained() - c.fTrained());
                            }
                        }
                    }
                    delta = meanSd(d, x -> x, "%+.3f");
                }
            }
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    key.set(), key.annotation(), key.n(), PaperProtocol.label(key.mode()),
                    meanSd(t, Result::fTrained, "%.3f"), meanSd(t, Result::fKept, "%.3f"),
                    delta, meanSd(t, Result::precision, "%.3f"), meanSd(t, Result::recall, "%.3f"),
                    meanSd(t, Result::seg, "%.3f"), meanSd(t, Result::seconds, "%.0f")));
        }
        return sb.toString();
    }

    /** Mean ± sample standard deviation over the seeds; the mean alone for one seed. */
    static <T> String meanSd(List<T> values, ToDoubleFunction<T> f, String format) {
        double[] v = values.stream().mapToDouble(f).toArray();
        double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        if (v.length < 2) {
            return String.format(Locale.ROOT, format, mean);
        }
        double ss = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        return String.format(Locale.ROOT, format + " ± " + format.replace("+", ""), mean, Math.sqrt(ss / (v.length - 1)));
    }
}
