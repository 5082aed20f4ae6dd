package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;
import org.segmentcells.segment.ProbabilityNet;

class CalibrationTest {

    /** Bright (> 0.5 after normalisation) is nucleus, everything else background; no contours. */
    static final ProbabilityNet BRIGHT = (in, w, h, out) -> {
        for (int i = 0; i < w * h; i++) {
            boolean on = in[i] > 0.5f;
            out[3 * i] = on ? 0.05f : 0.9f;
            out[3 * i + 1] = on ? 0.9f : 0.05f;
            out[3 * i + 2] = 0.05f;
        }
    };

    /** Nine 12x12 nuclei (the truth) plus 3x3 bright specks that are not nuclei. */
    static Trainer.ValidationFrame nucleiAndSpecks() {
        int w = 120;
        int h = 120;
        FloatPlane img = new FloatPlane(w, h);
        LabelPlane gt = new LabelPlane(w, h);
        int id = 0;
        for (int by = 0; by < 3; by++) {
            for (int bx = 0; bx < 3; bx++) {
                id++;
                for (int y = 10 + 40 * by; y < 22 + 40 * by; y++) {
                    for (int x = 10 + 40 * bx; x < 22 + 40 * bx; x++) {
                        img.set(x, y, 1000);
                        gt.data()[y * w + x] = id;
                    }
                }
                for (int y = 30 + 40 * by; y < 33 + 40 * by; y++) {
                    for (int x = 30 + 40 * bx; x < 33 + 40 * bx; x++) {
                        img.set(x, y, 1000);
                    }
                }
            }
        }
        // Faint noise so the noise filter has a floor to compare against.
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < img.size(); i++) {
            img.data()[i] += 10 * r.nextFloat();
        }
        return new Trainer.ValidationFrame("specks", img, gt);
    }

    @Test
    void theBestSettingIsTheArgMaxOfTheGridAndScoresAsItself() {
        List<Trainer.ValidationFrame> frames = List.of(nucleiAndSpecks());
        double[] scales = {1, 0.5};
        double[] seeds = {0.5, 0.8};
        int[] sizes = {0, 30};
        Calibration.Result best = Calibration.best(BRIGHT, Normalization.DEFAULT, frames, scales, seeds, sizes);
        double max = -1;
        for (double sc : scales) {
            for (double th : seeds) {
                for (int ms : sizes) {
                    double f = Calibration.score(BRIGHT, Normalization.DEFAULT, frames, sc, new InstanceOptions(th, ms))
                            .scores().get("f");
                    max = Math.max(max, f);
                }
            }
        }
        assertEquals(max, best.scores().get("f"), 1e-12);
        Calibration.Result again = Calibration.score(BRIGHT, Normalization.DEFAULT, frames, best.scale(), best.instances());
        assertEquals(best.scores(), again.scores());
    }

    @Test
    void aMinimumSizeIsChosenThatDropsSpecksTheTruthDoesNotHave() {
        List<Trainer.ValidationFrame> frames = List.of(nucleiAndSpecks());
        Calibration.Result keepAll = Calibration.score(BRIGHT, Normalization.DEFAULT, frames, 1, new InstanceOptions(0.5, 0));
        assertEquals(0.5, keepAll.scores().get("precision"), 1e-9, "9 nuclei and 9 specks");
        Calibration.Result best = Calibration.best(BRIGHT, Normalization.DEFAULT, frames);
        assertEquals(1.0, best.scores().get("f"), 1e-9);
        assertTrue(best.instances().minSize() > 9 && best.instances().minSize() <= 144, "min size " + best.instances().minSize());
        assertEquals(1.0, best.scale(), "ties go to scale 1");
    }

    /** Nuclei of 110 px (issue 19's lab 1) against default's sizes: 24.5 px median, 13.4-28.7 px range. */
    @Test
    void aGeneralistsCandidatesAreTheSizesItLearnedWhateverTheMagnification() {
        org.segmentcells.scale.TrainingSize size = new org.segmentcells.scale.TrainingSize(24.5, 13.4, 28.7);
        assertArrayEquals(new double[] {1, 0.22, 0.18, 0.26, 0.12, 0.33, 0.39}, Calibration.toSizes(110, size));
        // Nuclei of the model's own median size: its own size once, and enlargements up to 1.5 times its high end.
        assertArrayEquals(new double[] {1, 0.8, 1.17, 0.55, 1.46, 1.76}, Calibration.toSizes(24.5, size));
        // Tiny nuclei stay within the scale range.
        assertArrayEquals(new double[] {1, org.segmentcells.segment.Scale.MAX}, Calibration.toSizes(2, size));
    }

    /** Which candidates a model gets: the sizes only with a recorded range and labelled nuclei. */
    @Test
    void onlyAGeneralistWithARecordedRangeAndLabelledNucleiIsTriedAtItsSizes() {
        org.segmentcells.model.ModelInfo m = new org.segmentcells.model.ModelInfo();
        m.scale = org.segmentcells.segment.Scale.AUTO;
        m.objectDiameter = 24.5;
        m.objectDiameterRange = new double[] {13.4, 28.7};
        assertArrayEquals(Calibration.toSizes(110, m.trainingSize()), Calibration.scalesFor(m, 110));
        assertArrayEquals(Calibration.SCALES, Calibration.scalesFor(m, Double.NaN), "no labelled nucleus");
        m.objectDiameter = 0;
        assertArrayEquals(Calibration.SCALES, Calibration.scalesFor(m, 110), "no training size");
        m.objectDiameter = 24.5;
        m.scale = org.segmentcells.segment.Scale.ONE;
        assertArrayEquals(Calibration.SCALES, Calibration.scalesFor(m, 110), "a fixed scale");
    }

    @Test
    void noFramesIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Calibration.best(BRIGHT, Normalization.DEFAULT, List.of()));
        assertTrue(e.getMessage().contains("at least one annotated frame"), e.getMessage());
    }
}
