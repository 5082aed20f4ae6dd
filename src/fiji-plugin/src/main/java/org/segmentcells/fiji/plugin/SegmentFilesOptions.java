package org.segmentcells.fiji.plugin;

/**
 * The choices of Segment Image Files (macro keys as constants); {@code minSize}
 * {@link SegmentOptions#MODEL_MIN_SIZE} and scale {@link SegmentOptions#MODEL_SCALE} mean the model's own;
 * {@code scalePerPlane} is {@link SegmentOptions#SCALE_PER_PLANE}, for stacks among the files.
 */
public record SegmentFilesOptions(String input, String output, String model, int minSize, String scale,
        String channel, boolean tta, boolean scalePerPlane, boolean overwrite, boolean streaming) {

    public static final String TITLE = "Segment Image Files";
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    public static final String OVERWRITE = "overwrite";
    public static final String STREAMING = "streaming";

    public SegmentFilesOptions {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("give the " + INPUT + " image file or folder");
        }
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("give the " + OUTPUT + " folder");
        }
        // The same checks and messages as Segment Cells.
        SegmentOptions checked = segmentOptions(model, minSize, channel, scale);
        model = checked.model();
        channel = checked.channel();
        scale = checked.scale();
    }

    /** The settings Segment Cells would use for one of the images. */
    public SegmentOptions segmentOptions() {
        return segmentOptions(model, minSize, channel, scale);
    }

    private static SegmentOptions segmentOptions(String model, int minSize, String channel, String scale) {
        return new SegmentOptions(model, minSize, false, false, SegmentOptions.DEFAULT_TILE, channel, 0, scale);
    }
}
