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

    /**
     * A re-run keeps earlier labels only if they were made as it would make them: another model (or another
     * version of it), flips, channel, or a scale, minimum size or seed threshold given otherwise is named;
     * what auto measured is not compared, nor is a cache folder in another place (another machine).
     */
    @Test
    void otherSettingsOfAnEarlierRunAreNamed() {
        String earlier = "Segment Cells 0.1.0\nmodel: default (/home/a/.cache/segment-cells/models/default-83cd811)\n"
                + "min_size=30\nseed_threshold=0.6\ntile=1024\nscale=0.2784 (auto, nuclei 79 px)\ntta=false\n";
        LabelInfo.ModelIdentity here = new LabelInfo.ModelIdentity("default (/root/.cache/segment-cells/models/default-83cd811)", null);
        org.segmentcells.model.SegmentSettings model = org.segmentcells.model.SegmentSettings.MODEL;
        assertEquals(java.util.List.of(), LabelInfo.differences(earlier, here, model, 0, null));
        assertEquals(java.util.List.of(), LabelInfo.differences(earlier, here, model.withTile(512), 0, null),
                "tiles change no label");
        assertEquals(java.util.List.of(), LabelInfo.differences(null, id("other (/m/other)"), model, 0, null),
                "labels older than the Info");
        assertEquals(java.util.List.of(), LabelInfo.differences("made elsewhere", id("other (/m/other)"), model, 0, null));
        assertEquals(java.util.List.of(Setting.MODEL.mention() + " default (/home/a/.cache/segment-cells/models/"
                + "default-83cd811) in the earlier run, bbbc039-2frames (/c/bbbc039-2frames-1a2b3c4) in this one"),
                LabelInfo.differences(earlier, id("bbbc039-2frames (/c/bbbc039-2frames-1a2b3c4)"), model, 0, null));
        assertEquals(1, LabelInfo.differences(earlier, id("default (/c/default-99fffff)"), model, 0, null).size(),
                "another version of default");
        assertEquals(1, LabelInfo.differences(earlier, id("/models/mine"), model, 0, null).size());
        assertEquals(java.util.List.of(Setting.TTA.mention() + " false in the earlier run, true in this one"),
                LabelInfo.differences(earlier, here, model.withTta(true), 0, null));
        org.segmentcells.segment.Scale half = org.segmentcells.segment.Scale.of(0.5);
        assertEquals(java.util.List.of(Setting.SCALE.mention() + " 0.2784 (auto, nuclei 79 px) in the earlier run, 0.5"
                + " (given) in this one"), LabelInfo.differences(earlier, here, model.withScale(half), 0, null));
        assertEquals(java.util.List.of(), LabelInfo.differences(earlier, here,
                model.withScale(org.segmentcells.segment.Scale.AUTO), 0, null), "auto given is auto");
        String given = earlier.replace("0.2784 (auto, nuclei 79 px)", "0.50 (given, noisy image smoothed)");
        assertEquals(java.util.List.of(), LabelInfo.differences(given, here, model.withScale(half), 0, null));
        assertEquals(1, LabelInfo.differences(given, here, model.withScale(org.segmentcells.segment.Scale.of(0.4)), 0,
                null).size());
        assertEquals(1, LabelInfo.differences(given, here, model, 0, null).size(), "given then, measured now");
        assertEquals(2, LabelInfo.differences(given, here, model.withDiameter(60.0), 0, null).size(), "scale and diameter");
        assertEquals(java.util.List.of(), LabelInfo.differences(earlier, here, model.withMinSize(30), 0, null));
        assertEquals(java.util.List.of(Setting.MIN_SIZE.mention() + " 30 in the earlier run, 200 in this one"),
                LabelInfo.differences(earlier, here, model.withMinSize(200), 0, null));
        assertEquals(java.util.List.of(), LabelInfo.differences(earlier, here, model.withSeedThreshold(0.6), 0, null));
        assertEquals(1, LabelInfo.differences(earlier, here, model.withSeedThreshold(0.7), 0, null).size());
        // The same model elsewhere (another machine, a mount, Windows) is the same model.
        assertEquals(java.util.List.of(), LabelInfo.differences(earlier.replace("/home/a/.cache/segment-cells/models/",
                "C:\\Users\\a\\.cache\\segment-cells\\models\\"), here, model, 0, null));
        String mine = earlier.replace("default (/home/a/.cache/segment-cells/models/default-83cd811)", "/data/models/mine");
        assertEquals(java.util.List.of(), LabelInfo.differences(mine, id("/mnt/cluster/models/mine/"), model, 0, null));
        // Per-plane values: the first plane's tells how the scale was set (a given one is the same on all planes).
        String perPlane = earlier.replace("0.2784 (auto, nuclei 79 px)",
                "per plane: 1-40: 0.50 (given); 41-100: 0.50 (given, noisy image smoothed)");
        assertEquals(java.util.List.of(), LabelInfo.differences(perPlane, here, model.withScale(half), 0, null));
        assertEquals(1, LabelInfo.differences(perPlane, here, model, 0, null).size());
        // A factor is compared to the four decimals the Info prints: 0.5 and 0.5004 differ, as their labels may.
        String twoDecimals = earlier.replace("0.2784 (auto, nuclei 79 px)", "0.28 (given)");
        assertEquals(java.util.List.of(), LabelInfo.differences(twoDecimals, here,
                model.withScale(org.segmentcells.segment.Scale.of(0.28)), 0, null));
        assertEquals(1, LabelInfo.differences(twoDecimals, here,
                model.withScale(org.segmentcells.segment.Scale.of(0.2804)), 0, null).size());
        // A diameter given, and given otherwise.
        String diameter = earlier.replace("0.2784 (auto, nuclei 79 px)", "0.3268 (nuclei 60 px, given)");
        assertEquals(java.util.List.of(), LabelInfo.differences(diameter, here, model.withDiameter(60.0), 0, null));
        assertEquals(java.util.List.of(Setting.DIAMETER.mention() + " 60 in the earlier run, 30 in this one"),
                LabelInfo.differences(diameter, here, model.withDiameter(30.0), 0, null));
        assertEquals(1, LabelInfo.differences(diameter, here, model, 0, null).size(), "given then, measured now");
        assertEquals(1, LabelInfo.differences(earlier, here, model.withDiameter(60.0), 0, null).size());
        // With fingerprints, content decides: another name or place of the same model is it, another model in a
        // folder of the same name is not.
        String printed = earlier.replace("\nmin_size", "\nmodel fingerprint: 0123456789ab\nmin_size");
        assertEquals(java.util.List.of(), LabelInfo.differences(printed,
                new LabelInfo.ModelIdentity("/anywhere/renamed", "0123456789ab"), model, 0, null));
        assertEquals(1, LabelInfo.differences(printed,
                new LabelInfo.ModelIdentity(here.described(), "ba9876543210"), model, 0, null).size());
        assertEquals(java.util.List.of(Setting.SCALE.mention() + " 0.50 (given, noisy image smoothed) in the earlier run, auto in this one"),
                LabelInfo.differences(given, here, model.withScale(org.segmentcells.segment.Scale.AUTO), 0, null));
        assertEquals(java.util.List.of(Setting.SEED_THRESHOLD.mention() + " abc in the earlier run, 0.6 in this one"),
                LabelInfo.differences(earlier.replace("seed_threshold=0.6", "seed_threshold=abc"), here,
                        model.withSeedThreshold(0.6), 0, null), "an Info edited by hand");
        assertEquals(java.util.List.of(), LabelInfo.differences(earlier.replace("seed_threshold=0.6",
                "seed_threshold=0.6000000238418579"), here, model.withSeedThreshold(0.6), 0, null), "a float widened");
        String hyper = earlier + "nuclear_channel=2\nchannel=red\n";
        assertEquals(java.util.List.of(), LabelInfo.differences(hyper, here, model, 2, Channel.RED));
        assertEquals(2, LabelInfo.differences(hyper, here, model, 3, Channel.GREEN).size());
    }

    private static LabelInfo.ModelIdentity id(String described) {
        return new LabelInfo.ModelIdentity(described, null);
    }
}
