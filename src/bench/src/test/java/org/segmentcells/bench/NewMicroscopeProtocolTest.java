package org.segmentcells.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.model.ModelStore;
import org.segmentcells.train.TrainConfig;

/** Which of the 13 new-microscope frames train and which are scored, in the test protocol and both folds. */
class NewMicroscopeProtocolTest {

    @Test
    void theFoldsSwapRolesAndNeverTouchTheTestFrames(@TempDir Path tmp) throws Exception {
        Path dsb = DataSets.find("dsb2018_fluo");
        Assumptions.assumeTrue(dsb != null, "skipped: no dsb2018_fluo under " + DataSets.root().toAbsolutePath());
        List<String> ids = DataSets.stems(dsb.resolve("ids_512x640.tsv"));
        NewMicroscopeProtocol test = new NewMicroscopeProtocol(dsb, "default", ModelStore.resolve("default"),
                TrainConfig.fineTuneDefaults(), tmp, new PrintStream(PrintStream.nullOutputStream()));
        NewMicroscopeProtocol one = test.scoringSelectionFrames();
        NewMicroscopeProtocol two = test.scoringSelectionFramesSwapped();

        assertEquals(ids.subList(4, 13), test.testIds());
        assertEquals(ids.subList(0, 4), test.trainIds(4));
        assertEquals(ids.subList(2, 4), one.testIds());
        assertEquals(ids.subList(0, 2), one.trainIds(2));
        // The second fold trains on what the first scores, and scores what the first trains on.
        assertEquals(one.testIds(), two.trainIds(2));
        assertEquals(one.trainIds(2), two.testIds());
        assertEquals(List.of(ids.get(2)), two.trainIds(1));
        List<String> scored = new ArrayList<>(one.testIds());
        scored.addAll(two.testIds());
        Collections.sort(scored);
        List<String> pool = new ArrayList<>(test.trainIds(4));
        Collections.sort(pool);
        assertEquals(pool, scored, "the two folds score each training frame once");
        assertTrue(Collections.disjoint(scored, test.testIds()));
        assertThrows(IllegalArgumentException.class, () -> two.trainIds(3));
        assertThrows(IllegalArgumentException.class, () -> test.trainIds(5));
    }
}
