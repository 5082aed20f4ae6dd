package org.segmentcells.annotate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.segmentcells.img.LabelPlane;

/**
 * Simulates what a user scribbles on a frame, from its full instance labels: one short stroke inside
 * each of K nuclei, a few strokes across background, and short strokes across a few borders between
 * touching nuclei marked as contour. Stroke classes follow {@link Targets#fromLabels} with contour
 * width 2, so a scribble never contradicts the full target of the same frame. Repeatable per seed;
 * used by tests and to measure scribble fine-tuning without a human.
 */
public final class ScribbleSimulator {

    /** Contour width the stroke classes are taken from (the training default). */
    static final int CONTOUR_WIDTH = 2;
    static final int STROKE = 7;
    static final int BACKGROUND_STROKES = 4;
    static final int BACKGROUND_STROKE = 15;

    private ScribbleSimulator() {
    }

    /**
     * @param k number of nuclei to scribble in (all if fewer); about k/4 (at least 1) touching borders
     *     get a contour stroke when there are any
     */
    public static LabelPlane simulate(LabelPlane gt, int k, long seed) {
        int w = gt.width();
        int h = gt.height();
        int[] lab = gt.data();
        byte[] cls = Targets.fromLabels(gt, CONTOUR_WIDTH);
        int[] out = new int[lab.length];
        SplittableRandom rnd = new SplittableRandom(seed);

        // Nuclei: a horizontal or vertical stroke through a pixel of the object's interior.
        int max = gt.maxLabel();
        List<List<Integer>> interior = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            interior.add(new ArrayList<>());
        }
        for (int i = 0; i < lab.length; i++) {
            if (lab[i] > 0 && cls[i] == Targets.NUCLEUS) {
                interior.get(lab[i]).add(i);
            }
        }
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= max; id++) {
            if (!interior.get(id).isEmpty()) {
                ids.add(id);
            }
        }
        shuffle(ids, rnd);
        for (int id : ids.subList(0, Math.min(k, ids.size()))) {
            List<Integer> px = interior.get(id);
            int c = px.get(rnd.nextInt(px.size()));
            stroke(c, rnd.nextBoolean() ? 1 : w, STROKE, w, h, i -> lab[i] == id && cls[i] == Targets.NUCLEUS,
                    Scribbles.NUCLEUS, out);
        }

        // Background: strokes from random background pixels, stopped where background ends.
        List<Integer> bg = new ArrayList<>();
        for (int i = 0; i < lab.length; i++) {
            if (cls[i] == Targets.BACKGROUND) {
                bg.add(i);
            }
        }
        for (int s = 0; s < BACKGROUND_STROKES && !bg.isEmpty(); s++) {
            int c = bg.get(rnd.nextInt(bg.size()));
            stroke(c, rnd.nextBoolean() ? 1 : w, BACKGROUND_STROKE, w, h, i -> cls[i] == Targets.BACKGROUND,
                    Scribbles.BACKGROUND, out);
        }

        // Borders between touching nuclei: a stroke across the border, over its contour pixels.
        List<int[]> borders = new ArrayList<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (lab[i] == 0) {
                    continue;
                }
                if (x + 1 < w && lab[i + 1] != 0 && lab[i + 1] != lab[i]) {
                    borders.add(new int[] {i, 1});
                }
                if (y + 1 < h && lab[i + w] != 0 && lab[i + w] != lab[i]) {
                    borders.add(new int[] {i, w});
                }
            }
        }
        int nb = Math.min(borders.size(), Math.max(1, k / 4));
        for (int s = 0; s < nb; s++) {
            int[] b = borders.get(rnd.nextInt(borders.size()));
            // Across the border = along the direction in which the labels differ.
            stroke(b[0], b[1], 2 * CONTOUR_WIDTH, w, h, i -> cls[i] == Targets.CONTOUR, Scribbles.CONTOUR, out);
        }
        return new LabelPlane(w, h, out);
    }

    /** Marks pixels from c both ways along step (1 = x, w = y) while {@code ok} holds, up to {@code reach} each way. */
    private static void stroke(int c, int step, int reach, int w, int h, java.util.function.IntPredicate ok, int value,
            int[] out) {
        out[c] = value;
        for (int dir = -1; dir <= 1; dir += 2) {
            int i = c;
            for (int n = 0; n < reach; n++) {
                int x = i % w;
                int y = i / w;
                int nx = step == 1 ? x + dir : x;
                int ny = step == 1 ? y : y + dir;
                if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
                    break;
                }
                int j = ny * w + nx;
                if (!ok.test(j)) {
                    break;
                }
                out[j] = value;
                i = j;
            }
        }
    }

    private static void shuffle(List<Integer> a, SplittableRandom rnd) {
        for (int i = a.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a.get(i);
            a.set(i, a.get(j));
            a.set(j, t);
        }
    }
}
