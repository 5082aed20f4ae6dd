package org.segmentcells.eval;

import java.util.Objects;

/** The scores of one named frame (the name is the file stem shared by GT and prediction). */
public record FrameResult(String frame, FrameScores scores) {

    public FrameResult {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(scores, "scores");
    }
}
