package org.segmentcells.fiji.plugin;

import java.util.List;
import java.util.Locale;

/**
 * The choices of Fine-tune Model (macro keys as constants); validated on construction. The folders are
 * needed for labels and scribbles only; {@code unmarkedUnlabelled} matters for roi_manager only.
 */
public record FineTuneOptions(String images, String annotations, String annotationType, String init, int steps,
        String output, boolean unmarkedUnlabelled, String validationImages, String validationLabels,
        float pseudoLabels, String mode) {
    public FineTuneOptions {
        mode = mode == null || mode.isBlank() ? DEFAULT_MODE : mode.strip();
        if (!List.of(MODES).contains(mode)) {
            throw new IllegalArgumentException(MODE + " must be one of " + String.join(", ", MODES) + ", got '"
                    + mode + "'");
        }
        validationImages = validationImages == null || validationImages.isBlank() ? null : validationImages;
        validationLabels = validationLabels == null || validationLabels.isBlank() ? null : validationLabels;
        if ((validationImages == null) != (validationLabels == null)) {
            throw new IllegalArgumentException("give both " + VALIDATION_IMAGES + " and " + VALIDATION_LABELS
                    + " (annotated frames set aside to keep the best model), or neither");
        }
        if (validationImages != null && images != null && !images.isBlank()
                && java.nio.file.Path.of(images.strip()).toAbsolutePath().normalize()
                        .equals(java.nio.file.Path.of(validationImages.strip()).toAbsolutePath().normalize())) {
            throw new IllegalArgumentException(IMAGES + " and " + VALIDATION_IMAGES + " are the same folder, " + images
                    + "; validation frames must be frames the model does not train on");
        }
        if (!List.of(TYPES).contains(annotationType)) {
            throw new IllegalArgumentException(ANNOTATION_TYPE + " must be " + LABELS + ", " + SCRIBBLES + " or "
                    + ROI_MANAGER + ", got '" + annotationType + "'");
        }
        if (!ROI_MANAGER.equals(annotationType) && (images == null || images.isBlank() || annotations == null
                || annotations.isBlank())) {
            throw new IllegalArgumentException("give the " + IMAGES + " and " + ANNOTATIONS + " folders (or "
                    + ANNOTATION_TYPE + "=" + ROI_MANAGER + " to train on the open image and its ROIs)");
        }
        if (init == null || init.isBlank()) {
            throw new IllegalArgumentException("give the starting model (" + INIT + "), e.g. " + INIT + "=default");
        }
        if (steps < 0) {
            throw new IllegalArgumentException(STEPS + " must be at least 0 (0 only calibrates), got " + steps);
        }
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("give the " + OUTPUT + " model folder");
        }
        if (!(pseudoLabels >= 0 && pseudoLabels <= 1) && pseudoLabels != MODE_PSEUDO_LABELS) {
            throw new IllegalArgumentException(PSEUDO_LABELS + " must be from 0 (off) to 1, or -1 for the mode's"
                    + " default, got " + pseudoLabels);
        }
    }

    /** Options built by name: {@code FineTuneOptions.builder().labels(images, labels).init("default")...build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Sets each choice by its name; {@link #build} checks them together. */
    public static final class Builder {
        private String images;
        private String annotations;
        private String annotationType = LABELS;
        private String init;
        private int steps = DEFAULT_STEPS;
        private String output;
        private boolean unmarkedUnlabelled;
        private String validationImages;
        private String validationLabels;
        private float pseudoLabels = MODE_PSEUDO_LABELS;
        private String mode = DEFAULT_MODE;

        private Builder() {
        }

        /** {@link #IMAGES} and {@link #ANNOTATIONS} folders, of {@link #ANNOTATION_TYPE} {@code type}. */
        public Builder annotated(String images, String annotations, String type) {
            this.images = images;
            this.annotations = annotations;
            this.annotationType = type;
            return this;
        }

        /** {@link #ANNOTATION_TYPE} alone (roi_manager needs no folders). */
        public Builder annotationType(String type) {
            this.annotationType = type;
            return this;
        }

        public Builder init(String model) {
            this.init = model;
            return this;
        }

        public Builder steps(int n) {
            this.steps = n;
            return this;
        }

        public Builder output(String folder) {
            this.output = folder;
            return this;
        }

        /** {@link #UNMARKED_UNLABELLED}, for roi_manager. */
        public Builder unmarkedUnlabelled(boolean on) {
            this.unmarkedUnlabelled = on;
            return this;
        }

        /** {@link #VALIDATION_IMAGES} and {@link #VALIDATION_LABELS}; blank or null for none. */
        public Builder validation(String images, String labels) {
            this.validationImages = images;
            this.validationLabels = labels;
            return this;
        }

        /** {@link #PSEUDO_LABELS}; {@link #MODE_PSEUDO_LABELS} for the mode's default. */
        public Builder pseudoLabels(float weight) {
            this.pseudoLabels = weight;
            return this;
        }

        public Builder mode(String m) {
            this.mode = m;
            return this;
        }

        /** The options; an IllegalArgumentException names the key that is wrong. */
        public FineTuneOptions build() {
            return new FineTuneOptions(images, annotations, annotationType, init, steps, output, unmarkedUnlabelled,
                    validationImages, validationLabels, pseudoLabels, mode);
        }
    }

    public boolean validates() {
        return validationImages != null;
    }

    public boolean fromRois() {
        return ROI_MANAGER.equals(annotationType);
    }

    /** The options as macro arguments, recorded in model.json. */
    public String macroString() {
        String source = fromRois() ? ANNOTATION_TYPE + "=" + annotationType
                + (unmarkedUnlabelled ? " " + UNMARKED_UNLABELLED : "")
                : IMAGES + "=[" + images + "] " + ANNOTATIONS + "=[" + annotations + "] " + ANNOTATION_TYPE + "="
                        + annotationType;
        String validation = validates() ? " " + VALIDATION_IMAGES + "=[" + validationImages + "] "
                + VALIDATION_LABELS + "=[" + validationLabels + "]" : "";
        String pseudo = LABELS.equals(annotationType) || pseudoLabels == MODE_PSEUDO_LABELS ? ""
                : " " + PSEUDO_LABELS + "=" + String.format(Locale.ROOT, "%.2f", pseudoLabels);
        return source + " " + MODE + "=" + mode + " " + INIT + "=[" + init + "] " + STEPS + "=" + steps + pseudo
                + validation + " " + OUTPUT + "=[" + output + "]";
    }

    public static final String TITLE = "Fine-tune Model";
    public static final String IMAGES = "images";
    public static final String ANNOTATIONS = "annotations";
    public static final String ANNOTATION_TYPE = "annotation_type";
    public static final String INIT = "init";
    public static final String STEPS = "steps";
    public static final String OUTPUT = "output";
    /** The open image annotated with ROIs (annotation_type=roi_manager). */
    public static final String IMAGE = "image";
    public static final String UNMARKED_UNLABELLED = "unmarked_unlabelled";
    /** For scribbles: weight of the starting model's own classes on unscribbled pixels (0: off; -1: the mode's). */
    public static final String PSEUDO_LABELS = "pseudo_labels";
    /** {@link #PSEUDO_LABELS} value meaning the mode's default, as {@code min_size=-1} means the model's. */
    public static final float MODE_PSEUDO_LABELS = -1;
    /** What {@link #PSEUDO_LABELS} takes, for the dialogs (a test in src/fiji checks the core's values). */
    public static final String PSEUDO_LABELS_HELP = "-1: the mode's default (0.03; 0.3 in the adversarial modes);"
            + " 0: off";
    /** adversarial (the paper's method), cross-entropy (default, measured) or classdisc, as train --mode. */
    public static final String MODE = "mode";
    /** In the order the dialog offers them: the method, then its baselines. */
    public static final String[] MODES = {"adversarial", "cross-entropy", "classdisc"};
    /** The core's fine-tune defaults (a test in src/fiji checks they match). */
    public static final String DEFAULT_MODE = "cross-entropy";
    /** Optional annotated frames set aside: the model with the best F on them is kept. */
    public static final String VALIDATION_IMAGES = "validation_images";
    public static final String VALIDATION_LABELS = "validation_labels";
    /** Every key of Fine-tune Model's dialog (and the SciJava command's plain inputs). */
    public static final MacroOptions.Keys KEYS = MacroOptions.Keys.of(IMAGES, ANNOTATIONS, ANNOTATION_TYPE, MODE, INIT,
            VALIDATION_IMAGES, VALIDATION_LABELS, OUTPUT).wholeNumbers(java.util.Set.of(STEPS))
            .numbers(java.util.Set.of(PSEUDO_LABELS)).tickBoxes(UNMARKED_UNLABELLED);
    public static final String LABELS = "labels";
    public static final String SCRIBBLES = "scribbles";
    public static final String ROI_MANAGER = "roi_manager";
    public static final String[] TYPES = {LABELS, SCRIBBLES, ROI_MANAGER};
    public static final int DEFAULT_STEPS = 500;
}
