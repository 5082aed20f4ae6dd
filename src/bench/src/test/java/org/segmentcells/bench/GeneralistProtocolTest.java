package org.segmentcells.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.segmentcells.train.TrainingData;

/** The generalist split keeps every scored image away from training, by the rules. */
class GeneralistProtocolTest {

    @Test
    void scoredImagesAreNeverTrainedOnOrUsedToSelect() throws Exception {
        Path bbbc = DataSets.find("bbbc039");
        Path dsb = DataSets.find("dsb2018_fluo");
        Assumptions.assumeTrue(bbbc != null && dsb != null,
                "skipped: no bbbc039 and dsb2018_fluo under " + DataSets.root().toAbsolutePath());
        GeneralistProtocol.Split s = new GeneralistProtocol(bbbc, dsb, new PrintStream(PrintStream.nullOutputStream()))
                .split();
        Set<Path> train = images(s.train());
        Set<Path> select = images(s.selection());
        Set<Path> scored = images(s.bbbcVal());
        scored.addAll(images(s.dsbHeldOut()));
        for (Path p : select) {
            assertFalse(train.contains(p), p + " both trains and selects");
        }
        for (Path p : scored) {
            assertFalse(train.contains(p) || select.contains(p), p + " is scored and also trained on or selected on");
        }
        // The 13 new-microscope frames stay out of everything.
        for (String id : DataSets.stems(dsb.resolve("ids_512x640.tsv"))) {
            for (Set<Path> role : List.of(train, select, scored)) {
                assertTrue(role.stream().noneMatch(p -> p.getFileName().toString().startsWith(id)), id);
            }
        }
        // DSB fields of BBBC039 val frames are never trained on; DSB fields of train frames are never scored.
        Set<String> val = new HashSet<>(DataSets.stems(bbbc.resolve("val.txt")));
        Set<String> dsbTrainNames = names(s.train());
        Set<String> dsbScoredNames = names(s.dsbHeldOut());
        int pairs = 0;
        for (String line : Files.readAllLines(dsb.resolve("overlap_with_bbbc039.tsv")).subList(1, 29)) {
            String[] f = line.split("\t");
            pairs++;
            if (val.contains(f[1])) {
                assertFalse(dsbTrainNames.contains(f[0]) || names(s.selection()).contains(f[0]), f[0]);
            } else {
                assertFalse(dsbScoredNames.contains(f[0]), f[0]);
            }
        }
        assertEquals(28, pairs);
        assertEquals(50, s.bbbcVal().size());
        assertEquals(13 + 11, s.left(), "the 13 frames and the 11 DSB fields of val.txt frames are left out");
        assertEquals(526 - s.left(), countDsb(s.train()) + countDsb(s.selection()) + s.dsbHeldOut().size());
        assertEquals(90, s.train().size() - countDsb(s.train()));
        // --bbbc039-repeat relies on BBBC039's training frames coming first.
        assertEquals(90, s.bbbcTrain());
        assertEquals(0, countDsb(s.train().subList(0, s.bbbcTrain())));
        // Every kind of held-out image (by frame size) is also among the selection frames, so checkpoint
        // choice sees, e.g., the tissue sections that the scored set holds.
        Map<String, String> sizes = GeneralistProtocol.frameSizes(dsb.resolve("counts.tsv"));
        Set<String> selectedSizes = new HashSet<>();
        names(s.selection()).forEach(n -> selectedSizes.add(sizes.get(n)));
        for (String n : names(s.dsbHeldOut())) {
            assertTrue(selectedSizes.contains(sizes.get(n)), "no selection frame is " + sizes.get(n) + " like " + n);
        }
        assertTrue(selectedSizes.contains("603x1272"), "a tissue section selects");
    }

    private static Set<Path> images(List<TrainingData.Pair> pairs) {
        Set<Path> out = new HashSet<>();
        for (TrainingData.Pair p : pairs) {
            assertTrue(out.add(p.image()), p.image() + " appears twice");
        }
        return out;
    }

    private static Set<String> names(List<TrainingData.Pair> pairs) {
        return new HashSet<>(new ArrayList<>(pairs.stream().map(TrainingData.Pair::stem).toList()));
    }

    private static int countDsb(List<TrainingData.Pair> pairs) {
        return (int) pairs.stream().filter(p -> p.image().toString().contains("dsb2018_fluo")).count();
    }

    @Test
    void aDiscriminatorTrainedAloneKeepsTheEstimatorsProvenance(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        org.segmentcells.model.ModelInfo start = new org.segmentcells.model.ModelInfo();
        start.architecture = org.segmentcells.nets.Architecture.UNET.id();
        start.objectDiameter = 24.6;
        start.training.mode = "cross-entropy";
        start.training.steps = 7000;
        start.training.patch = 96;
        Path startFolder = Files.createDirectories(tmp.resolve("start"));
        org.segmentcells.model.ModelFolder.writeInfo(startFolder, start);
        org.segmentcells.model.ModelInfo saved = new org.segmentcells.model.ModelInfo();
        saved.architecture = org.segmentcells.nets.Architecture.UNET.id();
        saved.discriminator = org.segmentcells.nets.RibCageDiscriminator.ARCHITECTURE;
        saved.training.mode = "adversarial";
        saved.training.steps = 3000;
        saved.training.patch = 64;
        saved.training.realScale = 0.9f;
        saved.training.init = "default";
        saved.objectDiameter = 24.5;
        Path output = Files.createDirectories(tmp.resolve("with-d"));
        org.segmentcells.model.ModelFolder.writeInfo(output, saved);

        GeneralistProtocol.keepEstimatorProvenance(output, startFolder);
        org.segmentcells.model.ModelInfo after = org.segmentcells.model.ModelFolder.readInfo(output);
        assertEquals(24.6, after.objectDiameter, "E's measured nucleus size is the start's");
        assertEquals(org.segmentcells.nets.RibCageDiscriminator.ARCHITECTURE, after.discriminator);
        assertEquals("cross-entropy", after.training.mode);
        assertEquals(7000, after.training.steps);
        assertEquals("adversarial", after.discriminatorTraining.mode);
        assertEquals("default", after.discriminatorTraining.init);
        // What a fine-tune must show this D: its crops and its manual maps, not E's crop size.
        assertEquals(64, after.discriminatorPatch());
        org.segmentcells.train.TrainConfig fitted = org.segmentcells.train.TrainConfig.fineTuneDefaults().fittedTo(after);
        assertEquals(64, fitted.patch());
        assertEquals(0.9f, fitted.realScale());
    }
}
