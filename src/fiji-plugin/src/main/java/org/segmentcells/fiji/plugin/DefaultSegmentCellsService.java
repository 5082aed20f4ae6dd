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
        FijiEngine engine;
        try {
            engine = EngineLoader.engine();
        } catch (EngineLoader.Unavailable e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return engine.segment(image, options, progress);
    }
}
