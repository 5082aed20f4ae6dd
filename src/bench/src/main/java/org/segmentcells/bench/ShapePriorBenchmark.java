package org.segmentcells.bench;

import java.io.IOException;
import java.io.PrintStream;
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
 * {@link TrainConfig#SCRIBBLE_PSEUDO_LABELS}, the fine-tune check), scored on the set's test frames as
 * training left it ("trained") and as the user gets it after the check ("kept").
 */
final class ShapePriorBenchmark {

    private static final Mode[] MODES = {Mode.ADVERSARIAL, Mode.CROSS_ENTROPY};

    private record Key(String set, String annotation, int n, Mode mode) {
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
        List<Integer> ns = integers(a.get("frames", "1,2,4"));
        List<Integer> scribbleNs = integers(a.get("scribble-frames", a.get("frames", "1,2,4")));
        List<Integer> seeds = integers(a.get("seeds", "1,2,3"));
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
        Map<Key, List<NewMicroscopeProtocol.Trial>> trials = new LinkedHashMap<>();
        String table = "";
        // Seeds outermost: a run stopped early still has every cell for the seeds it finished.
        for (int seed : seeds) {
            for (Map.Entry<String, NewMicroscopeProtocol> e : protocols.entrySet()) {
                NewMicroscopeProtocol p = e.getValue().withSeed(seed);
                for (int n : ns) {
                    for (Mode m : MODES) {
                        trials.computeIfAbsent(new Key(e.getKey(), "labels", n, m), x -> new ArrayList<>())
                                .add(p.fullLabelsTrial(m, n));
                    }
                }
                for (int n : scribbleNs) {
                    for (Mode m : MODES) {
                        trials.computeIfAbsent(new Key(e.getKey(), "scribbles K=" + k, n, m), x -> new ArrayList<>())
                                .add(p.scribblesTrial(m, n, k, TrainConfig.SCRIBBLE_PSEUDO_LABELS, 0));
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

    private static String markdown(Map<String, PaperProtocol.Row> zeroShot,
            Map<Key, List<NewMicroscopeProtocol.Trial>> trials) {
        StringBuilder sb = new StringBuilder("| set | annotation | N | mode | F trained | F kept | ΔF trained, ADV − CE"
                + " | precision | recall | SEG | s per fine-tune |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, PaperProtocol.Row> z : zeroShot.entrySet()) {
            var s = z.getValue().scores();
            sb.append(String.format(Locale.ROOT, "| %s | none (zero-shot) | 0 | – | %.3f | – | – | %.3f | %.3f | %.3f | – |%n",
                    z.getKey(), s.f(), s.precision(), s.recall(), s.seg()));
        }
        for (Map.Entry<Key, List<NewMicroscopeProtocol.Trial>> e : trials.entrySet()) {
            Key key = e.getKey();
            List<NewMicroscopeProtocol.Trial> t = e.getValue();
            String delta = "–";
            if (key.mode() == Mode.ADVERSARIAL) {
                List<NewMicroscopeProtocol.Trial> ce = trials.get(new Key(key.set(), key.annotation(), key.n(),
                        Mode.CROSS_ENTROPY));
                if (ce != null) {
                    List<Double> d = new ArrayList<>();
                    for (int i = 0; i < Math.min(t.size(), ce.size()); i++) {
                        d.add(t.get(i).trained().scores().f() - ce.get(i).trained().scores().f());
                    }
                    delta = meanSd(d, x -> x, "%+.3f");
                }
            }
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    key.set(), key.annotation(), key.n(), PaperProtocol.label(key.mode()),
                    meanSd(t, x -> x.trained().scores().f(), "%.3f"), meanSd(t, x -> x.kept().scores().f(), "%.3f"),
                    delta, meanSd(t, x -> x.trained().scores().precision(), "%.3f"),
                    meanSd(t, x -> x.trained().scores().recall(), "%.3f"),
                    meanSd(t, x -> x.trained().scores().seg(), "%.3f"),
                    meanSd(t, x -> x.trained().trainSeconds(), "%.0f")));
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

    private static List<Integer> integers(String list) {
        List<Integer> r = new ArrayList<>();
        for (String x : list.split(",")) {
            if (!x.isBlank()) {
                try {
                    r.add(Integer.parseInt(x.strip()));
                } catch (NumberFormatException e) {
                    throw new Args.UsageException("expected whole numbers separated by commas, got " + list);
                }
            }
        }
        return r;
    }
}
