package org.segmentcells.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.Channel;
import org.segmentcells.setting.Setting;

class LabelInfoTest {

    /** The Info's per-plane values name their planes, so a blank plane or a change midway reads right. */
    @Test
    void perPlaneValuesNameTheirPlanes() {
        LabelInfo.PlaneRuns one = new LabelInfo.PlaneRuns();
        one.add(1, "1.00 (auto, nuclei 20 px)");
        one.add(2, "1.00 (auto, nuclei 20 px)");
        assertEquals("1.00 (auto, nuclei 20 px)", one.toString());
        LabelInfo.PlaneRuns runs = new LabelInfo.PlaneRuns();
        runs.add(1, "none (auto: no nuclei found)");
        runs.add(2, "0.37 (auto, nuclei 66 px)");
        runs.add(3, "0.37 (auto, nuclei 66 px)");
        runs.add(4, "none (auto: no nuclei found)");
        assertEquals("per plane: 1: none (auto: no nuclei found); 2-3: 0.37 (auto, nuclei 66 px); 4: none (auto: no"
                + " nuclei found)", runs.toString());
    }

    /** Each setting on a line of its own, named as macro keys name it, and read back by name. */
    @Test
    void settingsAreLinesNamedAsMacroKeys() {
        String text = new LabelInfo("mine (/models/mine)", 512, true, 2, Channel.RED).text();
        assertTrue(text.startsWith(LabelInfo.TITLE + " "), text);
        assertTrue(text.contains("\nmodel: mine (/models/mine)\n"), text);
        assertEquals("512", LabelInfo.value(text, Setting.TILE));
        assertEquals("true", LabelInfo.value(text, Setting.TTA));
        assertEquals("2", LabelInfo.value(text, Setting.NUCLEAR_CHANNEL));
        assertEquals("red", LabelInfo.value(text, Setting.CHANNEL));
        String gray = new LabelInfo("m", 1024, false, 0, null).text();
        assertNull(LabelInfo.value(gray, Setting.NUCLEAR_CHANNEL), gray);
        assertNull(LabelInfo.value(gray, Setting.CHANNEL), gray);
        assertNull(LabelInfo.value(null, Setting.SCALE));
        assertEquals(java.util.Arrays.asList(null, null), LabelInfo.scales(gray, 2), "no scale recorded");
    }

    /** The factors a label file was segmented at, read back plane by plane, as the Spark tables report them. */
    @Test
    void scalesAreReadBackPlaneByPlane() {
        LabelInfo.PlaneRuns runs = new LabelInfo.PlaneRuns();
        runs.add(1, "none (auto: no nuclei found)");
        runs.add(2, "0.37 (auto, nuclei 66 px)");
        runs.add(3, "0.37 (auto, nuclei 66 px)");
        runs.add(4, "2.00 (auto, nuclei 14 px)");
        String text = "scale=" + runs + "\n";
        assertEquals(java.util.Arrays.asList(null, 0.37, 0.37, 2.0), LabelInfo.scales(text, 4));
        assertEquals(java.util.Arrays.asList(1.0, 1.0), LabelInfo.scales("tile=1024\nscale=1.00 (given)\ntta=false\n", 2));
    }
}
