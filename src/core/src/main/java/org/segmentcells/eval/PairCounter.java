package org.segmentcells.eval;

import java.util.Arrays;

/**
 * Counts occurrences of non-negative long keys (here: a GT index in the high and a prediction index in
 * the low 32 bits). Open addressing on primitive arrays, for the same reason as {@link IdCounter}.
 */
final class PairCounter {

    private static final long EMPTY = -1L;

    private long[] keys = filled(64);
    private int[] counts = new int[64];
    private int size;

    static long key(int gtIndex, int predIndex) {
        return ((long) gtIndex << 32) | predIndex;
    }

    void increment(long key) {
        int mask = keys.length - 1;
        int h = mix(key) & mask;
        while (true) {
            long k = keys[h];
            if (k == key) {
                counts[h]++;
                return;
            }
            if (k == EMPTY) {
                keys[h] = key;
                counts[h] = 1;
                size++;
                if (2 * size > keys.length) {
                    rehash();
                }
                return;
            }
            h = (h + 1) & mask;
        }
    }

    interface Visitor {
        void visit(int gtIndex, int predIndex, int count);
    }

    void forEach(Visitor v) {
        for (int i = 0; i < keys.length; i++) {
            long k = keys[i];
            if (k != EMPTY) {
                v.visit((int) (k >>> 32), (int) k, counts[i]);
            }
        }
    }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = filled(oldKeys.length * 2);
        counts = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int h = mix(oldKeys[i]) & mask;
                while (keys[h] != EMPTY) {
                    h = (h + 1) & mask;
                }
                keys[h] = oldKeys[i];
                counts[h] = oldCounts[i];
            }
        }
    }

    private static long[] filled(int n) {
        long[] a = new long[n];
        Arrays.fill(a, EMPTY);
        return a;
    }

    private static int mix(long x) {
        // MurmurHash3 finaliser: spreads the structured (index, index) keys over the table.
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return (int) x;
    }
}
