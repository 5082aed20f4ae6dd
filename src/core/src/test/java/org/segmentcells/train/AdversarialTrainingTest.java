package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.annotate.Targets;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.nets.Discriminator;
import org.segmentcells.nets.Estimator;
import org.segmentcells.nets.Weights;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;
import org.segmentcells.segment.Segmenter;

class AdversarialTrainingTest {

    static final Path IMAGES = Path.of("test-images/images");
    static final Path LABELS = Path.of("test-images/labels");

    static TrainConfig small(Mode mode, int steps) {
        return TrainConfig.builder().mode(mode).steps(steps).batch(4).seed(42).validateEvery(0).build();
    }

    static List<TrainingFrame> frames(String... stems) throws Exception {
        List<TrainingFrame> out = new ArrayList<>();
        for (String s : stems) {
            FloatPlane img = ImageFiles.readPlane(IMAGES.resolve(s + ".tif"));
            LabelPlane lab = ImageFiles.readLabels(LABELS.resolve(s + ".tif"));
            out.add(TrainingFrame.full(s, Normalization.DEFAULT.apply(img), Targets.fromLabels(lab, 2)));
        }
        return out;
    }

    static double maxAbsDiff(Weights a, Weights b) {
        return maxAbsDiff(a, b, name -> true);
    }

    static double maxAbsDiff(Weights a, Weights b, java.util.function.Predicate<String> names) {
        double d = 0;
        for (var e : a.entries().entrySet()) {
            if (!names.test(e.getKey())) {
                continue;
            }
            float[] x = e.getValue().values();
            float[] y = b.get(e.getKey()).values();
            for (int i = 0; i < x.length; i++) {
                d = Math.max(d, Math.abs(x[i] - y[i]));
            }
        }
        return d;
    }

    @Test
    void adversarialStepsMoveLossesAndWeightsAndTheSavedModelReproducesOutput(@TempDir Path tmp) throws Exception {
        List<TrainingFrame> train = frames("synth-00");
        FloatPlane probe = ImageFiles.readPlane(IMAGES.resolve("synth-01.tif"));
        try (TrainingGraph g = new TrainingGraph(small(Mode.ADVERSARIAL, 40))) {
            PatchSampler sampler = new PatchSampler(train, 4, 64, 0.2f, 0f, 1);
            Batch fixed = sampler.next();
            Weights e0 = g.params().read(g.session(), Estimator.PREFIX);
            Weights d0 = g.params().read(g.session(), Discriminator.PREFIX);
            TrainingGraph.StepLosses before = g.evaluate(fixed);
            float firstD = g.trainD(sampler.next()).d();
            TrainingGraph.StepLosses last = null;
            float lastD = 0;
            for (int i = 0; i < 40; i++) {
                lastD = g.trainD(sampler.next()).d();
                last = g.trainE(sampler.next());
            }
            TrainingGraph.StepLosses after = g.evaluate(fixed);
            // E's pixel loss on a fixed batch falls, and D learns to separate manual from estimated.
            assertTrue(after.ce() < before.ce() * 0.9, before.ce() + " -> " + after.ce());
            assertTrue(lastD < firstD, firstD + " -> " + lastD);
            assertTrue(Float.isFinite(last.adv()) && last.adv() > 0);
            Weights e1 = g.params().read(g.session(), Estimator.PREFIX);
            Weights d1 = g.params().read(g.session(), Discriminator.PREFIX);
            assertTrue(maxAbsDiff(e0, e1) > 1e-3, "E did not change");
            assertTrue(maxAbsDiff(d0, d1) > 1e-3, "D did not change");
            // Batch-norm running averages moved too (they are assigned with each step).
            assertNotEquals(e0.get("E_conv1_bn_mean").values()[0], e1.get("E_conv1_bn_mean").values()[0]);

            Segmenter.Probabilities inGraph = new Segmenter(g.inference(), Normalization.DEFAULT, 512).probabilities(probe);
            Path folder = tmp.resolve("m");
            ModelInfo info = new ModelInfo();
            info.architecture = Estimator.ARCHITECTURE;
            ModelFolder.save(folder, info, e1, d1);
            try (Model m = Model.load(folder)) {
                Segmenter.Probabilities reloaded = m.segmenter(512).probabilities(probe);
                assertArrayEquals(inGraph.nucleus().data(), reloaded.nucleus().data(), 1e-6f);
                assertArrayEquals(inGraph.contour().data(), reloaded.contour().data(), 1e-6f);
                // The weights read back from the SavedModel are the ones saved.
                assertEquals(0.0, maxAbsDiff(e1, m.estimatorWeights()));
            }
            assertEquals(0.0, maxAbsDiff(d1, ModelFolder.readDiscriminator(folder)));
        }
    }

