package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.eval.Evaluator;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.synth.TestImages;

class FineTuneCheckTest {

    /**
     * The held-out strip of an annotated frame keeps the frame as its source, and the start is scored on it
     * at the scale auto chooses for the whole frame (a strip holds too few whole nuclei to measure).
     */
    @Test
    void aHeldOutStripIsScoredAtTheScaleMeasuredOnItsWholeFrame(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("big.tif");
        LabelPlane labels = TestImages.largeNuclei(file, 3);
        FloatPlane img = ImageFiles.readPlane(file);
        Trainer.ValidationFrame whole = new Trainer.ValidationFrame("big", img, labels);
        assertSame(img, whole.source());
        int h = img.height();
        Trainer.ValidationFrame strip = whole.rows(FineTuneStart.cut(h), h);
        assertSame(img, strip.source(), "the strip remembers its frame");
        assertEquals(h - FineTuneStart.cut(h), strip.image().height());
        Trainer.ValidationFrame scaled = whole.scaled(0.5);
        assertSame(scaled.image(), scaled.source(), "a resized frame is its own source");
        Trainer.ValidationFrame scaledStrip = strip.scaled(0.5);
        assertEquals(scaled.source().width(), scaledStrip.source().width(), "a resized strip's frame is resized alike");
        assertEquals(scaled.source().height(), scaledStrip.source().height());

        Path folder = ModelStore.resolve("default");
        double expected;
        try (Model m = Model.load(folder)) {
            Model.Plan onWhole = m.plan(SegmentSettings.MODEL, img);
            double onStrip = m.plan(SegmentSettings.MODEL, strip.image()).scale().factor();
            assertNotEquals(onWhole.scale().factor(), onStrip, 1e-6, "the strip alone would be measured otherwise");
            expected = Evaluator.scoreFrame(strip.labels(), onWhole.segment(img).rows(FineTuneStart.cut(h), h), 0).f();
        }
        assertEquals(expected, FineTuneCheck.scoreStart(folder, List.of(strip)).score().value(), 1e-9);
        assertEquals(expected, FineTuneCheck.score(folder, List.of(strip)).value(), 1e-9);
    }

    /**
     * A nucleus the strip's edge cuts is scored as segmenting the whole frame outlines it: segmented on its own,
     * the strip held only a sliver of it, which the model's minimum size dropped, so the start lost a nucleus
     * the user would get, and settings without a minimum size won the check.
     */
    @Test
    void aNucleusCutByTheStripsEdgeCountsAsTheWholeFrameFindsIt() throws Exception {
        FloatPlane img = ImageFiles.readPlane(Path.of("test-images/images/synth-00.tif"));
        LabelPlane labels = ImageFiles.readLabels(Path.of("test-images/labels/synth-00.tif"));
        // The lowest row of the nucleus whose bottom is nearest the middle: the strip keeps its last 2 rows.
        int h = img.height();
        int bottom = -1;
        for (int y = h / 2; y < h - 20 && bottom < 0; y++) {
            for (int x = 0; x < img.width(); x++) {
                int id = labels.data()[y * img.width() + x];
                if (id > 0 && (y + 1 == h || labels.data()[(y + 1) * img.width() + x] != id)
                        && !rowHolds(labels, y + 1, id)) {
                    bottom = y;
                    break;
                }
            }
        }
        assertTrue(bottom > 0);
        Trainer.ValidationFrame whole = new Trainer.ValidationFrame("synth-00", img, labels);
        Trainer.ValidationFrame strip = whole.rows(bottom - 1, h);
        assertEquals(bottom - 1, strip.top());
        try (Model m = Model.load(ModelStore.resolve("default"))) {
            org.segmentcells.eval.FrameScores alone = Evaluator.scoreFrame(strip.labels(),
                    m.plan(SegmentSettings.MODEL, img).segment(strip.image()), 0);
            org.segmentcells.eval.FrameScores asWhole = Evaluator.scoreFrame(strip.labels(),
                    m.plan(SegmentSettings.MODEL, img).segment(img).rows(bottom - 1, h), 0);
            assertTrue(asWhole.f() > alone.f(), "the sliver is found only in the whole frame: " + alone.f() + " / "
                    + asWhole.f());
            assertEquals(asWhole.f(), FineTuneCheck.score(m, List.of(strip), SegmentSettings.MODEL).value(), 1e-9);
        }
    }

