package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.annotate.ScribbleSimulator;
import org.segmentcells.annotate.Scribbles;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.model.ModelStore;
import org.segmentcells.nets.Estimator;
import org.segmentcells.nets.Weights;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;

class FineTuneTest {

    static TrainingFrame scribbleFrame(String stem) throws Exception {
        return scribbleFrame(stem, 20);
    }

    /** {@code stem} scribbled in {@code k} nuclei (under 4, no stroke is held out for the check). */
    static TrainingFrame scribbleFrame(String stem, int k) throws Exception {
        FloatPlane img = ImageFiles.readPlane(AdversarialTrainingTest.IMAGES.resolve(stem + ".tif"));
        LabelPlane gt = ImageFiles.readLabels(AdversarialTrainingTest.LABELS.resolve(stem + ".tif"));
        Scribbles.Target t = Scribbles.toTarget(ScribbleSimulator.simulate(gt, k, 1));
        return new TrainingFrame(stem, Normalization.DEFAULT.apply(img), t.classes(), t.weight());
    }

    /** A fine-tune from default on synth-00's scribbles, {@code config} changing the fine-tune defaults. */
    private record ScribbleRun(FineTune fineTune, TrainingFrame frame, FloatPlane image) {
        static ScribbleRun of(int k, java.util.function.UnaryOperator<TrainConfig.Builder> config) throws Exception {
            TrainingFrame frame = scribbleFrame("synth-00", k);
            FloatPlane img = ImageFiles.readPlane(AdversarialTrainingTest.IMAGES.resolve("synth-00.tif"));
            Path init = ModelStore.resolve("default");
            Model.Start start = Model.readStart(init);
            TrainConfig cfg = config.apply(TrainConfig.fineTuneDefaults(start.architecture()).toBuilder().batch(2)
                    .validateEvery(0)).build().fittedTo(start.info());
            return new ScribbleRun(FineTune.from("default", init, start).frames(new FineTune.Frames(List.of("synth-00"),
                    List.of(), () -> List.of(img), s -> List.of(frame.scaled(s, Normalization.DEFAULT)), true))
                    .config(cfg), frame, img);
        }
    }

    /**
     * A learning rate far too high makes the loss NaN by the second step. With nothing held out to check it
     * on (3 scribbled nuclei), the run stops with an error that names the setting and what was written, not a
     * NaN model that would segment nothing, and the checkpoint goes. With strokes held out, the check judges
     * it and the start comes back.
     */
    @Test
    void aDivergedRunStopsAndSaysWhatWasWritten(@TempDir Path tmp) throws Exception {
        // Validated (so saved and checkpointed) at every step: the checkpoint exists when it diverges.
        FineTune run = ScribbleRun.of(3, b -> b.steps(20).learningRate(1e12f).validateEvery(1)).fineTune();
        Path out = tmp.resolve("out");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run.pseudoLabels(0).calibrate(false)
                .notes(l -> { }).run(out, new Trainer.Listener() { }));
        assertEquals("training diverged at step 2 (the loss is not a number); " + out + " holds the model saved at"
                + " step 1, unchecked; a smaller \u2039lr\u203a may help", e.getMessage());
        assertTrue(java.nio.file.Files.isRegularFile(out.resolve(ModelFolder.INFO)), "step 1's model, as said");
        assertFalse(java.nio.file.Files.exists(Trainer.checkpointFolder(out)), "no checkpoint left behind");

        Path checked = tmp.resolve("checked");
        List<String> log = new java.util.ArrayList<>();
        ScribbleRun.of(20, b -> b.steps(20).learningRate(1e12f)).fineTune().pseudoLabels(0).calibrate(false)
                .notes(log::add).run(checked, new Trainer.Listener() { });
        assertEquals(ModelInfo.Check.START, ModelFolder.readInfo(checked).fineTuneCheck.kept, log.toString());

