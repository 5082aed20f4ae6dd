package org.segmentcells.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.segmentcells.model.ModelStore;
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
 */
public record JobSettings(String model, Path output, List<String> inputs, String scale, Integer minSize, String tableFormat,
        boolean overwrite, String master) {

    /**
     * Checks everything both jobs can check before Spark starts (an IOException or IllegalArgumentException
     * says what is wrong) and returns the model folder.
     */
    public Path check() throws IOException {
        SegmentJob.checkFormat(tableFormat);
        if (scale != null) {
            Scale.parse(scale);
        }
        if (minSize != null && minSize < 0) {
            throw new IllegalArgumentException("--min-size must be at least 0, got " + minSize);
        }
        Path folder = ModelStore.resolve(model);
        SegmentJob.checkOutput(output);
        SegmentJob.checkMaster(master);
        return folder;
    }
}
