package org.segmentcells.train;

import org.segmentcells.model.ModelInfo;
import org.segmentcells.nets.Architecture;
import org.segmentcells.setting.Setting;

/**
 * Everything that defines a training run. Made by name with {@link #builder()} or {@link #toBuilder()};
 * the defaults are the recipe the shipped models were trained with (docs/benchmarks.md says how they
 * were chosen).
 *
 * @param mode adversarial, classdisc or cross-entropy
 * @param steps number of estimator updates
 * @param batch crops per batch
 * @param patch crop size (px)
 * @param seed makes initial weights, crops and augmentations repeatable
 * @param optimizer Adam or RMSProp
 * @param learningRate estimator learning rate; 0 in an adversarial mode trains D alone against a fixed E
 *     (a discriminator for a finished estimator), skipping E's updates
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
    /** A fine-tune's validation interval: ten looks in its 500 steps, where a full recipe's 250 gives two. */
    public static final int FINE_TUNE_VALIDATE_EVERY = 50;
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
     * ({@link PseudoLabels}); 0 turns it off. Without them a few strokes pull E towards the strokes' class mix
     * (new microscope: F 0.16); at 0.3 they outweighed the strokes so far that 0.3, 0.6 and 1 trained the same
     * model. 0.03 was chosen on the four selection folds (2 frames of 10 strokes trained, the other 2 of the
     * training frames scored, new microscope and lab2, cross-entropy): mean F 0.856, 0.862, 0.872 and 0.870 for
     * 0.3, 0.1, 0.03 and 0.01 (docs/benchmarks-log.md, stop 45). For cross-entropy; see
     * {@link #scribblePseudoLabels(Mode)}.
     */
    public static final float SCRIBBLE_PSEUDO_LABELS = 0.03f;
    /**
     * {@link #SCRIBBLE_PSEUDO_LABELS} in the adversarial modes: with the frozen D as a prior, 0.03 made the
     * new microscope's scribble fine-tune worse on its held-out strokes (so the check kept the start, F 0.716 on
     * frames 3–4) where 0.3 reached 0.789; lab2 was level (0.929).
     */
    public static final float SCRIBBLE_PSEUDO_LABELS_ADVERSARIAL = 0.3f;

    /** The pseudo-label weight of a scribble fine-tune in {@code mode} when the user gives none. */
    public static float scribblePseudoLabels(Mode mode) {
        return mode.adversarial() ? SCRIBBLE_PSEUDO_LABELS_ADVERSARIAL : SCRIBBLE_PSEUDO_LABELS;
    }

    /**
     * The pseudo-label weight a fine-tune uses: the one {@code given}, or when null (not given) the mode's for
     * scribbles and none for full labels, which leave no pixel unlabelled.
     */
    public static float pseudoLabels(Float given, boolean scribbles, Mode mode) {
        return given != null ? given : scribbles ? scribblePseudoLabels(mode) : 0f;
    }

    /**
     * The defaults for fine-tuning the paper's E: fewer steps, a smaller learning rate. E's batch norm
     * keeps learning ({@link #fittedTo} freezes a U-Net's): on the new-microscope selection frames
     * (docs/benchmarks.md), freezing it gave F 0.759 (adversarial) and 0.785 (cross-entropy) against
     * 0.805 and 0.861 with it trained, although the training loss of the frozen runs was far lower.
     */
    public static TrainConfig fineTuneDefaults() {
        return fineTuneDefaults(Architecture.PAPER);
    }

    /**
     * As {@link #fineTuneDefaults()}, with the learning rate measured for the starting model's estimator.
     * Fine-tunes run in cross-entropy unless asked otherwise, from labels and from scribbles alike: on
     * both new microscopes (benchmark prior, docs/benchmarks.md) continuing the shipped default's Rib
     * Cage D (labels) or keeping it frozen as a prior (scribbles) scored at or below cross-entropy with
     * the same steps, in about twice the time.
     */
    public static TrainConfig fineTuneDefaults(Architecture start) {
        return builder().mode(Mode.CROSS_ENTROPY).steps(FINE_TUNE_STEPS).validateEvery(FINE_TUNE_VALIDATE_EVERY)
                .learningRate(start == Architecture.UNET ? FINE_TUNE_LR_UNET : FINE_TUNE_LR).build();
    }

    /**
     * A fine-tune of {@code start} as every front end runs it before the user's own choices: its defaults
     * ({@link #fineTuneDefaults(Architecture)}) in {@code mode}, D frozen for scribbles (they give D no full
     * manual maps to learn from), the start's contour width, and periodic validation only with validation
     * frames (otherwise the annotated training frames are scored once, at the end). Not yet
     * {@link #fittedTo} the start, so that a caller can still change the crop size.
     */
    public static TrainConfig fineTune(org.segmentcells.model.Model.Start start, Mode mode, boolean scribbles,
            boolean validates) {
        TrainConfig d = fineTuneDefaults(start.architecture());
        return d.toBuilder().mode(mode).dSteps(scribbles ? 0 : d.dSteps()).contourWidth(start.info().contourWidth)
                .validateEvery(validates ? d.validateEvery() : 0).build();
    }

    /** The recipe the shipped models were trained with from scratch: {@link Builder}'s initial values. */
    public static TrainConfig defaults() {
        return builder().build();
    }

    /** Settings by name, starting from {@link #defaults()}: {@code TrainConfig.builder().steps(500).seed(3).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** These settings, to change some by name. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public TrainConfig withFreezeBatchNorm(boolean freeze) {
        return toBuilder().freezeBatchNorm(freeze).build();
    }

    /** Builds a {@link TrainConfig} by name; its initial values are the defaults. */
    public static final class Builder {
        private Mode mode = Mode.ADVERSARIAL;
        private int steps = 3000;
        private int batch = 16;
        private int patch = 64;
        private long seed = 1;
        private OptimizerKind optimizer = OptimizerKind.ADAM;
        private float learningRate = 1e-3f;
        private float learningRateD = 1e-4f;
        private float ceWeight = 1f;
        private float advWeight = 0.05f;
        private int dSteps = 1;
        private float realNoise = 0.2f;
        private float realBlur = 0f;
        private float realScale = 0f;
        private int contourWidth = 2;
        private int validateEvery = 250;
        private boolean freezeBatchNorm = false;
        private Architecture estimator = Architecture.PAPER;
        private Cropping cropping = Cropping.NONE;
        private int lrDropAt = 0;

        private Builder() {
        }

        private Builder(TrainConfig c) {
            mode = c.mode;
            steps = c.steps;
            batch = c.batch;
            patch = c.patch;
            seed = c.seed;
            optimizer = c.optimizer;
            learningRate = c.learningRate;
            learningRateD = c.learningRateD;
            ceWeight = c.ceWeight;
            advWeight = c.advWeight;
            dSteps = c.dSteps;
            realNoise = c.realNoise;
            realBlur = c.realBlur;
            realScale = c.realScale;
            contourWidth = c.contourWidth;
            validateEvery = c.validateEvery;
            freezeBatchNorm = c.freezeBatchNorm;
            estimator = c.estimator;
            cropping = c.cropping;
            lrDropAt = c.lrDropAt;
        }

        public Builder mode(Mode v) {
            mode = v;
            return this;
        }

        public Builder steps(int v) {
            steps = v;
            return this;
        }

        public Builder batch(int v) {
            batch = v;
            return this;
        }

        public Builder patch(int v) {
            patch = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder optimizer(OptimizerKind v) {
            optimizer = v;
            return this;
        }

        public Builder learningRate(float v) {
            learningRate = v;
            return this;
        }

        public Builder learningRateD(float v) {
            learningRateD = v;
            return this;
        }

        public Builder ceWeight(float v) {
            ceWeight = v;
            return this;
        }

        public Builder advWeight(float v) {
            advWeight = v;
            return this;
        }

        public Builder dSteps(int v) {
            dSteps = v;
            return this;
        }

        public Builder realNoise(float v) {
            realNoise = v;
            return this;
        }

        public Builder realBlur(float v) {
            realBlur = v;
            return this;
        }

        public Builder realScale(float v) {
            realScale = v;
            return this;
        }

        public Builder contourWidth(int v) {
            contourWidth = v;
            return this;
        }

        public Builder validateEvery(int v) {
            validateEvery = v;
            return this;
        }

        public Builder freezeBatchNorm(boolean v) {
            freezeBatchNorm = v;
            return this;
        }

        public Builder estimator(Architecture v) {
            estimator = v;
            return this;
        }

        public Builder cropping(Cropping v) {
            cropping = v;
            return this;
        }

        public Builder lrDropAt(int v) {
            lrDropAt = v;
            return this;
        }

        /** The settings; an IllegalArgumentException names any that is out of range. */
        public TrainConfig build() {
            return new TrainConfig(mode, steps, batch, patch, seed, optimizer, learningRate, learningRateD, ceWeight,
                    advWeight, dSteps, realNoise, realBlur, realScale, contourWidth, validateEvery, freezeBatchNorm,
                    estimator, cropping, lrDropAt);
        }
    }

    public TrainConfig {
        if (estimator == null || cropping == null) {
            throw new IllegalArgumentException("no estimator architecture or cropping given");
        }
        requireAtLeast(Setting.STEPS.mention(), steps, 0);
        requireAtLeast("batch", batch, 1);
        requireAtLeast("patch", patch, 16);
        requireAtLeast("d-steps", dSteps, 0);
        requireAtLeast("contour width", contourWidth, 1);
        // lr 0 trains D alone in an adversarial mode; elsewhere it would train nothing.
        if (!(learningRate > 0 || learningRate == 0 && mode.adversarial()) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException(Setting.LR.mention() + " must be above 0, got " + learningRate);
        }
        if (!(learningRateD >= 0) || Float.isInfinite(learningRateD)) {
            throw new IllegalArgumentException("the discriminator's learning rate must be 0 or more, got " + learningRateD);
        }
        if (lrDropAt < 0) {
            throw new IllegalArgumentException("the step the learning rates drop after must be 0 (never) or more, got "
                    + lrDropAt);
        }
        if (mode.adversarial() && patch % 8 != 0) {
            throw new IllegalArgumentException("patch size must be a multiple of 8 for the discriminators, got " + patch);
        }
    }

    private static void requireAtLeast(String setting, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(setting + " must be " + min + " or more, got " + value);
        }
    }

    public TrainConfig withMode(Mode m) {
        return toBuilder().mode(m).build();
    }

    public TrainConfig withEstimator(Architecture a) {
        return toBuilder().estimator(a).build();
    }

    public TrainConfig withPatch(int p) {
        return toBuilder().patch(p).build();
    }

    /**
     * This run adapted to a starting model: its estimator, and when it brings a discriminator, the crop
     * size its dense layers are sized for and the manual maps it learned from. A U-Net's batch norm
     * is frozen: fine-tuning the generalist U-Net on the new-microscope frames scored F 0.872 frozen
     * against 0.850 trained on the selection frames (0.803-0.840 against 0.740-0.772 on the test frames,
     * docs/benchmarks.md), while the paper's E did better with it trained.
     */
    public TrainConfig fittedTo(ModelInfo start) {
        Architecture a = Architecture.ofId(start.architecture);
        TrainConfig c = withEstimator(a);
        if (a == Architecture.UNET) {
            c = c.withFreezeBatchNorm(true);
        }
        ModelInfo.Training d = start.discriminatorRun();
        if (start.discriminator != null && d != null) {
            // D judges manual maps as it learned them: a D trained on E-scaled maps flags noisy one-hot
            // ones as fake at once, whatever their shape.
            c = c.toBuilder().patch(start.discriminatorPatch()).realNoise(d.realNoise).realBlur(d.realBlur)
                    .realScale(d.realScale).build();
        }
        return c;
    }

    /**
     * {@link #fittedTo}, keeping this config's crop size when {@code keepPatch} (the caller was given one, as
     * by the patch setting) rather than the starting D's.
     */
    public TrainConfig fittedTo(ModelInfo start, boolean keepPatch) {
        TrainConfig c = fittedTo(start);
        return keepPatch ? c.withPatch(patch) : c;
    }

    public TrainConfig withDSteps(int n) {
        return toBuilder().dSteps(n).build();
    }

    /**
     * One line for the training log: what a run will do, including what {@link #fittedTo} decided
     * (estimator, crop size, frozen batch norm), which the command line alone does not show.
     */
    public String summary() {
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
                "%s, %s estimator, %d steps, batch %d, %d px crops, %s lr %s", mode.id(), estimator.settingName(), steps,
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
                    .append(cropping.byArea() ? ", crops by area" : "")
                    .append(cropping.blur() > 0 ? ", blur up to " + (float) cropping.blur() + " px" : "")
                    .append(cropping.noise() > 0 ? ", noise up to " + (float) cropping.noise() : "");
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
        return toBuilder().lrDropAt(step).build();
    }

    /** In decimal, so 0.001 drops to the float 1.0E-4 that a learning rate of 0.0001 gives, not to 1.00000005E-4. */
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
        return toBuilder().learningRate(dropped(learningRate)).learningRateD(dropped(learningRateD)).lrDropAt(0).build();
    }

    public TrainConfig withSteps(int s) {
        return toBuilder().steps(s).build();
    }
}
