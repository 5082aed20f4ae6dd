package org.segmentcells.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.segment.Scale;
import org.segmentcells.synth.SyntheticNuclei;

class AutoScaleTest {

    private static final java.util.function.Supplier<ObjectSize.Estimate> NEVER = () -> {
        throw new AssertionError("measured although the scale was fixed");
    };

    @Test
    void aGivenScaleWinsThenTheModelsFixedOneWithoutMeasuring() {
        AutoScale.Choice given = AutoScale.choose(Scale.of(0.5), Scale.AUTO, TrainingSize.point(25), NEVER);
        assertEquals(0.5, given.factor());
        assertEquals("scale 0.50 (given)", given.describe());
        AutoScale.Choice model = AutoScale.choose(null, Scale.of(0.4), TrainingSize.point(25), NEVER);
        assertEquals(0.4, model.factor());
        assertEquals(AutoScale.Source.MODEL, model.source());
        assertNull(model.note());
    }

    @Test
    void autoBringsTheMeasuredSizeToTheTrainingSize() {
        AutoScale.Choice c = AutoScale.choose(null, Scale.AUTO, TrainingSize.point(25), () -> new ObjectSize.Estimate(100, 40));
        assertEquals(0.25, c.factor(), 1e-12);
        assertEquals("scale 0.25 (auto, nuclei 100 px)", c.describe());
        assertFalse(c.hasNote());
        // A user's "auto" overrides a calibrated model's number.
        assertEquals(2, AutoScale.choose(Scale.AUTO, Scale.of(0.4), TrainingSize.point(25), () -> new ObjectSize.Estimate(12.5, 9)).factor(), 1e-12);
    }

    /** Any plane: a model trained on sharp frames only checks whatever the plane. */
    private static final FloatPlane ANY = new FloatPlane(8, 8);