    private static boolean rowHolds(LabelPlane l, int y, int id) {
        if (y >= l.height()) {
            return false;
        }
        for (int x = 0; x < l.width(); x++) {
            if (l.data()[y * l.width() + x] == id) {
                return true;
            }
        }
        return false;
    }

    /**
     * A tie: calibration alone keeps the start (its settings would change what users get for nothing), a
     * fine-tune stays (it learned the user's images).
     */
    @Test
    void aTieKeepsTheStartAfterCalibrationAndTheFineTuneAfterTraining(@TempDir Path tmp) throws Exception {
        Path start = ModelStore.resolve("default");
        org.segmentcells.model.Model.Start s = org.segmentcells.model.Model.readStart(start);
        List<Trainer.ValidationFrame> frames = List.of(new Trainer.ValidationFrame("synth-00",
                ImageFiles.readPlane(Path.of("test-images/images/synth-00.tif")),
                ImageFiles.readLabels(Path.of("test-images/labels/synth-00.tif"))));
        for (FineTuneCheck.Tuning tuning : FineTuneCheck.Tuning.values()) {
            Path out = tmp.resolve(tuning.name());
            s.info().unchecked = "fine-tuned 1 of 1 steps"; // as the trainer leaves it for the check
            org.segmentcells.model.ModelFolder.save(out, s.info(), s.estimator(), s.discriminator());
            List<String> log = new java.util.ArrayList<>();
            org.segmentcells.model.ModelInfo.Check c = FineTuneCheck.keepBetter("default", start, out, frames, List.of(),
                    tuning, null, log::add);
            assertEquals(null, org.segmentcells.model.ModelFolder.readInfo(out).unchecked, "checked: " + c.kept);
            boolean calibration = tuning == FineTuneCheck.Tuning.CALIBRATION;
            // Calibration alone records its scores as the calibration's, not as a fine-tune's.
            assertEquals(c.fStart, calibration ? c.fCalibrated : c.fFineTuned, "the same weights and settings: " + log);
            assertEquals(c.segStart, calibration ? c.segCalibrated : c.segFineTuned, "the same weights and settings: " + log);
            assertEquals(null, calibration ? c.fFineTuned : c.fCalibrated, log.toString());
            assertTrue(log.get(0).contains("(+0.000, a tie: SEG "), log.toString());
            assertEquals(tuning == FineTuneCheck.Tuning.CALIBRATION ? org.segmentcells.model.ModelInfo.Check.START
                    : org.segmentcells.model.ModelInfo.Check.FINE_TUNED, c.kept, log.toString());
        }
    }

    /**
     * An exact tie of F (few held-out nuclei) goes to SEG, for a fine-tune and for calibration alike: the model
     * that outlines the matched nuclei better stays.
     */
    @Test
    void aTieOfFGoesToSeg(@TempDir Path tmp) throws Exception {
        Path start = ModelStore.resolve("default");
        for (FineTuneCheck.Tuning tuning : FineTuneCheck.Tuning.values()) {
            for (double segTuned : new double[] {0.70, 0.60}) {
                Path out = tmp.resolve(tuning.name() + segTuned);
                org.segmentcells.model.Model.Start s = org.segmentcells.model.Model.readStart(start);
                s.info().minSize = 7; // tells the start's model.json from the fine-tune's
                org.segmentcells.model.ModelFolder.save(out, s.info(), s.estimator(), s.discriminator());
                FineTuneCheck.Measure measure = (m, set) -> new FineTuneCheck.Score(0.875,
                        m.folder().toAbsolutePath().equals(out.toAbsolutePath()) ? segTuned : 0.65);
                List<String> log = new java.util.ArrayList<>();
                org.segmentcells.model.ModelInfo.Check c = FineTuneCheck.keepBetter("default", start, out, "frames", 1,
                        false, tuning, null, measure, log::add);
                boolean tunedWins = segTuned > 0.65;
                boolean calibration = tuning == FineTuneCheck.Tuning.CALIBRATION;
                // What calibration alone keeps is the start with calibrated settings, and model.json says so.
                assertEquals(tunedWins ? calibration ? org.segmentcells.model.ModelInfo.Check.CALIBRATED
                        : org.segmentcells.model.ModelInfo.Check.FINE_TUNED
                        : org.segmentcells.model.ModelInfo.Check.START, c.kept, tuning + " " + log);
                assertEquals(tunedWins ? 7 : org.segmentcells.model.ModelFolder.readInfo(start).minSize,
                        org.segmentcells.model.ModelFolder.readInfo(out).minSize, "the folder holds the model kept");
                assertEquals(segTuned, calibration ? c.segCalibrated : c.segFineTuned);
                assertEquals(0.65, c.segStart);
                assertTrue(log.get(0).contains(String.format(java.util.Locale.ROOT, "(+0.000, a tie: SEG %.3f against"
                        + " 0.650)", segTuned)) && log.get(0).contains(tunedWins ? "kept the " : "did worse, so"),
                        log.toString());
            }
        }
    }

