package org.segmentcells.fiji;

import static org.segmentcells.fiji.plugin.SegmentFilesOptions.TITLE;

import ij.IJ;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.segmentcells.fiji.plugin.Progress;
import org.segmentcells.fiji.plugin.SegmentFilesOptions;
import org.segmentcells.fiji.plugin.SegmentOptions;
import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.progress.Cancelled;
import org.segmentcells.img.Channel;
import org.segmentcells.segment.Scale;
import org.segmentcells.tf.TensorFlowRuntime;
import org.segmentcells.fiji.plugin.Reports;

/**
 * Segment Image Files: image files or a folder in, label image files out, without opening the images in
 * ImageJ. It runs the CLI's {@code segment} job ({@link FileSegmentation}), so images too big for memory
 * are segmented in bands, as on the command line, and a macro can work through thousands of files with
 * one call. Shared by the SciJava command and the ImageJ 1.x plugin.
 */
public final class SegmentFilesRunner {


    private SegmentFilesRunner() {
    }

    /** The CLI's segment job for these options; a bad scale or channel is an IllegalArgumentException naming it. */
    static FileSegmentation.Settings settings(SegmentFilesOptions options) throws IOException {
        SegmentOptions o = options.segment();
        return FileSegmentation.Settings.of(FijiModels.forCore(o.model()), Path.of(options.output().strip()),
                FileSegmentation.inputs(List.of(options.input().strip()))).withChannel(SegmentRunner.channel(o))
                .withSegment(SegmentRunner.settings(o))
                .withOverwrite(options.overwrite()).withStreaming(options.streaming())
                .withScalePerPlane(o.scalePerPlane()).withNuclearChannel(o.nuclearChannel());
    }

    /** Runs, logging progress to the Log window; returns the number of images, or reports the error and returns -1. */
    public static int runAndReport(SegmentFilesOptions options) {
        try (PrintStream log = logStream()) {
            TensorFlowRuntime.ensureLoaded();
            FileSegmentation.Settings settings = settings(options);
            String subfolders = FileSegmentation.subfoldersNote(List.of(options.input().strip()), settings.output());
            if (subfolders != null) {
                log.println(TITLE + ": note: " + subfolders);
            }
            return FileSegmentation.run(settings, log, log, CoreProgress.of(Progress.imageJ()));
        } catch (Cancelled e) {
            // Esc: the finished images are complete and the message says so; no error dialog (it would abort a macro).
            IJ.log(TITLE + ": " + e.getMessage());
            IJ.showStatus(TITLE + ": cancelled");
            return -1;
        } catch (IOException | IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            // The user's files or settings; anything else is a defect and keeps its stack trace (ImageJ shows it).
            Reports.error(TITLE, MacroSpelling.message(e));
            return -1;
        } catch (LinkageError e) {
            Reports.error(TITLE, Reports.incompleteInstall(e));
            return -1;
        } finally {
            IJ.showProgress(1.0); // done, failed or cancelled: no half-filled bar left behind
            IJ.resetEscape();
        }
    }

    /** Whole lines written to it go to ImageJ's Log window (stdout when headless), settings as macro keys. */
    private static PrintStream logStream() {
        return org.segmentcells.setting.Setting.spelled(IJ::log, MacroSpelling.SPELLING);
    }
}
