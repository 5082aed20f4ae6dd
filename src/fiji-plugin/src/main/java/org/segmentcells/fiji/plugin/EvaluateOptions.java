package org.segmentcells.fiji.plugin;

import ij.ImagePlus;

import java.util.List;
import java.util.Map;

/**
 * The two label images Evaluate Segmentation scores (macro keys as constants), and what it returns.
 *
 * @param groundTruth the ground-truth label image
 * @param prediction  the label image to score, plane by plane against {@code groundTruth}
 * @param minSize     objects smaller than this many pixels are ignored in both (0: none), as evaluate's
 *                    {@code --min-size}
 */
public record EvaluateOptions(ImagePlus groundTruth, ImagePlus prediction, int minSize) {

    /** Every object counts. */
    public EvaluateOptions(ImagePlus groundTruth, ImagePlus prediction) {
        this(groundTruth, prediction, 0);
    }

    public static final String TITLE = "Evaluate Segmentation";
    public static final String GROUND_TRUTH = "ground_truth";
    public static final String PREDICTION = "prediction";
    public static final String MIN_SIZE = SegmentOptions.MIN_SIZE;
    /** What {@link #MIN_SIZE} does here. */
    public static final String MIN_SIZE_HELP = "ignore objects smaller than this many pixels in both images (0: none)";
    /** Every key of Evaluate Segmentation's dialog. */
    public static final MacroOptions.Keys KEYS = MacroOptions.Keys.of(GROUND_TRUTH, PREDICTION)
            .wholeNumbers(java.util.Set.of(MIN_SIZE));
    /** Results table column of frame names: the plane number, then "total". */
    public static final String FRAME = "frame";

    /**
     * Why {@code title} does not name one image (null when it does): ImageJ finds the first of several open
     * images of one title, and segmenting one image twice, or files of one name in a loop, makes two
     * "x-labels", so the older could be scored without a word.
     */
    public static String ambiguous(String title, String key) {
        int[] ids = ij.WindowManager.getIDList();
        int same = 0;
        for (int id : ids == null ? new int[0] : ids) {
            ImagePlus imp = ij.WindowManager.getImage(id);
            if (imp != null && title.equals(imp.getTitle())) {
                same++;
            }
        }
        return same > 1 ? same + " open images are titled \"" + title + "\" (" + key + "); rename or close all but"
                + " one, since ImageJ would pick the first" : null;
    }

    /** One plane's scores by the CLI's column names (precision, recall, f, seg, ...). */
    public record PlaneScores(String frame, Map<String, Double> scores) {
    }

    /** A finished evaluation: per-plane scores, or the error message already shown to the user. */
    public record Outcome(List<PlaneScores> planes, String error) {
    }
}
