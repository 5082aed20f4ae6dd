package org.segmentcells.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.segmentcells.eval.Labels.TOL;
import static org.segmentcells.eval.Labels.assertCounts;
import static org.segmentcells.eval.Labels.assertRatios;
import static org.segmentcells.eval.Labels.assertSums;
import static org.segmentcells.eval.Labels.relabel;
import static org.segmentcells.eval.Labels.rows;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.LabelPlane;

class EvaluatorTest {

    @Test
    void perfectMatchWithOtherIds() {
        LabelPlane gt = rows(
                "11..",
                "11..",
                "..22",
                "..22");
        LabelPlane pred = relabel(gt, 1, 5, 2, 3);
        FrameScores s = Evaluator.scoreFrame(gt, pred, 0);
        assertCounts(s, 2, 2, 2, 0, 0);
        assertSums(s, 2.0, 1.0, 2.0);
        assertRatios(s, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void touchingObjectsPredictedCorrectly() {
        // Two GT objects share a border; the prediction has the same partition with swapped ids.
        LabelPlane gt = rows(
                "11122",
                "11122");
        LabelPlane pred = rows(
                "22211",
                "22211");
        FrameScores s = Evaluator.scoreFrame(gt, pred, 1);
        assertCounts(s, 2, 2, 2, 0, 0);
        assertSums(s, 2.0, 1.0, 2.0);
        assertRatios(s, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void touchingObjectsWithShiftedBorder() {
        // GT1 = 6 px (cols 0-2), GT2 = 4 px (cols 3-4). P1 = 4 px (cols 0-1), P2 = 6 px (cols 2-4).
        // GT1 n P1 = 4, union 6 -> IoU 2/3; GT2 n P2 = 4, union 6 -> 2/3; GT1 n P2 = 2 -> 2/10.
        // Both pairs match: sum IoU 4/3, matched J 2/3. SEG: P1 covers 4/6 of GT1 -> 2/3; P2 covers
        // all of GT2 -> 2/3; SEG = 2/3. Foreground is identical -> fg J 1.
        LabelPlane gt = rows(
                "11122",
                "11122");
        LabelPlane pred = rows(
                "11222",
                "11222");
        FrameScores s = Evaluator.scoreFrame(gt, pred, 0);
        assertCounts(s, 2, 2, 2, 0, 0);
        assertSums(s, 4.0 / 3, 1.0, 4.0 / 3);
        assertRatios(s, 1, 1, 1, 2.0 / 3, 2.0 / 3, 1);
    }

    @Test
    void splitWithNoHalfAboveOneHalf() {
        // GT: one object of 10 px. Pred: P1 = 4 px, P2 = 5 px, last pixel background.
        // IoU(P1) = 4/10, IoU(P2) = 5/10 = 0.5 (not > 0.5) -> tp 0, fp 2, fn 1.
        // SEG: P2 covers exactly 5/10 = half, not more -> 0. fg J = 9/10.
        // P = 0/2, R = 0/1, F = 0, AP = 0/3, matched J = 0 (tp = 0, frame not empty).
        LabelPlane gt = rows("1111111111");
        LabelPlane pred = rows("111122222.");
        FrameScores s = Evaluator.scoreFrame(gt, pred, 0);
        assertCounts(s, 1, 2, 0, 2, 1);
        assertSums(s, 0.0, 0.9, 0.0);
        assertRatios(s, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void splitWithOneHalfAboveOneHalf() {
        // GT: 10 px. P1 = 6 px -> IoU 0.6 (match), P2 = 4 px -> IoU 0.4 (false positive).
        // tp 1, fp 1, fn 0: P = 1/2, R = 1, F = 2/3, AP = 1/2, matched J = 0.6.
        // SEG: P1 covers 6/10 > half -> 0.6. fg J = 1.
        LabelPlane gt = rows("1111111111");
        LabelPlane pred = rows("1111112222");
        FrameScores s = Evaluator.scoreFrame(gt, pred, 0);
        assertCounts(s, 1, 2, 1, 1, 0);
        assertSums(s, 0.6, 1.0, 0.6);
        assertRatios(s, 0.5, 1, 2.0 / 3, 0.6, 0.6, 0.5);
    }

    @Test
    void twoGtMergedIntoOnePrediction() {
        // GT1 = 4 px, GT2 = 4 px with a background pixel between; P covers all 9 px.
        // IoU(GT1, P) = IoU(GT2, P) = 4/9 -> no match: tp 0, fp 1, fn 2.
        // SEG: P covers all of each GT object -> 4/9 each, SEG = 4/9. fg J = 8/9.
        LabelPlane gt = rows("1111.2222");
        LabelPlane pred = rows("333333333");
        FrameScores s = Evaluator.scoreFrame(gt, pred, 0);
        assertCounts(s, 2, 1, 0, 1, 2);
        assertSums(s, 0.0, 8.0 / 9, 8.0 / 9);
        assertRatios(s, 0, 0, 0, 0, 4.0 / 9, 0);
    }

    @Test
    void mergeWhereTheLargerGtStillMatches() {
        // GT1 = 6 px, GT2 = 2 px, touching; P covers both (8 px).
        // IoU(GT1, P) = 6/8 = 0.75 -> match; IoU(GT2, P) = 2/8 -> fn.
        // tp 1, fp 0, fn 1: P = 1, R = 1/2, F = 2/3, AP = 1/2, matched J = 0.75.
        // SEG: 0.75 for GT1 and 0.25 for GT2 (P covers all of it even though unmatched) -> 1.0 / 2.
        LabelPlane gt = rows("11111122");
        LabelPlane pred = rows("99999999");
        FrameScores s = Evaluator.scoreFrame(gt, pred, 0);
        assertCounts(s, 2, 1, 1, 0, 1);
        assertSums(s, 0.75, 1.0, 1.0);
        assertRatios(s, 1, 0.5, 2.0 / 3, 0.75, 0.5, 0.5);
    }

    @Test
    void bothEmptyIsPerfect() {
        LabelPlane empty = new LabelPlane(3, 3);
        FrameScores s = Evaluator.scoreFrame(empty, new LabelPlane(3, 3), 0);
        assertCounts(s, 0, 0, 0, 0, 0);
        assertSums(s, 0.0, 1.0, 0.0);
        assertRatios(s, 1, 1, 1, 1, 1, 1);
        assertTrue(s.isEmpty());
    }

    @Test
    void emptyGtWithPredictions() {
        // Only a false positive: every ratio with a zero denominator (recall, SEG, matched J) is 0,
        // P = 0/1, F = 0/1, AP = 0/1. fg J = 0 / 2.
        LabelPlane gt = new LabelPlane(3, 3);
        LabelPlane pred = rows(
                "...",
                ".44",
                "...");
        FrameScores s = Evaluator.scoreFrame(gt, pred, 0);
        assertCounts(s, 0, 1, 0, 1, 0);
        assertSums(s, 0.0, 0.0, 0.0);
        assertRatios(s, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void emptyPredictionWithGt() {
        // Only a false negative: precision 0/0 -> 0, R = 0/1, SEG = 0/1, fg J = 0/3.
        LabelPlane gt = rows(
                "1..",
                "11.",
                "...");
        FrameScores s = Evaluator.scoreFrame(gt, new LabelPlane(3, 3), 0);
        assertCounts(s, 1, 0, 0, 0, 1);
        assertSums(s, 0.0, 0.0, 0.0);
        assertRatios(s, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void nonConsecutiveAndLargeIds() {
        // GT ids 7, 65000, 2^20 (4 px each). Pred ids 2^20, 7, Integer.MAX_VALUE on them, the last one
        // missing a pixel (3 px). IoUs 1, 1, 3/4 -> tp 3, sum 2.75. SEG likewise 2.75 / 3.
        // fg: GT 12 px, pred 11 px, all inside GT -> 11/12.
        int a = 65000;
        int b = 1 << 20;
        int m = Integer.MAX_VALUE;
        LabelPlane gt = relabel(rows(
                "112233",
                "112233",
                "......"), 1, 7, 2, a, 3, b);
        LabelPlane pred = relabel(rows(
                "112233",
                "11223.",
                "......"), 1, b, 2, 7, 3, m);
        FrameScores s = Evaluator.scoreFrame(gt, pred, 0);
        assertCounts(s, 3, 3, 3, 0, 0);
        assertSums(s, 2.75, 11.0 / 12, 2.75);
        assertRatios(s, 1, 1, 1, 2.75 / 3, 2.75 / 3, 1);
    }

    @Test
    void iouOfExactlyOneHalfIsNotAMatch() {
        // GT 2 px inside a 4 px prediction: IoU = 2/4 = 0.5 -> tp 0, fp 1, fn 1.
        // SEG still counts it: P covers all of GT -> 0.5.
        LabelPlane gt = rows("11..");
        LabelPlane pred = rows("2222");
        FrameScores s = Evaluator.scoreFrame(gt, pred, 0);
        assertCounts(s, 1, 1, 0, 1, 1);
        assertSums(s, 0.0, 0.5, 0.5);
        assertRatios(s, 0, 0, 0, 0, 0.5, 0);

        // Control: GT 3 px inside a 5 px prediction: IoU 0.6 -> match.
        FrameScores c = Evaluator.scoreFrame(rows("111.."), rows("22222"), 0);
        assertCounts(c, 1, 1, 1, 0, 0);
        assertSums(c, 0.6, 0.6, 0.6);
    }

    @Test
    void segIsZeroWhenTheBestPredictionCoversExactlyHalf() {
        // GT = cols 1-6 (6 px). P = cols 0-3: covers 3 of 6 GT pixels, exactly half -> SEG 0.
        // IoU = 3/7 -> no match either. fg J = 3/7.
        FrameScores s = Evaluator.scoreFrame(rows(".111111"), rows("2222..."), 0);
        assertCounts(s, 1, 1, 0, 1, 1);
        assertSums(s, 0.0, 3.0 / 7, 0.0);
        assertEquals(0.0, s.seg(), TOL);

        // Control: P = cols 0-4 covers 4 of 6 GT pixels -> SEG = IoU = 4/(6+5-4) = 4/7, which is also
        // > 0.5, so a match.
        FrameScores c = Evaluator.scoreFrame(rows(".111111"), rows("22222.."), 0);
        assertCounts(c, 1, 1, 1, 0, 0);
        assertSums(c, 4.0 / 7, 4.0 / 7, 4.0 / 7);
    }

    @Test
    void minSizeRemovesSmallObjectsFromEveryMetric() {
        // GT1 = 6 px, GT2 = 1 px at (4,0). P3 = 6 px on GT1, P4 = 2 px at (4,0),(4,1).
        LabelPlane gt = rows(
                "111.2",
                "111..");
        LabelPlane pred = rows(
                "333.4",
                "333.4");
        // No filter: GT1-P3 IoU 1 (tp); GT2-P4 IoU 1/2 (not a match) -> fp 1, fn 1.
        // fg: GT 7 px, pred 8 px, intersection 7 -> 7/8. SEG: 1 + 1/2 (P4 covers all of GT2) = 1.5.
        for (int minSize : new int[] {Integer.MIN_VALUE, 0, 1}) {
            FrameScores s = Evaluator.scoreFrame(gt, pred, minSize);
            assertCounts(s, 2, 2, 1, 1, 1);
            assertSums(s, 1.0, 7.0 / 8, 1.5);
            assertRatios(s, 0.5, 0.5, 0.5, 1.0, 0.75, 1.0 / 3);
        }
        // minSize 2: GT2 (1 px) becomes background, P4 (2 px) stays. GT fg = 6 px, pred fg 8 px -> 6/8.
        FrameScores s2 = Evaluator.scoreFrame(gt, pred, 2);
        assertCounts(s2, 1, 2, 1, 1, 0);
        assertSums(s2, 1.0, 0.75, 1.0);
        assertRatios(s2, 0.5, 1, 2.0 / 3, 1, 1, 0.5);
        // minSize 3: P4 goes too; an object of exactly minSize pixels (6 with minSize 6) is kept.
        for (int minSize : new int[] {3, 6}) {
            FrameScores s = Evaluator.scoreFrame(gt, pred, minSize);
            assertCounts(s, 1, 1, 1, 0, 0);
            assertSums(s, 1.0, 1.0, 1.0);
        }
        // minSize 7 removes everything: both empty -> perfect by convention.
        FrameScores s7 = Evaluator.scoreFrame(gt, pred, 7);
        assertCounts(s7, 0, 0, 0, 0, 0);
        assertSums(s7, 0.0, 1.0, 0.0);
        assertRatios(s7, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void sizeMismatchNamesBothSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Evaluator.scoreFrame(new LabelPlane(4, 3), new LabelPlane(3, 4), 0));
        assertTrue(e.getMessage().contains("4x3") && e.getMessage().contains("3x4"), e.getMessage());
    }

    @Test
    void negativeLabelIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Evaluator.scoreFrame(new LabelPlane(2, 1, new int[] {0, -3}), new LabelPlane(2, 1), 0));
    }

    @Test
    void manyObjectsWithScatteredIds() {
        // 1000x1000 frame tiled with 10x10 blocks = 10^4 objects, random distinct ids in both images.
        // In every second block the prediction drops the bottom row: IoU 90/100. So tp = 10^4,
        // sum IoU = 5000 * 1 + 5000 * 0.9 = 9500, SEG sum the same, fg J = (10^6 - 5000*10) / 10^6.
        int w = 1000;
        Random rnd = new Random(42);
        int[] gtIds = distinctIds(rnd, 10_000);
        int[] predIds = distinctIds(rnd, 10_000);
        int[] g = new int[w * w];
        int[] p = new int[w * w];
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < w; x++) {
                int block = (y / 10) * 100 + x / 10;
                g[y * w + x] = gtIds[block];
                boolean dropped = block % 2 == 1 && y % 10 == 9;
                p[y * w + x] = dropped ? 0 : predIds[block];
            }
        }
        FrameScores s = Evaluator.scoreFrame(new LabelPlane(w, w, g), new LabelPlane(w, w, p), 0);
        assertCounts(s, 10_000, 10_000, 10_000, 0, 0);
        // 10^4 rounded additions near 9500: allow 1e-12 relative, not absolute.
        assertEquals(9500.0, s.sumMatchedIoU(), 1e-8);
        assertEquals(9500.0, s.segSum(), 1e-8);
        assertEquals(0.95, s.fgJaccard(), TOL);
        assertEquals(0.95, s.matchedJaccard(), 1e-12);
    }

    @Test
    void agreesWithBruteForceOnRandomFrames() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int w = 1 + rnd.nextInt(12);
            int h = 1 + rnd.nextInt(12);
            LabelPlane gt = randomBlobs(rnd, w, h);
            LabelPlane pred = randomBlobs(rnd, w, h);
            int minSize = rnd.nextInt(4);
            FrameScores s = Evaluator.scoreFrame(gt, pred, minSize);
            double[] ref = bruteForce(gt, pred, minSize);
            String msg = "trial " + trial;
            assertEquals((int) ref[0], s.nGt(), msg);
            assertEquals((int) ref[1], s.nPred(), msg);
            assertEquals((int) ref[2], s.tp(), msg);
            assertEquals(ref[3], s.sumMatchedIoU(), 1e-9, msg);
            assertEquals(ref[4], s.fgJaccard(), 1e-12, msg);
            assertEquals(ref[5], s.segSum(), 1e-9, msg);
        }
    }

    private static int[] distinctIds(Random rnd, int n) {
        Set<Integer> seen = new HashSet<>();
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            int id;
            do {
                id = 1 + rnd.nextInt(Integer.MAX_VALUE - 1);
            } while (!seen.add(id));
            ids[i] = id;
        }
        return ids;
    }

    /** Rows of runs with a few ids, so objects overlap in varied ways. */
    private static LabelPlane randomBlobs(Random rnd, int w, int h) {
        int[] ids = {0, 0, 3, 9, 70000, 1 << 22};
        int[] d = new int[w * h];
        int cur = 0;
        for (int i = 0; i < d.length; i++) {
            if (rnd.nextInt(3) == 0) {
                cur = ids[rnd.nextInt(ids.length)];
            }
            d[i] = cur;
        }
        return new LabelPlane(w, h, d);
    }

    /** Direct transcription of the definitions, O(nGt * nPred * pixels): nGt, nPred, tp, sumIoU, fgJ, segSum. */
    private static double[] bruteForce(LabelPlane gt, LabelPlane pred, int minSize) {
        int[] g = filtered(gt.data(), minSize);
        int[] p = filtered(pred.data(), minSize);
        Set<Integer> gs = ids(g);
        Set<Integer> ps = ids(p);
        int tp = 0;
        double sumIoU = 0;
        double seg = 0;
        for (int a : gs) {
            for (int b : ps) {
                int inter = 0;
                int union = 0;
                int areaA = 0;
                for (int i = 0; i < g.length; i++) {
                    boolean inA = g[i] == a;
                    boolean inB = p[i] == b;
                    inter += inA && inB ? 1 : 0;
                    union += inA || inB ? 1 : 0;
                    areaA += inA ? 1 : 0;
                }
                double iou = (double) inter / union;
                if (iou > 0.5) {
                    tp++;
                    sumIoU += iou;
                }
                if (inter > areaA / 2.0) {
                    seg += iou;
                }
            }
        }
        int fi = 0;
        int fu = 0;
        for (int i = 0; i < g.length; i++) {
            fi += g[i] > 0 && p[i] > 0 ? 1 : 0;
            fu += g[i] > 0 || p[i] > 0 ? 1 : 0;
        }
        return new double[] {gs.size(), ps.size(), tp, sumIoU, fu == 0 ? 1.0 : (double) fi / fu, seg};
    }

    private static int[] filtered(int[] d, int minSize) {
        Map<Integer, Integer> area = new HashMap<>();
        for (int v : d) {
            area.merge(v, 1, Integer::sum);
        }
        int[] out = d.clone();
        for (int i = 0; i < out.length; i++) {
            if (area.get(out[i]) < minSize) {
                out[i] = 0;
            }
        }
        return out;
    }

    private static Set<Integer> ids(int[] d) {
        Set<Integer> s = new HashSet<>();
        for (int v : d) {
            if (v > 0) {
                s.add(v);
            }
        }
        return s;
    }
}