    /**
     * A fine-tune that calibrated its start is also compared with that calibration alone, and the best of the
     * three stays: the calibration (the start's weights with its settings) when the fine-tune lost to it and it
     * beat the start; a tie with the calibration keeps the fine-tune; calibration alone is never compared
     * with itself.
     */
    @Test
    void aFineTuneThatLosesToCalibrationAloneLeavesTheCalibratedStart(@TempDir Path tmp) throws Exception {
        Path start = ModelStore.resolve("default");
        FineTuneCheck.Calibrated calibrated = new FineTuneCheck.Calibrated(new Calibration.Result(0.67,
                new org.segmentcells.segment.InstanceOptions(0.6, 3), java.util.Map.of("f", 0.93)));
        // F of the fine-tune, the start and the calibration alone; and which one the folder must hold
        Object[][] cases = {
            {0.80, 0.85, 0.90, org.segmentcells.model.ModelInfo.Check.CALIBRATED},
            {0.87, 0.85, 0.90, org.segmentcells.model.ModelInfo.Check.CALIBRATED},
            {0.92, 0.85, 0.90, org.segmentcells.model.ModelInfo.Check.FINE_TUNED},
            {0.90, 0.85, 0.90, org.segmentcells.model.ModelInfo.Check.FINE_TUNED},
            {0.80, 0.90, 0.85, org.segmentcells.model.ModelInfo.Check.START},
            {0.80, 0.90, 0.90, org.segmentcells.model.ModelInfo.Check.START},
        };
        int i = 0;
        for (Object[] k : cases) {
            Path out = tmp.resolve("case" + i++);
            org.segmentcells.model.Model.Start s = org.segmentcells.model.Model.readStart(start);
            s.info().minSize = 7; // tells the start's model.json from the fine-tune's
            s.info().unchecked = "fine-tuned 1 of 1 steps";
            org.segmentcells.model.ModelFolder.save(out, s.info(), s.estimator(), s.discriminator());
            FineTuneCheck.Measure measure = (m, set) -> new FineTuneCheck.Score(
                    m.folder().toAbsolutePath().equals(out.toAbsolutePath()) ? (double) k[0]
                            : set.scale() != null && !set.scale().isAuto() ? (double) k[2] : (double) k[1], 0.7);
            List<String> log = new java.util.ArrayList<>();
            org.segmentcells.model.ModelInfo.Check c = FineTuneCheck.keepBetter("default", start, out, "frames", 1,
                    false, FineTuneCheck.Tuning.FINE_TUNE, calibrated, measure, log::add);
            assertEquals(k[3], c.kept, java.util.Arrays.toString(k) + " " + log);
            assertEquals((double) k[2], c.fCalibrated);
            assertEquals(0.67, c.calibratedScale);
            org.segmentcells.model.ModelInfo info = org.segmentcells.model.ModelFolder.readInfo(out);
            assertEquals(null, info.unchecked);
            assertEquals(k[3], info.fineTuneCheck.kept);
            assertTrue(log.get(0).contains(" for default as calibrated before training (scale 0.67, seed threshold"
                    + " 0.60, min size 3"), log.toString());
            if (k[3].equals(org.segmentcells.model.ModelInfo.Check.CALIBRATED)) {
                assertEquals(org.segmentcells.segment.Scale.of(0.67), info.scale);
                assertEquals(0.6, info.seedThreshold);
                assertEquals(3, info.minSize);
                assertEquals(0.93, info.validation.get("f"), "the calibration's own scores, as --steps 0 writes them");
                assertEquals(0.67, info.validation.get("scale"));
                assertTrue(log.get(0).endsWith("the fine-tune did worse than calibration alone, so " + out
                        + " holds default with the calibrated settings (scale 0.67, seed threshold 0.60, min size 3;"
                        + " see fineTuneCheck in model.json)"), log.toString());
            } else {
                assertEquals(k[3].equals(org.segmentcells.model.ModelInfo.Check.START)
                        ? org.segmentcells.model.ModelFolder.readInfo(start).minSize : 7, info.minSize);
                assertTrue(info.scale.isAuto());
            }
        }
        // Calibration alone is what its check compares: a calibrated candidate given there is not scored.
        Path out = tmp.resolve("calibration");
        org.segmentcells.model.Model.Start s = org.segmentcells.model.Model.readStart(start);
        org.segmentcells.model.ModelFolder.save(out, s.info(), s.estimator(), s.discriminator());
        FineTuneCheck.Measure measure = (m, set) -> new FineTuneCheck.Score(set.scale() != null ? 0.99 : 0.8, 0.7);
        org.segmentcells.model.ModelInfo.Check c = FineTuneCheck.keepBetter("default", start, out, "frames", 1,
                false, FineTuneCheck.Tuning.CALIBRATION, calibrated, measure, x -> { });
        assertEquals(0.8, c.fCalibrated, "the calibrated model's own score, not the candidate's 0.99");
        assertEquals(null, c.fFineTuned);
    }

