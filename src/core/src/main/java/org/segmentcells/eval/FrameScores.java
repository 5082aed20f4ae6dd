package org.segmentcells.eval;

/**
 * Object-level and pixel-level scores of one frame, or of several frames pooled by
 * {@link Evaluator#pool(java.util.List)}.
 *
 * <p>Definitions (GT = ground truth; objects are the distinct non-zero label ids left after the optional
 * minimum-size filter; IoU(g, p) = |g &cap; p| / |g &cup; p| in pixels):
 * <ul>
 *   <li>A GT object g and a predicted object p are <em>matched</em> when IoU(g, p) &gt; 0.5 (strictly).
 *       Such matches are one-to-one. {@code tp} = number of matched pairs, {@code fp} = predicted objects
 *       without a match ({@code nPred - tp}), {@code fn} = GT objects without a match ({@code nGt - tp}).</li>
 *   <li>{@code sumMatchedIoU} = sum of IoU over the matched pairs.</li>
 *   <li>{@code fgJaccard} = |G &cap; P| / |G &cup; P| where G and P are the binary foregrounds (label &gt; 0)
 *       of GT and prediction. For pooled scores it is the <em>mean over frames</em> of the per-frame
 *       value (the J of Arbelle and Riklin Raviv, ISBI 2018).</li>
 *   <li>{@code segSum} = sum over GT objects of the Cell Tracking Challenge SEG value: IoU(g, p) for the
 *       predicted object p that covers strictly more than half of the pixels of g, or 0 if there is none.</li>
 * </ul>
 * Derived (for pooled scores all counts and sums are totals over frames, so these are pooled, not
 * averaged per frame):
 * <ul>
 *   <li>{@link #precision()} = tp / (tp + fp), {@link #recall()} = tp / (tp + fn),</li>
 *   <li>{@link #f()} = 2&middot;P&middot;R / (P + R) = 2tp / (2tp + fp + fn),</li>
 *   <li>{@link #ap50()} = tp / (tp + fp + fn) (average precision at IoU threshold 0.5),</li>
 *   <li>{@link #matchedJaccard()} = sumMatchedIoU / tp (mean IoU of matched pairs),</li>
 *   <li>{@link #seg()} = segSum / nGt (mean SEG over all GT objects).</li>
 * </ul>
 * Zero denominators: when there are neither GT nor predicted objects ({@code nGt == 0 && nPred == 0})
 * the result is perfect and every ratio, including {@code fgJaccard}, is 1. Otherwise a ratio whose
 * denominator is 0 is 0 (for example precision with GT objects but no predictions, recall or SEG with
 * predictions but no GT objects, matched Jaccard with tp = 0).
 */
public record FrameScores(int nGt, int nPred, int tp, int fp, int fn, double sumMatchedIoU, double fgJaccard,
        double segSum) {

    public FrameScores {
        if (nGt < 0 || nPred < 0 || tp < 0 || fp < 0 || fn < 0) {
            throw new IllegalArgumentException("negative count: nGt=" + nGt + " nPred=" + nPred + " tp=" + tp
                    + " fp=" + fp + " fn=" + fn);
        }
        if (tp + fp != nPred || tp + fn != nGt) {
            throw new IllegalArgumentException("inconsistent counts: need tp+fp=nPred and tp+fn=nGt, got nGt="
                    + nGt + " nPred=" + nPred + " tp=" + tp + " fp=" + fp + " fn=" + fn);
        }
        if (!(sumMatchedIoU >= 0 && sumMatchedIoU <= tp + 1e-9)) {
            throw new IllegalArgumentException("sumMatchedIoU must be in [0, tp], got " + sumMatchedIoU);
        }
        if (!(fgJaccard >= 0 && fgJaccard <= 1)) {
            throw new IllegalArgumentException("fgJaccard must be in [0, 1], got " + fgJaccard);
        }
        if (!(segSum >= 0 && segSum <= nGt + 1e-9)) {
            throw new IllegalArgumentException("segSum must be in [0, nGt], got " + segSum);
        }
    }

    /** True when there are neither GT nor predicted objects: the perfect, vacuous case. */
    public boolean isEmpty() {
        return nGt == 0 && nPred == 0;
    }

    /** tp / (tp + fp); 1 if empty, 0 if there are no predictions but GT objects. */
    public double precision() {
        return ratio(tp, tp + fp);
    }

    /** tp / (tp + fn); 1 if empty, 0 if there are no GT objects but predictions. */
    public double recall() {
        return ratio(tp, tp + fn);
    }

    /** F1 = 2tp / (2tp + fp + fn), equal to 2PR / (P + R); 1 if empty. */
    public double f() {
        return ratio(2.0 * tp, 2.0 * tp + fp + fn);
    }

    /** tp / (tp + fp + fn); 1 if empty. */
    public double ap50() {
        return ratio(tp, (double) tp + fp + fn);
    }

    /** Mean IoU over matched pairs, sumMatchedIoU / tp; 1 if empty, 0 if tp = 0 otherwise. */
    public double matchedJaccard() {
        return ratio(sumMatchedIoU, tp);
    }

    /** Mean CTC SEG over GT objects, segSum / nGt; 1 if empty, 0 if there are predictions but no GT. */
    public double seg() {
        return ratio(segSum, nGt);
    }

    /** The ratios under the names used in CSV columns, Results tables and model.json. */
    public java.util.Map<String, Double> asMap() {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("precision", precision());
        m.put("recall", recall());
        m.put("f", f());
        m.put("fg_jaccard", fgJaccard);
        m.put("matched_jaccard", matchedJaccard());
        m.put("seg", seg());
        m.put("ap50", ap50());
        return m;
    }

    private double ratio(double num, double den) {
        if (isEmpty()) {
            return 1.0;
        }
        return den == 0 ? 0.0 : num / den;
    }
}
