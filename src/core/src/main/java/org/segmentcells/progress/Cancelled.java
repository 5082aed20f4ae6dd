package org.segmentcells.progress;

/**
 * Thrown from inside work when {@link Progress#cancelRequested()} said so. Work that throws it leaves no
 * partial output; its message says what was finished.
 */
public final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Cancelled() {
        this("cancelled");
    }

    public Cancelled(String message) {
        super(message, null, false, false);
    }
}
