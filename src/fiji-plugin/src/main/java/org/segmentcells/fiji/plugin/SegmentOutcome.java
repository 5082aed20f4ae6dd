package org.segmentcells.fiji.plugin;

import ij.ImagePlus;
import ij.gui.Roi;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished Segment Cells run: a result, or an error message already shown to the user, or a cancel.
 *
 * @param result    what the run made; null after an error or a cancel
 * @param error     the message shown to the user, or null
 * @param cancelled true when the user stopped the run (Esc)
 */
public record SegmentOutcome(Result result, String error, boolean cancelled) {

    /**
     * What a run made.
     *
     * @param labels        the label image, one plane per input plane
     * @param probabilities background/nucleus/contour per input plane, or null if not asked for
     * @param rois          one outline per nucleus (empty unless add_to_manager)
     * @param counts        nuclei per plane
     * @param model         the model folder used
     */
    public record Result(ImagePlus labels, ImagePlus probabilities, List<Roi> rois, int[] counts, Path model) {
        public int total() {
            int t = 0;
            for (int c : counts) {
                t += c;
            }
            return t;
        }
    }
}
