package org.segmentcells.img;

/**
 * One 2D plane of float pixels in row-major order ({@code data[y * width + x]}). This is the form in
 * which pixels travel between io, segment, train and eval; it maps onto an NHWC {1,h,w,1} tensor
 * without any transpose.
 */
public record FloatPlane(int width, int height, float[] data) {

    public FloatPlane {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("plane size must be positive, got " + width + "x" + height);
        }
        if (data.length != (long) width * height) {
            throw new IllegalArgumentException("plane of " + width + "x" + height + " needs "
                    + (long) width * height + " pixels, got " + data.length);
        }
    }

    public FloatPlane(int width, int height) {
        this(width, height, new float[Math.multiplyExact(width, height)]);
    }

    public float get(int x, int y) {
        return data[y * width + x];
    }

    public void set(int x, int y, float v) {
        data[y * width + x] = v;
    }

    public int size() {
        return data.length;
    }

    /** A copy of rows {@code y0} (inclusive) to {@code y1} (exclusive). */
    public FloatPlane rows(int y0, int y1) {
        return new FloatPlane(width, y1 - y0, java.util.Arrays.copyOfRange(data, y0 * width, y1 * width));
    }
}