    @Test
    void theNetworkChecksOnlyAutomaticShrinksNearTheTrainingRange() {
        TrainingSize range = new TrainingSize(24.6, 13.4, 28.7);
        AutoScale.Choice near = AutoScale.fromEstimate(new ObjectSize.Estimate(47, 30), range);
        assertTrue(near.factor() < 1);
        assertTrue(AutoScale.atOne(near, range, ANY) == AutoScale.AtOne.CHECK, "47 px is within twice the range's high end");
        assertFalse(AutoScale.atOne(AutoScale.fromEstimate(new ObjectSize.Estimate(75, 30), range), range, ANY) == AutoScale.AtOne.CHECK,
                "nuclei three times the range's end are resized without asking");
        assertFalse(AutoScale.atOne(AutoScale.fromEstimate(new ObjectSize.Estimate(5, 30), range), range, ANY) == AutoScale.AtOne.CHECK,
                "enlarging is not checked");
        assertFalse(AutoScale.atOne(AutoScale.fromEstimate(new ObjectSize.Estimate(20, 30), range), range, ANY) == AutoScale.AtOne.CHECK,
                "inside the range there is nothing to check");
        assertFalse(AutoScale.atOne(new AutoScale.Choice(0.5, AutoScale.Source.GIVEN, Double.NaN, null), range, ANY) == AutoScale.AtOne.CHECK,
                "a given scale is never second-guessed");
        assertTrue(AutoScale.keepsOne(0.9), "the same nuclei at both scales");
        assertTrue(AutoScale.keepsOne(AutoScale.AGREEMENT));
        assertFalse(AutoScale.keepsOne(0.5), "nuclei broken or lost at scale 1");
        AutoScale.Choice kept = near.checked(new AutoScale.Check(0.9, false, true));
        assertEquals(1, kept.factor());
        assertTrue(kept.kept());
        assertEquals("scale 1.00 (auto, nuclei 47 px, kept: the network finds the same nuclei at their own size,"
                + " agreement 0.90)", kept.describe());
        assertEquals("1.00 (auto, nuclei 47 px, kept: the network finds the same nuclei at their own size)", kept.value(),
                "the Info's value leaves out the agreement, so planes segmented alike read alike");
        assertFalse(AutoScale.atOne(kept, range, ANY) == AutoScale.AtOne.CHECK);
        AutoScale.Choice notKept = near.checked(new AutoScale.Check(0.3, true, false));
        assertEquals(near.factor(), notKept.factor());
        assertFalse(notKept.kept());
        assertEquals(String.format(java.util.Locale.ROOT, "scale %.4f (auto, nuclei 47 px, checked: the network finds"
                + " other nuclei at scale 1, agreement 0.30 on a band of 100 nuclei)", near.factor()), notKept.describe());
        assertEquals(String.format(java.util.Locale.ROOT, "%.4f (auto, nuclei 47 px, checked: the network finds other"
                + " nuclei at scale 1)", near.factor()), notKept.value());
        // A model that learned resized images never runs the check: it resizes a soft plane and a noisy one, and
        // keeps a sharp one at scale 1.
        TrainingSize across = new TrainingSize(24.6, 13.4, 28.7, true);
        AutoScale.Choice nearAcross = AutoScale.fromEstimate(new ObjectSize.Estimate(47, 30), across);
        assertEquals(near.factor(), nearAcross.factor(), 1e-12, "the same choice");
        SyntheticNuclei.Sample s = SyntheticNuclei.generate(320, 320, 40, 3);
        FloatPlane enlarged = Resample.bilinear(s.image(), 640, 640);
        assertEquals(AutoScale.AtOne.NO, AutoScale.atOne(nearAcross, across, enlarged), "enlarged twice: sharpness "
                + Sharpness.of(enlarged));
        double own = Sharpness.of(s.image());
        assertTrue(own >= Sharpness.SHARP && own < Sharpness.NOISY, "at its own sampling: sharpness " + own);
        assertEquals(AutoScale.AtOne.KEEP, AutoScale.atOne(nearAcross, across, s.image()));
        assertFalse(AutoScale.atOne(nearAcross, across, s.image()) == AutoScale.AtOne.CHECK, "kept without the network's passes");
        AutoScale.Choice sharpKept = nearAcross.checked(AutoScale.Check.SHARP);
        assertEquals(1, sharpKept.factor());
        assertTrue(sharpKept.kept());
        assertEquals("scale 1.00 (auto, nuclei 47 px, kept: sharp at its own sampling)", sharpKept.describe());
        FloatPlane noisyOwn = org.segmentcells.synth.TestImages.withNoise(s.image(), 0.05, 2);
        assertTrue(Sharpness.of(noisyOwn) >= Sharpness.NOISY, "read noise: sharpness " + Sharpness.of(noisyOwn));
        assertEquals(AutoScale.AtOne.NO, AutoScale.atOne(nearAcross, across, noisyOwn), "noisy: resized as measured");
        assertTrue(AutoScale.atOne(near, range, enlarged) == AutoScale.AtOne.CHECK, "a model of sharp frames checks either");
        assertTrue(AutoScale.atOne(near, range, s.image()) == AutoScale.AtOne.CHECK, "a model of sharp frames checks either");
        // A few hot pixels (a camera's) leave a soft plane soft.
        float[] hot = enlarged.data().clone();
        float max = 0;
        for (float v : hot) {
            max = Math.max(max, v);
        }
        for (int k = 0; k < 5; k++) {
            hot[(300 + 7 * k) * 640 + 310 + 11 * k] = 10 * max;
        }
        assertFalse(Sharpness.isSharp(new FloatPlane(640, 640, hot)), "hot pixels: " + Sharpness.of(new FloatPlane(640, 640, hot)));
        // A sharp plane over KEPT_PIXELS is resized as measured by a model that learned resized images.
        float[] tiled = new float[1280 * 1280];
        for (int y = 0; y < 1280; y++) {
            for (int x = 0; x < 1280; x++) {
                tiled[y * 1280 + x] = s.image().data()[(y % 320) * 320 + x % 320];
            }
        }
        FloatPlane wide = new FloatPlane(1280, 1280, tiled);
        double wideSharpness = Sharpness.of(wide);
        assertTrue(wideSharpness >= Sharpness.SHARP && wideSharpness < Sharpness.NOISY
                && (long) 1280 * 1280 > AutoScale.KEPT_PIXELS, "sharp at its own sampling: " + wideSharpness);
        assertEquals(AutoScale.AtOne.NO, AutoScale.atOne(nearAcross, across, wide));
        assertTrue(AutoScale.atOne(near, range, wide) == AutoScale.AtOne.CHECK, "a model of sharp frames checks it");
    }

