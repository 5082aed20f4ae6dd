package org.segmentcells.fiji.plugin;

/**
 * The numbers Segment Cells' and Segment Image Files' ImageJ 1.x dialogs share, as a GenericDialog gives
 * them (NaN for text it cannot read), checked before they become {@link SegmentOptions}.
 */
record DialogNumbers(double minSize, double seedThreshold, double tile, double nuclearChannel, double diameter) {

    /**
     * Throws an IllegalArgumentException naming the key of a value that is not a number, or not a whole
     * one where the key takes one; {@code invalid}: the dialog itself saw text where a number belongs.
     */
    void check(boolean invalid) {
        if (Double.isNaN(seedThreshold)) {
            throw new IllegalArgumentException(SegmentOptions.SEED_THRESHOLD + " must be a number (-1: the model's)");
        }
        if (Double.isNaN(diameter)) {
            throw new IllegalArgumentException(SegmentOptions.DIAMETER + " must be a number of pixels (0: not given)");
        }
        if (invalid || minSize != Math.rint(minSize) || tile != Math.rint(tile)
                || nuclearChannel != Math.rint(nuclearChannel)) {
            throw new IllegalArgumentException(SegmentOptions.MIN_SIZE + ", " + SegmentOptions.TILE + " and "
                    + SegmentOptions.NUCLEAR_CHANNEL + " must be whole numbers");
        }
    }
}
