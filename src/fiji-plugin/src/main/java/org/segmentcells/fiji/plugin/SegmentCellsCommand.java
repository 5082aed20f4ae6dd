package org.segmentcells.fiji.plugin;

import ij.ImagePlus;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * SciJava command for Plugins &gt; Segment Cells &gt; Segment Cells. Parameter names are the macro keys
 * (snake_case, since ImageJ 1.x lower-cases keys). In Fiji it takes over the ImageJ 1.x entry of the same
 * name; both call {@link FijiEngine#segment}. The outputs are shown by the engine, as ImageJ 1.x plugins do, and
 * are also available from {@link #result()} for scripts and tests.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segment Cells>Segment Cells", headless = true)
public class SegmentCellsCommand extends ContextCommand {

    /** Never persisted: a restored ImagePlus is an empty image that breaks the next run. */
    @Parameter(label = "image", persist = false, description = "the image to segment; every plane is segmented")
    private ImagePlus image;

    @Parameter(label = SegmentOptions.MODEL,
            description = SegmentOptions.MODEL_HELP)
    private String model = SegmentOptions.DEFAULTS.model();

    @Parameter(label = SegmentOptions.MIN_SIZE, min = "-1",
            description = SegmentOptions.MIN_SIZE_HELP)
    private int min_size = SegmentOptions.MODEL_MIN_SIZE;

    /** Not persisted: a threshold chosen for one model's images must not carry over to another's. */
    @Parameter(label = SegmentOptions.SEED_THRESHOLD, persist = false, min = "-1", max = "0.99", stepSize = "0.05",
            description = SegmentOptions.SEED_THRESHOLD_HELP)
    private double seed_threshold = SegmentOptions.MODEL_SEED_THRESHOLD;

    @Parameter(label = SegmentOptions.ADD_TO_MANAGER, description = "add one outline per nucleus to the ROI Manager")
    private boolean add_to_manager;

    @Parameter(label = SegmentOptions.PROBABILITIES,
            description = SegmentOptions.PROBABILITIES_HELP)
    private boolean probabilities;

    @Parameter(label = SegmentOptions.TILE, min = "" + SegmentOptions.MIN_TILE,
            description = SegmentOptions.TILE_HELP)
    private int tile = SegmentOptions.DEFAULT_TILE;

    /** Not persisted: a channel chosen once must not make a later macro quietly accept RGB images. */
    @Parameter(label = SegmentOptions.CHANNEL, persist = false, choices = {"none", "luminance", "red", "green", "blue"},
            description = "how to read an RGB image; 'none' refuses RGB images")
    private String channel = SegmentOptions.CHANNELS[0];

    /** Not persisted: a channel number only means something for the image it was chosen for. */
    @Parameter(label = SegmentOptions.NUCLEAR_CHANNEL, persist = false, min = "0",
            description = "for an image with several channels: the channel of the nuclear stain (1, 2, ...)")
    private int nuclear_channel;

    @Parameter(label = SegmentOptions.SCALE, persist = false, description = SegmentOptions.SCALE_HELP)
    private String scale = SegmentOptions.MODEL_SCALE;

    /** Not persisted: a size measured on one image would resize the next, of another magnification. */
    @Parameter(label = SegmentOptions.DIAMETER, persist = false, min = "0", required = false,
            description = SegmentOptions.DIAMETER_HELP)
    private double diameter = SegmentOptions.NO_DIAMETER;

    @Parameter(label = SegmentOptions.TTA, persist = false, description = SegmentOptions.TTA_HELP)
    private boolean tta;

    @Parameter(label = SegmentOptions.SCALE_PER_PLANE, persist = false, required = false,
            description = SegmentOptions.SCALE_PER_PLANE_HELP)
    private boolean scale_per_plane;

    private SegmentOutcome.Result result;

    @Override
    public void run() {
        SegmentOptions options;
        try {
            options = SegmentOptions.of(model).withMinSize(min_size).withSeedThreshold(seed_threshold)
                    .withAddToManager(add_to_manager)
                    .withProbabilities(probabilities).withTile(tile).withChannel(channel)
                    .withNuclearChannel(nuclear_channel).withScale(scale).withDiameter(diameter).withTta(tta).withScalePerPlane(scale_per_plane);
        } catch (IllegalArgumentException e) {
            Reports.error(SegmentOptions.TITLE, e.getMessage());
            cancel(e.getMessage());
            return;
        }
        FijiEngine engine = Reports.engine(SegmentOptions.TITLE);
        if (engine == null) {
            cancel("the engine could not start");
            return;
        }
        SegmentOutcome outcome = engine.segment(image, options, Progress.imageJ());
        if (outcome.error() != null) {
            cancel(outcome.error());
        } else if (outcome.cancelled()) {
            cancel("cancelled");
        }
        result = outcome.result();
    }

    /** The label image, probabilities and outlines of the last run; null if it failed or was cancelled. */
    public SegmentOutcome.Result result() {
        return result;
    }
}
