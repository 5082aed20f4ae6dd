package org.segmentcells.fiji;

import org.segmentcells.fiji.plugin.Progress;

/**
 * The plugin's {@link Progress} (ImageJ's status and progress bars, Esc), which crosses the class-loader
 * seam and so cannot be the core's type, seen as the core's {@link org.segmentcells.progress.Progress}.
 */
final class CoreProgress {

    private CoreProgress() {
    }

    static org.segmentcells.progress.Progress of(Progress p) {
        return new org.segmentcells.progress.Progress() {
            @Override
            public void status(String message) {
                p.status(message);
            }

            @Override
            public void fraction(long done, long total) {
                // ImageJ's bar takes ints; scale down totals past int range rather than overflow.
                long d = total / Integer.MAX_VALUE + 1;
                p.fraction((int) (done / d), (int) (total / d));
            }

            @Override
            public boolean cancelRequested() {
                return p.cancelRequested();
            }
        };
    }
}
