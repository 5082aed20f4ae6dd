package org.segmentcells.scale;

/**
 * The connected objects of a binary mask, numbered from 1 in the raster order of their first pixel, with
 * each one's area, bounding box and whether it touches the plane's border: what measuring nuclei
 * ({@link ObjectSize}, 4-connected) and cutting them ({@link Watershed}, 8-connected, as ImageJ's particles)
 * both need, and the strokes a fine-tune holds out ({@code train.HeldOutStrokes}, 8-connected).
 *
 * @param label each pixel's object, 0 for background
 * @param count the number of objects; the arrays that follow are indexed by object - 1 (each object's area and
 *              inclusive bounding box)
 */
public record Components(int[] label, int width, int height, int count, int[] area, int[] x0, int[] y0, int[] x1,
        int[] y1) {

    /** The objects of {@code mask} (non-zero pixels), 4- or 8-connected. */
    public static Components of(byte[] mask, int w, int h, boolean eightConnected) {
        int[] label = new int[w * h];
        int[] queue = new int[w * h];
        IntList area = new IntList();
        IntList bx0 = new IntList();
        IntList by0 = new IntList();
        IntList bx1 = new IntList();
        IntList by1 = new IntList();
        int count = 0;
        for (int start = 0; start < mask.length; start++) {
            if (mask[start] == 0 || label[start] != 0) {
                continue;
            }
            int id = ++count;
            label[start] = id;
            queue[0] = start;
            int tail = 1;
            int x0 = w;
            int y0 = h;
            int x1 = -1;
            int y1 = -1;
            for (int head = 0; head < tail; head++) {
                int i = queue[head];
                int x = i % w;
                int y = i / w;
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, x);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        if (xx < 0 || xx >= w || dx == 0 && dy == 0 || !eightConnected && dx != 0 && dy != 0) {
                            continue;
                        }
                        int j = yy * w + xx;
                        if (mask[j] != 0 && label[j] == 0) {
                            label[j] = id;
                            queue[tail++] = j;
                        }
                    }
                }
            }
            area.add(tail);
            bx0.add(x0);
            by0.add(y0);
            bx1.add(x1);
            by1.add(y1);
        }
        return new Components(label, w, h, count, area.toArray(), bx0.toArray(), by0.toArray(), bx1.toArray(),
                by1.toArray());
    }

    /** Whether object {@code k} (0-based) touches the plane's border: its box reaches an edge. */
    boolean touchesBorder(int k) {
        return x0[k] == 0 || y0[k] == 0 || x1[k] == width - 1 || y1[k] == height - 1;
    }

    /** A growable list of ints, so that a plane of many objects costs no boxing. */
    private static final class IntList {
        private int[] a = new int[64];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, 2 * n);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
