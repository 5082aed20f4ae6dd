package org.segmentcells.fiji.plugin;

import java.io.File;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * SciJava command for Plugins &gt; Segment Cells &gt; Segment Image Files; calls {@link FijiEngine#segmentFiles},
 * as the ImageJ 1.x entry of the same name does. Parameter names are the macro keys.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segment Cells>Segment Image Files", headless = true)
public class SegmentFilesCommand extends ContextCommand {

    @Parameter(label = SegmentFilesOptions.INPUT, persist = false, style = "both",
            description = "an image file, or a folder whose image files are all segmented")
    private File input;

    @Parameter(label = SegmentFilesOptions.OUTPUT, persist = false, style = "directory",
            description = "folder for the label images (STEM.tif); created if needed")
    private File output;

    @Parameter(label = SegmentOptions.MODEL, description = SegmentOptions.MODEL_HELP)
    private String model = SegmentOptions.DEFAULTS.model();

    @Parameter(label = SegmentOptions.MIN_SIZE, min = "-1",
            description = SegmentOptions.MIN_SIZE_HELP)
    private int min_size = SegmentOptions.MODEL_MIN_SIZE;

    /** Not persisted: a threshold chosen for one model's images must not carry over to another's. */
    @Parameter(label = SegmentOptions.SEED_THRESHOLD, persist = false, min = "-1", max = "0.99", stepSize = "0.05",
            description = SegmentOptions.SEED_THRESHOLD_HELP)
    private double seed_threshold = SegmentOptions.MODEL_SEED_THRESHOLD;

    @Parameter(label = SegmentOptions.TILE, min = "" + SegmentOptions.MIN_TILE,
            description = SegmentOptions.TILE_HELP)
    private int tile = SegmentOptions.DEFAULT_TILE;

    @Parameter(label = SegmentOptions.SCALE, persist = false, description = SegmentOptions.SCALE_HELP)
    private String scale = SegmentOptions.MODEL_SCALE;

    @Parameter(label = SegmentOptions.CHANNEL, persist = false, choices = {"none", "luminance", "red", "green", "blue"},
            description = "how to read RGB images; 'none' refuses them")
    private String channel = SegmentOptions.CHANNELS[0];

    @Parameter(label = SegmentOptions.NUCLEAR_CHANNEL, persist = false, min = "0",
            description = "of files of several channels, the one holding the nuclear stain (1, 2, ...); 0 refuses them")
    private int nuclear_channel;

    /** Not persisted: a size measured on one image would resize the next, of another magnification. */
    @Parameter(label = SegmentOptions.DIAMETER, persist = false, min = "0", required = false,
            description = SegmentOptions.DIAMETER_HELP)
    private double diameter = SegmentOptions.NO_DIAMETER;

    @Parameter(label = SegmentOptions.TTA, persist = false, description = SegmentOptions.TTA_HELP)
    private boolean tta;

    @Parameter(label = SegmentOptions.SCALE_PER_PLANE, persist = false, description = SegmentOptions.SCALE_PER_PLANE_HELP)
    private boolean scale_per_plane;

    @Parameter(label = SegmentFilesOptions.OVERWRITE, persist = false, description = "replace existing label images (unticked: keep those an earlier run wrote for these images)")
    private boolean overwrite;

    @Parameter(label = SegmentFilesOptions.STREAMING, persist = false,
            description = "segment every image in bands of rows (always done for images over 64 megapixels)")
    private boolean streaming;

    private int segmented = -1;

    @Override
    public void run() {
        SegmentFilesOptions options;
        try {
            options = new SegmentFilesOptions(input == null ? null : input.getPath(),
                    output == null ? null : output.getPath(), SegmentOptions.of(model).withMinSize(min_size)
                    .withSeedThreshold(seed_threshold).withTile(tile)
                    .withScale(scale).withDiameter(diameter).withChannel(channel).withNuclearChannel(nuclear_channel).withTta(tta)
                    .withScalePerPlane(scale_per_plane), overwrite, streaming);
        } catch (IllegalArgumentException e) {
            Reports.error(SegmentFilesOptions.TITLE, e.getMessage());
            cancel(e.getMessage());
            return;
        }
        FijiEngine engine = Reports.engine(SegmentFilesOptions.TITLE);
        if (engine == null) {
            cancel("the engine could not start");
            return;
        }
        segmented = engine.segmentFiles(options);
        if (segmented < 0) {
            cancel("failed or cancelled; see the Log and any message");
        }
    }

    /** Images segmented by the last run, or -1 if it failed. */
    public int segmented() {
        return segmented;
    }
}
