package org.segmentcells.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.model.ModelStore;

/**
 * What both Spark jobs take (the many-images job, {@link SegmentJob}, and one huge image in bands,
 * {@link BandJob}).
 *
 * @param model       "default", a model name or a model folder
 * @param output      the output folder (new, empty, or one this job wrote)
 * @param inputs      image files, folders of images, or text files listing one path per line
 * @param image       how each image is segmented, as the CLI's {@code segment} takes it (null fields: the model's
 *                    own); serialisable, so the executors' tasks carry it as it is
 * @param tableFormat one of {@link SegmentJob#FORMATS}
 * @param overwrite   segment images whose label files exist
 * @param master      the Spark master; null for the one spark-submit gives, or local[*] embedded
 */
public record JobSettings(String model, Path output, List<String> inputs, FileSegmentation.ImageSettings image,
        String tableFormat, boolean overwrite, String master) {

    /** Everything as the model says, parquet tables, existing labels kept, the master spark-submit gives. */
    public static JobSettings of(String model, Path output, List<String> inputs) {
        return new JobSettings(model, output, inputs, FileSegmentation.ImageSettings.DEFAULT, "parquet", false, null);
    }

    public JobSettings withImage(FileSegmentation.ImageSettings i) {
        return new JobSettings(model, output, inputs, i, tableFormat, overwrite, master);
    }

    public JobSettings withTableFormat(String f) {
        return new JobSettings(model, output, inputs, image, f, overwrite, master);
    }

    public JobSettings withOverwrite(boolean on) {
        return new JobSettings(model, output, inputs, image, tableFormat, on, master);
    }

    public JobSettings withMaster(String m) {
        return new JobSettings(model, output, inputs, image, tableFormat, overwrite, m);
    }

    /**
     * Checks everything both jobs can check before Spark starts (an IOException or IllegalArgumentException
     * says what is wrong) and returns the model folder.
     */
    public Path check() throws IOException {
        SegmentJob.checkFormat(tableFormat);
        Path folder = ModelStore.resolve(model);
        org.segmentcells.model.ModelInfo info = org.segmentcells.model.ModelFolder.readInfo(folder);
        info.requireUsable(image.segment());
        if (info.caution(folder) != null) {
            System.err.println("warning: " + info.caution(folder));
        }
        SegmentJob.checkOutput(output);
        SegmentJob.checkMaster(master);
        return folder;
    }
}