    /**
     * On scribbles the two models are compared by how they agree with the held-out strokes on the whole
     * frame: a fine-tune that agrees as well as its start (here: the same weights) is kept, and model.json
     * records the agreement, not an F.
     */
    @Test
    void aScribbleFineTuneIsComparedOnTheHeldOutStrokes(@TempDir Path tmp) throws Exception {
        Path start = ModelStore.resolve("default");
        Path out = tmp.resolve("same");
        org.segmentcells.model.Model.Start s = org.segmentcells.model.Model.readStart(start);
        org.segmentcells.model.ModelFolder.save(out, s.info(), s.estimator(), s.discriminator());
        TrainingFrame frame = HeldOutStrokesTest.scribbled(10, 1);
        HeldOutStrokes held = HeldOutStrokes.of(List.of(frame));
        FloatPlane img = ImageFiles.readPlane(Path.of("test-images/images/synth-00.tif"));
        List<String> log = new java.util.ArrayList<>();
        org.segmentcells.model.ModelInfo.Check c = FineTuneCheck.keepBetterOnStrokes("default", start, out,
                List.of(img), held, log::add);
        double expected;
        try (Model m = Model.load(start)) {
            expected = Calibration.agreement(m, SegmentSettings.MODEL, List.of(img), held.onImages(List.of(img))).score();
        }
        assertEquals(org.segmentcells.model.ModelInfo.Check.FINE_TUNED, c.kept);
        assertEquals(expected, c.strokesStart, 1e-4);
        assertEquals(c.strokesStart, c.strokesFineTuned);
        assertEquals(null, c.fStart);
        assertEquals("the held-out strokes (2 nucleus, " + held.background() + " background)", c.on);
        assertEquals(List.of(String.format(java.util.Locale.ROOT, "checked on %s: fine-tuned stroke agreement %.3f"
                + " against %.3f for default (+0.000); kept the fine-tuned model", c.on, expected, expected)), log);
        assertEquals(c.strokesStart, org.segmentcells.model.ModelFolder.readInfo(out).fineTuneCheck.strokesStart);

        // Images that are not the scribbled frames leave the fine-tune in place, unchecked, and say so.
        log.clear();
        assertEquals(null, FineTuneCheck.keepBetterOnStrokes("default", start, out, List.of(img, img), held, log::add));
        assertEquals(List.of("not checked against default: the images read again do not match the frames the strokes"
                + " were held out of"), log);
    }

