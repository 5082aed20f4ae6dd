package org.segmentcells.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.segmentcells.scale.TrainingSize;
import org.segmentcells.segment.Scale;

/**
 * The contents of model.json. Field names are the JSON keys. {@link #format} is checked on load: a
 * model written by a newer, incompatible version is refused with a clear message.
 */
public final class ModelInfo {

    /** The model.json format this version writes and the newest it reads. */
    public static final int FORMAT = 1;

    public int format = FORMAT;
    public String architecture;
    public String discriminator;
    public List<String> classes = List.of("background", "nucleus", "contour");
    /** Input percentiles mapped to 0 and 1. */
    public double normLow = 1.0;
    public double normHigh = 99.8;
    public int contourWidth = 2;
    /** Defaults for turning probabilities into instances. */
    public double seedThreshold = 0.5;
    public int minSize = 30;
    /**
     * Factor the image is resized by before E (below 1 for nuclei larger than those E learned from): a
     * number (1, or chosen by calibration on annotated frames), or {@code "auto"}, which measures each
     * image's nuclei and brings them into {@link #trainingSize()}. New models are auto unless calibrated;
     * model.json files written before auto scale hold a number.
     */
    @com.google.gson.annotations.JsonAdapter(Scale.Json.class)
    public Scale scale = Scale.AUTO;
    /**
     * The size E was trained at: median equivalent diameter (px) of the training nuclei as E saw them
     * (after the training scale). 0 when unknown (models made before auto scale): auto then uses scale 1.
     */
    public double objectDiameter;
    /**
     * The range of the training frames' own median diameters (25th and 75th percentile, px, as E saw
     * them); images with nuclei inside it are not resized under auto. Null when unknown.
     */
    public double[] objectDiameterRange;
    /**
     * True when every training frame was shown at sizes across {@link #objectDiameterRange} (its own size
     * brought into the range, and both ends), so E met each kind of image anywhere in the range and auto
     * scale checks scale 1 only on sharp planes ({@link TrainingSize#learnedResized()}). Null otherwise.
     */
    public Boolean trainedAcrossRange;

    public Training training = new Training();

    /**
     * What a fine-tune that a check judges had trained when it saved weights the check has not judged yet
     * ("fine-tuned 50 of 300 steps"): left by a run stopped before its check (killed, or cancelled). Null once
     * checked, and for every other model.
     */
    public String unchecked;

    /**
     * One line for a front end to warn with before it segments with this model (the {@code folder}), or null:
     * a fine-tune that its check never judged may do worse than its start.
     */
    public String caution(java.nio.file.Path folder) {
        return unchecked == null ? null : folder + ": " + unchecked + " and never checked against its start ("
                + training.init + "), so it may do worse than that model";
    }

    /**
     * The crop size (px) the model's discriminator was trained on, which its dense layers are sized for;
     * 64, the recipe's, when model.json does not say.
     */
    public int discriminatorPatch() {
        Training t = discriminatorRun();
        return t != null && t.patch > 0 ? t.patch : 64;
    }

    /** The run that trained the discriminator: its own ({@link #discriminatorTraining}), or E's with it. */
    public Training discriminatorRun() {
        return discriminatorTraining != null ? discriminatorTraining : training;
    }

    /**
     * How the discriminator was trained when that was a run of its own, against the finished estimator
     * that {@link #training} describes (E's learning rate 0), or, for a D a cross-entropy fine-tune carried
     * unchanged from its start, the start's; null when both were trained together.
     */
    public Training discriminatorTraining;
    /** How a fine-tune compared with its start on held-out annotated data; null when not checked. */
    public Check fineTuneCheck;
    public Map<String, Double> validation = new LinkedHashMap<>();
    public String toolVersion;
    public String created;

    /** {@link #objectDiameter} and {@link #objectDiameterRange} as one value. */
    public TrainingSize trainingSize() {
        if (!(objectDiameter > 0)) {
            return TrainingSize.UNKNOWN;
        }
        return objectDiameterRange == null ? TrainingSize.point(objectDiameter)
                : TrainingSize.learned(objectDiameter, objectDiameterRange[0], objectDiameterRange[1],
                        Boolean.TRUE.equals(trainedAcrossRange), training != null ? training.blur : 0);
    }

    /**
     * The minimum size in pixels at the training size: as stored for a model whose scale is auto; a
     * calibrated model stores it in pixels of the images it calibrated on, at its fixed scale.
     */
    public double minSizeAtTrainingSize() {
        return scale == null || scale.isAuto() ? minSize : minSize * scale.factor() * scale.factor();
    }

    /** Switches this description to scale auto, its minimum size brought to the training size with it. */
    public void toAutoScale() {
        minSize = (int) Math.round(minSizeAtTrainingSize());
        scale = Scale.AUTO;
    }

