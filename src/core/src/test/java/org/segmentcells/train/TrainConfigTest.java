package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.segmentcells.model.ModelInfo;

class TrainConfigTest {

    /** Not given, a scribble fine-tune takes its mode's pseudo-label weight, full labels none; given, it stands. */
    @Test
    void pseudoLabelsNotGivenAreTheModesForScribblesAndNoneForLabels() {
        assertEquals(TrainConfig.SCRIBBLE_PSEUDO_LABELS, TrainConfig.pseudoLabels(null, true, Mode.CROSS_ENTROPY));
        assertEquals(TrainConfig.SCRIBBLE_PSEUDO_LABELS_ADVERSARIAL, TrainConfig.pseudoLabels(null, true, Mode.ADVERSARIAL));
        assertEquals(0f, TrainConfig.pseudoLabels(null, false, Mode.CROSS_ENTROPY));
        assertEquals(0.2f, TrainConfig.pseudoLabels(0.2f, true, Mode.CROSS_ENTROPY));
    }

    @Test
    void theBuilderStartsFromTheShippedRecipeAndChangesOnlyWhatItNames() {
        TrainConfig d = TrainConfig.defaults();
        // The recipe the shipped models record in model.json (docs/benchmarks.md).
        assertEquals(java.util.List.of(Mode.ADVERSARIAL, 3000, 16, 64, 1L, TrainConfig.OptimizerKind.ADAM, 1e-3f, 1e-4f,
                1f, 0.05f, 1, 0.2f, 0f, 0f, 2, 250, false, org.segmentcells.nets.Architecture.PAPER, Cropping.NONE, 0),
                java.util.List.of(d.mode(), d.steps(), d.batch(), d.patch(), d.seed(), d.optimizer(), d.learningRate(),
                        d.learningRateD(), d.ceWeight(), d.advWeight(), d.dSteps(), d.realNoise(), d.realBlur(),
                        d.realScale(), d.contourWidth(), d.validateEvery(), d.freezeBatchNorm(), d.estimator(),
                        d.cropping(), d.lrDropAt()));
        TrainConfig c = d.toBuilder().seed(7).dSteps(0).build();
        assertEquals(d.toBuilder().build(), d);
        assertEquals(new TrainConfig(d.mode(), d.steps(), d.batch(), d.patch(), 7, d.optimizer(), d.learningRate(),
                d.learningRateD(), d.ceWeight(), d.advWeight(), 0, d.realNoise(), d.realBlur(), d.realScale(),
                d.contourWidth(), d.validateEvery(), d.freezeBatchNorm(), d.estimator(), d.cropping(), d.lrDropAt()), c);
        TrainConfig fine = TrainConfig.fineTuneDefaults(org.segmentcells.nets.Architecture.UNET);
        assertEquals(TrainConfig.FINE_TUNE_STEPS, fine.steps());
        assertEquals(TrainConfig.FINE_TUNE_LR_UNET, fine.learningRate());
        // The CLI's train --init and Fine-tune Model both start from these: one validation interval for both.
        assertEquals(50, fine.validateEvery());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.builder().batch(0).build());
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }

    @Test
    void learningRatesDropTenfoldFromTheStepAfterLrDropAt() {
        TrainConfig c = TrainConfig.defaults().withSteps(100).withLrDropAt(90);
        assertSame(c, c.atStep(1));
        assertSame(c, c.atStep(90));
        assertFalse(c.droppedAt(90));
        assertTrue(c.droppedAt(91));
        TrainConfig late = c.atStep(91);
        // Exactly the floats "--lr 0.0001 --lr-d 0.00001" would give.
        assertEquals(1e-4f, late.learningRate());
        assertEquals(1e-5f, late.learningRateD());
        assertEquals(c.steps(), late.steps());
        assertEquals(c.seed(), late.seed());
        assertEquals(c.estimator(), late.estimator());
    }

    @Test
    void noDropByDefaultAndNoNegativeStep() {
        TrainConfig c = TrainConfig.defaults();
        assertEquals(0, c.lrDropAt());
        assertSame(c, c.atStep(c.steps()));
        assertFalse(c.summary().contains("dropped"), c.summary());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.withLrDropAt(-1));
        assertTrue(e.getMessage().contains("0 (never) or more, got -1"), e.getMessage());
    }

    /** An out-of-range setting is named alone, with its value; a negative or zero lr would train nothing or diverge. */
    @Test
    void aBadSettingIsNamedWithItsValue() {
        TrainConfig.Builder d = TrainConfig.defaults().toBuilder();
        assertEquals("\u2039steps\u203a must be 0 or more, got -1", assertThrows(IllegalArgumentException.class,
                () -> d.steps(-1).build()).getMessage());
        assertEquals("batch must be 1 or more, got 0", assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().toBuilder().batch(0).build()).getMessage());
        for (float lr : new float[] {-1, 0, Float.NaN, Float.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrainConfig.defaults().toBuilder().mode(Mode.CROSS_ENTROPY).learningRate(lr).build());
            assertEquals("\u2039lr\u203a must be above 0, got " + lr, e.getMessage());
        }
        // lr 0 in an adversarial mode trains D alone against a fixed E.
        assertEquals(0f, TrainConfig.defaults().toBuilder().mode(Mode.ADVERSARIAL).learningRate(0).build().learningRate());
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.defaults().toBuilder().learningRateD(-0.1f).build());
    }

    @Test
    void aFineTuneKeepsTheSchedule() {
        ModelInfo unet = new ModelInfo();
        unet.architecture = org.segmentcells.nets.UNet.ARCHITECTURE;
        TrainConfig fitted = TrainConfig.fineTuneDefaults().withLrDropAt(400).fittedTo(unet);
        assertEquals(400, fitted.lrDropAt());
        assertTrue(fitted.summary().contains("learning rates dropped tenfold after step 400"), fitted.summary());
    }

    @Test
    void aGivenCropSizeSurvivesFittingToAStartWithAD() {
        ModelInfo start = new ModelInfo();
        start.architecture = org.segmentcells.nets.UNet.ARCHITECTURE;
        start.discriminator = "ribcage-v1";
        start.training.patch = 64;
        TrainConfig asked = TrainConfig.fineTuneDefaults().withPatch(96);
        // Unless the crop size was given, the start's D decides it (D judges maps of the size it learned).
        assertEquals(64, asked.fittedTo(start).patch());
        assertEquals(64, asked.fittedTo(start, false).patch());
        assertEquals(96, asked.fittedTo(start, true).patch());
        assertTrue(asked.fittedTo(start, true).freezeBatchNorm(), "the rest of the fitting still applies");
    }
}
