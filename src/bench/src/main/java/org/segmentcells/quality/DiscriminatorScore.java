package org.segmentcells.quality;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.nets.Discriminator;
import org.segmentcells.nets.Layers;
import org.segmentcells.nets.Params;
import org.segmentcells.nets.Weights;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.tf.TensorFlowRuntime;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * How manual a segmentation looks to a model's discriminator D (beyond the paper, which uses D only to
 * train E): D's probability that a tile's class map was drawn by hand, for every D-sized tile of an
 * image and the class probabilities E gave it. D sees what it saw in training: the normalised image at
 * the network's scale and E's softmax output, in crops of the size its dense layers were built for;
 * its batch norm uses the running averages it kept.
 *
 * <p>Whether this predicts a segmentation's real quality is measured, not assumed ({@code benchmark
 * d-quality}, docs/benchmarks.md).
 */
public final class DiscriminatorScore implements AutoCloseable {

    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> image;
    private final Placeholder<TFloat32> segmentation;
    private final Operand<TFloat32> manual;
    private final int patch;

    private DiscriminatorScore(Discriminator d, Weights w, int patch) {
        TensorFlowRuntime.ensureLoaded();
        this.patch = patch;
        graph = new Graph();
        Session opened = null;
        try {
            Params params = new Params(graph, 0, false);
            Ops tf = params.tf();
            image = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, patch, patch, 1)));
            segmentation = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, patch, patch, 3)));
            manual = tf.math.sigmoid(d.logits(new Layers(params, false), image, segmentation));
            opened = new Session(graph, TensorFlowRuntime.sessionConfig());
            params.assign(opened, w);
            session = opened;
        } catch (RuntimeException e) {
            // A graph waits for its sessions to close before it closes.
            if (opened != null) {
                opened.close();
            }
            graph.close();
            throw e;
        }
    }

    /**
     * D of the model in {@code folder}.
     *
     * @throws IllegalArgumentException naming the folder when it has no discriminator, or one that does
     *     not fit (unknown architecture, missing or mismatched weights)
     */
    public static DiscriminatorScore load(Path folder) throws IOException {
        ModelInfo info = ModelFolder.readInfo(folder);
        if (info.discriminator == null) {
            throw new IllegalArgumentException(folder + ": has no discriminator");
        }
        Discriminator d = Discriminator.ofArchitecture(info.discriminator);
        if (d == null) {
            throw new IllegalArgumentException(folder + ": unknown discriminator " + info.discriminator);
        }
        Weights w = ModelFolder.readDiscriminator(folder);
        if (w == null) {
            throw new IllegalArgumentException(folder + ": model.json names discriminator " + info.discriminator
                    + " but its weights are missing");
        }
        int patch = info.discriminatorPatch();
        String misfit = d.misfit(w, patch);
        if (misfit != null) {
            throw new IllegalArgumentException(folder + ": its discriminator does not fit " + info.discriminator + " at "
                    + patch + " px crops (" + misfit + ")");
        }
        return new DiscriminatorScore(d, w, patch);
    }

    /** The tile size D judges (the crop size it was trained on). */
    public int patch() {
        return patch;
    }

    /** One tile: its top-left corner and D's P(manual). */
    public record Tile(int x, int y, double manual) {
    }

    /**
     * D's P(manual) for each whole {@link #patch()}×{@link #patch()} tile of {@code normalised} (the image
     * as E saw it) and {@code p} (E's class probabilities at the same size), row by row; a border
     * narrower than a tile is left out. Empty for an image smaller than a tile.
     */
    public List<Tile> tiles(FloatPlane normalised, Segmenter.Probabilities p) {
        int w = normalised.width();
        int h = normalised.height();
        int nx = w / patch;
        int ny = h / patch;
        List<Tile> out = new ArrayList<>();
        if (nx == 0 || ny == 0) {
            return out;
        }
        float[] img = new float[nx * patch * patch];
        float[] seg = new float[nx * patch * patch * 3];
        float[] prob = new float[nx];
        FloatPlane[] classes = {p.background(), p.nucleus(), p.contour()};
        for (int ty = 0; ty < ny; ty++) {
            // One row of tiles per run: memory stays at a row, whatever the image size.
            for (int tx = 0; tx < nx; tx++) {
                for (int y = 0; y < patch; y++) {
                    int src = (ty * patch + y) * w + tx * patch;
                    int dst = (tx * patch + y) * patch;
                    System.arraycopy(normalised.data(), src, img, dst, patch);
                    for (int x = 0; x < patch; x++) {
                        for (int c = 0; c < 3; c++) {
                            seg[(dst + x) * 3 + c] = classes[c].data()[src + x];
                        }
                    }
                }
            }
            try (TFloat32 i = TFloat32.tensorOf(Shape.of(nx, patch, patch, 1), DataBuffers.of(img, true, false));
                 TFloat32 s = TFloat32.tensorOf(Shape.of(nx, patch, patch, 3), DataBuffers.of(seg, true, false));
                 Result r = session.runner().feed(image, i).feed(segmentation, s).fetch(manual).run()) {
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(prob, false, false));
            }
            for (int tx = 0; tx < nx; tx++) {
                out.add(new Tile(tx * patch, ty * patch, prob[tx]));
            }
        }
        return out;
    }

    /** The mean of {@link #tiles}: the image's score (NaN for an image smaller than a tile). */
    public double image(FloatPlane normalised, Segmenter.Probabilities p) {
        return tiles(normalised, p).stream().mapToDouble(Tile::manual).average().orElse(Double.NaN);
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
