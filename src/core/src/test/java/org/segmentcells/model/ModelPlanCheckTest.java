package org.segmentcells.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.eval.Evaluator;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.scale.AutoScale;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.synth.TestImages;
import org.segmentcells.progress.Progress;

/**
 * The network's check of an automatic shrink near the training range: it decides between scale 1 and the
 * measured scale by whether both find the same nuclei, says which, and the plane it checked on is not
 * segmented again.
 */
class ModelPlanCheckTest {

    @Test
    void nearTheRangeScaleOneWinsWhenItFindsTheSameNucleiAndThePassIsReused(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("big.tif");
        TestImages.largeNuclei(file, 1.8); // synthetic nuclei 1.8 times their size: near the range's high end
        FloatPlane img = ImageFiles.readPlane(file);
        try (Model m = Model.load(TestModels.sharpDefault(tmp.resolve("sharp")))) {
            SegmentSettings auto = SegmentSettings.MODEL.withScale(Scale.AUTO);
            // The measured plan as auto makes it: its minimum size is the model's divided by the factor squared.
            Model.Plan measuredPlan = checkedPlan(m, img);
            AutoScale.Choice measured = measuredPlan.scale();

            Model.Plan plan = m.plan(auto, img);
            assertSame(img, plan.checked());
            assertSame(plan.checkedProbabilities(), plan.probabilities(img, Progress.NONE), "no third pass on that plane");
            Segmenter.Probabilities atOne = m.plan(SegmentSettings.MODEL.withScale(Scale.ONE), img).probabilities(img, Progress.NONE);
            Segmenter.Probabilities atMeasured = measuredPlan.probabilities(img, Progress.NONE);
            Model.Plan onePlan = m.plan(SegmentSettings.MODEL.withScale(Scale.ONE), img);
            double agreement = Evaluator.scoreFrame(measuredPlan.instances().label(atMeasured, img),
                    onePlan.instances().label(atOne, img), 0).f();
            boolean oneWins = AutoScale.keepsOne(agreement);
            assertEquals(oneWins ? 1.0 : measured.factor(), plan.segmenter().scale(), 1e-12);
            assertEquals(oneWins, plan.scale().kept());
            assertArrayEquals((oneWins ? atOne : atMeasured).nucleus().data(), plan.checkedProbabilities().nucleus().data(),
                    1e-6f);
            // The check's labels are reused for that plane, and are what labelling its probabilities gives.
            assertSame(plan.checkedLabels(), plan.segment(img), "no second labelling of that plane");
            assertArrayEquals(plan.instances().label(plan.checkedProbabilities(), img).data(), plan.checkedLabels().data());
            // Another plane object (a second image) is segmented normally, at the chosen scale.
            FloatPlane copy = new FloatPlane(img.width(), img.height(), img.data().clone());
            assertArrayEquals(plan.checkedProbabilities().nucleus().data(), plan.probabilities(copy, Progress.NONE).nucleus().data(),
                    1e-6f);
            assertNotSame(plan.checkedLabels(), plan.segment(copy));
            assertArrayEquals(plan.checkedLabels().data(), plan.segment(copy).data());
        }
    }

    /**
     * The check runs the network over the whole plane, twice (on a 64 MP plane, minutes): a cancel is heard
     * between its tiles, and the network never starts a tile after it.
     */
    @Test
    void aCancelStopsTheNetworksCheck(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("big.tif");
        TestImages.largeNuclei(file, 1.8);
        FloatPlane img = ImageFiles.readPlane(file);
        try (Model m = Model.load(TestModels.sharpDefault(tmp.resolve("sharp")))) {
            long before = m.networkPixels();
            Progress esc = new Progress() {
                @Override
                public boolean cancelRequested() {
                    return true;
                }
            };
            org.junit.jupiter.api.Assertions.assertThrows(org.segmentcells.progress.Cancelled.class,
                    () -> m.plan(SegmentSettings.MODEL.withScale(Scale.AUTO), List.of(img), esc));
            assertEquals(before, m.networkPixels(), "no tile after the cancel");
            assertTrue(m.plan(SegmentSettings.MODEL.withScale(Scale.AUTO), img).checked() == img,
                    "without a cancel this plane is checked");
        }
    }