        // Stopped (Esc) after it diverged, the check does not run: the error, not a NaN model with a note.
        Path stopped = tmp.resolve("stopped");
        IllegalStateException unjudged = assertThrows(IllegalStateException.class, () -> ScribbleRun.of(20,
                b -> b.steps(20).learningRate(1e12f)).fineTune().pseudoLabels(0).calibrate(false).notes(l -> { })
                .run(stopped, cancelAfter(6)));
        assertTrue(unjudged.getMessage().startsWith("training diverged at step ") && unjudged.getMessage().contains(
                ", and no check judged the result; " + stopped + " holds its last weights"), unjudged.getMessage());
    }

    /**
     * A scribble fine-tune with pseudo-labels: the unscribbled pixels take the start's classes at the
     * pseudo-label weight, but the strokes held out for the check take nothing, so nothing trains there.
     */
    @Test
    void heldOutStrokesTakeNoPseudoLabel(@TempDir Path tmp) throws Exception {
        ScribbleRun run = ScribbleRun.of(20, b -> b.steps(1));
        TrainingFrame frame = run.frame();
        List<TrainingFrame> trained = new java.util.ArrayList<>();
        HeldOutStrokes[] held = new HeldOutStrokes[1];
        List<String> log = new java.util.ArrayList<>();
        run.fineTune().pseudoLabels(0.3f).notes(log::add)
                .beforeTraining((begin, train) -> {
                    held[0] = begin.strokes();
                    trained.addAll(train);
                }).run(tmp.resolve("out"), new Trainer.Listener() { });
        assertTrue(held[0] != null, log.toString());
        assertEquals(1, trained.size());
        float[] w = trained.get(0).weight();
        assertEquals(frame.weight().length, w.length, "trained at scale 1: " + log);
        float[] out = held[0].onImages(List.of(run.image())).get(0).weight();
        int heldOut = 0;
        int pseudo = 0;
        for (int p = 0; p < w.length; p++) {
            if (out[p] > 0) {
                assertEquals(0f, w[p], "held-out pixel " + p);
                heldOut++;
            } else if (frame.weight()[p] == 0) {
                assertEquals(0.3f, w[p], "pseudo-labelled pixel " + p);
                pseudo++;
            } else {
                assertEquals(frame.weight()[p], w[p], "stroke pixel " + p);
            }
        }
        assertTrue(heldOut > 0 && pseudo > 0);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("checked on the held-out strokes")), log.toString());
    }

    @Test
    void unlabelledPixelsDoNotEnterTheLoss() throws Exception {
        TrainingFrame f = scribbleFrame("synth-00");
        try (TrainingGraph g = new TrainingGraph(AdversarialTrainingTest.small(Mode.CROSS_ENTROPY, 1))) {
            // Crops are random; take one that holds labelled and unlabelled pixels.
            PatchSampler sampler = new PatchSampler(List.of(f), 4, 64, 0f, 0f, 5);
            Batch b = sampler.next();
            int labelled = -1;
            int unlabelled = 0;
            for (int i = 0; i < b.weight().length; i++) {
                if (b.weight()[i] > 0 && labelled < 0) {
                    labelled = i;
                }
                if (b.weight()[i] == 0) {
                    unlabelled++;
                }
            }
            assertTrue(labelled >= 0 && unlabelled > 0);
            float ce = g.evaluate(b).ce();
            assertTrue(ce > 0 && Float.isFinite(ce));

            // Every unlabelled pixel's target moved to the next class: the loss is bit-identical.
            float[] other = b.target().clone();
            for (int i = 0; i < b.weight().length; i++) {
                if (b.weight()[i] == 0) {
                    rotateClass(other, i);
                }
            }
            float ceOther = g.evaluate(new Batch(b.image(), other, b.weight(), b.real())).ce();
            assertEquals(Float.floatToIntBits(ce), Float.floatToIntBits(ceOther), ce + " vs " + ceOther);

            // One labelled pixel's target changed: the loss changes.
            float[] one = b.target().clone();
            rotateClass(one, labelled);
            assertNotEquals(ce, g.evaluate(new Batch(b.image(), one, b.weight(), b.real())).ce());
        }
    }

    @Test
    void frozenBatchNormKeepsTheRunningAveragesWhileTheWeightsLearn() throws Exception {
        List<TrainingFrame> frames = AdversarialTrainingTest.frames("synth-00");
        for (boolean freeze : new boolean[] {true, false}) {
            TrainConfig cfg = AdversarialTrainingTest.small(Mode.CROSS_ENTROPY, 3).withFreezeBatchNorm(freeze);
            try (TrainingGraph g = new TrainingGraph(cfg)) {
                Weights before = g.params().read(g.session(), Estimator.PREFIX);
                PatchSampler sampler = new PatchSampler(frames, 4, 64, 0f, 0f, 5);
                for (int i = 0; i < 3; i++) {
                    g.trainE(sampler.next());
                }
                Weights after = g.params().read(g.session(), Estimator.PREFIX);
                int averages = 0;
                for (String name : before.entries().keySet()) {
                    boolean same = java.util.Arrays.equals(before.get(name).values(), after.get(name).values());
                    if (name.endsWith("_bn_mean") || name.endsWith("_bn_var")) {
                        averages++;
                        assertEquals(freeze, same, name + (freeze ? " changed though frozen" : " did not learn"));
                    } else if (name.endsWith("_w")) {
                        assertTrue(!same, name + " did not learn");
                    }
                }
                assertEquals(10, averages, "mean and variance of 5 layers");
            }
        }
    }

    private static void rotateClass(float[] target, int pixel) {
        float c0 = target[pixel * 3];
        target[pixel * 3] = target[pixel * 3 + 2];
        target[pixel * 3 + 2] = target[pixel * 3 + 1];
        target[pixel * 3 + 1] = c0;
    }

    @Test
    void scribbleFineTuneFromTheShippedModelMovesEKeepsDAndSavesALoadableModel(@TempDir Path tmp) throws Exception {
        Path init = ModelStore.resolve("bbbc039-2frames");
        Weights e0;
        ModelInfo base;
        try (Model m = Model.load(init)) {
            e0 = m.estimatorWeights();
            base = m.info();
        }
        Weights d0 = ModelFolder.readDiscriminator(init);
        // The default recipe with D frozen (d-steps 0), as the CLI does for scribbles.
        TrainConfig cfg = TrainConfig.builder().steps(5).batch(4).seed(3).dSteps(0).validateEvery(0).build().fittedTo(base);
        ModelInfo info = new ModelInfo();
        info.training.init = "bbbc039-2frames";
        Path out = tmp.resolve("tuned");
        Trainer.Outcome o = new Trainer(cfg, new Normalization(base.normLow, base.normHigh),
                new InstanceOptions(base.seedThreshold, base.minSize), false)
                .train(List.of(scribbleFrame("synth-00")), List.of(), e0, d0, info, out, false, new Trainer.Listener() { });
        assertEquals(5, o.stepsDone());
        ModelInfo saved = ModelFolder.readInfo(out);
        assertEquals("bbbc039-2frames", saved.training.init);
        assertEquals(0, saved.training.dSteps);
        try (Model m = Model.load(out)) {
            assertTrue(AdversarialTrainingTest.maxAbsDiff(e0, m.estimatorWeights()) > 1e-4, "E did not change");
            m.segmenter(256).probabilities(ImageFiles.readPlane(AdversarialTrainingTest.IMAGES.resolve("synth-01.tif")));
        }
        // Frozen: D is written back exactly as it came.
        assertEquals(0.0, AdversarialTrainingTest.maxAbsDiff(d0, ModelFolder.readDiscriminator(out)));
    }

    @Test
    void aFineTuneTakesTheStartingModelsEstimatorAndCropSizeAndRefusesAFrozenDThatDoesNotFit(@TempDir Path tmp)
            throws Exception {
        ModelInfo start = new ModelInfo();
        start.architecture = org.segmentcells.nets.UNet.ARCHITECTURE;
        start.discriminator = "ribcage-v1";
        start.training.patch = 96;
        TrainConfig fitted = AdversarialTrainingTest.small(Mode.ADVERSARIAL, 1).fittedTo(start);
        assertEquals(org.segmentcells.nets.Architecture.UNET, fitted.estimator());
        assertEquals(96, fitted.patch());
        // Measured: the U-Net fine-tunes better with its batch norm frozen, the paper's E with it trained.
        assertTrue(fitted.freezeBatchNorm());
        // The log says so, since the command line does not.
        assertTrue(fitted.summary().contains("unet estimator") && fitted.summary().endsWith("E's batch norm frozen"),
                fitted.summary());
        org.segmentcells.model.ModelInfo paper = new org.segmentcells.model.ModelInfo();
        paper.architecture = org.segmentcells.nets.Estimator.ARCHITECTURE;
        assertFalse(AdversarialTrainingTest.small(Mode.ADVERSARIAL, 1).fittedTo(paper).freezeBatchNorm());
        assertTrue(AdversarialTrainingTest.small(Mode.ADVERSARIAL, 1).fittedTo(paper).summary()
                .endsWith("E's batch norm trained"));
        // Learning rates measured per estimator: 3e-4 for a U-Net (cross-validated), 1e-4 for the paper's E.
        assertEquals(3e-4f, TrainConfig.fineTuneDefaults(org.segmentcells.nets.Architecture.UNET).learningRate());
        assertEquals(1e-4f, TrainConfig.fineTuneDefaults(org.segmentcells.nets.Architecture.PAPER).learningRate());
        // Without a D, the crop size is the run's own.
        start.discriminator = null;
        assertEquals(64, AdversarialTrainingTest.small(Mode.ADVERSARIAL, 1).fittedTo(start).patch());

        // A shipped model's D was trained on crops of its own size; frozen at another size it cannot be used.
        Path init = ModelStore.resolve("bbbc039-2frames");
        Model.Start s = Model.readStart(init);
        int otherPatch = s.info().training.patch == 32 ? 64 : 32;
        TrainConfig frozen = TrainConfig.builder().steps(1).batch(2).patch(otherPatch).seed(3).dSteps(0).validateEvery(0)
                .estimator(s.architecture()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(frozen,
                Normalization.DEFAULT, InstanceOptions.DEFAULT, false).train(List.of(scribbleFrame("synth-00")), List.of(),
                        s.estimator(), s.discriminator(), new ModelInfo(), tmp.resolve("never"), false,
                        new Trainer.Listener() { }));
        assertTrue(e.getMessage().contains("discriminator does not fit this run"), e.getMessage());
        assertFalse(java.nio.file.Files.exists(tmp.resolve("never")));
    }

    /** synth-00 with its instance labels, as a fine-tune from label images gets it. */
    private static FineTune.Frames labelledSynth00() throws Exception {
        FloatPlane img = ImageFiles.readPlane(AdversarialTrainingTest.IMAGES.resolve("synth-00.tif"));
        LabelPlane gt = ImageFiles.readLabels(AdversarialTrainingTest.LABELS.resolve("synth-00.tif"));
        List<TrainingFrame> atOne = AdversarialTrainingTest.frames("synth-00");
        return new FineTune.Frames(List.of("synth-00"), List.of(new Trainer.ValidationFrame("synth-00", img, gt)),
                () -> List.of(img), s -> atOne.stream().map(f -> f.scaled(s, Normalization.DEFAULT)).toList(), false);
    }

    /** The fine-tune recipe for {@code steps} small steps. */
    private static TrainConfig config(Model.Start start, int steps) {
        return TrainConfig.fineTuneDefaults(start.architecture()).toBuilder().steps(steps).batch(2).validateEvery(0)
                .build().fittedTo(start.info());
    }

    /**
     * Esc while the start is calibrated stops before training and writes nothing; Esc during training keeps
     * the model so far and skips the check, which would keep the user waiting for two models to be scored.
     */
    @Test
    void aCancelBeforeTrainingWritesNothingAndOneDuringTrainingSkipsTheCheck(@TempDir Path tmp) throws Exception {
        Path init = ModelStore.resolve("default");
        Model.Start start = Model.readStart(init);
        TrainConfig cfg = config(start, 6);
        FineTune.Frames frames = labelledSynth00();

        boolean[] esc = {false};
        Path first = tmp.resolve("first");
        org.segmentcells.progress.Cancelled c = assertThrows(org.segmentcells.progress.Cancelled.class,
                () -> FineTune.from("default", init, start).frames(frames).config(cfg)
                        .stages(stage -> esc[0] |= stage == FineTune.Stage.CALIBRATING)
                        .run(first, new Trainer.Listener() {
                            @Override
                            public boolean cancelRequested() {
                                return esc[0];
                            }
                        }));
        assertEquals("cancelled before training; nothing written", c.getMessage());
        assertFalse(java.nio.file.Files.exists(first));
        assertFalse(java.nio.file.Files.exists(Trainer.checkpointFolder(first)));

        Path second = tmp.resolve("second");
        List<String> log = new java.util.ArrayList<>();
        FineTune.Result r = FineTune.from("default", init, start).frames(frames).config(cfg).notes(log::add)
                .run(second, cancelAfter(2));
        assertTrue(r.outcome().cancelled());
        assertEquals(2, r.outcome().stepsDone());
        assertEquals(2, ModelFolder.readInfo(second).training.steps, "the model so far is written");
        // Marked as never checked, so that segmenting with it warns.
        assertEquals("fine-tuned 2 of 6 steps", ModelFolder.readInfo(second).unchecked);
        assertTrue(ModelFolder.readInfo(second).caution(second).endsWith(": fine-tuned 2 of 6 steps and never checked"
                + " against its start (default), so it may do worse than that model"));
        assertTrue(log.contains("cancelled: not checked against default"), log.toString());
        assertFalse(log.stream().anyMatch(l -> l.startsWith("checked on")), log.toString());
        // Cross-entropy does not train D: the start's is saved with the model as it was, for a later adversarial
        // fine-tune to continue.
        ModelInfo tuned = ModelFolder.readInfo(second);
        assertEquals("cross-entropy", tuned.training.mode);
        assertEquals(start.info().discriminator, tuned.discriminator);
        assertEquals(start.info().discriminatorPatch(), tuned.discriminatorPatch());
        assertEquals(0.0, AdversarialTrainingTest.maxAbsDiff(start.discriminator(), ModelFolder.readDiscriminator(second)));
        assertTrue(Mode.ADVERSARIAL.fits(Model.readStart(second)), "an adversarial fine-tune continues it");
    }

    /**
     * Label images with no nucleus teach the start to find nothing (calibration's minimum size grows, the
     * check's F is 1 for finding nothing): refused before anything is written.
     */
    @Test
    void annotatedFramesWithoutNucleiAreRefused(@TempDir Path tmp) throws Exception {
        Path init = ModelStore.resolve("default");
        Model.Start start = Model.readStart(init);
        FloatPlane img = ImageFiles.readPlane(AdversarialTrainingTest.IMAGES.resolve("synth-00.tif"));
        LabelPlane none = new LabelPlane(img.width(), img.height());
        List<TrainingFrame> atOne = AdversarialTrainingTest.frames("synth-00");
        FineTune.Frames empty = new FineTune.Frames(List.of("synth-00"),
                List.of(new Trainer.ValidationFrame("synth-00", img, none)), () -> List.of(img),
                s -> atOne.stream().map(f -> f.scaled(s, Normalization.DEFAULT)).toList(), false);
        Path out = tmp.resolve("out");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FineTune.from("default", init, start).frames(empty).config(config(start, 2)).notes(l -> { })
                        .run(out, new Trainer.Listener() { }));
        assertEquals("the annotated frames (synth-00) hold no nuclei: label each nucleus with its own number above 0,"
                + " background 0", e.getMessage());
        assertFalse(java.nio.file.Files.exists(out));
    }

    /**
     * Nuclei only in the top of the frame: nothing is held out, so the fine-tune is not checked, and its
     * model.json says so, for segmenting to warn.
     */
    @Test
    void aFineTuneNoCheckCouldJudgeIsMarkedUnchecked(@TempDir Path tmp) throws Exception {
        Path init = ModelStore.resolve("default");
        Model.Start start = Model.readStart(init);
        FloatPlane img = ImageFiles.readPlane(AdversarialTrainingTest.IMAGES.resolve("synth-00.tif"));
        LabelPlane gt = ImageFiles.readLabels(AdversarialTrainingTest.LABELS.resolve("synth-00.tif"));
        int[] top = gt.data().clone();
        java.util.Arrays.fill(top, FineTuneStart.cut(gt.height()) * gt.width(), top.length, 0);
        List<TrainingFrame> atOne = AdversarialTrainingTest.frames("synth-00");
        FineTune.Frames frames = new FineTune.Frames(List.of("synth-00"), List.of(new Trainer.ValidationFrame("synth-00",
                img, new LabelPlane(gt.width(), gt.height(), top))), () -> List.of(img),
                s -> atOne.stream().map(f -> f.scaled(s, Normalization.DEFAULT)).toList(), false);
        Path out = tmp.resolve("out");
        List<String> log = new java.util.ArrayList<>();
        FineTune.from("default", init, start).frames(frames).config(config(start, 1)).calibrate(false).notes(log::add)
                .run(out, new Trainer.Listener() { });
        assertTrue(log.stream().anyMatch(l -> l.startsWith("not checked against default")), log.toString());
        assertEquals("fine-tuned 1 of 1 steps", readInfo(out).unchecked);
        assertEquals(null, readInfo(out).fineTuneCheck);
    }

    /** A scale the user gives is the model's from then on (segment uses it), not only the training frames'. */
    @Test
    void aGivenScaleIsStoredInTheModel(@TempDir Path tmp) throws Exception {
        Path init = ModelStore.resolve("default");
        Model.Start start = Model.readStart(init);
        TrainConfig cfg = config(start, 1);
        FineTune.Frames frames = labelledSynth00();
        for (org.segmentcells.segment.Scale given : new org.segmentcells.segment.Scale[] {
                org.segmentcells.segment.Scale.of(0.5), null}) {
            Path out = tmp.resolve(given == null ? "auto" : "given");
            // What the fine-tune stored, read before the check, which may put the start back (a tie does).
            ModelInfo[] stored = new ModelInfo[1];
            FineTune.Result r = FineTune.from("default", init, start).frames(frames).config(cfg).scale(given)
                    .calibrate(false).notes(l -> { }).afterTraining(o -> stored[0] = readInfo(out))
                    .run(out, new Trainer.Listener() { });
            ModelInfo info = stored[0];
            assertEquals("fine-tuned 1 of 1 steps", info.unchecked, "until the check");
            if (given != null) {
                assertEquals(0.5, r.start().scale(), 1e-9, "trained at the given scale");
                assertFalse(info.scale.isAuto(), "stored: " + info.scale);
                assertEquals(0.5, info.scale.factor(), 1e-9);
            } else {
                assertTrue(info.scale.isAuto(), "uncalibrated, a start at auto stays auto: " + info.scale);
            }
        }
        // A start with a fixed scale, nothing calibrated and no scale given: the fine-tune keeps the start's.
        Path fixed = tmp.resolve("fixed-start");
        Model.Start s = Model.readStart(init);
        s.info().scale = org.segmentcells.segment.Scale.of(0.8);
        ModelFolder.save(fixed, s.info(), s.estimator(), s.discriminator());
        Model.Start fixedStart = Model.readStart(fixed);
        Path out = tmp.resolve("kept");
        ModelInfo[] stored = new ModelInfo[1];
        FineTune.Result r = FineTune.from("fixed", fixed, fixedStart).frames(frames).config(cfg).calibrate(false)
                .instances(new org.segmentcells.segment.InstanceOptions(0.6, 10)).notes(l -> { })
                .afterTraining(o -> stored[0] = readInfo(out)).run(out, new Trainer.Listener() { });
        assertEquals(0.8, r.start().scale(), 1e-9, "trained at the start's scale");
        assertEquals(0.8, stored[0].scale.factor(), 1e-9, "and keeps it");
    }

    /** What a fine-tune stored, read before the check, which may put the start back. */
    private static ModelInfo readInfo(Path folder) {
        try {
            return ModelFolder.readInfo(folder);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A listener whose Esc comes once {@code steps} training steps are done. */
    private static Trainer.Listener cancelAfter(int steps) {
        return new Trainer.Listener() {
            private int done;

            @Override
            public void step(int step, int total, TrainingGraph.StepLosses losses) {
                done = step;
            }

            @Override
            public boolean cancelRequested() {
                return done >= steps;
            }
        };
    }
}