    /**
     * A few strokes are few pixels: a fine-tune that agrees a little worse than its start (here: the same
     * weights at scale 0.85, 0.017 lower) is kept, and one that agrees worse by more than
     * {@link FineTuneCheck#STROKE_MARGIN} (scale 0.75, 0.05 lower) gives way to the start.
     */
    @Test
    void onStrokesTheStartWinsOnlyByMoreThanTheMargin(@TempDir Path tmp) throws Exception {
        Path start = ModelStore.resolve("default");
        TrainingFrame frame = HeldOutStrokesTest.scribbled(10, 1);
        HeldOutStrokes held = HeldOutStrokes.of(List.of(frame));
        FloatPlane img = ImageFiles.readPlane(Path.of("test-images/images/synth-00.tif"));
        for (double scale : new double[] {0.85, 0.75}) {
            Path out = tmp.resolve("at-" + scale);
            org.segmentcells.model.Model.Start s = org.segmentcells.model.Model.readStart(start);
            s.info().scale = org.segmentcells.segment.Scale.of(scale);
            org.segmentcells.model.ModelFolder.save(out, s.info(), s.estimator(), s.discriminator());
            List<String> log = new java.util.ArrayList<>();
            org.segmentcells.model.ModelInfo.Check c = FineTuneCheck.keepBetterOnStrokes("default", start, out,
                    List.of(img), held, log::add);
            double lower = c.strokesStart - c.strokesFineTuned;
            assertTrue(lower > 0, scale + ": " + c.strokesStart + " vs " + c.strokesFineTuned);
            boolean within = lower <= FineTuneCheck.STROKE_MARGIN;
            assertEquals(scale == 0.85, within, "the cases this test is about: " + lower);
            assertEquals(within ? org.segmentcells.model.ModelInfo.Check.FINE_TUNED
                    : org.segmentcells.model.ModelInfo.Check.START, c.kept);
            assertEquals(within, log.get(0).contains("kept the fine-tuned model (within the 0.03 a few strokes"
                    + " cannot tell apart)"), log.toString());
            assertEquals(within ? scale : null, org.segmentcells.model.ModelFolder.readInfo(out).scale.isAuto() ? null
                    : org.segmentcells.model.ModelFolder.readInfo(out).scale.factor());
        }
    }
    /**
     * A fine-tune whose weights output NaN gives way to its start; a failure of TensorFlow while scoring (out of
     * memory, say) says nothing of the fine-tune, which stays in the output folder, unchecked, and is named.
     */
    @Test
    void onlyDamagedWeightsLoseTheCheckAndOtherFailuresKeepTheFineTune(@TempDir Path tmp) throws Exception {
        Path start = ModelStore.resolve("default");
        Path file = tmp.resolve("frame.tif");
        LabelPlane labels = TestImages.largeNuclei(file, 3);
        List<Trainer.ValidationFrame> frames = List.of(new Trainer.ValidationFrame("frame", ImageFiles.readPlane(file),
                labels));
        FineTuneCheck.Measure real = (m, set) -> FineTuneCheck.score(m, frames, set);

        Path nan = tmp.resolve("nan");
        org.segmentcells.model.Model.Start s = org.segmentcells.model.Model.readStart(start);
        org.segmentcells.nets.Weights broken = new org.segmentcells.nets.Weights();
        s.estimator().entries().forEach((name, e) -> {
            float[] v = e.values().clone();
            java.util.Arrays.fill(v, Float.NaN);
            broken.put(name, e.shape(), v);
        });
        s.info().minSize = 7; // tells the start's model.json from the fine-tune's
        org.segmentcells.model.ModelFolder.save(nan, s.info(), broken, s.discriminator());
        List<String> log = new java.util.ArrayList<>();
        org.segmentcells.model.ModelInfo.Check c = FineTuneCheck.keepBetter("default", start, nan, "frames", 1, false,
                FineTuneCheck.Tuning.FINE_TUNE, null, real, log::add);
        assertEquals(org.segmentcells.model.ModelInfo.Check.START, c.kept);
        assertTrue(log.get(0).startsWith("the fine-tuned model does not run"), log.toString());
        assertEquals(org.segmentcells.model.ModelFolder.readInfo(start).minSize,
                org.segmentcells.model.ModelFolder.readInfo(nan).minSize, "the start replaced the damaged fine-tune");

        Path tuned = tmp.resolve("tuned");
        s = org.segmentcells.model.Model.readStart(start);
        s.info().minSize = 7;
        org.segmentcells.model.ModelFolder.save(tuned, s.info(), s.estimator(), s.discriminator());
        FineTuneCheck.Measure failing = (m, set) -> {
            if (m.folder().toAbsolutePath().equals(tuned.toAbsolutePath())) {
                throw new IllegalStateException(tuned + ": TensorFlow ran out of memory on a 1024x1024 tile");
            }
            return real.of(m, set);
        };
        log.clear();
        assertEquals(null, FineTuneCheck.keepBetter("default", start, tuned, "frames", 1, false,
                FineTuneCheck.Tuning.FINE_TUNE, null, failing, log::add));
        assertTrue(log.get(0).startsWith("not checked against default: scoring failed (") && log.get(0).contains(
                "ran out of memory") && log.get(0).endsWith(tuned + " holds the fine-tuned model"), log.toString());
        assertEquals(7, org.segmentcells.model.ModelFolder.readInfo(tuned).minSize, "the fine-tune stays");
        assertEquals(null, org.segmentcells.model.ModelFolder.readInfo(tuned).fineTuneCheck);
    }
}
