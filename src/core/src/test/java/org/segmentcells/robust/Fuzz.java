package org.segmentcells.robust;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Deterministic byte mutations for the fuzzing tests: random bytes, bit flips, truncation, insertion. */
final class Fuzz {

    private Fuzz() {
    }

    /** Case {@code i} of a run: the kind cycles so each kind gets an equal share of the cases. */
    static String kind(int i) {
        return switch (i % 5) {
            case 0 -> "random bytes";
            case 1 -> "bit flips";
            case 2 -> "truncation";
            case 3 -> "insertion";
            default -> "overwritten run";
        };
    }

    static byte[] mutate(byte[] good, SplittableRandom r, int i) {
        switch (i % 5) {
            case 0: {
                byte[] b = new byte[r.nextInt(Math.max(2, Math.min(good.length * 2, 1 << 16)))];
                r.nextBytes(b);
                return b;
            }
            case 1: {
                byte[] b = good.clone();
                int flips = 1 + r.nextInt(8);
                for (int k = 0; k < flips; k++) {
                    int bit = r.nextInt(b.length * 8);
                    b[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                return b;
            }
            case 2:
                // Bias towards the header, where a cut is most likely to confuse a reader.
                return Arrays.copyOf(good, r.nextBoolean() ? r.nextInt(Math.min(good.length, 256))
                        : r.nextInt(good.length));
            case 3: {
                int at = r.nextInt(good.length + 1);
                byte[] ins = new byte[1 + r.nextInt(64)];
                r.nextBytes(ins);
                byte[] b = new byte[good.length + ins.length];
                System.arraycopy(good, 0, b, 0, at);
                System.arraycopy(ins, 0, b, at, ins.length);
                System.arraycopy(good, at, b, at + ins.length, good.length - at);
                return b;
            }
            default: {
                byte[] b = good.clone();
                int at = r.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + r.nextInt(32));
                for (int k = 0; k < len; k++) {
                    b[at + k] = (byte) r.nextInt(256);
                }
                return b;
            }
        }
    }
}
