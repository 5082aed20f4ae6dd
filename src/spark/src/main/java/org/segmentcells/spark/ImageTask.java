package org.segmentcells.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.measure.NucleusMeasurements;
import org.segmentcells.model.Model;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.progress.Progress;
import org.segmentcells.segment.Scale;
import org.segmentcells.setting.Setting;

/**
 * What an executor does with its share of the images: for each, segment it with core's
 * {@link FileSegmentation#segmentImage} (the CLI's step, so the label files are the CLI's) into
 * {@code OUTPUT/labels/STEM.tif}, or keep a complete label file from an earlier run, and measure its
 * nuclei. A failure is that image's row, never the task's: the other images go on.
 */
final class ImageTask implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The model folder, resolved on the driver; the scale and minimum size as given (null: the model's). */
    private final String modelFolder;
    private final String scale;
    private final Integer minSize;
    private final String labelsFolder;
    private final boolean overwrite;

    ImageTask(Path modelFolder, String scale, Integer minSize, Path labelsFolder, boolean overwrite) {
        this.modelFolder = modelFolder.toAbsolutePath().toString();
        this.scale = scale;
        this.minSize = minSize;
        this.labelsFolder = labelsFolder.toAbsolutePath().toString();
        this.overwrite = overwrite;
    }

    /** One image's outcome: its row of the images table and its nuclei. */
    record Outcome(String image, String status, int nuclei, double seconds, Double scale, String reason,
            List<NucleusMeasurements.Nucleus> measured) implements Serializable {
        static final String SEGMENTED = "segmented";
        static final String COMPLETE = "complete";
        static final String FAILED = "failed";

        /** An image that could not be segmented: its row says why. */
        static Outcome failed(String image, String reason, double seconds) {
            return new Outcome(image, FAILED, 0, seconds, null, reason, List.of());
        }

        /** The image's row alone, for the driver. */
        Outcome withoutNuclei() {
            return new Outcome(image, status, nuclei, seconds, scale, reason, List.of());
        }
    }

    Iterator<Outcome> run(Iterator<String> images) {
        List<Outcome> out = new ArrayList<>();
        while (images.hasNext()) {
            out.add(one(images.next()));
        }
        return out.iterator();
    }

    Outcome one(String image) {
        long t0 = System.nanoTime();
        Path target = Path.of(labelsFolder, ImageFiles.stem(Path.of(Inputs.name(image))) + ".tif");
        Path copy = null;
        try {
            // The readers take files: an image on another file system (hdfs://, s3a://) is read from a local copy.
            copy = Inputs.isRemote(image) ? Inputs.localCopy(image) : null;
            Path in = copy != null ? copy : Path.of(image);
            if (!overwrite && Files.exists(target)) {
                LabelPlane labels = ImageFiles.readLabels(target);
                FloatPlane img = ImageFiles.readPlane(in);
                if (labels.width() == img.width() && labels.height() == img.height()) {
                    return new Outcome(image, Outcome.COMPLETE, labels.countObjects(), seconds(t0), null, null,
                            NucleusMeasurements.of(labels, img));
                }
                // A label file of another size is not this image's: segment again (written whole, then renamed).
            }
            Model model = model(modelFolder);
            // The model runs one network call at a time; an executor's other tasks read, label and write
            // their images meanwhile. Core's warnings (NaN pixels, a clamped scale) go to the executor's log.
            ImageFiles.Header header = ImageFiles.checkInput(in, null, 0);
            if (header != null && header.planes() > 1) {
                // Its table has a row per nucleus of a 2D image; the CLI and Fiji segment stacks.
                throw new IOException(in + ": has " + header.planes() + " planes; the Spark job segments"
                        + " single-plane images (save each plane as its own file)");
            }
            FileSegmentation.Segmented r = FileSegmentation.segmentImage(model, in, target,
                    FileSegmentation.Settings.of(modelFolder, Path.of(labelsFolder), List.of(in)).withSegment(settings()),
                    System.out, System.err, Progress.NONE);
            LabelPlane labels = r.labels().get(0);
            return new Outcome(image, Outcome.SEGMENTED, labels.countObjects(), seconds(t0),
                    r.plan().segmenter().scale(), null, NucleusMeasurements.of(labels, r.image()));
        } catch (IOException | RuntimeException e) {
            String reason = Setting.spell(e, SparkMain.SPELLING);
            if (copy != null) {
                reason = reason.replace(copy.toString(), image); // name the image, not its temporary copy
            }
            return Outcome.failed(image, reason, seconds(t0));
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    // A temporary file left behind; the outcome stands.
                }
            }
        }
    }

    private SegmentSettings settings() {
        return SegmentSettings.MODEL.withScale(scale == null ? null : Scale.parse(scale)).withMinSize(minSize);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static final Map<String, Model> MODELS = new HashMap<>();

    /** Each executor loads a model once and keeps it (and its TensorFlow session) for every task. */
    static synchronized Model model(String folder) throws IOException {
        Model m = MODELS.get(folder);
        if (m == null) {
            m = Model.load(Path.of(folder));
            MODELS.put(folder, m);
        }
        return m;
    }
}
