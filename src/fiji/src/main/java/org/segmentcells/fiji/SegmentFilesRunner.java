package org.segmentcells.fiji;

import ij.IJ;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.img.Channel;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.tf.TensorFlowRuntime;

/**
 * Segment Image Files: image files or a folder in, label image files out, without opening the images in
 * ImageJ. It runs the CLI's {@code segment} job ({@link FileSegmentation}), so images too big for memory
 * are segmented in bands, as on the command line, and a macro can work through thousands of files with
 * one call. Shared by the SciJava command and the ImageJ 1.x plugin.
 */
public final class SegmentFilesRunner {

    public static final String TITLE = "Segment Image Files";
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    public static final String OVERWRITE = "overwrite";
    public static final String STREAMING = "streaming";

    private SegmentFilesRunner() {
    }

    /**
     * The choices; {@code minSize} {@link SegmentOptions#MODEL_MIN_SIZE} and a null {@code scale} mean the
     * model's own.
     */
    public record Options(String input, String output, String model, int minSize, Scale scale, Channel channel,
            boolean tta, boolean overwrite, boolean streaming) {

        public Options {
            if (input == null || input.isBlank()) {
                throw new IllegalArgumentException("give the " + INPUT + " image file or folder");
            }
            if (output == null || output.isBlank()) {
                throw new IllegalArgumentException("give the " + OUTPUT + " folder");
            }
            // The same checks and messages as Segment Cells.
            new SegmentOptions(model, minSize, false, false, Segmenter.DEFAULT_TILE, channel, 0, scale);
        }

        FileSegmentation.Settings settings() throws IOException {
            return new FileSegmentation.Settings(model.strip(), Path.of(output.strip()),
                    FileSegmentation.inputs(List.of(input.strip())), channel,
                    new SegmentSettings(scale, minSize == SegmentOptions.MODEL_MIN_SIZE ? null : minSize, null,
                            Segmenter.DEFAULT_TILE, tta), false, overwrite, streaming, "");
        }
    }

    /** Runs, logging progress to the Log window; returns the number of images, or reports the error and returns -1. */
    public static int runAndReport(Options options) {
        try (PrintStream log = logStream()) {
            TensorFlowRuntime.ensureLoaded();
            return FileSegmentation.run(options.settings(), log, log, IJ::escapePressed);
        } catch (IOException | RuntimeException e) {
            Reports.error(TITLE, e.getMessage() == null ? e.toString() : e.getMessage());
            return -1;
        } catch (LinkageError e) {
            Reports.error(TITLE, Reports.incompleteInstall(e));
            return -1;
        } finally {
            IJ.resetEscape();
        }
    }

    /** Lines written to it go to ImageJ's Log window (stdout when headless). */
    private static PrintStream logStream() {
        OutputStream lines = new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                if (b == '\n') {
                    emit();
                } else {
                    line.write(b);
                }
            }

            // PrintStream flushes after every printf piece; only whole lines go to the Log.
            private void emit() {
                IJ.log(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }

            @Override
            public void close() {
                if (line.size() > 0) {
                    emit();
                }
            }
        };
        return new PrintStream(lines, true, StandardCharsets.UTF_8);
    }
}