    /**
     * A dim 8-bit frame enlarged and saved in whole numbers (as ImageJ's Size... does) is soft, not sharp: its
     * rounding noise is no detail at its own sampling, so its nuclei are resized rather than kept at scale 1.
     */
    @Test
    void aDimFrameEnlargedInWholeNumbersIsNotTakenForSharp() {
        TrainingSize across = new TrainingSize(24.6, 13.4, 28.7, true);
        SyntheticNuclei.Sample s = SyntheticNuclei.generate(320, 320, 40, 3);
        FloatPlane dim = greyLevels(s.image(), 60);
        double own = Sharpness.of(dim);
        assertTrue(own >= Sharpness.SHARP && own < Sharpness.NOISY, "at its own sampling, 60 grey levels: " + own);
        for (int times = 2; times <= 4; times++) {
            FloatPlane enlarged = greyLevels(Resample.bilinear(dim, 320 * times, 320 * times), 0);
            assertTrue(Sharpness.of(enlarged) < Sharpness.SHARP, "enlarged " + times + " times, in whole numbers: "
                    + Sharpness.of(enlarged));
            AutoScale.Choice measured = AutoScale.fromEstimate(new ObjectSize.Estimate(16 * times, 30), across);
            assertEquals(AutoScale.AtOne.NO, AutoScale.atOne(measured, across, enlarged), "resized, not kept at 1");
        }
    }

    /** {@code p} rounded to whole numbers, first stretched to {@code levels} grey levels when that is over 0. */
    private static FloatPlane greyLevels(FloatPlane p, int levels) {
        float max = 0;
        for (float v : p.data()) {
            max = Math.max(max, v);
        }
        float[] out = new float[p.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round(levels > 0 ? p.data()[i] * levels / max : p.data()[i]);
        }
        return new FloatPlane(p.width(), p.height(), out);
    }

    @Test
    void aSoftPlaneAboveTheRangeGoesAboveTheCentreByAModelThatLearnedResizedImages() {
        TrainingSize across = new TrainingSize(24.6, 13.4, 28.7, true);
        SyntheticNuclei.Sample s = SyntheticNuclei.generate(320, 320, 40, 3);
        FloatPlane enlarged = Resample.bilinear(s.image(), 960, 960);
        assertTrue(Sharpness.of(enlarged) < Sharpness.SHARP, "enlarged: sharpness " + Sharpness.of(enlarged));
        FloatPlane noisy = org.segmentcells.synth.TestImages.withNoise(s.image(), 0.05, 2);
        AutoScale.Choice measured = AutoScale.fromEstimate(new ObjectSize.Estimate(60, 30), across);
        assertEquals(across.centre() / 60, measured.factor(), 1e-12);
        AutoScale.Choice soft = AutoScale.forLook(measured, across, Sharpness.once(() -> java.util.List.of(enlarged)));
        double target = Math.sqrt(across.centre() * 24.6);
        assertEquals(target, AutoScale.softTarget(across), 1e-12);
        assertTrue(target > across.centre() && target < 24.6, "between the centre and the median: " + target);
        assertEquals(target / 60, soft.factor(), 1e-12, "soft: brought above the centre");
        assertEquals("scale 0.3661 (auto, nuclei 60 px, soft image)", soft.describe(), "says why not the centre");
        assertEquals("0.3661 (auto, nuclei 60 px, soft image, checked: the network finds other nuclei at scale 1)",
                soft.checked(new AutoScale.Check(0.5, false, false)).value(), "a check that keeps the factor keeps the reason");
        assertEquals("scale 0.3268 (auto, nuclei 60 px)", measured.describe());
        assertEquals(measured, AutoScale.forLook(measured, across, Sharpness.once(() -> java.util.List.of(s.image()))), "sharp: the centre");
        AutoScale.Choice grainy = AutoScale.forLook(measured, across, Sharpness.once(() -> java.util.List.of(noisy)));
        assertEquals(measured.factor(), grainy.factor(), 0, "noisy: the centre");
        assertEquals(AutoScale.Look.NOISY, grainy.look(), "noisy: smoothed more when shrunk");
        assertEquals("scale 0.3268 (auto, nuclei 60 px, noisy image smoothed)", grainy.describe());
        assertEquals(measured, AutoScale.forLook(measured, across, () -> Double.NaN), "no plane to look at");
        AutoScale.Choice far = AutoScale.fromEstimate(new ObjectSize.Estimate(400, 30), across);
        assertEquals(target / (5 * 24.6), AutoScale.forLook(far, across, () -> 0.01).factor(), 1e-12, "clamped first");
        assertEquals(far.note(), AutoScale.forLook(far, across, () -> 0.01).note(), "the clamp's warning stays");
        // Nothing else moves, and the plane is not looked at where nothing could move (no shrink).
        java.util.function.DoubleSupplier never = () -> {
            throw new AssertionError("looked at the plane");
        };
        TrainingSize sharpOnly = new TrainingSize(24.6, 13.4, 28.7);
        AutoScale.Choice bySharpOnly = AutoScale.fromEstimate(new ObjectSize.Estimate(60, 30), sharpOnly);
        assertEquals(bySharpOnly, AutoScale.forLook(bySharpOnly, sharpOnly, () -> 0.01), "a model of sharp frames keeps the centre");
        assertEquals(AutoScale.Look.NOISY, AutoScale.forLook(bySharpOnly, sharpOnly, () -> 0.4).look(), "and smooths a noisy plane");
        AutoScale.Choice inside = AutoScale.fromEstimate(new ObjectSize.Estimate(20, 30), across);
        assertEquals(inside, AutoScale.forLook(inside, across, never));
        AutoScale.Choice small = AutoScale.fromEstimate(new ObjectSize.Estimate(8, 30), across);
        assertEquals(small, AutoScale.forLook(small, across, never));
        AutoScale.Choice given = new AutoScale.Choice(0.5, AutoScale.Source.GIVEN, Double.NaN, null);
        assertEquals(given, AutoScale.forLook(given, across, () -> 0.01), "a given scale keeps its factor");
        assertEquals(given, AutoScale.forLook(given, across, () -> 0.19), "a plane short of noisy is not smoothed");
        AutoScale.Choice givenNoisy = AutoScale.forLook(given, across, () -> 0.2);
        assertEquals(0.5, givenNoisy.factor(), 0);
        assertEquals("scale 0.50 (given, noisy image smoothed)", givenNoisy.describe(), "whoever chose the shrink");
        // Training's choice reads the target only: no noisy mark, and a given scale needs no look at the frames.
        assertEquals(given, AutoScale.forTarget(given, across, never));
        assertEquals(measured, AutoScale.forTarget(measured, across, () -> 0.4), "noisy: no mark for training");
        assertEquals(soft, AutoScale.forTarget(measured, across, Sharpness.once(() -> java.util.List.of(enlarged))));
        AutoScale.Choice enlarging = new AutoScale.Choice(2, AutoScale.Source.GIVEN, Double.NaN, null);
        assertEquals(enlarging, AutoScale.forLook(enlarging, across, never), "enlarged: the grain the network learned");
        AutoScale.Choice one = new AutoScale.Choice(1, AutoScale.Source.MODEL, Double.NaN, null);
        assertEquals(one, AutoScale.forLook(one, across, never), "at its own size");
        AutoScale.Choice none = AutoScale.fromEstimate(ObjectSize.Estimate.NONE, across);
        assertEquals(none, AutoScale.forLook(none, across, never));
    }

