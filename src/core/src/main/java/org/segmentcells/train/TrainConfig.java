package org.segmentcells.train;

import org.segmentcells.nets.Architecture;

/**
 * Everything that defines a training run. The defaults are the recipe used for the shipped models;
 * see docs/benchmarks.md for how they were chosen.
 *
 * @param mode adversarial, classdisc or cross-entropy
 * @param steps number of estimator updates
 * @param batch crops per batch
 * @param patch crop size (px)
 * @param seed makes initial weights, crops and augmentations repeatable
 * @param optimizer Adam or RMSProp
 * @param learningRate estimator learning rate
 * @param learningRateD discriminator learning rate
 * @param ceWeight weight of the pixel cross-entropy in the estimator loss (adversarial modes)
 * @param advWeight weight of the adversarial term in the estimator loss
 * @param dSteps discriminator updates before each estimator update
 * @param realNoise largest weight (drawn per crop) of random per-pixel simplex noise mixed into the
 *     manual maps shown to D, so D cannot win by spotting exact one-hot pixels
 * @param realBlur largest Gaussian sigma (px) used to soften the manual maps shown to D, drawn per
 *     crop, so D cannot win by spotting exact one-hot class borders
 * @param realScale when &gt; 0, the manual map shown to D is built from E's own output with the true
 *     class raised to at least this probability ("scaling"); noise and blur are then not used
 * @param contourWidth contour width (px) when turning label images into 3-class targets
 * @param validateEvery validate (and keep the best model) every this many steps; 0 = only at the end
 * @param freezeBatchNorm E's batch norm uses (and keeps) its running averages while training instead of
 *     batch statistics, as when fine-tuning a trained model on a few frames
 * @param estimator E's architecture: the paper's, or the larger U-Net
 * @param cropping zoom and intensity augmentation of the crops, and how frames are drawn
 * @param lrDropAt after this step both learning rates drop tenfold ({@link #LR_DROP}); 0 = never.
 *     {@link Trainer} rebuilds the graph there, keeping weights and optimizer state
 */
