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
 * @param minSize       drop objects under this many pixels of the input image
 * @param seedThreshold nucleus probability that starts an object
 * @param tile          tile size in pixels
 * @param tta           average the network over the 4 flips of each tile
 */
public record SegmentSettings(Scale scale, Integer minSize, Double seedThreshold, int tile, boolean tta) {

    /** Refuses values no model could use, before any work; a model's own limits (its tile size) come later. */
    public SegmentSettings {
        if (minSize != null && minSize < 0) {
            throw new IllegalArgumentException(Setting.MIN_SIZE.mention() + " must be at least 0, got " + minSize);
        }
        if (seedThreshold != null && !(seedThreshold >= 0 && seedThreshold < 1)) {
            throw new IllegalArgumentException(Setting.SEED_THRESHOLD.mention() + " must be at least 0 and under 1,"
                    + " got " + seedThreshold);
        }
        int smallest = Math.min(Segmenter.minTile(Architecture.PAPER), Segmenter.minTile(Architecture.UNET));
        if (tile < smallest) {
            throw new IllegalArgumentException(Setting.TILE.mention() + " must be at least " + smallest + " pixels, got "
                    + tile);
        }
    }

    /** Everything as the model says, default tiles, no test-time augmentation. */
    public static final SegmentSettings MODEL = new SegmentSettings(null, null, null, Segmenter.DEFAULT_TILE, false);

    public SegmentSettings withScale(Scale s) {
        return new SegmentSettings(s, minSize, seedThreshold, tile, tta);
    }

    public SegmentSettings withMinSize(Integer m) {
        return new SegmentSettings(scale, m, seedThreshold, tile, tta);
    }

    public SegmentSettings withSeedThreshold(Double t) {
        return new SegmentSettings(scale, minSize, t, tile, tta);
    }

    public SegmentSettings withTile(int t) {
        return new SegmentSettings(scale, minSize, seedThreshold, t, tta);
    }

    public SegmentSettings withTta(boolean on) {
        return new SegmentSettings(scale, minSize, seedThreshold, tile, on);
    }
}
