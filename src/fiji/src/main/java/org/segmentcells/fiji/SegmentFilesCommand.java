package org.segmentcells.fiji;

import java.io.File;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.segmentcells.img.Channel;

/**
 * SciJava command for Plugins &gt; Segment Cells &gt; Segment Image Files; calls {@link SegmentFilesRunner},
 * as the ImageJ 1.x entry of the same name does. Parameter names are the macro keys.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segment Cells>Segment Image Files", headless = true)
public class SegmentFilesCommand extends ContextCommand {

    @Parameter(label = SegmentFilesRunner.INPUT, persist = false, style = "both",
            description = "an image file, or a folder whose image files are all segmented")
    private File input;

    @Parameter(label = SegmentFilesRunner.OUTPUT, persist = false, style = "directory",
            description = "folder for the label images (STEM.tif); created if needed")
    private File output;

    @Parameter(label = SegmentOptions.MODEL, description = "'default', another model name, or a model folder")
    private String model = SegmentOptions.DEFAULTS.model();

    @Parameter(label = SegmentOptions.MIN_SIZE, min = "-1",
            description = "drop nuclei smaller than this many pixels; -1 uses the model's setting")
    private int min_size = SegmentOptions.MODEL_MIN_SIZE;

    @Parameter(label = SegmentOptions.SCALE, persist = false, description = SegmentOptions.SCALE_HELP)
    private String scale = SegmentOptions.MODEL_SCALE;

    @Parameter(label = SegmentOptions.CHANNEL, persist = false, choices = {"none", "luminance", "red", "green", "blue"},
            description = "how to read RGB images; 'none' refuses them")
    private String channel = SegmentOptions.CHANNELS[0];

    @Parameter(label = SegmentOptions.TTA, persist = false, description = SegmentOptions.TTA_HELP)
    private boolean tta;

    @Parameter(label = SegmentFilesRunner.OVERWRITE, persist = false, description = "replace existing label images")
    private boolean overwrite;

    @Parameter(label = SegmentFilesRunner.STREAMING, persist = false,
            description = "segment every image in bands of rows (always done for images over 64 megapixels)")
    private boolean streaming;

    private int segmented = -1;

    @Override
    public void run() {
        SegmentFilesRunner.Options options;
        try {
            options = new SegmentFilesRunner.Options(input == null ? null : input.getPath(),
                    output == null ? null : output.getPath(), model, min_size, SegmentOptions.parseScale(scale), Channel.parse(channel), tta,
                    overwrite, streaming);
        } catch (IllegalArgumentException e) {
            Reports.error(SegmentFilesRunner.TITLE, e.getMessage());
            cancel(e.getMessage());
            return;
        }
        segmented = SegmentFilesRunner.runAndReport(options);
        if (segmented < 0) {
            cancel("failed; see the message");
        }
    }

    /** Images segmented by the last run, or -1 if it failed. */
    public int segmented() {
        return segmented;
    }
}