    @Test
    void onAPlaneOfManyNucleiAClearDisagreementOnABandEndsTheCheckAtTheMeasuredScale(@TempDir Path tmp) throws Exception {
        FloatPlane img = dimBlurredCrowd();
        try (Model m = Model.load(TestModels.sharpDefault(tmp.resolve("sharp")))) {
            SegmentSettings auto = SegmentSettings.MODEL.withScale(Scale.AUTO);
            Model.Plan measuredPlan = checkedPlan(m, img);
            AutoScale.Choice measured = measuredPlan.scale();
            Segmenter.Probabilities atMeasured = measuredPlan.probabilities(img, Progress.NONE);
            org.segmentcells.img.LabelPlane labelsAtMeasured = measuredPlan.instances().label(atMeasured, img);
            AutoScale.Band band = AutoScale.checkBand(labelsAtMeasured, measured.diameter());
            assertTrue(band != null, labelsAtMeasured.countObjects() + " nuclei: checked on a band first");

            Model.Plan onePlan = m.plan(SegmentSettings.MODEL.withScale(Scale.ONE), img);
            FloatPlane rows = img.rows(band.from(), band.to());
            FloatPlane normRows = m.normalization().apply(img).rows(band.from(), band.to());
            org.segmentcells.img.LabelPlane bandAtOne = onePlan.instances()
                    .label(onePlan.segmenter().probabilitiesOfNormalised(normRows, Progress.NONE), rows)
                    .rows(band.y0() - band.from(), band.y1() - band.from());
            double onBand = Evaluator.scoreFrame(labelsAtMeasured.rows(band.y0(), band.y1()), bandAtOne, 0).f();
            double whole = Evaluator.scoreFrame(labelsAtMeasured, onePlan.segment(img), 0).f();
            assertTrue(AutoScale.stopsAtBand(onBand), "band agreement " + onBand);
            assertFalse(AutoScale.keepsOne(whole), "the whole plane decides the same: " + whole);

            long before = m.networkPixels();
            Model.Plan plan = m.plan(auto, img);
            long used = m.networkPixels() - before;
            // The network saw the plane at the measured scale and the band at scale 1, not the plane at scale 1.
            assertEquals(measuredPlan.segmenter().pixelsThroughNetwork(img.width(), img.height())
                    + onePlan.segmenter().pixelsThroughNetwork(img.width(), band.to() - band.from()), used);
            assertTrue(used < onePlan.segmenter().pixelsThroughNetwork(img.width(), img.height()), used + " px");
            assertEquals(measured.factor(), plan.segmenter().scale(), 1e-12);
            assertEquals(new AutoScale.Check(onBand, true, false), plan.scale().check());
            assertTrue(plan.scale().describe().contains("agreement " + String.format(java.util.Locale.ROOT, "%.2f", onBand)
                    + " on a band of 100 nuclei"), plan.scale().describe());
            assertSame(img, plan.checked());
            assertArrayEquals(atMeasured.nucleus().data(), plan.checkedProbabilities().nucleus().data(), 1e-6f);
            assertArrayEquals(labelsAtMeasured.data(), plan.segment(img).data());
        }
    }

