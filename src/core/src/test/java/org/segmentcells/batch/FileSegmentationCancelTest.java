package org.segmentcells.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.progress.Cancelled;
import org.segmentcells.progress.Progress;
import org.segmentcells.segment.Scale;

/** The file job through the core's one progress interface: a cancel keeps finished outputs, writes no partial one. */
class FileSegmentationCancelTest {

    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    private static List<Path> inputs(Path dir) throws Exception {
        Files.createDirectories(dir);
        List<Path> in = new ArrayList<>();
        for (String n : List.of("a", "b", "c")) {
            in.add(Files.copy(Path.of("test-images/images/synth-00.tif"), dir.resolve(n + ".tif")));
        }
        return in;
    }

    /** Cancels once {@code after} fraction reports of the second image arrived. */
    private static final class CancelIn implements Progress {
        final List<String> statuses = new ArrayList<>();
        int reports;
        private final int after;

        CancelIn(int after) {
            this.after = after;
        }

        @Override
        public void status(String message) {
            statuses.add(message);
        }

        @Override
        public void fraction(long done, long total) {
            if (statuses.size() >= 2) {
                reports++;
            }
        }

        @Override
        public boolean cancelRequested() {
            return reports >= after;
        }
    }

    @Test
    void aCancelInsideTheSecondImageKeepsTheFirstAndWritesNothingElse(@TempDir Path tmp) throws Exception {
        for (boolean bands : new boolean[] {false, true}) {
            Path out = tmp.resolve(bands ? "bands" : "memory");
            FileSegmentation.Settings s = FileSegmentation.Settings.of("default", out, inputs(tmp.resolve("in-" + bands)))
                    .withSegment(SegmentSettings.MODEL.withScale(Scale.ONE).withTile(192)).withStreaming(bands);
            CancelIn p = new CancelIn(1);
            Cancelled c = assertThrows(Cancelled.class, () -> FileSegmentation.run(s, QUIET, QUIET, p));
            assertEquals("cancelled after 1 of 3 images; their outputs are complete, and no other output was written",
                    c.getMessage());
            assertEquals(List.of("[1/3] a.tif", "[2/3] b.tif"), p.statuses);
            try (var files = Files.list(out)) {
                assertEquals(List.of("a.tif"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                        bands ? "in bands" : "in memory");
            }
        }
    }

    @Test
    void withoutACancelEveryImageIsReportedToTheEnd(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        List<long[]> fractions = new ArrayList<>();
        int n = FileSegmentation.run(FileSegmentation.Settings.of("default", out, inputs(tmp.resolve("in")))
                .withSegment(SegmentSettings.MODEL.withScale(Scale.ONE)), QUIET, QUIET, new Progress() {
                    @Override
                    public void fraction(long done, long total) {
                        fractions.add(new long[] {done, total});
                    }
                });
        assertEquals(3, n);
        assertFalse(fractions.isEmpty());
        long[] last = fractions.get(fractions.size() - 1);
        assertEquals(last[1], last[0], "the last report is the whole job");
        for (int i = 1; i < fractions.size(); i++) {
            assertTrue(fractions.get(i)[0] >= fractions.get(i - 1)[0], "never backwards");
        }
    }

    @Test
    void aCancelInsideAStackWritesNoneOfItsPlanes(@TempDir Path tmp) throws Exception {
        ij.ImagePlus synth = ij.IJ.openImage("test-images/images/synth-00.tif");
        ij.ImageStack st = new ij.ImageStack(synth.getWidth(), synth.getHeight());
        for (int i = 0; i < 3; i++) {
            st.addSlice(null, synth.getProcessor());
        }
        Path in = Files.createDirectories(tmp.resolve("in")).resolve("movie.tif");
        assertTrue(new ij.io.FileSaver(new ij.ImagePlus("movie", st)).saveAsTiffStack(in.toString()));
        Path out = tmp.resolve("out");
        FileSegmentation.Settings s = FileSegmentation.Settings.of("default", out, List.of(in))
                .withSegment(SegmentSettings.MODEL.withScale(Scale.ONE).withTile(192)).withProbabilities(true);
        // Cancels once the second plane's tiles report (past a third of the image's progress).
        List<String> statuses = new ArrayList<>();
        Progress p = new Progress() {
            boolean past;

            @Override
            public void status(String message) {
                statuses.add(message);
            }

            @Override
            public void fraction(long done, long total) {
                past |= 3 * done > total;
            }

            @Override
            public boolean cancelRequested() {
                return past;
            }
        };
        assertThrows(Cancelled.class, () -> FileSegmentation.run(s, QUIET, QUIET, p));
        assertEquals(List.of("[1/1] movie.tif", "[1/1] movie.tif: plane 1/3", "[1/1] movie.tif: plane 2/3"), statuses,
                "the status line follows the stack's planes");
        // No label stack, no probabilities, no temporary file: nothing, so not even the folder the run made.
        assertFalse(Files.exists(out), "the empty output folder the run made is gone");
    }
}
