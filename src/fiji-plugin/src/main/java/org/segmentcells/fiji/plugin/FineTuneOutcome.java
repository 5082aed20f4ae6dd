package org.segmentcells.fiji.plugin;

import java.util.Map;

/**
 * A finished Fine-tune Model run: the training's outcome, or the error message already shown to the user.
 *
 * @param training what training did; null after an error
 * @param error    the message shown to the user, or null
 */
public record FineTuneOutcome(Training training, String error) {

    /**
     * What training did.
     *
     * @param stepsDone  steps trained (fewer than asked when cancelled)
     * @param bestStep   the step of the model kept (the best on validation frames, else the last)
     * @param bestScores that model's validation scores by name (f, precision, recall, seg, ...); empty
     *                   without validation frames
     * @param seconds    wall time
     * @param cancelled  true when the user stopped training (the model as it was then is still written)
     */
    public record Training(int stepsDone, int bestStep, Map<String, Double> bestScores, double seconds,
            boolean cancelled) {
    }
}
