package org.segmentcells.fiji;

import org.segmentcells.img.Channel;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.Segmenter;

/**
 * The choices of Segment Cells. The constants are the parameter names shared by the SciJava command,
 * the ImageJ 1.x dialog and macros ({@code run("Segment Cells", "model=default min_size=30")}).
 *
 * @param model         a model name (such as {@code default}) or a model folder
 * @param minSize       drop objects smaller than this many pixels; {@link #MODEL_MIN_SIZE} uses the
 *                      model's own setting from model.json
 * @param addToManager  add one outline per nucleus to the ROI Manager
 * @param probabilities also output the class probability maps
 * @param tile          tile size in pixels
 * @param channel       how to read RGB images (luminance, red, green, blue), or null to refuse them
 * @param nuclearChannel for a hyperstack with several channels, the one (1-based) holding the nuclear
 *                      stain; 0 when not given, which such an image refuses rather than guess
 * @param scale         resize images by this factor before the network (e.g. 0.5 for nuclei twice the size
 *                      the model learned), or auto (measure the nuclei); null uses the model's own
 *                      ({@link #MODEL_SCALE}: a number or auto, from model.json)
 * @param tta           test-time augmentation: average the network over the 4 flips of each tile, at 4
 *                      times the cost ({@link org.segmentcells.segment.FlipAveraged})
 * @param scalePerPlane with auto scale, measure every plane of a stack on its own instead of one scale for
 *                      the stack (planes of one acquisition share a magnification; a stack of different
 *                      images does not)
 */
public record SegmentOptions(String model, int minSize, boolean addToManager, boolean probabilities, int tile,
        Channel channel, int nuclearChannel, Scale scale, boolean tta, boolean scalePerPlane) {

    public static final String MODEL = "model";
    public static final String MIN_SIZE = "min_size";
    public static final String ADD_TO_MANAGER = "add_to_manager";
    public static final String PROBABILITIES = "probabilities";
    public static final String TILE = "tile";
    public static final String CHANNEL = "channel";
    public static final String NUCLEAR_CHANNEL = "nuclear_channel";
    public static final String SCALE = "scale";
    public static final String TTA = "tta";
    public static final String SCALE_PER_PLANE = "scale_per_plane";
    /** What {@link #SCALE_PER_PLANE} does, for the commands' descriptions and the dialog. */
    public static final String SCALE_PER_PLANE_HELP = "with scale auto, measure each plane of a stack on its own"
            + " (for a stack of different images); otherwise one scale for the stack";
    /** What {@link #TTA} does, for the commands' descriptions and the dialog. */
    public static final String TTA_HELP = "test-time augmentation: average the network over the 4 flips of each"
            + " tile; 4 times slower, slightly more accurate";
    /** {@code scale} value meaning "the model's own scale" (a number or auto, from model.json). */
    public static final String MODEL_SCALE = "model";
    /** What {@link #SCALE} does, for the commands' descriptions and the dialogs. */
    public static final String SCALE_HELP = "model (the model's own: 1 for the shipped models, or the scale its"
            + " calibration chose), auto (measure the nuclei and resize them into the sizes the model learned from),"
            + " or a factor such as 0.5 for nuclei twice that size";

    /**
     * {@link #SCALE} as typed: {@code model} (or empty, or 0 as in macros recorded before auto scale) gives
     * null, the model's own; {@code auto} or a factor otherwise.
     */
    public static Scale parseScale(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty() || t.equalsIgnoreCase(MODEL_SCALE) || t.matches("0+(\\.0*)?")) {
            return null;
        }
        try {
            return Scale.parse(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SCALE + ": " + e.getMessage() + " (or " + MODEL_SCALE + " for the model's own)");
        }
    }

    /** {@link #SCALE} as shown in dialogs and macros. */
    public String scaleId() {
        return scale == null ? MODEL_SCALE : scale.toString();
    }
    /** Choices for {@link #CHANNEL}; "none" refuses RGB images. */
    public static final String[] CHANNELS = {"none", "luminance", "red", "green", "blue"};

    /** {@code min_size} value meaning "the model's own minimum size". */
    public static final int MODEL_MIN_SIZE = -1;
    /**
     * Smallest tile any model accepts (the paper's E: two margins plus 16 px of core); a U-Net model
     * needs more, which its Segmenter checks with a message naming the estimator.
     */
    public static final int MIN_TILE = 2 * Segmenter.MARGIN + 16;

    public static final SegmentOptions DEFAULTS =
            new SegmentOptions("default", MODEL_MIN_SIZE, false, false, Segmenter.DEFAULT_TILE, null);

    /** One scale per stack. */
    public SegmentOptions(String model, int minSize, boolean addToManager, boolean probabilities, int tile,
            Channel channel, int nuclearChannel, Scale scale, boolean tta) {
        this(model, minSize, addToManager, probabilities, tile, channel, nuclearChannel, scale, tta, false);
    }

    /** Without test-time augmentation. */
    public SegmentOptions(String model, int minSize, boolean addToManager, boolean probabilities, int tile,
            Channel channel, int nuclearChannel, Scale scale) {
        this(model, minSize, addToManager, probabilities, tile, channel, nuclearChannel, scale, false);
    }

    /** At the model's own scale. */
    public SegmentOptions(String model, int minSize, boolean addToManager, boolean probabilities, int tile,
            Channel channel, int nuclearChannel) {
        this(model, minSize, addToManager, probabilities, tile, channel, nuclearChannel, null);
    }

    /** Without a nuclear channel (single-channel images). */
    public SegmentOptions(String model, int minSize, boolean addToManager, boolean probabilities, int tile,
            Channel channel) {
        this(model, minSize, addToManager, probabilities, tile, channel, 0);
    }

    /** Grayscale only (RGB images refused). */
    public SegmentOptions(String model, int minSize, boolean addToManager, boolean probabilities, int tile) {
        this(model, minSize, addToManager, probabilities, tile, null);
    }

    /** {@link #CHANNEL} as shown in dialogs and macros. */
    public String channelId() {
        return channel == null ? CHANNELS[0] : channel.id();
    }

    public SegmentOptions {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("no model given; use 'default', another model name, or a model folder");
        }
        model = model.strip();
        if (minSize < MODEL_MIN_SIZE) {
            throw new IllegalArgumentException(MIN_SIZE + " must be >= 0 (or -1 for the model's setting), got " + minSize);
        }
        if (nuclearChannel < 0) {
            throw new IllegalArgumentException(NUCLEAR_CHANNEL + " must be a channel number from 1 (or 0: not"
                    + " set), got " + nuclearChannel);
        }
        if (tile < MIN_TILE) {
            throw new IllegalArgumentException(TILE + " must be at least " + MIN_TILE + " px, got " + tile);
        }
    }
}