    /**
     * Default learned resized images and never runs the check: enlarged nuclei (soft) are resized above its
     * range's centre, measured as a copy taken as trained on sharp frames measures them (that copy checks, and
     * shrinks to the range's centre); the same nuclei with faint grain at the pixel scale are sharp, and stay at
     * scale 1; with strong noise they are brought to the range's centre.
     */
    @Test
    void theShippedDefaultKeepsASharpPlaneAtScaleOneAndResizesSoftAndNoisyOnesWithoutTheCheck(@TempDir Path tmp)
            throws Exception {
        Path file = tmp.resolve("big.tif");
        TestImages.largeNuclei(file, 1.8);
        FloatPlane img = ImageFiles.readPlane(file);
        FloatPlane noisy = TestImages.withNoise(img, 0.05, 2);
        FloatPlane grainy = TestImages.withNoise(img, 0.004, 3);
        double grainySharpness = org.segmentcells.scale.Sharpness.of(grainy);
        assertTrue(org.segmentcells.scale.Sharpness.of(noisy) >= org.segmentcells.scale.Sharpness.NOISY
                && !org.segmentcells.scale.Sharpness.isSharp(img), org.segmentcells.scale.Sharpness.of(noisy) + " / "
                + org.segmentcells.scale.Sharpness.of(img));
        assertTrue(grainySharpness >= org.segmentcells.scale.Sharpness.SHARP
                && grainySharpness < org.segmentcells.scale.Sharpness.NOISY, "faint grain: " + grainySharpness);
        try (Model m = Model.load(ModelStore.resolve("default"));
                Model own = Model.load(TestModels.sharpDefault(tmp.resolve("sharp")))) {
            assertTrue(m.info().trainingSize().learnedResized(), "default's crops were blurred: " + m.info().training.blur);
            Model.Plan plan = m.plan(SegmentSettings.MODEL.withScale(Scale.AUTO), img);
            assertEquals(null, plan.checked(), "no pass at scale 1");
            assertEquals(null, plan.scale().check());
            // The same network taken as trained on sharp frames checks this image, measured alike; default brings
            // the soft plane's nuclei above its range's centre (AutoScale.forLook), and the noisy plane's to its range's centre.
            Model.Plan measured = checkedPlan(own, img);
            org.segmentcells.scale.TrainingSize size = m.info().trainingSize();
            assertEquals(size.centre() / measured.scale().diameter(), measured.scale().factor(), 1e-12);
            assertEquals(AutoScale.softTarget(size) / measured.scale().diameter(), plan.segmenter().scale(), 1e-12, plan.scale().describe());
            assertTrue(plan.segmenter().scale() < 1, plan.scale().describe());
            Model.Plan resized = m.plan(SegmentSettings.MODEL.withScale(Scale.AUTO), noisy);
            assertEquals(null, resized.checked(), "no pass at scale 1: " + resized.scale().describe());
            assertEquals(null, resized.scale().check());
            assertEquals(size.centre() / resized.scale().diameter(), resized.segmenter().scale(), 1e-12, resized.scale().describe());
            Model.Plan kept = m.plan(SegmentSettings.MODEL.withScale(Scale.AUTO), grainy);
            assertEquals(null, kept.checked(), "no pass before segmenting: " + kept.scale().describe());
            assertEquals(1, kept.segmenter().scale());
            assertSame(org.segmentcells.scale.AutoScale.Check.SHARP, kept.scale().check());
            assertEquals(m.info().minSize, kept.instances().minSize(), "the instance settings of scale 1");
            // Planes of one acquisition: the median sharpness decides, not the first plane alone.
            Model.Plan mostlyGrainy = m.plan(SegmentSettings.MODEL.withScale(Scale.AUTO), List.of(img, grainy, grainy));
            assertEquals(1, mostlyGrainy.segmenter().scale(), mostlyGrainy.scale().describe());
            Model.Plan mostlySoft = m.plan(SegmentSettings.MODEL.withScale(Scale.AUTO), List.of(grainy, img, img));
            assertEquals(AutoScale.softTarget(size) / mostlySoft.scale().diameter(), mostlySoft.segmenter().scale(), 1e-12,
                    mostlySoft.scale().describe());
        }
    }

    /** The plan at the measured scale, before the check, asserting that the check runs on this image. */
    private static Model.Plan checkedPlan(Model m, FloatPlane img) {
        // With the plane's look, as plan(settings, image) reads it: a noisy plane is shrunk smoothed more.
        Model.Plan measured = m.plan(SegmentSettings.MODEL.withScale(Scale.AUTO), () -> m.measure(List.of(img)),
                org.segmentcells.scale.Sharpness.once(() -> List.of(img)));
        assertTrue(AutoScale.atOne(measured.scale(), m.info().trainingSize(), img) == AutoScale.AtOne.CHECK, "checked: " + measured.scale().describe());
        return measured;
    }

