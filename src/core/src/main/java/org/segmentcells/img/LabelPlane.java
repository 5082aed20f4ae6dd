package org.segmentcells.img;

/**
 * A 2D instance label image in row-major order: 0 is background, k &gt; 0 is object k. Ids need not be
 * consecutive.
 */
public record LabelPlane(int width, int height, int[] data) {

    public LabelPlane {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("label image size must be positive, got " + width + "x" + height);
        }
        if (data.length != (long) width * height) {
            throw new IllegalArgumentException("label image of " + width + "x" + height + " needs "
                    + (long) width * height + " pixels, got " + data.length);
        }
    }

    public LabelPlane(int width, int height) {
        this(width, height, new int[Math.multiplyExact(width, height)]);
    }

    public int get(int x, int y) {
        return data[y * width + x];
    }

    /** Largest label id; 0 for an empty image. */
    public int maxLabel() {
        int m = 0;
        for (int v : data) {
            if (v > m) {
                m = v;
            }
        }
        return m;
    }

    /** A copy of rows {@code y0} (inclusive) to {@code y1} (exclusive); objects crossing them are cut. */
    public LabelPlane rows(int y0, int y1) {
        return new LabelPlane(width, y1 - y0, java.util.Arrays.copyOfRange(data, y0 * width, y1 * width));
    }

    /** Number of distinct non-zero ids. */
    public int countObjects() {
        return (int) java.util.Arrays.stream(data).filter(v -> v > 0).distinct().count();
    }
}