    /**
     * Refuses, before any image is read or TensorFlow starts, settings this model cannot take
     * ({@link UnusableSetting}, naming the setting): a diameter, without the training size it is compared
     * with; a tile smaller than its estimator's margins allow.
     */
    public void requireUsable(SegmentSettings s) {
        try {
            if (s.diameter() != null) {
                org.segmentcells.scale.AutoScale.forDiameter(s.diameter(), trainingSize());
            }
            org.segmentcells.nets.Architecture a = org.segmentcells.nets.Architecture.ofId(architecture);
            if (a != null) {
                org.segmentcells.segment.Segmenter.checkTile(a, s.tile());
            }
        } catch (IllegalArgumentException e) {
            throw new UnusableSetting(e.getMessage());
        }
    }

    /** A setting the user gave that this model cannot take: a front end reports it as a mistake in its options. */
    public static final class UnusableSetting extends IllegalArgumentException {
        public UnusableSetting(String message) {
            super(message);
        }
    }

    /**
     * A new description for a model fine-tuned from {@code start} (null: trained from scratch): it keeps the
     * start's training size until the Trainer measures its own (not on scribbles without pseudo-labels).
     */
    public static ModelInfo fineTunedFrom(ModelInfo start) {
        ModelInfo info = new ModelInfo();
        if (start != null) {
            info.objectDiameter = start.objectDiameter;
            info.objectDiameterRange = start.objectDiameterRange == null ? null : start.objectDiameterRange.clone();
        }
        return info;
    }

    /** Records a measured training size. */
    public void setTrainingSize(TrainingSize size) {
        objectDiameter = Math.round(size.median() * 10) / 10.0;
        objectDiameterRange = new double[] {Math.round(size.low() * 10) / 10.0, Math.round(size.high() * 10) / 10.0};
    }

    /** The outcome of {@code train.FineTuneCheck}. */
    public static final class Check {
        public static final String FINE_TUNED = "fine-tuned";
        public static final String START = "start";
        public static final String CALIBRATED = "calibrated";
        /**
         * Which model the folder holds: the fine-tuned one; the start (unchanged) when it scored higher; or the
         * start with the settings calibrated on the annotated frames, when that calibration alone scored highest.
         */
        public String kept;
        /**
         * The command that made this folder (the user's fine-tune or calibration), which {@code training} does
         * not say when the check kept the start's weights; null when none was recorded.
         */
        public String commandLine;
        /** Pooled F of the start and of the fine-tune on annotated frames; null when checked on strokes. */
        public Double fStart;
        public Double fFineTuned;
        /** Pooled SEG of each, which decides when F ties exactly; null when checked on strokes. */
        public Double segStart;
        public Double segFineTuned;
        /**
         * For scribbles without validation frames: how the start and the fine-tune agree with the strokes
         * held out of training (the mean of the nucleus and background shares); null when checked by F.
         */
        public Double strokesStart;
        public Double strokesFineTuned;
        /**
         * For a fine-tune that calibrated its start on full labels: F and SEG of that calibration alone (the start's
         * weights with the calibrated settings), and its scale; null otherwise.
         */
        public Double fCalibrated;
        public Double segCalibrated;
        public Double calibratedScale;
        public int frames;
        /** What was checked on: validation frames, held-out parts of the annotated frames, or held-out strokes. */
        public String on;
        /** The scale the start scored at: "auto", or null for its own setting. */
        public String startScale;

        /** Whether the folder holds the start's weights (unchanged, or with calibrated settings), not the fine-tune's. */
        public boolean keptStartWeights() {
            return START.equals(kept) || CALIBRATED.equals(kept);
        }
    }

    /** How the model was trained. */
    public static final class Training {
        public String mode;
        public String init;
        public int steps;
        public int bestStep;
        public long seed;
        public int batch;
        public int patch;
        public String optimizer;
        public float learningRate;
        public float learningRateD;
        /** Both learning rates dropped tenfold after this step ({@code TrainConfig.lrDropAt}); 0: never. */
        public int lrDropAt;
        public float ceWeight;
        public float advWeight;
        public int dSteps;
        public float realNoise;
        public float realBlur;
        public float realScale;
        public boolean freezeBatchNorm;
        /** Crop augmentation ({@code train.Cropping}); 1, 1 and false before 2026-11-27. */
        public double zoom = 1;
        public double gamma = 1;
        public boolean cropsByArea;
        /** Largest Gaussian sigma (px) of the training crops' blur ({@code Cropping.blur}); 0 before 2026-12-05. */
        public double blur;
        /** Largest standard deviation of the noise added to the training crops ({@code Cropping.noise}); 0 before 2026-12-06. */
        public double noise;
        /**
         * The scale the training frames were cut at, and how it was chosen, as the log says it
         * ({@code scale 0.54 (auto, nuclei 36 px), the median of the 12 nuclei outlined whole}); null for
         * models trained before 2026-12-06.
         */
        public String scale;
        /** Weight of the starting model's classes on unscribbled pixels (scribble fine-tunes; 0: none). */
        public float pseudoLabels;
        public double wallSeconds;
        public List<String> frames = new ArrayList<>();
        public List<String> validationFrames = new ArrayList<>();
        public String commandLine;
    }
}
