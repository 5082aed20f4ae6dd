package org.segmentcells.fiji.plugin;

/**
 * The choices of Segment Cells. The constants are the parameter names shared by the SciJava command,
 * the ImageJ 1.x dialog and macros ({@code run("Segment Cells", "model=default min_size=30")}). Channel
 * and scale stay as typed: the engine reads them (its parser names the key in its message), so this
 * record needs no class of the engine.
 *
 * @param model         a model name (such as {@code default}) or a model folder
 * @param minSize       drop objects smaller than this many pixels; {@link #MODEL_MIN_SIZE} uses the
 *                      model's own setting from model.json
 * @param addToManager  add one outline per nucleus to the ROI Manager
 * @param probabilities also output the class probability maps
 * @param tile          tile size in pixels
 * @param channel       how to read RGB images ({@link #CHANNELS}: none refuses them)
 * @param nuclearChannel for a hyperstack with several channels, the one (1-based) holding the nuclear
 *                      stain; 0 when not given, which such an image refuses rather than guess
 * @param scale         resize images by this factor before the network (e.g. 0.5 for nuclei twice the size
 *                      the model learned), or auto (measure the nuclei); {@link #MODEL_SCALE} (or empty) uses
 *                      the model's own (a number or auto, from model.json)
 * @param diameter      the nuclei's diameter in pixels, from which the scale is chosen as auto would from a
 *                      measurement; {@link #NO_DIAMETER} when not given (then {@code scale} applies)
 * @param tta           test-time augmentation: average the network over the 4 flips of each tile, at 4
 *                      times the cost
 * @param scalePerPlane with auto scale, measure every plane of a stack on its own instead of one scale for
 *                      the stack (planes of one acquisition share a magnification; a stack of different
 *                      images does not)
 * @param seedThreshold nucleus probability that starts an object, as the CLI's --seed-threshold;
 *                      {@link #MODEL_SEED_THRESHOLD} uses the model's own
 */
