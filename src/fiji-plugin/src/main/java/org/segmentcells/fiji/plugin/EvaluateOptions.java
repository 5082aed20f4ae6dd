package org.segmentcells.fiji.plugin;

import ij.ImagePlus;

import java.util.List;
import java.util.Map;

/**
 * The two label images Evaluate Segmentation scores (macro keys as constants), and what it returns.
 *
 * @param groundTruth the ground-truth label image
 * @param prediction  the label image to score, plane by plane against {@code groundTruth}
 */
public record EvaluateOptions(ImagePlus groundTruth, ImagePlus prediction) {

    public static final String TITLE = "Evaluate Segmentation";
    public static final String GROUND_TRUTH = "ground_truth";
    public static final String PREDICTION = "prediction";
    /** Every key of Evaluate Segmentation's dialog. */
    public static final MacroOptions.Keys KEYS = MacroOptions.Keys.of(GROUND_TRUTH, PREDICTION);
    /** Results table column of frame names: the plane number, then "total". */
    public static final String FRAME = "frame";

    /** One plane's scores by the CLI's column names (precision, recall, f, seg, ...). */
    public record PlaneScores(String frame, Map<String, Double> scores) {
    }

    /** A finished evaluation: per-plane scores, or the error message already shown to the user. */
    public record Outcome(List<PlaneScores> planes, String error) {
    }
}