    /**
     * 450 synthetic nuclei twice the default's training size, blurred (sigma 8 px), dimmed to a tenth over
     * an offset, with read noise: as a dim, soft high-magnification field, where the network finds other
     * nuclei at scale 1 than shrunk (agreement about 0.15).
     */
    private static FloatPlane dimBlurredCrowd() {
        org.segmentcells.synth.SyntheticNuclei.Sample s = org.segmentcells.synth.SyntheticNuclei.generate(640, 640, 450, 11);
        double f = 2.0 * 24.6 / org.segmentcells.scale.ObjectSize.medianDiameter(List.of(s.labels()));
        int w = org.segmentcells.img.Resample.scaledSize(640, f);
        FloatPlane big = org.segmentcells.img.Resample.bilinear(s.image(), w, w);
        FloatPlane soft = org.segmentcells.img.Resample.gaussian(big, 8, 8);
        java.util.Random noise = new java.util.Random(1);
        for (int i = 0; i < soft.size(); i++) {
            soft.data()[i] = (float) (soft.data()[i] * 0.1 + 100 + 6 * noise.nextGaussian());
        }
        return soft;
    }

    /**
     * Nuclei in the lower part of the range (here about 15 px against default's median of 24.5) are doubled
     * when the network at scale 1 draws them with sharp contours, as on a frame taken at a lower
     * magnification; the same frame softened (as by optics that blur beyond a pixel) stays at scale 1. A
     * given scale is never reviewed.
     */
    @Test
    void smallSharpNucleiAreDoubledAndSoftOnesStayAtScaleOne() throws Exception {
        org.segmentcells.synth.SyntheticNuclei.Sample s = org.segmentcells.synth.SyntheticNuclei.generate(640, 640, 300, 5);
        double f = 15.0 / org.segmentcells.scale.ObjectSize.medianDiameter(List.of(s.labels()));
        int w = org.segmentcells.img.Resample.scaledSize(640, f);
        FloatPlane small = org.segmentcells.img.Resample.bilinear(s.image(), w, w);
        FloatPlane soft = org.segmentcells.img.Resample.gaussian(small, 3, 3);
        try (Model m = Model.load(ModelStore.resolve("default"))) {
            double median = m.info().trainingSize().median();
            assertTrue(15 < AutoScale.ENLARGE_BELOW * median && 15 > m.info().trainingSize().low());
            AutoScale.Choice sharp = m.plan(SegmentSettings.MODEL, small).scale();
            assertEquals(2, sharp.factor(), "sharp: doubled, " + sharp.describe());
            assertTrue(sharp.diameter() > 12 && sharp.diameter() < 16.3, sharp.describe());
            assertEquals(Math.round(30 / (sharp.factor() * sharp.factor())), m.plan(SegmentSettings.MODEL, small).instances().minSize(),
                    "the minimum size follows the factor");
            assertEquals(1, m.plan(SegmentSettings.MODEL, soft).scale().factor(), "soft: kept, "
                    + m.plan(SegmentSettings.MODEL, soft).scale().describe());
            assertEquals(1, m.plan(SegmentSettings.MODEL.withScale(Scale.ONE), small).scale().factor(), "a given scale stays");
            // A stack is decided on its first plane, as the measuring is.
            AutoScale.Choice stack = m.plan(SegmentSettings.MODEL, List.of(small, soft)).scale();
            assertEquals(2, stack.factor(), "measured on both, enlarged for the first");
            assertEquals(1, m.plan(SegmentSettings.MODEL, List.of(soft, small)).scale().factor());
        }
    }

