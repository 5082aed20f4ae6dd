package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.segmentcells.annotate.Scribbles;
import org.segmentcells.fiji.plugin.FineTuneOptions;
import org.segmentcells.fiji.plugin.ScribbleTags;
import org.segmentcells.fiji.plugin.SegmentOptions;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.train.Mode;
import org.segmentcells.train.TrainConfig;

/**
 * The plugin jar cannot see the core (it lives behind the engine's class loader), so the few defaults
 * its dialogs show are written there again; they must stay the core's.
 */
class SeamConstantsTest {

    @Test
    void dialogDefaultsAreTheCores() {
        assertEquals(Segmenter.DEFAULT_TILE, SegmentOptions.DEFAULT_TILE);
        assertEquals(2 * Segmenter.MARGIN + 16, SegmentOptions.MIN_TILE);
        assertEquals(Segmenter.minTile(org.segmentcells.nets.Architecture.UNET), SegmentOptions.MIN_TILE_UNET);
        assertEquals(TrainConfig.fineTuneDefaults().mode().id(), FineTuneOptions.DEFAULT_MODE);
        // The dialogs name the core's per-mode pseudo-label weights, which -1 stands for.
        assertTrue(FineTuneOptions.PSEUDO_LABELS_HELP.contains("(" + TrainConfig.SCRIBBLE_PSEUDO_LABELS + "; "
                + TrainConfig.SCRIBBLE_PSEUDO_LABELS_ADVERSARIAL + " in the adversarial modes)"),
                FineTuneOptions.PSEUDO_LABELS_HELP);
        assertEquals(TrainConfig.FINE_TUNE_STEPS, FineTuneOptions.DEFAULT_STEPS);
        assertEquals(Arrays.stream(Mode.values()).map(Mode::id).sorted().toList(),
                Arrays.stream(FineTuneOptions.MODES).sorted().toList());
    }

    @Test
    void scribbleTagsAreTheCoresScribbleValues() {
        assertEquals("background", ScribbleTags.CLASS_NAMES[Scribbles.BACKGROUND]);
        assertEquals("nucleus", ScribbleTags.CLASS_NAMES[Scribbles.NUCLEUS]);
        assertEquals("contour", ScribbleTags.CLASS_NAMES[Scribbles.CONTOUR]);
        assertEquals(Scribbles.BACKGROUND, ScribbleTags.classOf("background"));
        assertEquals(-1, ScribbleTags.classOf("cytoplasm"));
    }
}
