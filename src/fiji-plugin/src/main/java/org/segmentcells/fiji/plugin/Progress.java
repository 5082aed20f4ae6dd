package org.segmentcells.fiji.plugin;

import ij.IJ;

/**
 * Where a runner reports progress and learns of a cancel request: the seam's copy of the core's
 * progress interface (this jar cannot see the core), which the engine adapts to it.
 */
public interface Progress {

    void status(String message);

    /** {@code done} of {@code total} work units finished. */
    void fraction(int done, int total);

    /** True once the user asked to stop. */
    boolean cancelRequested();

    /** Reports nothing and never cancels (scripts, services). */
    Progress NONE = new Progress() {
        @Override
        public void status(String message) {
        }

        @Override
        public void fraction(int done, int total) {
        }

        @Override
        public boolean cancelRequested() {
            return false;
        }
    };

    /** This progress, also cancelled once {@code stop} says so (a module's own cancel, say). */
    default Progress orCancelledBy(java.util.function.BooleanSupplier stop) {
        Progress self = this;
        return new Progress() {
            @Override
            public void status(String message) {
                self.status(message);
            }

            @Override
            public void fraction(int done, int total) {
                self.fraction(done, total);
            }

            @Override
            public boolean cancelRequested() {
                return stop.getAsBoolean() || self.cancelRequested();
            }
        };
    }

    /** ImageJ's status bar and progress bar; Esc cancels. */
    static Progress imageJ() {
        // A stale Esc from before this command must not cancel it.
        IJ.resetEscape();
        return new Progress() {
            @Override
            public void status(String message) {
                IJ.showStatus(message);
            }

            @Override
            public void fraction(int done, int total) {
                IJ.showProgress(done, total);
            }

            @Override
            public boolean cancelRequested() {
                return IJ.escapePressed();
            }
        };
    }
}