public record TrainConfig(Mode mode, int steps, int batch, int patch, long seed, OptimizerKind optimizer,
        float learningRate, float learningRateD, float ceWeight, float advWeight, int dSteps, float realNoise, float realBlur, float realScale,
        int contourWidth, int validateEvery, boolean freezeBatchNorm, Architecture estimator, Cropping cropping,
        int lrDropAt) {

    public enum OptimizerKind { ADAM, RMSPROP }

    /** Steps of a fine-tune from a trained model (Fine-tune Model's default); a full recipe is 3000. */
    public static final int FINE_TUNE_STEPS = 500;
    /**
     * E's learning rate when fine-tuning. Measured on the new-microscope frames (docs/benchmarks.md):
     * 1e-3, the from-scratch rate, made the default model worse in 500 adversarial steps (F 0.646 to
     * 0.575 on the selection frames); 1e-4 improved it (0.660).
     */
    public static final float FINE_TUNE_LR = 1e-4f;
    /**
     * E's learning rate when fine-tuning a U-Net (whose batch norm is frozen, see {@link #fittedTo}).
     * Chosen by two-fold cross-validation over the 4 new-microscope training frames (train on 2, score
     * the other 2, cross-entropy, 500 steps; docs/benchmarks.md): mean F 0.807, 0.817, 0.834 and 0.825
     * for 3e-5, 1e-4, 3e-4 and 1e-3.
     */
    public static final float FINE_TUNE_LR_UNET = 3e-4f;
    /**
     * Weight of the starting model's own classes on unscribbled pixels when fine-tuning from scribbles
     * ({@link PseudoLabels}); 0 turns it off. Fixed at 0.3 before measuring, not tuned: on the
     * new-microscope test frames, scribbles alone pulled F from 0.60 to 0.04-0.42, with it F stayed at
     * 0.59-0.66 (docs/benchmarks.md).
     */
    public static final float SCRIBBLE_PSEUDO_LABELS = 0.3f;

    /**
     * The defaults for fine-tuning the paper's E: fewer steps, a smaller learning rate. E's batch norm
     * keeps learning ({@link #fittedTo} freezes a U-Net's): on the new-microscope selection frames
     * (docs/benchmarks.md), freezing it gave F 0.759 (adversarial) and 0.785 (cross-entropy) against
     * 0.805 and 0.861 with it trained, although the training loss of the frozen runs was far lower.
     */
    public static TrainConfig fineTuneDefaults() {
        return fineTuneDefaults(Architecture.PAPER);
    }

    /** As {@link #fineTuneDefaults()}, with the learning rate measured for the starting model's estimator. */
    public static TrainConfig fineTuneDefaults(Architecture start) {
        TrainConfig d = defaults();
        return new TrainConfig(d.mode(), FINE_TUNE_STEPS, d.batch(), d.patch(), d.seed(), d.optimizer(),
                start == Architecture.UNET ? FINE_TUNE_LR_UNET : FINE_TUNE_LR, d.learningRateD(), d.ceWeight(),
                d.advWeight(), d.dSteps(), d.realNoise(), d.realBlur(), d.realScale(), d.contourWidth(), d.validateEvery(),
                false);
    }

    /** Constant learning rates. */
    public TrainConfig(Mode mode, int steps, int batch, int patch, long seed, OptimizerKind optimizer,
            float learningRate, float learningRateD, float ceWeight, float advWeight, int dSteps, float realNoise,
            float realBlur, float realScale, int contourWidth, int validateEvery, boolean freezeBatchNorm,
            Architecture estimator, Cropping cropping) {
        this(mode, steps, batch, patch, seed, optimizer, learningRate, learningRateD, ceWeight, advWeight, dSteps,
                realNoise, realBlur, realScale, contourWidth, validateEvery, freezeBatchNorm, estimator, cropping, 0);
    }

    /** No zoom or intensity augmentation, frames drawn uniformly. */
    public TrainConfig(Mode mode, int steps, int batch, int patch, long seed, OptimizerKind optimizer,
            float learningRate, float learningRateD, float ceWeight, float advWeight, int dSteps, float realNoise,
            float realBlur, float realScale, int contourWidth, int validateEvery, boolean freezeBatchNorm,
            Architecture estimator) {
        this(mode, steps, batch, patch, seed, optimizer, learningRate, learningRateD, ceWeight, advWeight, dSteps,
                realNoise, realBlur, realScale, contourWidth, validateEvery, freezeBatchNorm, estimator, Cropping.NONE);
    }

    /** The paper's estimator. */
    public TrainConfig(Mode mode, int steps, int batch, int patch, long seed, OptimizerKind optimizer,
            float learningRate, float learningRateD, float ceWeight, float advWeight, int dSteps, float realNoise,
            float realBlur, float realScale, int contourWidth, int validateEvery, boolean freezeBatchNorm) {
        this(mode, steps, batch, patch, seed, optimizer, learningRate, learningRateD, ceWeight, advWeight, dSteps,
                realNoise, realBlur, realScale, contourWidth, validateEvery, freezeBatchNorm, Architecture.PAPER);
    }

    /** Batch norm trained as usual (batch statistics, running averages updated). */
    public TrainConfig(Mode mode, int steps, int batch, int patch, long seed, OptimizerKind optimizer,
            float learningRate, float learningRateD, float ceWeight, float advWeight, int dSteps, float realNoise,
            float realBlur, float realScale, int contourWidth, int validateEvery) {
        this(mode, steps, batch, patch, seed, optimizer, learningRate, learningRateD, ceWeight, advWeight, dSteps,
                realNoise, realBlur, realScale, contourWidth, validateEvery, false);
    }

    public TrainConfig withFreezeBatchNorm(boolean freeze) {
        return new TrainConfig(mode, steps, batch, patch, seed, optimizer, learningRate, learningRateD, ceWeight,
                advWeight, dSteps, realNoise, realBlur, realScale, contourWidth, validateEvery, freeze, estimator, cropping, lrDropAt);
    }

    public static TrainConfig defaults() {
        return new TrainConfig(Mode.ADVERSARIAL, 3000, 16, 64, 1, OptimizerKind.ADAM, 1e-3f, 1e-4f, 1f, 0.05f, 1,
                0.2f, 0f, 0f, 2, 250);
    }

    public TrainConfig {
        if (estimator == null || cropping == null) {
            throw new IllegalArgumentException("no estimator architecture or cropping given");
        }
        if (steps < 0 || batch < 1 || patch < 16 || dSteps < 0 || contourWidth < 1) {
            throw new IllegalArgumentException("invalid training settings: steps " + steps + ", batch " + batch
                    + ", patch " + patch + ", d-steps " + dSteps + ", contour width " + contourWidth);
        }
        if (lrDropAt < 0) {
            throw new IllegalArgumentException("the step the learning rates drop after must be 0 (never) or more, got "
                    + lrDropAt);
        }
        if (mode.adversarial() && patch % 8 != 0) {
            throw new IllegalArgumentException("patch size must be a multiple of 8 for the discriminators, got " + patch);
        }
    }

    public TrainConfig withMode(Mode m) {
        return new TrainConfig(m, steps, batch, patch, seed, optimizer, learningRate, learningRateD, ceWeight,
                advWeight, dSteps, realNoise, realBlur, realScale, contourWidth, validateEvery, freezeBatchNorm, estimator, cropping, lrDropAt);
    }

    public TrainConfig withEstimator(Architecture a) {
        return new TrainConfig(mode, steps, batch, patch, seed, optimizer, learningRate, learningRateD, ceWeight,
                advWeight, dSteps, realNoise, realBlur, realScale, contourWidth, validateEvery, freezeBatchNorm, a, cropping, lrDropAt);
    }

    public TrainConfig withPatch(int p) {
        return new TrainConfig(mode, steps, batch, p, seed, optimizer, learningRate, learningRateD, ceWeight,
                advWeight, dSteps, realNoise, realBlur, realScale, contourWidth, validateEvery, freezeBatchNorm, estimator, cropping, lrDropAt);
    }

    /**
     * This run adapted to a starting model: its estimator, and its crop size when it brings a
     * discriminator, whose dense layers are sized for the crops it was trained on. A U-Net's batch norm
     * is frozen: fine-tuning the generalist U-Net on the new-microscope frames scored F 0.872 frozen
     * against 0.850 trained on the selection frames (0.803-0.840 against 0.740-0.772 on the test frames,
     * docs/benchmarks.md), while the paper's E did better with it trained.
     */
    public TrainConfig fittedTo(org.segmentcells.model.ModelInfo start) {
        Architecture a = Architecture.ofId(start.architecture);
        TrainConfig c = withEstimator(a);
        if (a == Architecture.UNET) {
            c = c.withFreezeBatchNorm(true);
        }
        if (start.discriminator != null && start.training != null && start.training.patch > 0) {
            c = c.withPatch(start.training.patch);
        }
        return c;
    }

    public TrainConfig withDSteps(int n) {
        return new TrainConfig(mode, steps, batch, patch, seed, optimizer, learningRate, learningRateD, ceWeight,
                advWeight, n, realNoise, realBlur, realScale, contourWidth, validateEvery, freezeBatchNorm, estimator, cropping, lrDropAt);
    }

    public TrainConfig withCropping(Cropping c) {
        return new TrainConfig(mode, steps, batch, patch, seed, optimizer, learningRate, learningRateD, ceWeight,
                advWeight, dSteps, realNoise, realBlur, realScale, contourWidth, validateEvery, freezeBatchNorm, estimator, c, lrDropAt);
    }

    /**
     * One line for the training log: what a run will do, including what {@link #fittedTo} decided
     * (estimator, crop size, frozen batch norm), which the command line alone does not show.
     */
    public String summary() {
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
                "%s, %s estimator, %d steps, batch %d, %d px crops, %s lr %s", mode.id(), estimator.cliName(), steps,
                batch, patch, optimizer.name().toLowerCase(java.util.Locale.ROOT), learningRate));
        if (lrDropAt > 0) {
            b.append(", learning rates dropped tenfold after step ").append(lrDropAt);
        }
        if (mode.adversarial()) {
            b.append(dSteps == 0 ? ", D frozen" : ", D lr " + learningRateD + ", " + dSteps + " D step(s) per E step");
        }
        b.append(freezeBatchNorm ? ", E's batch norm frozen" : ", E's batch norm trained");
        if (!cropping.equals(Cropping.NONE)) {
            // As float, the precision they were given in: 1.2, not 1.2000000476837158.
            b.append(", zoom ").append((float) cropping.zoom()).append(", gamma ").append((float) cropping.gamma())
                    .append(cropping.byArea() ? ", crops by area" : "");
        }
        return b.toString();
    }

    /**
     * Factor the learning rates drop by after {@link #lrDropAt} steps. Chosen before measuring, as the
     * usual step schedule; a tenfold lower rate for the last 1000 of 9000 steps (then run as a second
     * training from the first's model) raised the generalist U-Net's held-out DSB F from 0.856 to 0.862.
     */
    public static final float LR_DROP = 0.1f;

    public TrainConfig withLrDropAt(int step) {
        return new TrainConfig(mode, steps, batch, patch, seed, optimizer, learningRate, learningRateD, ceWeight,
                advWeight, dSteps, realNoise, realBlur, realScale, contourWidth, validateEvery, freezeBatchNorm, estimator,
                cropping, step);
    }

    /** In decimal, so 0.001 drops to the float 1.0E-4 that "--lr 0.0001" gives, not to 1.00000005E-4. */
    private static float dropped(float rate) {
        return new java.math.BigDecimal(Float.toString(rate)).multiply(new java.math.BigDecimal(Float.toString(LR_DROP)))
                .floatValue();
    }

    /** Whether the learning rates of step {@code step} (1-based) are the dropped ones. */
    public boolean droppedAt(int step) {
        return lrDropAt > 0 && step > lrDropAt;
    }

    /** The settings that step {@code step} trains with: these, with the learning rates dropped after {@link #lrDropAt}. */
    public TrainConfig atStep(int step) {
        if (!droppedAt(step)) {
            return this;
        }
        return new TrainConfig(mode, steps, batch, patch, seed, optimizer, dropped(learningRate),
                dropped(learningRateD), ceWeight, advWeight, dSteps, realNoise, realBlur, realScale, contourWidth,
                validateEvery, freezeBatchNorm, estimator, cropping, 0);
    }

    public TrainConfig withSteps(int s) {
        return new TrainConfig(mode, s, batch, patch, seed, optimizer, learningRate, learningRateD, ceWeight,
                advWeight, dSteps, realNoise, realBlur, realScale, contourWidth, validateEvery, freezeBatchNorm, estimator, cropping, lrDropAt);
    }
}