    /**
     * A blank plane cannot tell soft from sharp, so it moves nothing; of several planes the median decides,
     * so one blank or out-of-focus plane of a stack does not decide for the others; and it is measured once.
     */
    @Test
    void theMedianOfPlanesThatCanTellDecidesOnce() {
        TrainingSize across = new TrainingSize(24.6, 13.4, 28.7, true);
        AutoScale.Choice measured = AutoScale.fromEstimate(new ObjectSize.Estimate(60, 30), across);
        FloatPlane blank = new FloatPlane(600, 600);
        java.util.Arrays.fill(blank.data(), 7f);
        assertTrue(Double.isNaN(Sharpness.of(blank)), "blank: " + Sharpness.of(blank));
        assertEquals(measured, AutoScale.forLook(measured, across, Sharpness.once(() -> java.util.List.of(blank))));
        SyntheticNuclei.Sample s = SyntheticNuclei.generate(320, 320, 40, 3);
        FloatPlane soft = Resample.bilinear(s.image(), 960, 960);
        FloatPlane sharp = s.image();
        double softOne = Sharpness.of(soft);
        assertTrue(softOne < Sharpness.SHARP && Sharpness.isSharp(sharp), softOne + " / " + Sharpness.of(sharp));
        int[] reads = {0};
        java.util.function.DoubleSupplier stack = Sharpness.once(() -> {
            reads[0]++;
            return java.util.List.of(sharp, blank, soft, soft);
        });
        assertEquals(softOne, stack.getAsDouble(), 1e-12, "the median of the three that can tell");
        assertEquals(AutoScale.softTarget(across) / 60, AutoScale.forLook(measured, across, stack).factor(), 1e-12);
        assertEquals(AutoScale.AtOne.NO, AutoScale.atOne(measured, across, 960 * 960, stack));
        assertEquals(1, reads[0], "measured once");
        java.util.function.DoubleSupplier mostlySharp = Sharpness.once(() -> java.util.List.of(soft, sharp, sharp));
        assertEquals(measured, AutoScale.forLook(measured, across, mostlySharp), "a soft first plane alone does not decide");
    }