    @Test
    void trainerValidatesKeepsBestResumesAndIsRepeatable(@TempDir Path tmp) throws Exception {
        List<TrainingFrame> train = frames("synth-00", "synth-02");
        List<Trainer.ValidationFrame> val = List.of(new Trainer.ValidationFrame("synth-01",
                ImageFiles.readPlane(IMAGES.resolve("synth-01.tif")), ImageFiles.readLabels(LABELS.resolve("synth-01.tif"))));
        TrainConfig cfg = TrainConfig.builder().steps(20).batch(4).seed(7).validateEvery(10).build();
        Trainer trainer = new Trainer(cfg, Normalization.DEFAULT, InstanceOptions.DEFAULT, true);
        List<Integer> validated = new ArrayList<>();
        Trainer.Listener l = new Trainer.Listener() {
            @Override
            public void validated(int step, java.util.Map<String, Double> scores, boolean best) {
                validated.add(step);
                assertTrue(scores.containsKey("f") && scores.containsKey("seg"));
            }
        };
        Path out = tmp.resolve("model");
        Trainer.Outcome o = trainer.train(train, val, null, null, new ModelInfo(), out, false, l);
        assertEquals(List.of(10, 20), validated);
        assertEquals(20, o.stepsDone());
        ModelInfo info = ModelFolder.readInfo(out);
        assertEquals("adversarial", info.training.mode);
        assertEquals(o.bestStep(), info.training.bestStep);
        assertEquals(o.bestScores().get("f"), info.validation.get("f"));
        // Calibrated instance settings come from the grid and are stored with the model.
        assertEquals(o.bestScores().get("seed_threshold"), info.seedThreshold);
        assertEquals(o.bestScores().get("min_size").intValue(), info.minSize);
        assertTrue(Files.isRegularFile(out.resolve("discriminator/weights.bin")));
        assertTrue(Files.isRegularFile(Trainer.checkpointFolder(out).resolve("state.json")));

        // Same seed, same data: the same model.
        Path again = tmp.resolve("again");
        trainer.train(train, val, null, null, new ModelInfo(), again, false, new Trainer.Listener() { });
        try (Model a = Model.load(out); Model b = Model.load(again)) {
            assertEquals(0.0, maxAbsDiff(a.estimatorWeights(), b.estimatorWeights()));
        }

        // Resume to 30 steps: starts at step 20, validates once more.
        validated.clear();
        Trainer longer = new Trainer(cfg.withSteps(30), Normalization.DEFAULT, InstanceOptions.DEFAULT, true);
        Trainer.Outcome r = longer.train(train, val, null, null, new ModelInfo(), out, true, l);
        assertEquals(List.of(30), validated);
        assertEquals(30, r.stepsDone());

        // A run stopped between the checkpoint's two moves left it aside as .NAME.old: resume takes it back.
        Path checkpoint = Trainer.checkpointFolder(out);
        Path aside = checkpoint.getParent().resolve("." + checkpoint.getFileName() + ".old");
        Files.move(checkpoint, aside);
        validated.clear();
        Trainer.Outcome again30 = new Trainer(cfg.withSteps(30), Normalization.DEFAULT, InstanceOptions.DEFAULT, true)
                .train(train, val, null, null, new ModelInfo(), out, true, l);
        assertEquals(List.of(), validated, "resumed at step 30: nothing left to train");
        assertEquals(30, again30.stepsDone());
        assertTrue(Files.isDirectory(checkpoint) && !Files.exists(aside));

        // Another run's settings refuse its checkpoint, naming what differs, before any step.
        String before = Files.readString(out.resolve(ModelFolder.INFO));
        Trainer otherSeed = new Trainer(cfg.toBuilder().steps(40).seed(8).build(), Normalization.DEFAULT,
                InstanceOptions.DEFAULT, true);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> otherSeed.train(train, val, null, null, new ModelInfo(), out, true, new Trainer.Listener() { }));
        assertTrue(e.getMessage().contains("is of another run: seed 7 (now 8)"), e.getMessage());
        assertEquals(before, Files.readString(out.resolve(ModelFolder.INFO)), "the model is untouched");
        // So does another training scale: the frames would be resized otherwise than the weights learned them.
        Trainer otherScale = new Trainer(cfg.withSteps(40), Normalization.DEFAULT, InstanceOptions.DEFAULT, 0.5, true);
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> otherScale.train(train, val, null, null, new ModelInfo(), out, true, new Trainer.Listener() { }));
        assertTrue(e.getMessage().contains("is of another run: scale 1.000 (now 0.500)"), e.getMessage());
        assertEquals(before, Files.readString(out.resolve(ModelFolder.INFO)), "the model is untouched");
    }

    /** Largest change of a trained kernel ({@code _w}); batch-norm averages move whatever the learning rate. */
    static double maxKernelChange(Weights a, Weights b) {
        return maxAbsDiff(a, b, name -> name.endsWith("_w"));
    }

    @Test
    void learningRatesDropTenfoldAfterTheGivenStepAlsoWhenResumed(@TempDir Path tmp) throws Exception {
        List<TrainingFrame> train = frames("synth-00");
        TrainConfig constant = small(Mode.CROSS_ENTROPY, 6);
        TrainConfig dropping = constant.withLrDropAt(3);
        List<String> log = new ArrayList<>();
        Trainer.Listener l = new Trainer.Listener() {
            @Override
            public void log(String line) {
                log.add(line);
            }
        };
        // Training is repeatable, so the first 3 steps of every run below are these.
        Path three = tmp.resolve("three");
        new Trainer(constant.withSteps(3), Normalization.DEFAULT, InstanceOptions.DEFAULT, false)
                .train(train, List.of(), null, null, new ModelInfo(), three, false, l);
        Path threeStart = tmp.resolve("three-start"); // "three" itself is resumed below
        new Trainer(constant.withSteps(3), Normalization.DEFAULT, InstanceOptions.DEFAULT, false)
                .train(train, List.of(), null, null, new ModelInfo(), threeStart, false, l);
        Path a = tmp.resolve("constant");
        new Trainer(constant, Normalization.DEFAULT, InstanceOptions.DEFAULT, false)
                .train(train, List.of(), null, null, new ModelInfo(), a, false, l);
        assertTrue(log.stream().noneMatch(s -> s.contains("dropped")), String.join("\n", log));
        Path b = tmp.resolve("dropping");
        new Trainer(dropping, Normalization.DEFAULT, InstanceOptions.DEFAULT, false)
                .train(train, List.of(), null, null, new ModelInfo(), b, false, l);
        assertTrue(log.contains("after step 3: learning rates dropped to 1.0E-4 (E) and 1.0E-5 (D)"), String.join("\n", log));
        assertTrue(log.stream().anyMatch(s -> s.endsWith("learning rates dropped tenfold after step 3, E's batch norm trained")),
                String.join("\n", log));
        assertEquals(3, ModelFolder.readInfo(b).training.lrDropAt);
        assertEquals(0, ModelFolder.readInfo(a).training.lrDropAt);
        // A run that left the drop out, resumed with it: the graph is built with the dropped rates.
        log.clear();
        new Trainer(dropping, Normalization.DEFAULT, InstanceOptions.DEFAULT, false)
                .train(train, List.of(), null, null, new ModelInfo(), three, true, l);
        assertTrue(log.stream().anyMatch(s -> s.startsWith("resumed from") && s.contains("at step 3")
                && s.contains("learning rates dropped to 1.0E-4 (E)")), String.join("\n", log));
        try (Model m3 = Model.load(threeStart); Model ma = Model.load(a); Model mb = Model.load(b);
                Model mr = Model.load(three)) {
            double full = maxKernelChange(m3.estimatorWeights(), ma.estimatorWeights());
            double dropped = maxKernelChange(m3.estimatorWeights(), mb.estimatorWeights());
            double resumed = maxKernelChange(m3.estimatorWeights(), mr.estimatorWeights());
            // Adam's steps scale with the learning rate: a tenth of the rate moves the kernels about a tenth as far.
            assertTrue(full > 0 && dropped < 0.3 * full, "steps 4-6 moved kernels by " + dropped + " against " + full);
            assertTrue(resumed < 0.3 * full, "resumed steps 4-6 moved kernels by " + resumed + " against " + full);
        }
    }

    /**
     * A run stopped after a checkpoint and resumed ends with the model the uninterrupted run gives: the crops
     * after the checkpoint are those it would have drawn (they were drawn anew, and resumed runs differed).
     */
    @Test
    void aResumedRunEndsWhereTheUninterruptedOneDoes(@TempDir Path tmp) throws Exception {
        List<TrainingFrame> train = frames("synth-00");
        for (Mode mode : new Mode[] {Mode.CROSS_ENTROPY, Mode.ADVERSARIAL}) {
            TrainConfig six = small(mode, 6);
            Path whole = tmp.resolve(mode.id() + "-whole");
            new Trainer(six, Normalization.DEFAULT, InstanceOptions.DEFAULT, false)
                    .train(train, List.of(), null, null, new ModelInfo(), whole, false, new Trainer.Listener() { });
            Path stopped = tmp.resolve(mode.id() + "-stopped");
            new Trainer(six.withSteps(3), Normalization.DEFAULT, InstanceOptions.DEFAULT, false)
                    .train(train, List.of(), null, null, new ModelInfo(), stopped, false, new Trainer.Listener() { });
            new Trainer(six, Normalization.DEFAULT, InstanceOptions.DEFAULT, false)
                    .train(train, List.of(), null, null, new ModelInfo(), stopped, true, new Trainer.Listener() { });
            try (Model three = Model.load(tmp.resolve(mode.id() + "-stopped")); Model w = Model.load(whole)) {
                Path threeOnly = tmp.resolve(mode.id() + "-three");
                new Trainer(six.withSteps(3), Normalization.DEFAULT, InstanceOptions.DEFAULT, false)
                        .train(train, List.of(), null, null, new ModelInfo(), threeOnly, false, new Trainer.Listener() { });
                try (Model t = Model.load(threeOnly)) {
                    double moved = maxKernelChange(t.estimatorWeights(), w.estimatorWeights());
                    double apart = maxKernelChange(three.estimatorWeights(), w.estimatorWeights());
                    assertTrue(moved > 0, mode + ": steps 4-6 moved nothing");
                    assertTrue(apart < 1e-3 * moved, mode + ": resumed and uninterrupted differ by " + apart
                            + ", steps 4-6 moved kernels by " + moved);
                }
            }
        }
    }

    @Test
    void crossEntropyAndClassDiscModesTrain(@TempDir Path tmp) throws Exception {
        List<TrainingFrame> train = frames("synth-00");
        for (Mode m : new Mode[] {Mode.CROSS_ENTROPY, Mode.CLASSDISC}) {
            Path out = tmp.resolve(m.id());
            new Trainer(small(m, 5), Normalization.DEFAULT, InstanceOptions.DEFAULT, false)
                    .train(train, List.of(), null, null, new ModelInfo(), out, false, new Trainer.Listener() { });
            ModelInfo info = ModelFolder.readInfo(out);
            assertEquals(m.id(), info.training.mode);
            assertEquals(m == Mode.CLASSDISC, Files.exists(out.resolve("discriminator/weights.bin")));
            try (Model model = Model.load(out)) {
                assertEquals(25, model.estimatorWeights().size());
            }
        }
    }

    /**
     * A run that scores nothing before its end (a fine-tune calibrated on its own frames) still checkpoints
     * every {@link Trainer#CHECKPOINT_EVERY} steps: stopped after that (a kill, a crash), it leaves no model,
     * only the checkpoint, and --resume continues from it.
     */
    @Test
    void aRunScoredOnlyAtTheEndCheckpointsForResume(@TempDir Path tmp) throws Exception {
        List<TrainingFrame> train = frames("synth-00");
        int steps = Trainer.CHECKPOINT_EVERY + 2;
        Trainer t = new Trainer(small(Mode.CROSS_ENTROPY, steps).toBuilder().batch(1).patch(32).build(),
                Normalization.DEFAULT, InstanceOptions.DEFAULT, false);
        Path out = tmp.resolve("model");
        assertThrows(IllegalStateException.class, () -> t.train(train, List.of(), null, null, new ModelInfo(), out, false,
                new Trainer.Listener() {
                    @Override
                    public void step(int step, int total, TrainingGraph.StepLosses e, TrainingGraph.StepLosses d) {
                        if (step == Trainer.CHECKPOINT_EVERY + 1) {
                            throw new IllegalStateException("killed");
                        }
                    }
                }));
        assertFalse(Files.exists(out), "no model before the end");
        assertTrue(Files.readString(Trainer.checkpointFolder(out).resolve("state.json"))
                .contains("\"step\": " + Trainer.CHECKPOINT_EVERY), "checkpointed at the interval");
        List<Integer> done = new ArrayList<>();
        List<String> log = new ArrayList<>();
        Trainer.Outcome o = t.train(train, List.of(), null, null, new ModelInfo(), out, true, new Trainer.Listener() {
            @Override
            public void step(int step, int total, TrainingGraph.StepLosses e, TrainingGraph.StepLosses d) {
                done.add(step);
            }

            @Override
            public void log(String line) {
                log.add(line);
            }
        });
        assertTrue(log.contains("resumed from " + Trainer.checkpointFolder(out) + " at step " + Trainer.CHECKPOINT_EVERY),
                "nothing scored yet, so no best F: " + log);
        assertEquals(List.of(Trainer.CHECKPOINT_EVERY + 1, steps), done, "resumed after the checkpoint");
        assertEquals(steps, o.stepsDone());
        assertEquals(steps, ModelFolder.readInfo(out).training.steps);
    }

    @Test
    void learningRateZeroTrainsTheDiscriminatorAloneAgainstAFixedEstimator(@TempDir Path tmp) throws Exception {
        List<TrainingFrame> train = frames("synth-00");
        Path start = tmp.resolve("start");
        new Trainer(small(Mode.CROSS_ENTROPY, 3), Normalization.DEFAULT, InstanceOptions.DEFAULT, false)
                .train(train, List.of(), null, null, new ModelInfo(), start, false, new Trainer.Listener() { });
        Weights e0;
        try (Model m = Model.load(start)) {
            e0 = m.estimatorWeights();
        }
        // Batch norm frozen as fittedTo does for a U-Net: otherwise its running averages would still move.
        TrainConfig dAlone = small(Mode.ADVERSARIAL, 8).toBuilder().learningRate(0).freezeBatchNorm(true).build();
        int[] eSteps = {0};
        Path out = tmp.resolve("with-d");
        new Trainer(dAlone, Normalization.DEFAULT, InstanceOptions.DEFAULT, false).train(train, List.of(), e0, null,
                new ModelInfo(), out, false, new Trainer.Listener() {
                    @Override
                    public void step(int step, int of, TrainingGraph.StepLosses e, TrainingGraph.StepLosses d) {
                        eSteps[0] += e == d ? 0 : 1;
                    }
                });
        try (Model m = Model.load(out)) {
            assertEquals(0.0, maxAbsDiff(e0, m.estimatorWeights()), "E changed");
        }
        Weights d = ModelFolder.readDiscriminator(out);
        assertEquals(0, eSteps[0], "E was updated");
        try (TrainingGraph fresh = new TrainingGraph(dAlone)) {
            assertTrue(maxAbsDiff(fresh.params().read(fresh.session(), Discriminator.PREFIX), d) > 1e-4, "D did not train");
        }
    }
}
