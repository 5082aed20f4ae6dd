package org.segmentcells.setting;

/** A count with its noun in the right number, for log lines every front end prints ("1 nucleus", "2 frames"). */
public final class Counts {

    private Counts() {
    }

    /** {@code n} and {@code one}, or {@code many} unless n is 1. */
    public static String of(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** {@code n} and a noun whose plural adds an s ("frame", "band", "plane"). */
    public static String of(long n, String one) {
        return of(n, one, one + "s");
    }

    /** "1 nucleus", "84 nuclei". */
    public static String nuclei(long n) {
        return of(n, "nucleus", "nuclei");
    }
}
