package org.segmentcells.img;

/**
 * How a label image is stored, the one place of the rule every writer follows: 16-bit while the ids fit
 * (up to 65535 nuclei), else 32-bit float, which holds whole numbers exactly below 2^24; more objects
 * than that cannot be stored exactly and are refused.
 */
public enum LabelType {
    GRAY16, FLOAT32;

    /** The first id a 32-bit float image cannot hold exactly. */
    public static final int FLOAT_EXACT_LIMIT = 1 << 24;

    /**
     * The type for a label image whose largest id is {@code maxLabel}.
     *
     * @throws IllegalArgumentException at {@link #FLOAT_EXACT_LIMIT} or more
     */
    public static LabelType forMaxLabel(long maxLabel) {
        if (maxLabel >= FLOAT_EXACT_LIMIT) {
            throw new IllegalArgumentException("too many objects to store exactly in a 32-bit float image: " + maxLabel);
        }
        return maxLabel <= 65535 ? GRAY16 : FLOAT32;
    }
}
