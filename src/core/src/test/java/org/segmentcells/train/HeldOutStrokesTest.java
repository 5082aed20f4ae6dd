package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.segmentcells.segment.Normalization;
import org.segmentcells.annotate.ScribbleSimulator;
import org.segmentcells.annotate.Scribbles;
import org.segmentcells.annotate.Targets;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;

class HeldOutStrokesTest {

    static TrainingFrame scribbled(int k, long seed) throws Exception {
        FloatPlane img = ImageFiles.readPlane(Path.of("test-images/images/synth-00.tif"));
        LabelPlane truth = ImageFiles.readLabels(Path.of("test-images/labels/synth-00.tif"));
        Scribbles.Target t = Scribbles.toTarget(ScribbleSimulator.simulate(truth, k, seed));
        return new TrainingFrame("synth-00", img, t.classes(), t.weight());
    }

    /** Every 4th stroke of each kind, counted over the frames, is taken whole out of training and nothing else. */
    @Test
    void everyFourthStrokeOfEachKindIsHeldOutWhole() throws Exception {
        List<TrainingFrame> frames = List.of(scribbled(10, 1), scribbled(10, 2));
        HeldOutStrokes.Count n = HeldOutStrokes.count(frames);
        assertEquals(20, n.nucleus(), "one stroke in each of 10 nuclei per frame");
        assertTrue(n.background() >= 4, n.toString());
        HeldOutStrokes held = HeldOutStrokes.of(frames);
        assertEquals(5, held.nucleus());
        assertEquals(n.background() / 4, held.background());

        List<TrainingFrame> training = held.training(frames);
        List<TrainingFrame> check = held.onImages(frames.stream().map(TrainingFrame::image).toList());
        int[] heldPixels = new int[3];
        for (int i = 0; i < frames.size(); i++) {
            TrainingFrame f = frames.get(i);
            for (int p = 0; p < f.weight().length; p++) {
                boolean out = check.get(i).weight()[p] > 0;
                assertEquals(out ? 0f : f.weight()[p], training.get(i).weight()[p], "pixel " + p);
                if (out) {
                    assertTrue(f.weight()[p] > 0, "only annotated pixels are held out");
                    heldPixels[f.classes()[p]]++;
                }
            }
        }
        assertEquals(0, heldPixels[Targets.CONTOUR], "contour strokes always train");
        assertTrue(heldPixels[Targets.NUCLEUS] > 0 && heldPixels[Targets.BACKGROUND] > 0);
        // The held-out pixels are whole strokes: the training frames hold 15 nucleus strokes, not pieces of 20.
        assertEquals(15, HeldOutStrokes.count(training).nucleus());
        assertEquals(n.background() - held.background(), HeldOutStrokes.count(training).background());
    }

    /** Frames cut at another scale lose the same strokes, resized as their weights are. */
    @Test
    void theFramesAtAnotherScaleLoseTheSameStrokes() throws Exception {
        TrainingFrame f = scribbled(10, 1);
        HeldOutStrokes held = HeldOutStrokes.of(List.of(f));
        TrainingFrame half = f.scaled(0.5, Normalization.DEFAULT);
        TrainingFrame trainedHalf = held.training(List.of(half)).get(0);
        TrainingFrame heldAtOne = held.onImages(List.of(f.image())).get(0);
        float[] mask = new float[heldAtOne.weight().length];
        for (int p = 0; p < mask.length; p++) {
            mask[p] = heldAtOne.weight()[p];
        }
        TrainingFrame maskHalf = new TrainingFrame("m", f.image(), f.classes(), mask).scaled(0.5, Normalization.DEFAULT);
        int removed = 0;
        for (int p = 0; p < half.weight().length; p++) {
            float expected = maskHalf.weight()[p] > 0 ? 0 : half.weight()[p];
            assertEquals(expected, trainedHalf.weight()[p], "pixel " + p);
            if (half.weight()[p] > 0 && expected == 0) {
                removed++;
            }
        }
        assertTrue(removed > 0);
    }

    /** The check reads the images again after training: other images are told apart, not misread. */
    @Test
    void imagesThatAreNotTheFramesAreToldApart() throws Exception {
        TrainingFrame f = scribbled(10, 1);
        HeldOutStrokes held = HeldOutStrokes.of(List.of(f));
        assertTrue(held.matches(List.of(f.image())));
        assertTrue(!held.matches(List.of(f.image(), f.image())), "another count");
        assertTrue(!held.matches(List.of(f.scaled(0.5, Normalization.DEFAULT).image())), "another size");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> held.onImages(List.of(f.scaled(0.5, Normalization.DEFAULT).image())));
    }

    /** Under 4 strokes of a kind: nothing is held out, so every stroke trains. */
    @Test
    void tooFewStrokesHoldNothingOut() throws Exception {
        TrainingFrame f = scribbled(3, 1);
        assertEquals(3, HeldOutStrokes.count(List.of(f)).nucleus());
        assertNull(HeldOutStrokes.of(List.of(f)));
    }
}
