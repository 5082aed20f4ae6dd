package org.segmentcells.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.synth.SyntheticNuclei;
import org.segmentcells.train.TrainingData;

class EstimatorAccuracyTest {

    private static List<TrainingData.Pair> pairs(Path set, Path labelsFrom, int n) {
        List<TrainingData.Pair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String stem = String.format("synth-%02d", i);
            out.add(new TrainingData.Pair(stem, set.resolve("images").resolve(stem + ".tif"),
                    labelsFrom.resolve("labels").resolve(stem + ".tif")));
        }
        return out;
    }

    /**
     * Synthetic nuclei are measured within 15% of their labels; the same images scored against labels of
     * nuclei twice as large are measured at half their size; a frame with no labelled nucleus is left out.
     */
    @Test
    void sharesAndRatioFollowTheLabels(@TempDir Path dir) throws Exception {
        Path small = dir.resolve("small");
        Path large = dir.resolve("large");
        SyntheticNuclei.writeSet(small, 3, 256, 256, 25, 7);
        SyntheticNuclei.writeSet(large, 3, 256, 256, 8, 7, 2);

        ImageFiles.writeLabels(new LabelPlane(256, 256), dir.resolve("empty").resolve("labels").resolve("synth-00.tif"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        EstimatorAccuracy acc = new EstimatorAccuracy(new PrintStream(log, true, StandardCharsets.UTF_8));

        EstimatorAccuracy.Row right = acc.score("own labels", EstimatorAccuracy.TRAINING, pairs(small, small, 3));
        assertEquals(3, right.frames());
        assertEquals(1.0, right.within15());
        assertEquals(1.0, right.within30());
        assertTrue(Math.abs(right.ratio() - 1) < 0.15, "ratio " + right.ratio());

        // Labels of other frames with nuclei twice as large: the estimate is half of theirs.
        EstimatorAccuracy.Row wrong = acc.score("other labels", EstimatorAccuracy.SCORED, pairs(small, large, 3));
        assertEquals(0.0, wrong.within30());
        assertTrue(wrong.ratio() > 0.35 && wrong.ratio() < 0.65, "ratio " + wrong.ratio());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("other labels synth-00: measured"), log.toString());

        EstimatorAccuracy.Row none = acc.score("no nuclei", EstimatorAccuracy.SCORED, pairs(small, dir.resolve("empty"), 1));
        assertEquals(0, none.frames());

        String table = EstimatorAccuracy.markdown(List.of(right, wrong));
        assertEquals(4, table.split("\n").length);
        assertTrue(table.contains("| own labels | training split | 3 | 1.00 | 1.00 |"), table);
    }

    /** Within 15% and 30% either way, on a log scale; nothing measured counts as off and not in the median. */
    @Test
    void sharesCountEachFrameOnce() {
        EstimatorAccuracy.Row r = EstimatorAccuracy.summary("s", EstimatorAccuracy.SCORED,
                List.of(1.0, 1.14, 1 / 1.14, 1.2, 1 / 1.29, 1.35, 0.5, Double.NaN), 0.1);
        assertEquals(8, r.frames());
        assertEquals(3 / 8.0, r.within15());
        assertEquals(5 / 8.0, r.within30());
        assertEquals(1.0, r.ratio(), 1e-9); // the 4th of the 7 measured
        assertTrue(Double.isNaN(EstimatorAccuracy.summary("s", EstimatorAccuracy.SCORED, List.of(), 0).within15()));
    }
}