    @Test
    void aGeneralistLeavesItsRangeAloneShrinksLargerNucleiToItsCentreAndEnlargesOnlyTinyOnesUnlessItLearnedResizedImages() {
        TrainingSize wide = new TrainingSize(20, 13, 29);
        assertEquals(Math.sqrt(13 * 29), wide.centre(), 1e-12);
        assertEquals(1, AutoScale.choose(null, Scale.AUTO, wide, () -> new ObjectSize.Estimate(14, 30)).factor());
        assertEquals(1, AutoScale.choose(null, Scale.AUTO, wide, () -> new ObjectSize.Estimate(28, 30)).factor());
        assertEquals(wide.centre() / 87, AutoScale.choose(null, Scale.AUTO, wide, () -> new ObjectSize.Estimate(87, 30)).factor(),
                1e-12);
        assertEquals(1, AutoScale.choose(null, Scale.AUTO, wide, () -> new ObjectSize.Estimate(7, 30)).factor(),
                "down to half the low end, small nuclei keep their size");
        assertEquals(13.0 / 6, AutoScale.choose(null, Scale.AUTO, wide, () -> new ObjectSize.Estimate(6, 30)).factor(), 1e-12,
                "smaller ones are enlarged to the low end");
        assertEquals(1, AutoScale.choose(null, Scale.AUTO, wide, () -> new ObjectSize.Estimate(6.5, 30)).factor(),
                "exactly half the low end is still kept");
        // One that learned resized images (blurred crops, as default) enlarges every nucleus below the low end.
        TrainingSize resized = new TrainingSize(20, 13, 29, true);
        assertEquals(13.0 / 7, AutoScale.choose(null, Scale.AUTO, resized, () -> new ObjectSize.Estimate(7, 30)).factor(), 1e-12,
                "a model that learned resized images enlarges small nuclei to its low end");
        assertEquals(1, AutoScale.choose(null, Scale.AUTO, resized, () -> new ObjectSize.Estimate(14, 30)).factor());
        AutoScale.Choice clamped = AutoScale.choose(null, Scale.AUTO, wide, () -> new ObjectSize.Estimate(300, 30));
        assertEquals(wide.centre() / 100, clamped.factor(), 1e-12, "clamped to five times the median, then to the centre");
        assertTrue(clamped.hasNote());
        assertTrue(AutoScale.choose(null, Scale.AUTO, wide, () -> new ObjectSize.Estimate(Double.NaN, 3)).nothing(),
                "a size that is not a number is nothing to go on");
        // A model of one size (one microscope's frames) enlarges any smaller nuclei to it.
        TrainingSize one = TrainingSize.point(25);
        assertEquals(25.0 / 20, AutoScale.choose(null, Scale.AUTO, one, () -> new ObjectSize.Estimate(20, 30)).factor(), 1e-12);
        TrainingSize narrow = new TrainingSize(24, 22, 26);
        assertTrue(narrow.oneSize());
        assertEquals(22.0 / 15, AutoScale.choose(null, Scale.AUTO, narrow, () -> new ObjectSize.Estimate(15, 30)).factor(), 1e-12);
        assertEquals(narrow.centre() / 50, AutoScale.choose(null, Scale.AUTO, narrow, () -> new ObjectSize.Estimate(50, 30)).factor(),
                1e-12);
    }