    /**
     * A calibrated model stores its minimum size in pixels of its images at its fixed scale; auto, a diameter or
     * a scale that overrides the scale counts it at the training size, as for a model whose scale is auto.
     */
    @Test
    void aCalibratedModelsMinimumSizeFollowsAScaleThatOverridesIt(@TempDir Path tmp) throws Exception {
        Path calibrated = TestModels.copy(ModelStore.resolve("default"), tmp.resolve("calibrated"));
        String json = java.nio.file.Files.readString(calibrated.resolve("model.json"));
        java.nio.file.Files.writeString(calibrated.resolve("model.json"), json.replace("\"scale\": \"auto\"", "\"scale\": 0.5")
                .replace("\"minSize\": 30", "\"minSize\": 120"));
        try (Model m = Model.load(calibrated); Model auto = Model.load(ModelStore.resolve("default"))) {
            assertEquals(120, m.plan(SegmentSettings.MODEL, () -> null).instances().minSize(), "its own scale");
            Model.Plan given = m.plan(SegmentSettings.MODEL.withDiameter(49.0), () -> null);
            double f = given.scale().factor();
            assertEquals(Math.round(120 * 0.25 / (f * f)), given.instances().minSize(), "30 px at the training size");
            assertEquals(auto.plan(SegmentSettings.MODEL.withDiameter(49.0), () -> null).instances().minSize(),
                    given.instances().minSize(), "as for the same model with scale auto");
            // A scale typed in (say the one auto's line named) segments as auto did: same factor, same size.
            Model.Plan typed = auto.plan(SegmentSettings.MODEL.withScale(Scale.of(f)), () -> null);
            assertEquals(given.instances().minSize(), typed.instances().minSize(), "a given scale as auto");
            assertEquals(Math.round(120 * 0.25 / (0.25 * 0.25)),
                    m.plan(SegmentSettings.MODEL.withScale(Scale.of(0.25)), () -> null).instances().minSize(),
                    "another scale given to the calibrated model");
            assertEquals(7, m.plan(SegmentSettings.MODEL.withScale(Scale.of(0.25)).withMinSize(7), () -> null)
                    .instances().minSize(), "a given minimum size is the image's pixels");
        }
        // Kept or fine-tuned at scale auto (the fine-tune check's choice, train --scale auto), it stores that size.
        ModelInfo info = ModelFolder.readInfo(calibrated);
        info.toAutoScale();
        assertEquals(Scale.AUTO, info.scale);
        assertEquals(30, info.minSize);
        info.toAutoScale();
        assertEquals(30, info.minSize, "once only");
    }

    /**
     * Small sharp nuclei (here 14 px: synthetic ones shrunk, sharp) are doubled by what the network draws on a
     * band of them: also behind a blank first plane of a time-lapse, and where the frame's central rows hold
     * none (the band was the first plane's centre, and both kept scale 1 unsaid; found by a tester).
     */
    @Test
    void smallSharpNucleiAreJudgedOnABandThatHoldsThem() throws Exception {
        FloatPlane p = org.segmentcells.synth.SyntheticNuclei.generate(400, 400, 60, 7, 0.65).image();
        FloatPlane blank = new FloatPlane(p.width(), p.height(), new float[p.width() * p.height()]);
        FloatPlane emptyMiddle = new FloatPlane(p.width(), p.height(), p.data().clone());
        for (int y = 120; y < 280; y++) {
            java.util.Arrays.fill(emptyMiddle.data(), y * p.width(), (y + 1) * p.width(), p.data()[0]);
        }
        try (Model m = Model.load(ModelStore.resolve("default"))) {
            assertEquals("scale 2.00 (auto, nuclei 14 px)", m.plan(SegmentSettings.MODEL, p).scale().describe());
            assertEquals(2, m.plan(SegmentSettings.MODEL, List.of(blank, p)).scale().factor(), "behind a blank plane");
            assertEquals(2, m.plan(SegmentSettings.MODEL, emptyMiddle).scale().factor(), "no nuclei in the centre");
        }
    }

    /** The band: the first plane's centre where it holds nuclei, else the brightest band of any plane. */
    @Test
    void theShareBandIsTheCentreUnlessItIsDark() {
        int[] even = new int[400];
        java.util.Arrays.fill(even, 10);
        assertEquals(new AutoScale.ShareBand(0, 136, 264), AutoScale.shareBand(List.of(even)));
        int[] edges = even.clone();
        java.util.Arrays.fill(edges, 100, 300, 0);
        assertEquals(new AutoScale.ShareBand(0, 0, 128), AutoScale.shareBand(List.of(edges)), "the top rows");
        assertEquals(new AutoScale.ShareBand(1, 136, 264), AutoScale.shareBand(List.of(new int[400], even)), "plane 2");
        int[] dimmer = even.clone();
        java.util.Arrays.fill(dimmer, 136, 264, 6);
        assertEquals(new AutoScale.ShareBand(0, 136, 264), AutoScale.shareBand(List.of(dimmer)),
                "a centre with over half the best band's nuclei stays");
        assertEquals(new AutoScale.ShareBand(0, 0, 50), AutoScale.shareBand(List.of(new int[50])), "a plane under 128 rows");
    }
}
