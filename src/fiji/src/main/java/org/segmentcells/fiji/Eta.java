package org.segmentcells.fiji;

import java.util.Locale;

/**
 * Time left in a run of numbered steps, from the mean time per step since the first step finished.
 * The first step is left out because it also pays for building and warming up the TensorFlow graph;
 * later pauses (validation) recur, so they stay in the mean.
 */
public final class Eta {

    private int firstStep = -1;
    private long firstNanos;
    private int lastStep;
    private long lastNanos;

    /** Notes that {@code step} finished at {@code nanos} (a {@link System#nanoTime()} reading). */
    public void step(int step, long nanos) {
        if (firstStep < 0) {
            firstStep = step;
            firstNanos = nanos;
        }
        lastStep = step;
        lastNanos = nanos;
    }

    /** Mean seconds per step so far; NaN until two steps have finished. */
    public double secondsPerStep() {
        return lastStep > firstStep && firstStep >= 0 ? (lastNanos - firstNanos) / 1e9 / (lastStep - firstStep)
                : Double.NaN;
    }

    /** Seconds until step {@code steps} is done; NaN until two steps have finished. */
    public double secondsLeft(int steps) {
        return secondsPerStep() * Math.max(0, steps - lastStep);
    }

    /** E.g. "45 s left", "3 min 05 s left", "1 h 02 min left"; "" while unknown. */
    public String text(int steps) {
        double s = secondsLeft(steps);
        if (Double.isNaN(s)) {
            return "";
        }
        long t = Math.round(s);
        if (t < 60) {
            return t + " s left";
        }
        if (t < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s left", t / 60, t % 60);
        }
        long minutes = (t + 30) / 60;
        return String.format(Locale.ROOT, "%d h %02d min left", minutes / 60, minutes % 60);
    }
}
