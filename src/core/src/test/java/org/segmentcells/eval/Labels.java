package org.segmentcells.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.segmentcells.img.LabelPlane;

/** Test helpers: label images drawn as text, and exact score assertions. */
final class Labels {

    static final double TOL = 1e-12;

    private Labels() {
    }

    /** One string per row; '.' or '0' is background, '1'..'9' are those ids. */
    static LabelPlane rows(String... rows) {
        int h = rows.length;
        int w = rows[0].length();
        int[] d = new int[w * h];
        for (int y = 0; y < h; y++) {
            if (rows[y].length() != w) {
                throw new IllegalArgumentException("ragged rows");
            }
            for (int x = 0; x < w; x++) {
                char c = rows[y].charAt(x);
                d[y * w + x] = c == '.' ? 0 : Character.digit(c, 10);
            }
        }
        return new LabelPlane(w, h, d);
    }

    /** Replaces ids: pairs (from, to, from, to, ...). */
    static LabelPlane relabel(LabelPlane p, int... fromTo) {
        int[] d = p.data().clone();
        for (int i = 0; i < d.length; i++) {
            for (int k = 0; k < fromTo.length; k += 2) {
                if (p.data()[i] == fromTo[k]) {
                    d[i] = fromTo[k + 1];
                }
            }
        }
        return new LabelPlane(p.width(), p.height(), d);
    }

    static void assertCounts(FrameScores s, int nGt, int nPred, int tp, int fp, int fn) {
        assertEquals(nGt, s.nGt(), "nGt");
        assertEquals(nPred, s.nPred(), "nPred");
        assertEquals(tp, s.tp(), "tp");
        assertEquals(fp, s.fp(), "fp");
        assertEquals(fn, s.fn(), "fn");
    }

    static void assertSums(FrameScores s, double sumMatchedIoU, double fgJaccard, double segSum) {
        assertEquals(sumMatchedIoU, s.sumMatchedIoU(), TOL, "sumMatchedIoU");
        assertEquals(fgJaccard, s.fgJaccard(), TOL, "fgJaccard");
        assertEquals(segSum, s.segSum(), TOL, "segSum");
    }

    static void assertRatios(FrameScores s, double precision, double recall, double f, double matchedJaccard,
            double seg, double ap50) {
        assertEquals(precision, s.precision(), TOL, "precision");
        assertEquals(recall, s.recall(), TOL, "recall");
        assertEquals(f, s.f(), TOL, "f");
        assertEquals(matchedJaccard, s.matchedJaccard(), TOL, "matchedJaccard");
        assertEquals(seg, s.seg(), TOL, "seg");
        assertEquals(ap50, s.ap50(), TOL, "ap50");
    }
}
