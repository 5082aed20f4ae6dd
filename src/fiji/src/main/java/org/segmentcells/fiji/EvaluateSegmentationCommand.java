package org.segmentcells.fiji;

import ij.ImagePlus;

import java.util.List;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.segmentcells.eval.FrameResult;

/**
 * SciJava command for Plugins &gt; Segment Cells &gt; Evaluate Segmentation: scores a prediction label image
 * against a ground-truth label image, plane by plane, into the Results table. Calls {@link EvaluateRunner},
 * as the ImageJ 1.x entry of the same name does.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segment Cells>Evaluate Segmentation", headless = true)
public class EvaluateSegmentationCommand extends ContextCommand {

    @Parameter(label = EvaluateRunner.GROUND_TRUTH, persist = false, description = "the ground-truth label image")
    private ImagePlus ground_truth;

    @Parameter(label = EvaluateRunner.PREDICTION, persist = false, description = "the label image to score")
    private ImagePlus prediction;

    private List<FrameResult> frames;

    @Override
    public void run() {
        EvaluateRunner.Outcome outcome = EvaluateRunner.runAndShow(ground_truth, prediction);
        frames = outcome.frames();
        if (outcome.error() != null) {
            cancel(outcome.error());
        }
    }

    /** Per-plane scores of the last run (also in the Results table); null if it failed. */
    public List<FrameResult> frames() {
        return frames;
    }
}
