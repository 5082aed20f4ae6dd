package org.segmentcells.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;

/**
 * Scores instance segmentations against ground truth (GT) label images.
 *
 * <p>Per frame ({@link #scoreFrame}): objects are the distinct non-zero label ids. If {@code minSize > 1},
 * every object (GT or predicted) with fewer than {@code minSize} pixels is first set to background, for
 * every metric. GT object g and predicted object p are matched when IoU(g, p) = |g &cap; p| / |g &cup; p|
 * &gt; 0.5 strictly (IoU exactly 0.5 is not a match); tp = matched pairs, fp = unmatched predictions,
 * fn = unmatched GT objects. The CTC SEG value of a GT object g is IoU(g, p) for the predicted object p
 * with |g &cap; p| &gt; |g| / 2 (strictly), or 0 if there is none. The foreground Jaccard compares the
 * binary masks label &gt; 0. See {@link FrameScores} for all definitions and the 0/0 conventions.
 *
 * <p>Pooled over frames ({@link #pool}): tp, fp, fn, nGt, nPred, the matched-IoU sum and the SEG sum are
 * summed, so precision, recall, F, AP@0.5, matched Jaccard and SEG are pooled over all objects of all
 * frames; the foreground Jaccard is the mean of the per-frame values.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * Scores one frame. One pass over the pixels counts the overlap of every (GT id, prediction id) pair
     * that actually touches, so the cost is O(pixels + touching pairs), independent of nGt &times; nPred.
     *
     * @param minSize objects smaller than this (in pixels) are removed from both images first; values
     *                &lt;= 1 disable the filter
     * @throws IllegalArgumentException if the images differ in size or contain a negative label
     */
    public static FrameScores scoreFrame(LabelPlane gt, LabelPlane pred, int minSize) {
        Objects.requireNonNull(gt, "gt");
        Objects.requireNonNull(pred, "pred");
        if (gt.width() != pred.width() || gt.height() != pred.height()) {
            throw new IllegalArgumentException("ground truth is " + gt.width() + "x" + gt.height()
                    + " but prediction is " + pred.width() + "x" + pred.height());
        }
        int[] g = gt.data();
        int[] p = pred.data();
        int n = g.length;

        // Pass 1: areas per id. Labels come in runs along rows, so remembering the last id skips most
        // hash look-ups.
        IdCounter gIds = new IdCounter();
        IdCounter pIds = new IdCounter();
        int lastG = 0;
        int lastGi = -1;
        int lastP = 0;
        int lastPi = -1;
        for (int i = 0; i < n; i++) {
            int a = g[i];
            int b = p[i];
            if (a != 0) {
                if (a < 0) {
                    throw new IllegalArgumentException("ground truth has negative label " + a);
                }
                if (a == lastG) {
                    gIds.incrementIndex(lastGi);
                } else {
                    lastGi = gIds.increment(a);
                    lastG = a;
                }
            }
            if (b != 0) {
                if (b < 0) {
                    throw new IllegalArgumentException("prediction has negative label " + b);
                }
                if (b == lastP) {
                    pIds.incrementIndex(lastPi);
                } else {
                    lastPi = pIds.increment(b);
                    lastP = b;
                }
            }
        }
        boolean[] keepG = keep(gIds, minSize);
        boolean[] keepP = keep(pIds, minSize);
        int nGt = countTrue(keepG);
        int nPred = countTrue(keepP);

        // Pass 2: overlaps of kept objects and the binary foreground overlap.
        PairCounter pairs = new PairCounter();
        long fgInter = 0;
        long fgUnion = 0;
        lastG = 0;
        lastGi = -1;
        lastP = 0;
        lastPi = -1;
        for (int i = 0; i < n; i++) {
            int a = g[i];
            int b = p[i];
            int gi = -1;
            int pi = -1;
            if (a != 0) {
                if (a != lastG) {
                    lastG = a;
                    lastGi = gIds.indexOf(a);
                }
                gi = keepG[lastGi] ? lastGi : -1;
            }
            if (b != 0) {
                if (b != lastP) {
                    lastP = b;
                    lastPi = pIds.indexOf(b);
                }
                pi = keepP[lastPi] ? lastPi : -1;
            }
            if (gi >= 0 || pi >= 0) {
                fgUnion++;
                if (gi >= 0 && pi >= 0) {
                    fgInter++;
                    pairs.increment(PairCounter.key(gi, pi));
                }
            }
        }

        // Matching. IoU > 0.5 makes the pairing one-to-one: IoU(g, p) > 0.5 implies
        // |g ∩ p| > |g ∪ p| / 2 >= |g| / 2, i.e. p covers more than half of g. Predicted objects are
        // disjoint, so two of them cannot both cover more than half of g; symmetrically two GT objects
        // cannot both have IoU > 0.5 with the same p. Hence no assignment step is needed.
        // Tests use integers (3c > |g| + |p|  <=>  c / (|g| + |p| - c) > 1/2) so 0.5 is never a
        // rounding question.
        int[] tp = {0};
        double[] sumIoU = {0};
        double[] segSum = {0};
        pairs.forEach((gi, pi, c) -> {
            long ag = gIds.count(gi);
            long ap = pIds.count(pi);
            double iou = (double) c / (ag + ap - c);
            if (3L * c > ag + ap) {
                tp[0]++;
                sumIoU[0] += iou;
            }
            // CTC SEG: at most one (disjoint) prediction covers more than half of g.
            if (2L * c > ag) {
                segSum[0] += iou;
            }
        });
        double fgJaccard = fgUnion == 0 ? 1.0 : (double) fgInter / fgUnion;
        return new FrameScores(nGt, nPred, tp[0], nPred - tp[0], nGt - tp[0], sumIoU[0], fgJaccard, segSum[0]);
    }

    private static boolean[] keep(IdCounter ids, int minSize) {
        boolean[] keep = new boolean[ids.size()];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = ids.count(i) >= minSize;
        }
        return keep;
    }

    private static int countTrue(boolean[] a) {
        int c = 0;
        for (boolean b : a) {
            if (b) {
                c++;
            }
        }
        return c;
    }

    /**
     * Pools frame scores: nGt, nPred, tp, fp, fn, sumMatchedIoU and segSum are summed, fgJaccard is the
     * mean of the per-frame values. The derived ratios of the result are therefore pooled over all
     * objects (precision = &Sigma;tp / (&Sigma;tp + &Sigma;fp), SEG = &Sigma;segSum / &Sigma;nGt, ...),
     * with the same 0/0 conventions as a single frame (all-empty totals score 1).
     *
     * @throws IllegalArgumentException if {@code frames} is empty
     */
    public static FrameScores pool(List<FrameScores> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames to pool");
        }
        int nGt = 0;
        int nPred = 0;
        int tp = 0;
        double sumIoU = 0;
        double fg = 0;
        double seg = 0;
        for (FrameScores s : frames) {
            nGt = Math.addExact(nGt, s.nGt());
            nPred = Math.addExact(nPred, s.nPred());
            tp += s.tp();
            sumIoU += s.sumMatchedIoU();
            fg += s.fgJaccard();
            seg += s.segSum();
        }
        return new FrameScores(nGt, nPred, tp, nPred - tp, nGt - tp, sumIoU, fg / frames.size(), seg);
    }

    /** {@link #pool(List)} over the scores of named frames. */
    public static FrameScores poolResults(List<FrameResult> frames) {
        return pool(frames.stream().map(FrameResult::scores).toList());
    }

    /**
     * Scores every GT image in {@code gtDir} against the prediction in {@code predDir} with the same file
     * stem (name without extension, so {@code a.png} pairs with {@code a.tif}). Files whose names are not
     * images ({@link ImageFiles#isImageName}) are skipped. Frames are processed in sorted stem order; a stack
     * or time-lapse is scored plane by plane, each plane a frame named {@code STEM:1}, {@code STEM:2}, ...
     *
     * @param warnings receives one message per prediction without a GT image (those are ignored)
     * @return one result per GT image, named by stem, in sorted order
     * @throws IOException if a folder is missing or holds no GT images, if a GT image has no prediction,
     *                     if two images in one folder share a stem, if a file cannot be read, or if a
     *                     prediction's size or number of planes differs from its GT's
     */
    public static List<FrameResult> evaluateFolders(Path gtDir, Path predDir, int minSize,
            Consumer<String> warnings) throws IOException {
        Map<String, Path> gts = new TreeMap<>(ImageFiles.imagesByStem(gtDir, "ground-truth"));
        Map<String, Path> preds = ImageFiles.imagesByStem(predDir, "prediction");
        if (gts.isEmpty()) {
            throw new IOException(gtDir + ": no ground-truth images");
        }
        for (Map.Entry<String, Path> e : preds.entrySet()) {
            if (!gts.containsKey(e.getKey())) {
                warnings.accept(e.getValue() + ": no ground truth with stem '" + e.getKey() + "' in " + gtDir
                        + "; ignored");
            }
        }
        List<FrameResult> out = new ArrayList<>();
        for (Map.Entry<String, Path> e : gts.entrySet()) {
            Path predFile = preds.get(e.getKey());
            if (predFile == null) {
                throw new IOException(e.getValue() + ": no prediction with stem '" + e.getKey() + "' in "
                        + predDir);
            }
            List<LabelPlane> gt = ImageFiles.readLabelPlanes(e.getValue());
            List<LabelPlane> pred = ImageFiles.readLabelPlanes(predFile);
            for (var f : List.of(Map.entry(e.getValue(), gt), Map.entry(predFile, pred))) {
                String kind = LabelKind.warning(f.getValue().get(0));
                if (kind != null) {
                    warnings.accept(f.getKey() + ": " + kind);
                }
            }
            if (gt.size() != pred.size()) {
                throw new IOException(predFile + ": prediction has " + pred.size() + " planes but ground truth "
                        + e.getValue() + " has " + gt.size());
            }
            LabelPlane g = gt.get(0);
            LabelPlane p = pred.get(0);
            if (g.width() != p.width() || g.height() != p.height()) {
                throw new IOException(predFile + ": prediction is " + p.width() + "x" + p.height()
                        + " but ground truth " + e.getValue() + " is " + g.width() + "x" + g.height());
            }
            for (int k = 0; k < gt.size(); k++) {
                String frame = gt.size() == 1 ? e.getKey() : e.getKey() + ":" + (k + 1);
                out.add(new FrameResult(frame, scoreFrame(gt.get(k), pred.get(k), minSize)));
            }
        }
        return out;
    }
}
