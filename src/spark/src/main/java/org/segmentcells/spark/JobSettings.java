package org.segmentcells.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.segmentcells.model.ModelStore;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.segment.Scale;

/**
 * What both Spark jobs take (the many-images job, {@link SegmentJob}, and one huge image in bands,
 * {@link BandJob}), each adding its own settings to it.
 *
 * @param model       "default", a model name or a model folder
 * @param output      the output folder (new, empty, or one this job wrote)
 * @param inputs      image files, folders of images, or text files listing one path per line
 * @param scale       a factor or auto; null for the model's own
 * @param minSize     smallest nucleus kept, in pixels; null for the model's own
 * @param tableFormat one of {@link SegmentJob#FORMATS}
 * @param overwrite   segment images whose label files exist
 * @param master      the Spark master; null for the one spark-submit gives, or local[*] embedded
 * @param seedThreshold nucleus probability that starts an object; null for the model's own
 */
public record JobSettings(String model, Path output, List<String> inputs, String scale, Double diameter,
        Integer minSize, String tableFormat, boolean overwrite, String master, Double seedThreshold) {

    /** With the model's own seed threshold, and no diameter given. */
    public JobSettings(String model, Path output, List<String> inputs, String scale, Integer minSize, String tableFormat,
            boolean overwrite, String master) {
        this(model, output, inputs, scale, null, minSize, tableFormat, overwrite, master, null);
    }

    /** The scale (or diameter), minimum size and seed threshold as core takes them (the tile is each job's own). */
    SegmentSettings segment() {
        return segment(scale, diameter, minSize, seedThreshold);
    }

    /** {@link #segment()} of values an executor's task carries (a task is serialised; this record is not). */
    static SegmentSettings segment(String scale, Double diameter, Integer minSize, Double seedThreshold) {
        return SegmentSettings.MODEL.withScale(scale == null ? null : Scale.parse(scale)).withDiameter(diameter)
                .withMinSize(minSize).withSeedThreshold(seedThreshold);
    }

    /**
     * Checks everything both jobs can check before Spark starts (an IOException or IllegalArgumentException
     * says what is wrong) and returns the model folder.
     */
    public Path check() throws IOException {
        SegmentJob.checkFormat(tableFormat);
        segment(); // a value no model could use, named as a setting

        Path folder = ModelStore.resolve(model);
        org.segmentcells.model.ModelFolder.readInfo(folder).requireUsable(segment());
        SegmentJob.checkOutput(output);
        SegmentJob.checkMaster(master);
        return folder;
    }
}
