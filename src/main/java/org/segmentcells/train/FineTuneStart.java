package org.segmentcells.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.segmentcells.segment.InstanceOptions;

/**
 * Where a fine-tune starts: with fully annotated frames, the starting model is calibrated on them
 * ({@link Calibration}) and the training frames are cut at the scale it chose, so training happens where
 * the model already does best; without them (scribbles, RGB 3-class images, explicit settings) the
 * given scale and instance settings stay. {@code train --init}, Fine-tune Model and {@code benchmark
 * microscope} all start here, so that what is measured is what users run.
 */
public final class FineTuneStart {

    /** The training frames at a scale (reading them may fail). */
    @FunctionalInterface
    public interface FramesAtScale {
        List<TrainingFrame> at(double scale) throws IOException;
    }

    /**
     * @param calibration the starting model's calibration, or null when there was nothing to calibrate on
     */
    public record Start(double scale, InstanceOptions instances, List<TrainingFrame> frames,
            Calibration.Result calibration) {
        public boolean calibrated() {
            return calibration != null;
        }
    }

    private FineTuneStart() {
    }

    /**
     * @param init the starting model's name, for the log
     * @param initFolder the starting model's folder
     * @param scale the scale to train at when not calibrating
     * @param instances the instance settings to keep when not calibrating
     * @param annotated fully annotated frames to calibrate on; empty: no calibration
     * @param framesAt the training frames at the chosen scale
     * @param log receives one line naming the chosen setting, when calibrated
     */
    public static Start of(String init, Path initFolder, double scale, InstanceOptions instances,
            List<Trainer.ValidationFrame> annotated, FramesAtScale framesAt, Consumer<String> log) throws IOException {
        Calibration.Result c = null;
        if (!annotated.isEmpty()) {
            c = Calibration.ofModel(initFolder, annotated);
            log.accept("calibrated " + init + " on " + annotated.size() + " annotated frame"
                    + (annotated.size() == 1 ? "" : "s") + ": " + Calibration.describe(c));
            scale = c.scale();
            instances = c.instances();
        }
        return new Start(scale, instances, List.copyOf(framesAt.at(scale)), c);
    }
}
