package org.segmentcells.io;

import java.util.function.Supplier;

/**
 * A value read or computed on the first call only, then kept: for planes read from files, or a measure of
 * them, that several rules of one plan may need, or none. Not thread-safe (one plan, one thread); a call
 * that throws leaves it unread, so the next call tries again.
 */
public final class Once<T> implements Supplier<T> {

    private final Supplier<T> source;
    private T value;
    private boolean done;

    private Once(Supplier<T> source) {
        this.source = source;
    }

    public static <T> Once<T> of(Supplier<T> source) {
        return new Once<>(source);
    }

    @Override
    public T get() {
        if (!done) {
            value = source.get();
            done = true;
        }
        return value;
    }

    /** Whether the value has been read (a call to {@link #get} returned). */
    public boolean done() {
        return done;
    }
}
