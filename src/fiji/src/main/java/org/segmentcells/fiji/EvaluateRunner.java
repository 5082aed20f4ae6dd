package org.segmentcells.fiji;

import static org.segmentcells.fiji.plugin.EvaluateOptions.FRAME;
import static org.segmentcells.fiji.plugin.EvaluateOptions.GROUND_TRUTH;
import static org.segmentcells.fiji.plugin.EvaluateOptions.PREDICTION;
import static org.segmentcells.fiji.plugin.EvaluateOptions.TITLE;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import ij.process.ImageProcessor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameResult;
import org.segmentcells.fiji.plugin.EvaluateOptions;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.eval.ScoreTable;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.fiji.plugin.Reports;

/**
 * Evaluate Segmentation on two open label images, shared by the SciJava command and the ImageJ 1.x
 * plugin: plane i of the prediction is scored against plane i of the ground truth with the core
 * {@link Evaluator}, and the scores go to the Results table with the CLI's column names.
 */
public final class EvaluateRunner {

    /** Ratios are written with 9 decimals so a saved table matches the core's scores to 1e-9. */
    static final int DECIMALS = 9;

    private EvaluateRunner() {
    }

    /** Scores, fills and shows the Results table, and reports errors to the user. */
    public static EvaluateOptions.Outcome runAndShow(ImagePlus groundTruth, ImagePlus prediction, int minSize) {
        try {
            List<FrameResult> frames = evaluate(groundTruth, prediction, minSize);
            ResultsTable rt = ResultsTable.getResultsTable();
            fill(rt, frames);
            // Headless, show() does nothing, but the table is still the one saveAs("Results", path) writes.
            rt.show("Results");
            return new EvaluateOptions.Outcome(frames.stream()
                    .map(f -> new EvaluateOptions.PlaneScores(f.frame(), f.scores().asMap())).toList(), null);
        } catch (IllegalArgumentException e) {
            String message = MacroSpelling.message(e);
            Reports.error(TITLE, message);
            return new EvaluateOptions.Outcome(null, message);
        }
    }

    /** One result per plane, named by plane number (1-based), every object counted. */
    public static List<FrameResult> evaluate(ImagePlus groundTruth, ImagePlus prediction) {
        return evaluate(groundTruth, prediction, 0);
    }

    /** The same, objects under {@code minSize} pixels ignored in both (the CLI's evaluate --min-size). */
    public static List<FrameResult> evaluate(ImagePlus groundTruth, ImagePlus prediction, int minSize) {
        if (groundTruth == null || prediction == null) {
            throw new IllegalArgumentException("choose two open label images: " + GROUND_TRUTH + " and " + PREDICTION);
        }
        check(groundTruth, GROUND_TRUTH);
        check(prediction, PREDICTION);
        if (groundTruth.getWidth() != prediction.getWidth() || groundTruth.getHeight() != prediction.getHeight()) {
            throw new IllegalArgumentException(PREDICTION + " \"" + prediction.getTitle() + "\" is "
                    + prediction.getWidth() + "x" + prediction.getHeight() + " but " + GROUND_TRUTH + " \""
                    + groundTruth.getTitle() + "\" is " + groundTruth.getWidth() + "x" + groundTruth.getHeight());
        }
        if (groundTruth.getStackSize() != prediction.getStackSize()) {
            throw new IllegalArgumentException(PREDICTION + " \"" + prediction.getTitle() + "\" has "
                    + prediction.getStackSize() + " planes but " + GROUND_TRUTH + " \"" + groundTruth.getTitle()
                    + "\" has " + groundTruth.getStackSize());
        }
        List<FrameResult> out = new ArrayList<>();
        ImageStack g = groundTruth.getStack();
        ImageStack p = prediction.getStack();
        for (int i = 1; i <= g.getSize(); i++) {
            LabelPlane gt = labels(g.getProcessor(i), groundTruth, i);
            LabelPlane pred = labels(p.getProcessor(i), prediction, i);
            if (i == 1) {
                // Scored all the same (the table says F 0), but a mask or a raw image is most likely a mix-up.
                warnIfNotLabels(gt, GROUND_TRUTH, groundTruth);
                warnIfNotLabels(pred, PREDICTION, prediction);
            }
            out.add(new FrameResult(Integer.toString(i), Evaluator.scoreFrame(gt, pred, minSize)));
        }
        return out;
    }

    private static void warnIfNotLabels(LabelPlane plane, String role, ImagePlus imp) {
        String kind = org.segmentcells.eval.LabelKind.warning(plane);
        if (kind != null) {
            ij.IJ.log(TITLE + ": warning: " + role + " \"" + imp.getTitle() + "\": " + kind);
        }
    }

    private static void check(ImagePlus imp, String role) {
        if (imp.getBitDepth() == 24 || imp.getType() == ImagePlus.COLOR_256) {
            throw new IllegalArgumentException(role + " \"" + imp.getTitle() + "\" is a colour image; label images"
                    + " are 8, 16 or 32-bit grayscale with 0 for background and k for object k");
        }
    }

    /** A plane as labels; non-integer or negative pixels are refused, naming the image. */
    static LabelPlane labels(ImageProcessor ip, ImagePlus imp, int plane) {
        int w = ip.getWidth();
        int h = ip.getHeight();
        int[] out = new int[w * h];
        // A signed 16-bit image holds its values shifted by 32768 (ImageJ's calibration says so).
        int offset = imp.getCalibration().isSigned16Bit() ? 32768 : 0;
        for (int i = 0; i < out.length; i++) {
            float v = ip.getf(i) - offset;
            if (!(v >= 0) || v != Math.rint(v)) {
                throw new IllegalArgumentException("\"" + imp.getTitle() + "\" is not a label image: plane " + plane
                        + " has the pixel value " + v + " at (" + i % w + "," + i / w + ")");
            }
            out[i] = (int) v;
        }
        return new LabelPlane(w, h, out);
    }

    /**
     * Clears {@code rt} and writes one row per frame plus a {@code total} row (counts pooled, as in the
     * CLI), with the columns of {@link ScoreTable#HEADER}.
     */
    public static void fill(ResultsTable rt, List<FrameResult> frames) {
        rt.reset();
        for (FrameResult f : frames) {
            row(rt, f.frame(), f.scores());
        }
        row(rt, ScoreTable.TOTAL, Evaluator.poolResults(frames));
        for (String c : ScoreTable.HEADER.split(",")) {
            int col = rt.getColumnIndex(c);
            if (col >= 0 && !isCount(c) && !c.equals(FRAME)) {
                rt.setDecimalPlaces(col, DECIMALS);
            }
        }
    }

    private static boolean isCount(String column) {
        return switch (column) {
            case "n_gt", "n_pred", "tp", "fp", "fn" -> true;
            default -> false;
        };
    }

    private static void row(ResultsTable rt, String frame, FrameScores s) {
        rt.incrementCounter();
        rt.addValue(FRAME, frame);
        rt.addValue("n_gt", s.nGt());
        rt.addValue("n_pred", s.nPred());
        rt.addValue("tp", s.tp());
        rt.addValue("fp", s.fp());
        rt.addValue("fn", s.fn());
        for (Map.Entry<String, Double> e : s.asMap().entrySet()) {
            rt.addValue(e.getKey(), e.getValue());
        }
    }
}
