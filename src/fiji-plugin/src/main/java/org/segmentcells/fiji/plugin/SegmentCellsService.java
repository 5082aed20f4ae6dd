package org.segmentcells.fiji.plugin;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;

import org.scijava.service.SciJavaService;

/**
 * Segment Cells for scripts and other plugins, on ImgLib2 images. In a Fiji script:
 *
 * <pre>
 * #@ Img image
 * #@ SegmentCellsService seg
 * labels = seg.segment(image, "default")
 * </pre>
 *
 * Any {@code RandomAccessibleInterval} of real pixels works (an {@code ArrayImg}, a view with any origin, a
 * Dataset); X and Y are its first two dimensions and the others number planes. With
 * {@link SegmentOptions#withNuclearChannel} N, the third dimension is read as channels (Fiji's Dataset order:
 * X, Y, Channel, Z, Time) and only channel N is segmented; the labels have the other dimensions. Errors are exceptions
 * with the message a dialog would show (no dialog opens). The engine loads on first use, in its own class
 * loader ({@link EngineLoader}).
 */
public interface SegmentCellsService extends SciJavaService {

    /** The label image of {@code image} segmented by {@code model} ("default", a name or a folder) with its own settings. */
    Img<?> segment(RandomAccessibleInterval<? extends RealType<?>> image, String model);

    /** The label image with these options ({@link SegmentOptions#of} and its {@code with...} methods). */
    Img<?> segment(RandomAccessibleInterval<? extends RealType<?>> image, SegmentOptions options);

    /** Labels, probabilities when asked for, counts and the scale used. */
    ImgSegmentation segmentation(RandomAccessibleInterval<? extends RealType<?>> image, SegmentOptions options);

    /**
     * As above; {@code progress} hears the tiles done (e.g. {@link Progress#imageJ()}: the status bar, and Esc
     * stops), and once it asks to stop the call ends with a {@link java.util.concurrent.CancellationException}.
     */
    default ImgSegmentation segmentation(RandomAccessibleInterval<? extends RealType<?>> image, SegmentOptions options,
            Progress progress) {
        return segmentation(image, options); // an implementation that cannot stop ignores the progress
    }
}
