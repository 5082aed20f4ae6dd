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
import org.segmentcells.batch.LabelInfo;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.io.SourceImage;
import org.segmentcells.measure.NucleusMeasurements;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.progress.Progress;
import org.segmentcells.setting.Setting;

/**
 * What an executor does with its share of the images: for each, segment it with core's
 * {@link FileSegmentation#segmentImage} (the CLI's step, so the label files are the CLI's) into
 * {@code OUTPUT/labels/STEM.tif}, or keep a complete label file from an earlier run, and measure its
 * nuclei. A failure is that image's row, never the task's: the other images go on.
 */
final class ImageTask implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The model folder, resolved on the driver. */
    private final String modelFolder;
    private final String labelsFolder;
    private final boolean overwrite;
    /** How each image is segmented, as the CLI's segment takes it. */
    private final FileSegmentation.ImageSettings settings;

    ImageTask(Path modelFolder, SegmentJob.Settings s, Path labelsFolder) {
        this.modelFolder = modelFolder.toAbsolutePath().toString();
        this.labelsFolder = labelsFolder.toAbsolutePath().toString();
        this.overwrite = s.job().overwrite();
        this.settings = s.job().image();
    }

    /**
     * A nucleus of plane {@code plane} (1-based: 1 for a 2D image) of an image, segmented at {@code scale} (null
     * for a label file kept from an earlier run).
     */
    record Measured(int plane, Double scale, NucleusMeasurements.Nucleus nucleus) implements Serializable {
        static List<Measured> of(int plane, Double scale, List<NucleusMeasurements.Nucleus> nuclei) {
            return nuclei.stream().map(n -> new Measured(plane, scale, n)).toList();
        }
    }

    /**
     * One image's outcome: its row of the images table (its scale null for a kept label file, or for a stack
     * whose planes were segmented at different scales) and its nuclei.
     */
    record Outcome(String image, String status, int nuclei, double seconds, Double scale, String reason,
            List<Measured> measured) implements Serializable {
        static final String SEGMENTED = "segmented";
        static final String COMPLETE = "complete";
        static final String FAILED = "failed";

        /** An image that could not be segmented: its row says why. */
        static Outcome failed(String image, String reason, double seconds) {
            return new Outcome(image, FAILED, 0, seconds, null, reason, List.of());
        }

        /**
         * The driver's line for a failed image, or for one segmented with a warning (null for the others): its
         * path once, where the reason does not start with it.
         */
        String line() {
            if (reason == null) {
                return null;
            }
            return (FAILED.equals(status) ? "failed: " : "warning: ") + (reason.startsWith(image) ? reason : image + ": " + reason);
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
        Path target = FileSegmentation.labelsFile(Path.of(labelsFolder), Path.of(Inputs.name(image)));
        Path copy = null;
        try {
            // The readers take files: an image on another file system (hdfs://, s3a://) is read from a local copy.
            copy = Inputs.isRemote(image) ? Inputs.localCopy(image) : null;
            Path in = copy != null ? copy : Path.of(image);
            if (!overwrite && Files.exists(target)) {
                ImageFiles.Planes img = ImageFiles.readPlanes(in, settings.channel(), settings.nuclearChannel());
                if (FileSegmentation.earlierLabels(target, in, img.width(), img.height(), img.count())) {
                    String other = FileSegmentation.otherSettings(target, LabelInfo.ModelIdentity.of(Path.of(modelFolder)), settings);
                    if (other != null) {
                        throw new IOException(other); // its row says so, as the CLI refuses it
                    }
                    List<LabelPlane> labels = ImageFiles.readLabelPlanes(target);
                    // The factors the earlier run recorded in the labels' Info (none in labels older than it).
                    List<Double> scales = LabelInfo.scales(ImageFiles.infoOf(target), labels.size());
                    List<Measured> m = measure(labels, img::plane, scales);
                    return new Outcome(image, Outcome.COMPLETE, m.size(), seconds(t0), shared(scales), null, m);
                }
                // Not labels of this image (a raw image of that name, another image's labels): left as it is.
                throw FileSegmentation.notLabelsOf(target, in, Path.of(Inputs.name(image)).getFileName().toString());
            }
            SourceImage result = FileSegmentation.resultOf(in);
            if (result != null) {
                // As the CLI leaves it out: segmenting labels would give labels of labels.
                throw new IOException(image + ": a result Segment Cells wrote (of " + result.path() + "), not an image to segment");
            }
            if (FileSegmentation.tooBigForMemory(in)) {
                // The CLI would segment it in bands; here it would exhaust the executor, or abort the job.
                throw new IOException(in + ": too big to segment in one executor's memory (Java heap "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MB); segment it with "
                        + Setting.STREAMING.mention() + ", across the cluster in bands");
            }
            Model model = model(modelFolder);
            // The model runs one network call at a time; an executor's other tasks read, label and write
            // their images meanwhile. Core's warnings (NaN pixels, a clamped scale) go to the executor's log.
            // An image read from a copy records where it came from (its URI), not the copy's passing path.
            FileSegmentation.Segmented r = FileSegmentation.segmentImage(model, in, SourceImage.of(in).at(image), target, settings, System.out, Setting.spelled(System.err, SparkMain.SPELLING), Progress.NONE);
            // No scale where auto found no nuclei to measure (the CLI's "no nuclei (auto)"): nothing was resized.
            List<Double> scales = r.plans().stream()
                    .map(p -> p.scale().nothing() ? (Double) null : (Double) p.segmenter().scale()).toList();
            List<Measured> m = measure(r.labels(), r.read()::plane, scales);
            // The CLI warns of this before it starts; here the image's row and the driver's line do.
            String warning = settings.nuclearChannel() > 1 && r.read().nuclearChannel() == 0
                    ? Setting.spell(FileSegmentation.oneChannel(settings.nuclearChannel()), SparkMain.SPELLING) : null;
            return new Outcome(image, Outcome.SEGMENTED, m.size(), seconds(t0), shared(scales), warning, m);
        } catch (IOException | RuntimeException | OutOfMemoryError | LinkageError e) {
            // One image's failure, even out of memory or a native library that does not load, is its row's
            // reason; the other images go on (an Error would fail the task, and after retries the job).
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

    /** The one factor every plane shares, or null. */
    private static Double shared(List<Double> scales) {
        return scales.stream().distinct().count() == 1 ? scales.get(0) : null;
    }

    /** The nuclei of each label plane, measured on the image's plane of the same index. */
    private static List<Measured> measure(List<LabelPlane> labels, java.util.function.IntFunction<FloatPlane> image,
            List<Double> scales) {
        List<Measured> out = new ArrayList<>();
        for (int k = 0; k < labels.size(); k++) {
            out.addAll(Measured.of(k + 1, scales.get(k), NucleusMeasurements.of(labels.get(k), image.apply(k))));
        }
        return out;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static final Map<String, Model> MODELS = new HashMap<>();

    /** Each executor loads a model once and keeps it (and its TensorFlow session) for every task. */
    static synchronized Model model(String folder) throws IOException {
        // One key per folder however it was written (the driver's preload may name it relative): embedded,
        // the driver and the executors share this JVM, and two keys would hold two sessions for its life.
        String key = Path.of(folder).toAbsolutePath().normalize().toString();
        Model m = MODELS.get(key);
        if (m == null) {
            m = Model.load(Path.of(key));
            MODELS.put(key, m);
        }
        return m;
    }
}
