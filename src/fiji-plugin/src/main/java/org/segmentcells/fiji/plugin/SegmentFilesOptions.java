package org.segmentcells.fiji.plugin;

/**
 * The choices of Segment Image Files (macro keys as constants): the files, and what Segment Cells would use
 * for each image ({@code segment}: model, min_size, scale, channel, nuclear_channel, tta, scale_per_plane,
 * checked and spelled as there).
 */
public record SegmentFilesOptions(String input, String output, SegmentOptions segment, boolean overwrite,
        boolean streaming) {

    public static final String TITLE = "Segment Image Files";
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    public static final String OVERWRITE = "overwrite";
    public static final String STREAMING = "streaming";
    /** Every key of Segment Image Files' dialog (and the SciJava command's plain inputs). */
    public static final MacroOptions.Keys KEYS = MacroOptions.Keys.of(INPUT, OUTPUT, SegmentOptions.MODEL,
            SegmentOptions.SCALE, SegmentOptions.CHANNEL).wholeNumbers(SegmentOptions.WHOLE_NUMBER_KEYS)
            .numbers(SegmentOptions.NUMBER_KEYS).tickBoxes(SegmentOptions.TTA, SegmentOptions.SCALE_PER_PLANE, OVERWRITE,
                    STREAMING);

    public SegmentFilesOptions {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("give the " + INPUT + " image file or folder");
        }
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("give the " + OUTPUT + " folder");
        }
        if (segment == null) {
            throw new IllegalArgumentException("no segment settings given");
        }
    }
}
