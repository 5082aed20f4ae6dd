package org.segmentcells.fiji.plugin;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;

import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.script.ScriptService;
import org.scijava.service.AbstractService;
import org.scijava.service.Service;

/** The {@link SegmentCellsService}: hands each call to the engine behind {@link FijiEngine}. */
@Plugin(type = Service.class)
public class DefaultSegmentCellsService extends AbstractService implements SegmentCellsService {

    @Parameter(required = false)
    private ScriptService scripts;

    /** Lets a script say {@code #@ SegmentCellsService seg} without the package. */
    @Override
    public void initialize() {
        if (scripts != null) {
            scripts.addAlias(SegmentCellsService.class);
        }
    }

    @Override
    public Img<?> segment(RandomAccessibleInterval<? extends RealType<?>> image, String model) {
        return segmentation(image, SegmentOptions.of(model)).labels();
    }

    @Override
    public Img<?> segment(RandomAccessibleInterval<? extends RealType<?>> image, SegmentOptions options) {
        return segmentation(image, options).labels();
    }

    @Override
    public ImgSegmentation segmentation(RandomAccessibleInterval<? extends RealType<?>> image, SegmentOptions options) {
        return segmentation(image, options, Progress.NONE);
    }

    @Override
    public ImgSegmentation segmentation(RandomAccessibleInterval<? extends RealType<?>> image, SegmentOptions options,
            Progress progress) {
        if (image == null || options == null || progress == null) {
            throw new IllegalArgumentException("no " + (image == null ? "image" : options == null
                    ? "options (SegmentOptions.of(\"default\") gives the model's own)" : "progress (Progress.NONE reports nothing)"));
        }
        // What only the ImagePlus command does is refused, not dropped: a script would otherwise wait for outlines.
        if (options.addToManager()) {
            throw new IllegalArgumentException(SegmentOptions.ADD_TO_MANAGER + " is for the Segment Cells command on an"
                    + " ImageJ image; the service returns labels (an ImgLib2 image), whose outlines a script traces itself");
        }
        if (!SegmentOptions.CHANNELS[0].equals(options.channel())) {
            throw new IllegalArgumentException(SegmentOptions.CHANNEL + " is for RGB ImageJ images; the service takes"
                    + " real pixels only (give a colour channel as its own image, or " + SegmentOptions.NUCLEAR_CHANNEL + ")");
        }
        // An interrupted thread (a script's Future.cancel(true)) stops before the next tile, as Esc does.
        Thread caller = Thread.currentThread();
        progress = progress.orCancelledBy(caller::isInterrupted);
        FijiEngine engine;
        try {
            engine = EngineLoader.engine();
        } catch (EngineLoader.Unavailable e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        try {
            return engine.segment(image, options, progress);
        } catch (RuntimeException e) {
            if (caller.isInterrupted() && !(e instanceof java.util.concurrent.CancellationException)) {
                // Interrupted while reading (the model, say): Java's I/O fails instead of stopping; it was a cancel.
                java.util.concurrent.CancellationException c = new java.util.concurrent.CancellationException("interrupted");
                c.initCause(e);
                throw c;
            }
            throw e;
        }
    }
}
