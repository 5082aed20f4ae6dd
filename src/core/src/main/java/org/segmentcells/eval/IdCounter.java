package org.segmentcells.eval;

import java.util.Arrays;

/**
 * Maps positive label ids to dense indices 0..size-1 and counts pixels per id. Open addressing on
 * primitive arrays: boxing a HashMap entry per pixel would dominate the run time on 4096x4096 frames.
 */
final class IdCounter {

    private int[] keys = new int[64]; // 0 = empty slot; ids are > 0
    private int[] slots = new int[64];
    private int[] counts = new int[16];
    private int size;

    /** Adds one pixel to {@code id} (> 0) and returns its dense index. */
    int increment(int id) {
        int idx = indexOf(id, true);
        counts[idx]++;
        return idx;
    }

    /** Adds one pixel to the id with dense index {@code idx}. */
    void incrementIndex(int idx) {
        counts[idx]++;
    }

    /** Dense index of {@code id}, or -1 if it was never counted. */
    int indexOf(int id) {
        return indexOf(id, false);
    }

    int size() {
        return size;
    }

    /** Pixel count of the id with dense index {@code idx}. */
    int count(int idx) {
        return counts[idx];
    }

    private int indexOf(int id, boolean add) {
        int mask = keys.length - 1;
        int h = mix(id) & mask;
        while (true) {
            int k = keys[h];
            if (k == id) {
                return slots[h];
            }
            if (k == 0) {
                if (!add) {
                    return -1;
                }
                if (size == counts.length) {
                    counts = Arrays.copyOf(counts, size * 2);
                }
                keys[h] = id;
                slots[h] = size;
                size++;
                if (2 * size > keys.length) {
                    rehash();
                }
                return size - 1;
            }
            h = (h + 1) & mask;
        }
    }

    private void rehash() {
        int[] oldKeys = keys;
        int[] oldSlots = slots;
        keys = new int[oldKeys.length * 2];
        slots = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int h = mix(oldKeys[i]) & mask;
                while (keys[h] != 0) {
                    h = (h + 1) & mask;
                }
                keys[h] = oldKeys[i];
                slots[h] = oldSlots[i];
            }
        }
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}