    @Test
    void nucleiInTheLowerRangeAreDoubledOnlyWhenTheirContoursAreSharp() {
        TrainingSize resized = new TrainingSize(24.5, 13.4, 28.7, true);
        AutoScale.Choice kept = AutoScale.choose(null, Scale.AUTO, resized, () -> new ObjectSize.Estimate(14, 30));
        assertEquals(1, kept.factor());
        assertTrue(AutoScale.enlargesSmall(kept, resized));
        assertEquals(2, AutoScale.enlargedIfSharp(kept, resized, 0.41).factor(), "the whole factor nearest 24.5 / 14");
        assertEquals(2, AutoScale.enlargedIfSharp(kept, resized, AutoScale.CONTOUR_SHARE).factor());
        assertEquals(kept, AutoScale.enlargedIfSharp(kept, resized, 0.22), "soft contours: kept");
        assertEquals(kept, AutoScale.enlargedIfSharp(kept, resized, Double.NaN), "no foreground: kept");
        assertEquals("scale 2.00 (auto, nuclei 14 px)", AutoScale.enlargedIfSharp(kept, resized, 0.41).describe());
        // Only the lower part of the range, only a model that learned resized images, only a factor auto chose.
        assertFalse(AutoScale.enlargesSmall(AutoScale.choose(null, Scale.AUTO, resized, () -> new ObjectSize.Estimate(16.4, 30)), resized),
                "nearer 1 than 2 times the median: kept");
        assertTrue(AutoScale.enlargesSmall(AutoScale.choose(null, Scale.AUTO, resized, () -> new ObjectSize.Estimate(16.3, 30)), resized));
        assertTrue(AutoScale.enlargesSmall(AutoScale.choose(null, Scale.AUTO, resized, () -> new ObjectSize.Estimate(13.4, 30)), resized));
        assertFalse(AutoScale.enlargesSmall(AutoScale.choose(null, Scale.AUTO, resized, () -> new ObjectSize.Estimate(10, 30)), resized),
                "below the low end: enlarged to it already");
        TrainingSize sharpOnly = new TrainingSize(24.5, 13.4, 28.7, false);
        assertFalse(AutoScale.enlargesSmall(AutoScale.choose(null, Scale.AUTO, sharpOnly, () -> new ObjectSize.Estimate(14, 30)), sharpOnly));
        assertFalse(AutoScale.enlargesSmall(AutoScale.choose(Scale.ONE, Scale.AUTO, resized, NEVER), resized));
        assertTrue(AutoScale.enlargesSmall(AutoScale.forDiameter(14, resized), resized), "a given diameter as a measured one");
        assertFalse(AutoScale.enlargesSmall(AutoScale.choose(null, Scale.AUTO, resized, () -> new ObjectSize.Estimate(Double.NaN, 0)), resized));
        // The share: mean contour probability where the most likely class is not background.
        FloatPlane bg = new FloatPlane(4, 1, new float[] {0.9f, 0.1f, 0.2f, 0.3f});
        FloatPlane nu = new FloatPlane(4, 1, new float[] {0.05f, 0.8f, 0.2f, 0.6f});
        FloatPlane co = new FloatPlane(4, 1, new float[] {0.05f, 0.1f, 0.6f, 0.1f});
        assertEquals((0.1 + 0.6 + 0.1) / 3, AutoScale.contourShare(bg, nu, co), 1e-6);
        assertTrue(Double.isNaN(AutoScale.contourShare(bg, new FloatPlane(4, 1), new FloatPlane(4, 1))));
    }

