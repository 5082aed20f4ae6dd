package org.segmentcells.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.classic.ClassicWorkflow;
import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;

class PaperProtocolTest {

    @Test
    void markdownRowsAndSectionReplacement(@TempDir Path dir) throws Exception {
        FrameScores s = new FrameScores(10, 10, 8, 2, 2, 6.4, 0.9, 7.0);
        String md = PaperProtocol.markdown(List.of(new PaperProtocol.Row("CE", 2, 100, s, 12.4, 3.2)));
        assertTrue(md.contains("| CE | 2 | 100 | 0.800 | 0.800 | 0.800 | 0.900 | 0.800 | 0.700 | 0.667 | 12 | 3 |"), md);
        Path doc = dir.resolve("b.md");
        Files.writeString(doc, "# Benchmarks\nbefore\n<!-- t:start -->\nold\n<!-- t:end -->\nafter\n");
        PaperProtocol.replaceSection(doc, "t", "new\n");
        assertEquals("# Benchmarks\nbefore\n<!-- t:start -->\nnew\n<!-- t:end -->\nafter\n", Files.readString(doc));
    }

    @Test
    void classicWorkflowSeparatesTouchingSyntheticNuclei() throws Exception {
        LabelPlane pred = ClassicWorkflow.segment(Path.of("test-images/images/demo.tif"));
        LabelPlane truth = ImageFiles.readLabels(Path.of("test-images/labels/demo.tif"));
        FrameScores s = Evaluator.scoreFrame(truth, pred, 0);
        // Otsu + watershed finds most of the 90 synthetic nuclei; objects under 50 px are dropped.
        assertTrue(s.f() > 0.6 && s.nPred() > 50, "F " + s.f() + ", " + s.nPred() + " objects");
    }

    @Test
    void classicWorkflowMatchesThePublishedReferenceOnBbbc039() throws Exception {
        Path set = DataSets.find("bbbc039");
        Assumptions.assumeTrue(set != null, "skipped: no bbbc039 under " + DataSets.root().toAbsolutePath());
        // ../shared/data/README.md: the classic workflow scores F 0.884 over all 200 frames (150 are here).
        List<FrameScores> frames = new java.util.ArrayList<>();
        for (String list : new String[] {"train.txt", "val.txt"}) {
            for (String stem : DataSets.stems(set.resolve(list)).subList(0, 20)) {
                frames.add(Evaluator.scoreFrame(ImageFiles.readLabels(set.resolve("labels/" + stem + ".png")),
                        ClassicWorkflow.segment(set.resolve("images/" + stem + ".png")), 0));
            }
        }
        double f = Evaluator.pool(frames).f();
        assertEquals(0.884, f, 0.03, "F over 40 frames");
    }
}
