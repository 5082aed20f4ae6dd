package org.segmentcells.fiji;

import ij.ImagePlus;

import java.io.IOException;
import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import org.segmentcells.fiji.plugin.EvaluateOptions;
import org.segmentcells.fiji.plugin.FijiEngine;
import org.segmentcells.fiji.plugin.FineTuneOptions;
import org.segmentcells.fiji.plugin.FineTuneOutcome;
import org.segmentcells.fiji.plugin.OptionsPlugin;
import org.segmentcells.fiji.plugin.ImgSegmentation;
import org.segmentcells.fiji.plugin.Progress;
import org.segmentcells.fiji.plugin.SegmentFilesOptions;
import org.segmentcells.fiji.plugin.SegmentOptions;
import org.segmentcells.fiji.plugin.SegmentOutcome;
import org.segmentcells.tf.QuietStart;

/** The engine behind the plugin's menu commands: each call goes to its runner. */
public final class DefaultFijiEngine implements FijiEngine {

    /** Made once per JVM by EngineLoader, before any TensorFlow call. */
    public DefaultFijiEngine() {
        // Fiji cannot restart itself with TF_CPP_MIN_LOG_LEVEL set, as the command line does.
        if (!OptionsPlugin.verbose()) {
            QuietStart.keepThisProcessQuiet();
        }
    }

    @Override
    public SegmentOutcome segment(ImagePlus image, SegmentOptions options, Progress progress) {
        return SegmentRunner.runAndShow(image, options, progress);
    }

    @Override
    public ImgSegmentation segment(RandomAccessibleInterval<? extends RealType<?>> image, SegmentOptions options,
            Progress progress) {
        SegmentOutcome.Result r;
        try {
            image = ImgLib2Images.nuclearChannel(image, options.nuclearChannel());
            ImagePlus planes = ImgLib2Images.planes(image, "image");
            r = SegmentRunner.run(planes, options.withNuclearChannel(0), progress);
        } catch (org.segmentcells.progress.Cancelled e) {
            // A JDK type: the caller's class loader cannot see the core's.
            throw new java.util.concurrent.CancellationException("cancelled");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(MacroSpelling.message(e), e);
        }
        long[] dims = image.dimensionsAsLongArray();
        return new ImgSegmentation(ImgLib2Images.labels(r.labels(), dims),
                r.probabilities() == null ? null : ImgLib2Images.probabilities(r.probabilities(), dims), r.counts(),
                SegmentRunner.scaleInInfo(r.labels()));
    }

    @Override
    public int segmentFiles(SegmentFilesOptions options) {
        return SegmentFilesRunner.runAndReport(options);
    }

    @Override
    public FineTuneOutcome fineTune(FineTuneOptions options, ImagePlus image, Progress progress) {
        return FineTuneRunner.runAndShow(options, image, progress);
    }

    @Override
    public EvaluateOptions.Outcome evaluate(EvaluateOptions options) {
        return EvaluateRunner.runAndShow(options.groundTruth(), options.prediction(), options.minSize());
    }

    @Override
    public List<String> modelNames() {
        return FijiModels.names();
    }
}
