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
        // DSB fields of BBBC039 val frames are never trained on; DSB fields of train frames are never scored;
        // DSB fields of the BBBC039 selection frames are not trained on either (they would select on trained frames).
        Set<String> val = new HashSet<>(DataSets.stems(bbbc.resolve("val.txt")));
        List<String> bbbcTrainTxt = DataSets.stems(bbbc.resolve("train.txt"));
        Set<String> selecting = new HashSet<>(bbbcTrainTxt.subList(bbbcTrainTxt.size() - 10, bbbcTrainTxt.size()));
        Set<String> dsbTrainNames = names(s.train());
        Set<String> dsbScoredNames = names(s.dsbHeldOut());
        int pairs = 0;
        for (String line : Files.readAllLines(dsb.resolve("overlap_with_bbbc039.tsv")).subList(1, 29)) {
            String[] f = line.split("\t");
            pairs++;
            if (val.contains(f[1]) || selecting.contains(f[1])) {
                assertFalse(dsbTrainNames.contains(f[0]) || names(s.selection()).contains(f[0]), f[0]);
            } else {
                assertFalse(dsbScoredNames.contains(f[0]), f[0]);
            }
        }
        assertEquals(28, pairs);
        assertEquals(50, s.bbbcVal().size());
        assertEquals(13 + 11 + 2, s.left(), "the 13 frames, the 11 DSB fields of val.txt frames and the 2 of selection"
                + " frames are left out");
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

    /** Disks of one diameter on a grid, 4 rows of 4: a frame whose labelled nuclei measure {@code d} px. */
    private static org.segmentcells.img.LabelPlane disks(int d) {
        int cell = 2 * d;
        org.segmentcells.img.LabelPlane l = new org.segmentcells.img.LabelPlane(4 * cell, 4 * cell);
        double r = d / 2.0;
        for (int i = 0; i < 16; i++) {
            int cx = (i % 4) * cell + cell / 2;
            int cy = (i / 4) * cell + cell / 2;
            for (int y = 0; y < l.height(); y++) {
                for (int x = 0; x < l.width(); x++) {
                    if ((x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy) <= r * r) {
                        l.data()[y * l.width() + x] = i + 1;
                    }
                }
            }
        }
        return l;
    }

    /** The factors, each within 2% of the expected (pixel disks measure within 1% of their diameter). */
    private static void assertFactors(List<Double> expected, List<Double> factors) {
        assertEquals(expected.size(), factors.size(), "factors " + factors + ", expected " + expected);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), factors.get(i), 0.02 * expected.get(i), "factors " + factors);
        }
    }

    @Test
    void framesAreLearnedAtTheirOwnSizeBroughtIntoTheRangeAndAtBothEnds() {
        GeneralistProtocol own = new GeneralistProtocol(Path.of("a"), Path.of("b"), new PrintStream(PrintStream.nullOutputStream()));
        GeneralistProtocol range = own.acrossSizes(15, 30);
        // inside the range: its own size, then both ends
        assertFactors(List.of(1.0, 0.75, 1.5), range.sizeFactors(disks(20)));
        // below: brought to the low end, which is also one end; then the high end
        assertFactors(List.of(1.5, 3.0), range.sizeFactors(disks(10)));
        // above: brought to the high end; then the low end
        assertFactors(List.of(0.75, 0.375), range.sizeFactors(disks(40)));
        // one size: one factor; off: the frame as it is
        assertFactors(List.of(1.25), own.sizedTo(25).sizeFactors(disks(20)));
        assertEquals(List.of(1.0), own.sizeFactors(disks(20)));
        assertEquals(List.of(1.0), range.sizeFactors(new org.segmentcells.img.LabelPlane(64, 64)));
        // with their own size: frames outside the range keep it, and get both ends
        GeneralistProtocol withOwn = own.acrossSizesAndOwn(15, 30);
        assertFactors(List.of(1.0, 1.5, 3.0), withOwn.sizeFactors(disks(10)));
        assertFactors(List.of(1.0, 0.75, 1.5), withOwn.sizeFactors(disks(20)));
        // at auto's sizes: own size, auto's size (the centre, sqrt(15*30) = 21.2, above the range; its
        // own inside it or down to half the low end), then the centre and the ends, each once
        GeneralistProtocol autoOnly = own.atAutoSizes(15, 30, false);
        assertFactors(List.of(1.0, 21.21 / 40), autoOnly.sizeFactors(disks(40)));
        assertFactors(List.of(1.0), autoOnly.sizeFactors(disks(20)));
        assertFactors(List.of(1.0), autoOnly.sizeFactors(disks(10)));
        assertFactors(List.of(1.0, autoOnly.autoFactor(disks(6))), autoOnly.sizeFactors(disks(6)));
        GeneralistProtocol auto = own.atAutoSizes(15, 30, true);
        assertFactors(List.of(1.0, 21.21 / 40, 15 / 40.0, 30 / 40.0), auto.sizeFactors(disks(40)));
        assertFactors(List.of(1.0, 21.21 / 10, 15 / 10.0, 30 / 10.0), auto.sizeFactors(disks(10)));
        // inside the range auto keeps the size, and the centre is within 10% of it: no copy
        assertFactors(List.of(1.0, 15 / 20.0, 30 / 20.0), auto.sizeFactors(disks(20)));
        assertEquals(21.21 / 40, auto.autoFactor(disks(40)), 0.02);
        assertEquals(15 / 6.0, auto.autoFactor(disks(6)), 0.1 * 15 / 6.0); // small pixel disks measure a little large
        // an end within 10% of the frame's own size is not a second copy
        assertFactors(List.of(1.0, 30 / 16.0), range.sizeFactors(disks(16)));
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
