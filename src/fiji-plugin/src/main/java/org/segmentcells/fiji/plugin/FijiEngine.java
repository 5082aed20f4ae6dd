package org.segmentcells.fiji.plugin;

import ij.ImagePlus;

import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * The seam between what Fiji's class loader sees (this jar: menus, options) and the engine (the runners,
 * the core, TensorFlow Java, JavaCPP, protobuf), which {@link EngineLoader} loads in a class loader of its
 * own. Only JDK, ImageJ and this jar's types cross it, so a Fiji whose jars/ holds another TensorFlow
 * (StarDist's 1.15) or protobuf never meets ours. Every method reports a user's mistake itself (dialog,
 * macro error or stderr, as ImageJ runs) and returns it; none throws for one.
 */
public interface FijiEngine {

    /** Segments every plane of {@code image} and shows the outputs (Segment Cells). */
    SegmentOutcome segment(ImagePlus image, SegmentOptions options, Progress progress);

    /**
     * Segments an ImgLib2 image ({@link SegmentCellsService}): shows nothing, and throws an
     * IllegalArgumentException or IllegalStateException with the message a dialog would show, or a
     * {@link java.util.concurrent.CancellationException} once {@code progress} asks to stop.
     */
    ImgSegmentation segment(RandomAccessibleInterval<? extends RealType<?>> image, SegmentOptions options,
            Progress progress);

    /** Segments image files into label files (Segment Image Files); the number of images, or -1 after an error. */
    int segmentFiles(SegmentFilesOptions options);

    /** Fine-tunes a model; {@code image} carries the ROIs for annotation_type=roi_manager (else unused). */
    FineTuneOutcome fineTune(FineTuneOptions options, ImagePlus image, Progress progress);

    /** Scores a label image against a ground truth into the Results table (Evaluate Segmentation). */
    EvaluateOptions.Outcome evaluate(EvaluateOptions options);

    /** The models a dialog offers: bundled and in Fiji's models folder. */
    List<String> modelNames();
}
