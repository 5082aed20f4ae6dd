package org.segmentcells.fiji.plugin;

import ij.ImagePlus;

import java.util.List;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * SciJava command for Plugins &gt; Segment Cells &gt; Evaluate Segmentation: scores a prediction label image
 * against a ground-truth label image, plane by plane, into the Results table. Calls the engine ({@link FijiEngine#evaluate}),
 * as the ImageJ 1.x entry of the same name does.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segment Cells>Evaluate Segmentation", headless = true)
public class EvaluateSegmentationCommand extends ContextCommand {

    @Parameter(label = EvaluateOptions.GROUND_TRUTH, persist = false, description = "the ground-truth label image")
    private ImagePlus ground_truth;

    @Parameter(label = EvaluateOptions.PREDICTION, persist = false, description = "the label image to score")
    private ImagePlus prediction;

    @Parameter(label = EvaluateOptions.MIN_SIZE, persist = false, min = "0", required = false,
            description = EvaluateOptions.MIN_SIZE_HELP)
    private int min_size;

    private List<EvaluateOptions.PlaneScores> frames;

    @Override
    public void run() {
        if (MacroOptions.inMacro()) {
            // A macro names the images by title, and a title several open images share picks the first.
            for (ImagePlus imp : new ImagePlus[] {ground_truth, prediction}) {
                String ambiguous = imp == null ? null : EvaluateOptions.ambiguous(imp.getTitle(),
                        imp == ground_truth ? EvaluateOptions.GROUND_TRUTH : EvaluateOptions.PREDICTION);
                if (ambiguous != null) {
                    Reports.error(EvaluateOptions.TITLE, ambiguous);
                    cancel(ambiguous);
                    return;
                }
            }
        }
        FijiEngine engine = Reports.engine(EvaluateOptions.TITLE);
        if (engine == null) {
            cancel("the engine could not start");
            return;
        }
        EvaluateOptions.Outcome outcome = engine.evaluate(new EvaluateOptions(ground_truth, prediction, min_size));
        frames = outcome.planes();
        if (outcome.error() != null) {
            cancel(outcome.error());
        }
    }

    /** Per-plane scores of the last run (also in the Results table); null if it failed. */
    public List<EvaluateOptions.PlaneScores> frames() {
        return frames;
    }
}
