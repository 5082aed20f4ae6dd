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
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.segment.Scale;
import org.segmentcells.synth.SyntheticNuclei;
import org.segmentcells.train.TrainingData;

class SizeSweepTest {

    /**
     * At its own size (1 / factor) a frame magnified 4 times scores about what it scores unresized, where at
     * scale 1 the default breaks its nuclei; the row says which scale it used.
     */
    @Test
    void ownSizeUndoesTheFactor(@TempDir Path dir) throws Exception {
        SyntheticNuclei.writeSet(dir, 2, 256, 256, 25, 11);
        List<TrainingData.Pair> frames = new ArrayList<>();
        for (String stem : List.of("synth-00", "synth-01")) {
            frames.add(new TrainingData.Pair(stem, dir.resolve("images").resolve(stem + ".tif"),
                    dir.resolve("labels").resolve(stem + ".tif")));
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SizeSweep sweep = new SizeSweep(new PrintStream(log, true, StandardCharsets.UTF_8));
        double[] factors = {1, 4};
        SegmentSettings one = SegmentSettings.MODEL.withScale(Scale.ONE);
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            List<SizeSweep.Cell> atOne = sweep.run("synth", frames, model, one, factors, false);
            List<SizeSweep.Cell> own = sweep.runAtOwnSize("synth", frames, model, one, factors, false);

            assertEquals("model default at 1 / factor", own.get(0).method());
            assertEquals("model default", atOne.get(0).method());
            double x1 = atOne.get(0).scores().f();
            assertTrue(x1 > 0.8, "x1 F " + x1);
            // x1 at 1 / 1 is the same run.
            assertEquals(x1, own.get(0).scores().f(), 1e-9);
            double ownX4 = own.get(1).scores().f();
            double oneX4 = atOne.get(1).scores().f();
            assertTrue(ownX4 > x1 - 0.1, "x4 at its own size F " + ownX4 + " against x1 " + x1);
            assertTrue(ownX4 > oneX4 + 0.2, "x4 at its own size F " + ownX4 + " against scale 1 " + oneX4);
        }
        String table = SizeSweep.markdown(List.of(), factors);
        assertTrue(table.startsWith("| set | method | ×1 F / SEG | ×4 F / SEG |"), table);
    }

    @Test
    void autosCostIsFromTheUnroundedTimes() {
        // 0.165 s against 0.13 s: +27%, where the printed 0.17 and 0.13 would read +31%.
        SizeSweep.Cell c = new SizeSweep.Cell("DSB", "model default", 1, null, 1, 0.165, 0.016, 0.13);
        assertEquals("0.13 (+27%)", SizeSweep.givenAndCost(c));
        SizeSweep.Cell none = new SizeSweep.Cell("DSB", "model default", 1, null, 1, 0.165, 0.016, Double.NaN);
        assertEquals("NaN", SizeSweep.givenAndCost(none));
    }
}
