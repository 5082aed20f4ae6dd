package org.segmentcells.batch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.model.Model;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.progress.Progress;
import org.segmentcells.segment.Normalization;
import org.segmentcells.segment.Segmenter;

/**
 * The planes of one image held in memory (one plane, a stack, a time-lapse) segmented by one model: at
 * one scale chosen from a few of its planes, since planes of one acquisition share a magnification, or at
 * each plane's own when asked. The loop every front end runs per image (files, an open Fiji image, a
 * script's image); what becomes of each plane's labels (a file, an ImageJ stack, ROIs) is the caller's.
 */
public final class PlaneSegmentation {

    /** Progress units per plane when each plane has its own scale, so tile counts differ between planes. */
    static final int UNITS_PER_PLANE_OWN_SCALE = 1000;

    private PlaneSegmentation() {
    }

    /**
     * What a caller hears, in order. {@code plane} names a plane as messages do ("plane 2/5"), or is null
     * for an image of one plane, or for the plan its planes share.
     */
    public interface Listener {
        /** A plan was chosen, for all planes or for one; may refuse it (memory) before any of its work. */
        default void planned(String plane, Model.Plan plan) throws IOException {
        }

        /** The plane holds {@code count} (> 0) NaN or infinite pixels; they are segmented as background. */
        default void nonFinite(String plane, long count) {
        }

        /**
         * Plane {@code k} (0-based) is about to be segmented with {@code plan}: where a caller says so (its
         * status line) or refuses it (the memory left, which shrinks as the planes' labels pile up).
         */
        default void segmenting(int k, String plane, FloatPlane image, Model.Plan plan) throws IOException {
        }

        /** Plane {@code k} (0-based) is segmented. */
        void segmented(int k, String plane, Model.Plan plan, Segmenter.Probabilities probabilities, LabelPlane labels)
                throws IOException;
    }

    /**
     * Segments planes {@code 0..count-1}, each read once by {@code plane} (plane 0 is read once for choosing
     * the scale and segmenting, and the network's check on it is reused). {@code progress} hears of each
     * tile and may cancel between tiles. Returns each plane's plan.
     */
    public static List<Model.Plan> run(Model model, SegmentSettings settings, boolean scalePerPlane, int count,
            IntFunction<FloatPlane> plane, Listener listener, Progress progress) throws IOException {
        boolean perPlane = scalePerPlane && count > 1;
        FloatPlane first = plane.apply(0);
        IntFunction<FloatPlane> read = k -> k == 0 ? first : plane.apply(k);
        Model.Plan shared = null;
        int units = UNITS_PER_PLANE_OWN_SCALE;
        if (!perPlane) {
            shared = model.plan(settings, count, read, progress);
            listener.planned(null, shared);
            units = Math.max(1, shared.segmenter().tileCount(first.width(), first.height()));
        }
        List<Model.Plan> plans = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            progress.checkCancelled();
            String which = count > 1 ? "plane " + (k + 1) + "/" + count : null;
            FloatPlane img = read.apply(k);
            long nonFinite = Normalization.countNonFinite(img.data());
            if (nonFinite > 0) {
                listener.nonFinite(which, nonFinite);
            }
            Model.Plan plan = shared;
            if (plan == null) {
                plan = model.plan(settings, List.of(img), progress);
                listener.planned(which, plan);
            }
            listener.segmenting(k, which, img, plan);
            Segmenter.Probabilities p = plan.probabilities(img, progress.part((long) k * units, units, (long) count * units));
            LabelPlane labels = plan.label(p, img);
            plans.add(plan);
            listener.segmented(k, which, plan, p, labels);
        }
        return plans;
    }
}
