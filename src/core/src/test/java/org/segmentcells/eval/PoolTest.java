package org.segmentcells.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.segmentcells.eval.Labels.TOL;
import static org.segmentcells.eval.Labels.assertCounts;
import static org.segmentcells.eval.Labels.assertRatios;
import static org.segmentcells.eval.Labels.assertSums;
import static org.segmentcells.eval.Labels.rows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.LabelPlane;

class PoolTest {

    /** Split frame: nGt 1, nPred 2, tp 1, fp 1, fn 0, sum IoU 0.6, fg J 1, SEG sum 0.6. */
    static FrameScores frameA() {
        return Evaluator.scoreFrame(rows("1111111111"), rows("1111112222"), 0);
    }

    /** Merge frame: nGt 2, nPred 1, tp 0, fp 1, fn 2, sum IoU 0, fg J 8/9, SEG sum 8/9. */
    static FrameScores frameB() {
        return Evaluator.scoreFrame(rows("1111.2222"), rows("333333333"), 0);
    }

    @Test
    void poolingTwoFramesMatchesHandComputation() {
        FrameScores a = frameA();
        FrameScores b = frameB();
        assertCounts(a, 1, 2, 1, 1, 0);
        assertSums(a, 0.6, 1.0, 0.6);
        assertCounts(b, 2, 1, 0, 1, 2);
        assertSums(b, 0.0, 8.0 / 9, 8.0 / 9);

        // Totals: nGt 3, nPred 3, tp 1, fp 2, fn 2.
        // P = 1/3, R = 1/3, F = 2/(2+2+2) = 1/3, AP = 1/(1+2+2) = 1/5.
        // fg J = mean(1, 8/9) = 17/18; matched J = 0.6 / 1; SEG = (0.6 + 8/9) / 3 = 13.4/27.
        // (The mean of per-frame precisions would be (1/2 + 0)/2 = 1/4, so this checks pooling.)
        FrameScores t = Evaluator.pool(List.of(a, b));
        assertCounts(t, 3, 3, 1, 2, 2);
        assertSums(t, 0.6, 17.0 / 18, 0.6 + 8.0 / 9);
        assertRatios(t, 1.0 / 3, 1.0 / 3, 1.0 / 3, 0.6, 13.4 / 27, 0.2);
    }

    @Test
    void emptyFramesCountAsPerfectForForegroundJaccardOnly() {
        // An empty frame adds nothing to the counts but a 1 to the fg-Jaccard mean: (1 + 0) / 2.
        LabelPlane empty = new LabelPlane(2, 2);
        FrameScores fnOnly = Evaluator.scoreFrame(rows("11", ".."), new LabelPlane(2, 2), 0);
        FrameScores t = Evaluator.pool(List.of(Evaluator.scoreFrame(empty, empty, 0), fnOnly));
        assertCounts(t, 1, 0, 0, 0, 1);
        assertSums(t, 0.0, 0.5, 0.0);
        assertRatios(t, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void allEmptyFramesPoolToPerfect() {
        LabelPlane empty = new LabelPlane(2, 2);
        FrameScores e = Evaluator.scoreFrame(empty, empty, 0);
        FrameScores t = Evaluator.pool(List.of(e, e, e));
        assertCounts(t, 0, 0, 0, 0, 0);
        assertSums(t, 0.0, 1.0, 0.0);
        assertRatios(t, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void poolingOneFrameGivesItsScores() {
        FrameScores a = frameA();
        assertEquals(a, Evaluator.pool(List.of(a)));
        assertEquals(2.0 / 3, Evaluator.pool(List.of(a)).f(), TOL);
    }

    @Test
    void poolingNothingIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Evaluator.pool(List.of()));
    }

    @Test
    void inconsistentCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new FrameScores(2, 1, 1, 1, 1, 0.6, 1, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new FrameScores(1, 1, 1, 0, 0, 1.5, 1, 1));
    }
}
