package org.segmentcells.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import java.util.function.Supplier;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.scale.AutoScale;
import org.segmentcells.scale.ObjectSize;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Scale;

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
     * @param base the starting model's description (its scale and training size), or null when training
     *     from scratch
     * @param given the scale the user gave, or null
     * @param instances the instance settings to keep when not calibrating
     * @param annotated fully annotated frames to calibrate on; empty: no calibration
     * @param images the training images as read, measured when the scale is auto and there is nothing
     *     to calibrate on (scribbles)
     * @param framesAt the training frames at the chosen scale
     * @param log receives one line naming the chosen setting
     */
    public static Start of(String init, Path initFolder, ModelInfo base, Scale given, InstanceOptions instances,
            List<Trainer.ValidationFrame> annotated, Supplier<List<FloatPlane>> images, FramesAtScale framesAt,
            Consumer<String> log) throws IOException {
        Calibration.Result c = null;
        double scale;
        if (base == null) {
            // Training from scratch: frames at their own size unless a factor is given; no size to compare with.
            if (given != null && given.isAuto()) {
                throw new IllegalArgumentException("scale auto needs a starting model (its training size); give a"
                        + " number, or none to train at the images' own size");
            }
            scale = given == null ? 1 : given.factor();
        } else if (annotated.isEmpty()) {
            AutoScale.Choice choice = AutoScale.choose(given, base.scale, base.objectDiameter, () -> ObjectSize.of(images.get()));
            scale = choice.factor();
            log.accept("training at " + choice.describe() + (choice.hasNote() ? "; " + choice.note() : ""));
        } else {
            c = Calibration.ofModel(initFolder, annotated);
            log.accept("calibrated " + init + " on " + annotated.size() + " annotated frame"
                    + (annotated.size() == 1 ? "" : "s") + ": " + Calibration.describe(c));
            scale = c.scale();
            instances = c.instances();
        }
        return new Start(scale, instances, List.copyOf(framesAt.at(scale)), c);
    }
}