public record SegmentOptions(String model, int minSize, boolean addToManager, boolean probabilities, int tile,
        String channel, int nuclearChannel, String scale, double diameter, boolean tta, boolean scalePerPlane,
        double seedThreshold) {

    public static final String TITLE = "Segment Cells";
    public static final String MODEL = "model";
    public static final String MIN_SIZE = "min_size";
    public static final String ADD_TO_MANAGER = "add_to_manager";
    public static final String PROBABILITIES = "probabilities";
    public static final String TILE = "tile";
    public static final String CHANNEL = "channel";
    public static final String NUCLEAR_CHANNEL = "nuclear_channel";
    public static final String SCALE = "scale";
    public static final String DIAMETER = "diameter";
    /** {@code diameter} value meaning "not given": the scale setting applies. */
    public static final double NO_DIAMETER = 0;
    /** What {@link #DIAMETER} does, for the commands' descriptions and the dialogs. */
    public static final String DIAMETER_HELP = "the nuclei's diameter in pixels, if you know it: the scale is chosen"
            + " from it as auto would from a measurement; 0: not given (scale applies)";
    public static final String TTA = "tta";
    public static final String SCALE_PER_PLANE = "scale_per_plane";
    public static final String SEED_THRESHOLD = "seed_threshold";
    /** {@code seed_threshold} value meaning "the model's own", as {@code min_size=-1} does for the minimum size. */
    public static final double MODEL_SEED_THRESHOLD = -1;
    /** What {@link #SEED_THRESHOLD} does, for the commands' descriptions and the dialogs. */
    public static final String SEED_THRESHOLD_HELP = "nucleus probability that starts an object, from 0 to under 1;"
            + " -1 uses the model's setting";
    /** What {@link #SCALE_PER_PLANE} does, for the commands' descriptions and the dialog. */
    public static final String SCALE_PER_PLANE_HELP = "with scale auto, measure each plane of a stack on its own"
            + " (for a stack of different images); otherwise one scale for the stack";
    /** What {@link #MODEL} takes, for the commands' descriptions. */
    public static final String MODEL_HELP = "'default', another model name, or a model folder";
    /** What {@link #MIN_SIZE} does, for the commands' descriptions. */
    public static final String MIN_SIZE_HELP = "drop nuclei smaller than this many pixels; -1 uses the model's setting";
    /** What {@link #TILE} does, for the commands' descriptions. */
    public static final String TILE_HELP = "tile size in pixels (larger is faster but needs more memory)";
    /** What {@link #PROBABILITIES} does, for the commands' descriptions. */
    public static final String PROBABILITIES_HELP = "also output the background, nucleus and contour probability maps";
    /** What {@link #TTA} does, for the commands' descriptions and the dialog. */
    public static final String TTA_HELP = "test-time augmentation: average the network over the 4 flips of each"
            + " tile; 4 times the network's time (about 3.5 times slower), slightly more accurate";
    /** {@code scale} value meaning "the model's own scale" (a number or auto, from model.json). */
    public static final String MODEL_SCALE = "model";
    /** What {@link #SCALE} does, for the commands' descriptions and the dialogs. */
    public static final String SCALE_HELP = "model (the model's own: auto for the shipped models, or the scale its"
            + " calibration chose), auto (measure the nuclei and resize them into the sizes the model learned from; smaller nuclei are enlarged to its smallest size, which a generalist trained on sharp crops only does below half of it),"
            + " or a factor such as 0.5 for nuclei twice that size";

    /**
     * Whether a {@link #SCALE} as typed means the model's own: {@link #MODEL_SCALE} (any case), empty, or 0 as
     * in macros recorded before auto scale.
     */
    public static boolean isModelScale(String text) {
        String t = text == null ? "" : text.strip();
        return t.isEmpty() || t.equalsIgnoreCase(MODEL_SCALE) || t.matches("0+(\\.0*)?");
    }

    /** {@link #SCALE} as shown in dialogs and macros. */
    public String scaleId() {
        return scale;
    }
    /** The whole-number keys of Segment Cells' and Segment Image Files' dialogs ({@link MacroOptions#checkForDialog}). */
    public static final java.util.Set<String> WHOLE_NUMBER_KEYS = java.util.Set.of(MIN_SIZE, TILE, NUCLEAR_CHANNEL);
    /** Their other number keys. */
    public static final java.util.Set<String> NUMBER_KEYS = java.util.Set.of(SEED_THRESHOLD, DIAMETER);
    /** Every key of Segment Cells' dialog (and the SciJava command's plain inputs). */
    public static final MacroOptions.Keys KEYS = MacroOptions.Keys.of(MODEL, CHANNEL, SCALE).wholeNumbers(WHOLE_NUMBER_KEYS)
            .numbers(NUMBER_KEYS).tickBoxes(ADD_TO_MANAGER, PROBABILITIES, TTA, SCALE_PER_PLANE);

    /** Choices for {@link #CHANNEL}; "none" refuses RGB images. */
    public static final String[] CHANNELS = {"none", "luminance", "red", "green", "blue"};

    /** {@code min_size} value meaning "the model's own minimum size". */
    public static final int MODEL_MIN_SIZE = -1;
    /**
     * Smallest tile any model accepts (the paper's E: two margins of 16 px plus 16 px of core); a U-Net
     * model needs more, which the engine checks with a message naming the estimator. Equal to the core's
     * values (a test in src/fiji checks), which this jar cannot see.
     */
    public static final int MIN_TILE = 2 * 16 + 16;
    /** Smallest tile a U-Net model accepts (the shipped default is one), for the message a too small tile gets. */
    public static final int MIN_TILE_UNET = 160;
    /** The tile size when none is given (the core's {@code Segmenter.DEFAULT_TILE}). */
    public static final int DEFAULT_TILE = 1024;

    /** Model "default" with its own settings, labels only, grayscale images only (RGB refused). */
    public static final SegmentOptions DEFAULTS = of("default");

    /**
     * The model's own settings, labels only, grayscale images: each choice is then set by name,
     * {@code SegmentOptions.of("default").withScale("auto").withTta(true)}.
     */
    public static SegmentOptions of(String model) {
        return new SegmentOptions(model, MODEL_MIN_SIZE, false, false, DEFAULT_TILE, CHANNELS[0], 0, MODEL_SCALE,
                NO_DIAMETER, false, false, MODEL_SEED_THRESHOLD);
    }

    /** With or without one outline per nucleus in the ROI Manager ({@link #ADD_TO_MANAGER}). */
    public SegmentOptions withAddToManager(boolean on) {
        return new SegmentOptions(model, minSize, on, probabilities, tile, channel, nuclearChannel, scale,
                diameter, tta, scalePerPlane, seedThreshold);
    }

    /** With {@link #TILE} in pixels. */
    public SegmentOptions withTile(int size) {
        return new SegmentOptions(model, minSize, addToManager, probabilities, size, channel, nuclearChannel, scale,
                diameter, tta, scalePerPlane, seedThreshold);
    }

    /** With {@link #CHANNEL}, how RGB images are read ({@link #CHANNELS}). */
    public SegmentOptions withChannel(String c) {
        return new SegmentOptions(model, minSize, addToManager, probabilities, tile, c, nuclearChannel, scale,
                diameter, tta, scalePerPlane, seedThreshold);
    }

    /** With {@link #NUCLEAR_CHANNEL} (1-based; 0: not given). */
    public SegmentOptions withNuclearChannel(int c) {
        return new SegmentOptions(model, minSize, addToManager, probabilities, tile, channel, c, scale,
                diameter, tta, scalePerPlane, seedThreshold);
    }

    /** With {@link #SCALE}: "auto", a factor such as "0.5", or "model". */
    public SegmentOptions withScale(String scale) {
        return new SegmentOptions(model, minSize, addToManager, probabilities, tile, channel, nuclearChannel, scale,
                diameter, tta, scalePerPlane, seedThreshold);
    }

    /** With {@link #DIAMETER} in pixels ({@link #NO_DIAMETER}: not given). */
    public SegmentOptions withDiameter(double d) {
        return new SegmentOptions(model, minSize, addToManager, probabilities, tile, channel, nuclearChannel, scale, d,
                tta, scalePerPlane, seedThreshold);
    }

    /** {@link #DIAMETER} as the engine takes it: null when not given. */
    public Double diameterOrNone() {
        return diameter == NO_DIAMETER ? null : diameter;
    }

    /** With {@link #MIN_SIZE} in pixels ({@link #MODEL_MIN_SIZE}: the model's). */
    public SegmentOptions withMinSize(int minSize) {
        return new SegmentOptions(model, minSize, addToManager, probabilities, tile, channel, nuclearChannel, scale,
                diameter, tta, scalePerPlane, seedThreshold);
    }

    /** With or without {@link #TTA}. */
    public SegmentOptions withTta(boolean tta) {
        return new SegmentOptions(model, minSize, addToManager, probabilities, tile, channel, nuclearChannel, scale,
                diameter, tta, scalePerPlane, seedThreshold);
    }

    /** With or without the {@link #PROBABILITIES} maps. */
    public SegmentOptions withProbabilities(boolean probabilities) {
        return new SegmentOptions(model, minSize, addToManager, probabilities, tile, channel, nuclearChannel, scale,
                diameter, tta, scalePerPlane, seedThreshold);
    }

    /** With {@link #SEED_THRESHOLD} (from 0 to under 1; {@link #MODEL_SEED_THRESHOLD}: the model's). */
    public SegmentOptions withSeedThreshold(double threshold) {
        return new SegmentOptions(model, minSize, addToManager, probabilities, tile, channel, nuclearChannel, scale,
                diameter, tta, scalePerPlane, threshold);
    }

    /** {@link #SEED_THRESHOLD} as the engine takes it: null for the model's own. */
    public Double seedThresholdOrModel() {
        return seedThreshold == MODEL_SEED_THRESHOLD ? null : seedThreshold;
    }

    /** With {@link #SCALE_PER_PLANE}. */
    public SegmentOptions withScalePerPlane(boolean scalePerPlane) {
        return new SegmentOptions(model, minSize, addToManager, probabilities, tile, channel, nuclearChannel, scale,
                diameter, tta, scalePerPlane, seedThreshold);
    }

    /**
     * {@link #MIN_SIZE} as the engine takes it: null for the model's own, the core's one spelling of that
     * ({@link #MODEL_MIN_SIZE} is how a numeric dialog field and a macro write it).
     */
    public Integer minSizeOrModel() {
        return minSize == MODEL_MIN_SIZE ? null : minSize;
    }

    /** {@link #CHANNEL} as shown in dialogs and macros. */
    public String channelId() {
        return channel;
    }

    public SegmentOptions {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("no model given; use 'default', another model name, or a model folder");
        }
        model = model.strip();
        channel = channel == null || channel.isBlank() ? CHANNELS[0] : channel.strip().toLowerCase(java.util.Locale.ROOT);
        scale = scale == null || scale.isBlank() ? MODEL_SCALE : scale.strip();
        if (minSize < MODEL_MIN_SIZE) {
            throw new IllegalArgumentException(MIN_SIZE + " must be >= 0 (or -1 for the model's setting), got " + minSize);
        }
        if (nuclearChannel < 0) {
            throw new IllegalArgumentException(NUCLEAR_CHANNEL + " must be a channel number from 1 (or 0: not"
                    + " set), got " + nuclearChannel);
        }
        if (seedThreshold != MODEL_SEED_THRESHOLD && !(seedThreshold >= 0 && seedThreshold < 1)) {
            throw new IllegalArgumentException(SEED_THRESHOLD + " must be at least 0 and under 1 (or -1 for the model's"
                    + " setting), got " + seedThreshold);
        }
        if (!(diameter >= 0 && diameter < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(DIAMETER + " must be a number of pixels above 0 (or 0: not given), got "
                    + diameter);
        }
        if (diameter != NO_DIAMETER && !isModelScale(scale)) {
            throw new IllegalArgumentException("give " + SCALE + " or " + DIAMETER + ", not both: the diameter sets"
                    + " the scale");
        }
        if (tile < MIN_TILE) {
            throw new IllegalArgumentException(TILE + " must be at least " + MIN_TILE + " px (" + MIN_TILE_UNET
                    + " for U-Net models such as default), got " + tile);
        }
    }
}