    @Test
    void trainingSizeIsTheMedianAndTheQuartilesOfTheFramesMedians() {
        java.util.List<org.segmentcells.img.LabelPlane> frames = new java.util.ArrayList<>();
        for (int r : new int[] {3, 5, 7, 9, 11}) {
            int[] l = new int[64 * 64];
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    if ((x - 32) * (x - 32) + (y - 32) * (y - 32) <= r * r) {
                        l[y * 64 + x] = 1;
                    }
                }
            }
            frames.add(new org.segmentcells.img.LabelPlane(64, 64, l));
        }
        TrainingSize t = TrainingSize.of(frames);
        double[] d = frames.stream().mapToDouble(f -> ObjectSize.medianDiameter(java.util.List.of(f))).toArray();
        assertEquals(d[2], t.median(), 1e-9);
        assertEquals(d[1], t.low(), 1e-9);
        assertEquals(d[3], t.high(), 1e-9);
        assertFalse(TrainingSize.of(java.util.List.of(new org.segmentcells.img.LabelPlane(8, 8))).known());
    }

    @Test
    void estimatesOutsideTheRangeAreClampedWithANote() {
        AutoScale.Choice big = AutoScale.choose(null, Scale.AUTO, TrainingSize.point(25), () -> new ObjectSize.Estimate(400, 3));
        assertEquals(1 / AutoScale.MAX_RATIO, big.factor(), 1e-12);
        assertTrue(big.note().contains("400.0 px") && big.note().contains("125 px is used"), big.note());
        assertEquals("scale 0.20 (auto, nuclei 400 px, beyond the range: clamped)", big.describe(), "the line and the Info say so");
        AutoScale.Choice small = AutoScale.choose(null, Scale.AUTO, TrainingSize.point(25), () -> new ObjectSize.Estimate(3, 50));
        assertEquals(1 / AutoScale.MIN_RATIO, small.factor(), 1e-12);
        assertTrue(small.hasNote());
    }

    @Test
    void nothingToMeasureMeansEmptyLabelsAndNoTrainingSizeScaleOneWithANote() {
        AutoScale.Choice none = AutoScale.choose(null, Scale.AUTO, TrainingSize.point(25), () -> ObjectSize.Estimate.NONE);
        assertTrue(none.nothing());
        assertEquals("no nuclei (auto)", none.describe());
        assertTrue(none.note().startsWith("no nuclei found"), none.note());
        AutoScale.Choice old = AutoScale.choose(null, Scale.AUTO, TrainingSize.UNKNOWN, NEVER);
        assertEquals(1, old.factor());
        assertTrue(old.note().contains("objectDiameter"), old.note());
    }

    @Test
    void scalesParseAsAutoOrANumberInRange() {
        assertTrue(Scale.parse("auto").isAuto());
        assertTrue(Scale.parse(" AUTO ").isAuto());
        assertEquals(0.35, Scale.parse("0.35").factor());
        assertEquals("0.35", Scale.parse("0.35").toString());
        assertEquals("auto", Scale.AUTO.toString());
        for (String bad : new String[] {"0", "-1", "abc", "", "NaN", "5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scale.parse(bad), bad);
            assertTrue(org.segmentcells.setting.Setting.spell(e, org.segmentcells.setting.Setting.PLAIN)
                    .startsWith("scale must be auto or a number from 0.1 to 4"), e.getMessage());
        }
    }

    @Test
    void whenTheThresholdSeesFewNucleiTheModelMeasuresTheOnesItFinds() throws Exception {
        // Nuclei of very unequal brightness: the thresholds (also with the brightest 1% clipped) keep only
        // the few brightest.
        org.segmentcells.img.FloatPlane im = org.segmentcells.io.ImageFiles.readPlane(
                java.nio.file.Path.of("test-images/images/synth-00.tif"));
        org.segmentcells.img.LabelPlane gt = org.segmentcells.io.ImageFiles.readLabels(
                java.nio.file.Path.of("test-images/labels/synth-00.tif"));
        java.util.Random r = new java.util.Random(4);
        double[] gain = new double[gt.maxLabel() + 1];
        for (int i = 1; i < gain.length; i++) {
            gain[i] = Math.exp(1.5 * r.nextGaussian());
        }
        float bg = Float.MAX_VALUE;
        for (float v : im.data()) {
            bg = Math.min(bg, v);
        }
        float[] d = im.data().clone();
        for (int i = 0; i < d.length; i++) {
            int l = gt.data()[i];
            if (l > 0) {
                d[i] = (float) (bg + (d[i] - bg) * gain[l]);
            }
        }
        java.util.List<org.segmentcells.img.FloatPlane> planes = java.util.List.of(
                new org.segmentcells.img.FloatPlane(im.width(), im.height(), d));
        ObjectSize.Estimate classic = ObjectSize.of(planes);
        assertTrue(classic.objects() < ObjectSize.MIN_OBJECTS, classic.toString());
        double truth = ObjectSize.medianDiameter(java.util.List.of(gt));
        try (org.segmentcells.model.Model m = org.segmentcells.model.Model.load(
                org.segmentcells.model.ModelStore.resolve("default"))) {
            ObjectSize.Estimate e = m.measure(planes);
            assertTrue(e.objects() > 2 * classic.objects(), e + " against " + classic);
            assertEquals(truth, e.diameter(), 0.2 * truth, e.toString());
            // The same nuclei 5 times larger on a 1280x1280 plane: measured on a copy shrunk to 640x640.
            int big = im.width() * 5;
            org.segmentcells.img.FloatPlane large = org.segmentcells.img.Resample.bilinear(planes.get(0), big, big);
            assertTrue((long) big * big > ObjectSize.MAX_PIXELS);
            assertTrue(ObjectSize.of(large).objects() < ObjectSize.MIN_OBJECTS);
            ObjectSize.Estimate eLarge = m.measure(java.util.List.of(large));
            assertEquals(5 * truth, eLarge.diameter(), 0.2 * 5 * truth, eLarge.toString());
            // A constant image: neither finds anything, so labels stay empty.
            java.util.List<org.segmentcells.img.FloatPlane> flat = java.util.List.of(
                    new org.segmentcells.img.FloatPlane(200, 200, new float[200 * 200]));
            assertFalse(m.measure(flat).found());
            assertTrue(m.plan(org.segmentcells.model.SegmentSettings.MODEL.withScale(Scale.AUTO), flat.get(0)).scale()
                    .nothing());
        }
    }

    @Test
    void theCheckBandHoldsTheMiddleNucleiWithContextAndOnlyOnPlanesOfManyNuclei() {
        // Nuclei of 3x3 px on a grid: 20 per row, rows of them every 10 px.
        int rows = AutoScale.BAND_PLANES * AutoScale.BAND_NUCLEI / 20;
        org.segmentcells.img.LabelPlane many = grid(20, rows);
        // Diameter 2: the band reaches one pixel beyond the outer centres, exactly the outer nuclei's edge rows.
        AutoScale.Band b = AutoScale.checkBand(many, 2);
        assertTrue(b != null, "a plane of " + 20 * rows + " nuclei is checked on a band first");
        // The middle 100 nuclei are the middle 5 rows of nuclei, whose centres lie 10 px apart.
        org.segmentcells.img.LabelPlane band = many.rows(b.y0(), b.y1());
        long whole = java.util.Arrays.stream(band.data()).filter(v -> v > 0).distinct()
                .filter(id -> java.util.Arrays.stream(band.data()).filter(v -> v == id).count() == 9).count();
        // Rows 7-12 of nuclei: the middle 100 (half of row 7, rows 8-11, half of row 12) lie whole in it,
        // from the first row of row 7's nuclei (75) to the last of row 12's (127), and no row more.
        assertEquals(AutoScale.BAND_NUCLEI + 20, whole, "band rows " + b.y0() + "-" + b.y1());
        assertEquals(75, b.y0());
        assertEquals(128, b.y1());
        assertEquals(b.y0() - 4, b.from(), "context of twice the diameter above");
        assertEquals(b.y1() + 4, b.to(), "and below");
        int middle = many.height() / 2;
        assertTrue(b.y0() < middle && middle < b.y1(), "around the middle nucleus");
        // Fewer nuclei: the whole plane is checked at once.
        assertNull(AutoScale.checkBand(grid(20, rows - 1), 2));
        // Context stops at the plane's edges.
        AutoScale.Band wide = AutoScale.checkBand(many, 1000);
        assertEquals(0, wide.from());
        assertEquals(many.height(), wide.to());
        // Only a clear disagreement ends the check there.
        assertTrue(AutoScale.stopsAtBand(AutoScale.AGREEMENT - 0.2));
        assertFalse(AutoScale.stopsAtBand(AutoScale.AGREEMENT - 0.1));
        assertFalse(AutoScale.stopsAtBand(1));
    }

    /** {@code perRow × rows} nuclei of 3×3 px, 10 px apart. */
    private static org.segmentcells.img.LabelPlane grid(int perRow, int rows) {
        org.segmentcells.img.LabelPlane l = new org.segmentcells.img.LabelPlane(perRow * 10, rows * 10 + 10);
        int id = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < perRow; c++) {
                id++;
                for (int dy = 0; dy < 3; dy++) {
                    for (int dx = 0; dx < 3; dx++) {
                        l.data()[(5 + r * 10 + dy) * l.width() + c * 10 + 3 + dx] = id;
                    }
                }
            }
        }
        return l;
    }

    /** A diameter the user gives is mapped as a measurement of that size would be; it needs a training size. */
    @Test
    void aGivenDiameterIsMappedAsAMeasuredOneWouldBe() {
        TrainingSize range = new TrainingSize(24.6, 13.4, 28.7, true);
        AutoScale.Choice given = AutoScale.forDiameter(72, range);
        AutoScale.Choice measured = AutoScale.fromEstimate(new ObjectSize.Estimate(72, 30), range);
        assertEquals(measured.factor(), given.factor(), 1e-12);
        assertEquals(AutoScale.Source.DIAMETER, given.source());
        assertEquals(String.format(java.util.Locale.ROOT, "scale %.4f (nuclei 72 px, given)", given.factor()),
                given.describe());
        AutoScale.Choice near = AutoScale.forDiameter(40, range);
        assertEquals(AutoScale.atOne(AutoScale.fromEstimate(new ObjectSize.Estimate(40, 30), range), range, ANY),
                AutoScale.atOne(near, range, ANY), "how the plane looks counts as for auto");
        assertEquals(AutoScale.forLook(measured, range, () -> 0.01).factor(), AutoScale.forLook(given, range, () -> 0.01)
                .factor(), 1e-12, "a soft plane's target too");
        assertTrue(AutoScale.forDiameter(1000, range).note().contains("given as 1000.0 px"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AutoScale.forDiameter(72, TrainingSize.UNKNOWN));
        assertTrue(e.getMessage().contains(org.segmentcells.setting.Setting.DIAMETER.mention()), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> org.segmentcells.model.SegmentSettings.MODEL.withScale(Scale.ONE).withDiameter(40.0));
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
    }
}
