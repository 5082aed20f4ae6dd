package org.segmentcells.progress;

/**
 * Where long work (segmenting, training) reports how far it is and learns that the user wants it to
 * stop: the one progress and cancel interface of the core, in the spirit of SciJava's
 * {@code StatusService} and {@code Cancelable}. Front ends adapt it to a console line, ImageJ's status
 * and progress bars, or Esc. Every method has a no-op default, so a caller implements what it shows.
 */
public interface Progress {

    /** Reports nothing and never cancels (scripts, tests, Spark tasks). */
    Progress NONE = new Progress() {
    };

    /** A short line on what is being done ("band 3/12"). */
    default void status(String message) {
    }

    /** {@code done} of {@code total} units of the current work are finished. */
    default void fraction(long done, long total) {
    }

    /** True once the user asked to stop; work asks between units (tiles, bands, steps, images). */
    default boolean cancelRequested() {
        return false;
    }

    /** Throws {@link Cancelled} if the user asked to stop. */
    default void checkCancelled() {
        if (cancelRequested()) {
            throw new Cancelled();
        }
    }

    /** This progress's cancel alone, for work whose fractions would confuse the bar (a check, a measurement). */
    default Progress cancelOnly() {
        Progress whole = this;
        return new Progress() {
            @Override
            public boolean cancelRequested() {
                return whole.cancelRequested();
            }
        };
    }

    /** This progress with {@code prefix} before each status line ("[3/10] a.tif: " before "plane 2/5"). */
    default Progress statusPrefixed(String prefix) {
        Progress whole = this;
        return new Progress() {
            @Override
            public void status(String message) {
                whole.status(prefix + message);
            }

            @Override
            public void fraction(long done, long total) {
                whole.fraction(done, total);
            }

            @Override
            public boolean cancelRequested() {
                return whole.cancelRequested();
            }
        };
    }

    /**
     * This progress seen by one part of a larger job: the part's fraction {@code d/t} is reported as
     * {@code offset + d·span/t} of {@code total}; status and cancel pass through.
     */
    default Progress part(long offset, long span, long total) {
        Progress whole = this;
        return new Progress() {
            @Override
            public void status(String message) {
                whole.status(message);
            }

            @Override
            public void fraction(long done, long partTotal) {
                whole.fraction(offset + (partTotal <= 0 ? span : done * span / partTotal), total);
            }

            @Override
            public boolean cancelRequested() {
                return whole.cancelRequested();
            }
        };
    }
}
