package org.segmentcells.fiji.plugin;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Segment Cells as a SciJava command on ImgLib2 images, with its results as outputs: for scripts and
 * other plugins that run commands ({@code CommandService}, a Fiji script's {@code #@} parameters, a
 * pipeline that chains modules). In Fiji a Dataset fills the image. It has no menu entry: the menu's
 * Segment Cells works on the ImagePlus and shows its outputs itself, as ImageJ 1.x macros expect; this
 * one opens no window itself and hands back its outputs (SciJava's display post-processing may show them). Input names are the macro keys; it delegates to
 * {@link SegmentCellsService}.
 */
@Plugin(type = Command.class, label = "Segment Cells (ImgLib2)", headless = true)
public class SegmentImgCommand extends ContextCommand {

    @Parameter
    private SegmentCellsService segmentCells;

    @Parameter(label = "image", description = "X, Y, then planes; any real pixel type, any origin")
    private RandomAccessibleInterval<? extends RealType<?>> image;

    // No input persists: a script's call takes what it passes and the defaults, never an earlier call's values
    // (SciJava would otherwise save each one and fill it into the next call that leaves it out).
    @Parameter(label = SegmentOptions.MODEL, persist = false, description = SegmentOptions.MODEL_HELP)
    private String model = SegmentOptions.DEFAULTS.model();

    @Parameter(label = SegmentOptions.MIN_SIZE, persist = false, min = "-1", required = false,
            description = SegmentOptions.MIN_SIZE_HELP)
    private int min_size = SegmentOptions.MODEL_MIN_SIZE;

    @Parameter(label = SegmentOptions.SEED_THRESHOLD, persist = false, required = false,
            description = SegmentOptions.SEED_THRESHOLD_HELP)
    private double seed_threshold = SegmentOptions.MODEL_SEED_THRESHOLD;

    @Parameter(label = SegmentOptions.TILE, persist = false, min = "" + SegmentOptions.MIN_TILE, required = false, description = SegmentOptions.TILE_HELP)
    private int tile = SegmentOptions.DEFAULT_TILE;

    @Parameter(label = SegmentOptions.SCALE, persist = false, required = false, description = SegmentOptions.SCALE_HELP)
    private String scale = SegmentOptions.MODEL_SCALE;

    @Parameter(label = SegmentOptions.DIAMETER, persist = false, min = "0", required = false,
            description = SegmentOptions.DIAMETER_HELP)
    private double diameter = SegmentOptions.NO_DIAMETER;

    @Parameter(label = SegmentOptions.TTA, persist = false, required = false, description = SegmentOptions.TTA_HELP)
    private boolean tta;

    @Parameter(label = SegmentOptions.SCALE_PER_PLANE, persist = false, required = false, description = SegmentOptions.SCALE_PER_PLANE_HELP)
    private boolean scale_per_plane;

    @Parameter(label = SegmentOptions.NUCLEAR_CHANNEL, persist = false, min = "0", required = false,
            description = "for an image of several channels (its third dimension, as in X, Y, Channel, Z, Time):"
                    + " the channel of the nuclear stain (1, 2, ...); 0: every plane is segmented")
    private int nuclear_channel;

    @Parameter(label = SegmentOptions.PROBABILITIES, persist = false, required = false,
            description = SegmentOptions.PROBABILITIES_HELP)
    private boolean probabilities;

    @Parameter(type = ItemIO.OUTPUT, label = "labels", description = "16-bit (32-bit past 65535 nuclei) label image")
    private Img<?> labels;

    @Parameter(type = ItemIO.OUTPUT, label = "probability maps", required = false,
            description = "X, Y, class (background, nucleus, contour), planes; only with probabilities")
    private Img<?> probability_maps;

    @Parameter(type = ItemIO.OUTPUT, label = "nuclei", description = "nuclei in all planes")
    private int nuclei;

    @Parameter(type = ItemIO.OUTPUT, label = "scale used", description = "as the label image's Info records it")
    private String scale_used;

    @Override
    public void run() {
        // The status bar shows the tiles; Esc, or a cancel of this module (a script's), stops before the next tile.
        Progress progress = Progress.imageJ().orCancelledBy(this::isCanceled);
        try {
            ImgSegmentation r = segmentCells.segmentation(image, SegmentOptions.of(model).withMinSize(min_size)
                    .withSeedThreshold(seed_threshold).withTile(tile).withScale(scale).withDiameter(diameter).withTta(tta).withScalePerPlane(scale_per_plane).withProbabilities(probabilities)
                    .withNuclearChannel(nuclear_channel),
                    progress);
            labels = r.labels();
            probability_maps = r.probabilities();
            nuclei = r.total();
            scale_used = r.scale();
        } catch (java.util.concurrent.CancellationException e) {
            cancel("cancelled");
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The module's cancel reason is what a script's caller sees; no dialog in a headless command.
            cancel(e.getMessage());
        } finally {
            ij.IJ.showProgress(1.0);
        }
    }
}
