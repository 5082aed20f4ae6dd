package org.segmentcells.model;

import org.segmentcells.nets.Architecture;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.setting.Setting;

/**
 * How to segment with a model. Null for {@code scale}, {@code minSize} or {@code seedThreshold} means
 * "the model's own" (model.json), the one spelling of that in the core; front ends map theirs onto it.
 *
 * @param scale         resize factor before the network, or {@link Scale#AUTO}
 * @param diameter      the nuclei's diameter in pixels, as the user knows it (null: not given); the scale
 *                      is then chosen from it as auto would from a measurement, so not with {@code scale}
 * @param minSize       drop objects under this many pixels of the input image
 * @param seedThreshold nucleus probability that starts an object
 * @param tile          tile size in pixels
 * @param tta           average the network over the 4 flips of each tile
 */
public record SegmentSettings(Scale scale, Double diameter, Integer minSize, Double seedThreshold, int tile, boolean tta)
        implements java.io.Serializable {

    /** Refuses values no model could use, before any work; a model's own limits (its tile size) come later. */
    public SegmentSettings {
        if (diameter != null && !(diameter > 0 && diameter <= MAX_DIAMETER)) {
            throw new IllegalArgumentException(Setting.DIAMETER.mention() + " must be a number of pixels above 0 and at"
                    + " most " + (int) MAX_DIAMETER + ", got " + diameter);
        }
        if (diameter != null && scale != null) {
            throw new IllegalArgumentException("give " + Setting.SCALE.mention() + " or " + Setting.DIAMETER.mention()
                    + ", not both: the diameter sets the scale");
        }
        if (minSize != null && minSize < 0) {
            throw new IllegalArgumentException(Setting.MIN_SIZE.mention() + " must be at least 0, got " + minSize);
        }
        if (seedThreshold != null && !(seedThreshold >= 0 && seedThreshold < 1)) {
            throw new IllegalArgumentException(Setting.SEED_THRESHOLD.mention() + " must be at least 0 and under 1,"
                    + " got " + seedThreshold);
        }
        int smallest = Math.min(Segmenter.minTile(Architecture.PAPER), Segmenter.minTile(Architecture.UNET));
        if (tile < smallest) {
            // Both estimators' minima, so the number does not change once the model is known (default's is the unet's).
            throw new IllegalArgumentException(Setting.TILE.mention() + " must be at least "
                    + Segmenter.minTile(Architecture.UNET) + " for the " + Architecture.UNET.settingName()
                    + " estimator (default's) and " + Segmenter.minTile(Architecture.PAPER) + " for the "
                    + Architecture.PAPER.settingName() + " one, got " + tile);
        }
    }

    /** The largest nucleus diameter taken, in pixels: far beyond any scale's reach, only a bound for typing errors. */
    public static final double MAX_DIAMETER = 100_000;

    /** Everything as the model says, default tiles, no test-time augmentation. */
    public static final SegmentSettings MODEL = new SegmentSettings(null, null, null, null, Segmenter.DEFAULT_TILE, false);

    public SegmentSettings withScale(Scale s) {
        return new SegmentSettings(s, diameter, minSize, seedThreshold, tile, tta);
    }

    /** With the nuclei's diameter in pixels (null: not given), from which the scale is chosen. */
    public SegmentSettings withDiameter(Double d) {
        return new SegmentSettings(scale, d, minSize, seedThreshold, tile, tta);
    }

    public SegmentSettings withMinSize(Integer m) {
        return new SegmentSettings(scale, diameter, m, seedThreshold, tile, tta);
    }

    public SegmentSettings withSeedThreshold(Double t) {
        return new SegmentSettings(scale, diameter, minSize, t, tile, tta);
    }

    public SegmentSettings withTile(int t) {
        return new SegmentSettings(scale, diameter, minSize, seedThreshold, t, tta);
    }

    public SegmentSettings withTta(boolean on) {
        return new SegmentSettings(scale, diameter, minSize, seedThreshold, tile, on);
    }
}
