package org.segmentcells.fiji.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the ImageJ 1.x dialog of Segment Cells remembers between runs (IJ_Prefs), as the user guide lists it. */
class SegmentCellsPluginPrefsTest {

    @Test
    void choicesAreRememberedButNotTheScaleNorTheChannel() {
        SegmentCellsPlugin.remember(SegmentOptions.of("default").withMinSize(40).withProbabilities(true).withTile(512)
                .withChannel("red").withScale("0.5"));
        SegmentOptions back = SegmentCellsPlugin.remembered();
        assertEquals(40, back.minSize());
        assertEquals(512, back.tile());
        // A channel chosen once must not make a later run quietly accept RGB images (nor does the command's).
        assertEquals("none", back.channelId());
        assertEquals(true, back.probabilities());
        // A factor fixed for one image would quietly resize the next one, of another magnification.
        assertEquals(SegmentOptions.MODEL_SCALE, back.scaleId());
    }
}
