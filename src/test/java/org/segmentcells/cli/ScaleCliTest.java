package org.segmentcells.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.cli.CliTest.Run;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;

/** {@code segment --scale}: nuclei larger or smaller than the model's meet E at its size. */
class ScaleCliTest {

    @org.junit.jupiter.api.BeforeAll
    static void smallImage(@TempDir Path tmp) throws Exception {
        CliRobustnessTest.smallImage(tmp);
    }

    @Test
    void aScaleGivesLabelsAtTheImageSizeAndChangesWhatEFinds(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("small.tif");
        Files.write(in, CliRobustnessTest.small);
        Run one = CliRobustnessTest.segment(tmp.resolve("one"), in.toString());
        Run half = CliRobustnessTest.segment(tmp.resolve("half"), "--scale", "0.5", in.toString());
        assertEquals(0, one.code(), one.err());
        assertEquals(0, half.code(), half.err());
        LabelPlane a = ImageFiles.readLabels(tmp.resolve("one/small.tif"));
        LabelPlane b = ImageFiles.readLabels(tmp.resolve("half/small.tif"));
        assertEquals(160, b.width());
        assertEquals(128, b.height());
        assertTrue(b.maxLabel() > 0, "nuclei found at half scale");
        assertTrue(!java.util.Arrays.equals(a.data(), b.data()), "the scale reached the network");
    }

    @Test
    void aScaleOutOfRangeIsAUsageError(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("small.tif");
        Files.write(in, CliRobustnessTest.small);
        Run r = CliRobustnessTest.segment(tmp.resolve("out"), "--scale", "0", in.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--scale: scale must be between 0.1 and 4.0"), r.err());
        assertEquals(0, CliRobustnessTest.files(tmp.resolve("out")).size());
    }

    @Test
    void streamingAtAScaleIsRefusedBeforeAnythingIsWritten(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("small.tif");
        Files.write(in, CliRobustnessTest.small);
        Run r = CliRobustnessTest.segment(tmp.resolve("out"), "--streaming", "--scale", "0.5", in.toString());
        assertEquals(1, r.code(), r.err());
        CliRobustnessTest.assertOneLine(r, "small.tif", "scale 1 only", "--scale is 0.5", "nothing was segmented");
        assertEquals(java.util.List.of(), CliRobustnessTest.files(tmp.resolve("out")).stream()
                .filter(f -> f.endsWith(".tif")).toList());
    }
}
