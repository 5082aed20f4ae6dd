package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.segmentcells.segment.Normalization;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.model.ModelStore;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.InstanceOptions;

class FineTuneStartTest {

    private static final Path IMAGE = Path.of("test-images/images/synth-00.tif");
    private static final Path LABELS = Path.of("test-images/labels/synth-00.tif");

    @Test
    void withoutAnnotatedFramesTheGivenScaleAndSettingsStay() throws Exception {
        InstanceOptions inst = new InstanceOptions(0.65, 42);
        List<Double> asked = new ArrayList<>();
        List<String> log = new ArrayList<>();
        ModelInfo base = new ModelInfo();
        base.objectDiameter = 25;
        FineTuneStart.Start s = FineTuneStart.of("nothing", Path.of("no-such-model"), base, Scale.of(0.7), inst, List.of(), false,
                () -> { throw new AssertionError("a given scale needs no measuring"); }, scale -> {
            asked.add(scale);
            return List.of();
        }, log::add);
        assertEquals(0.7, s.scale());
        assertSame(inst, s.instances());
        assertFalse(s.calibrated());
        assertNull(s.calibration());
        assertEquals(List.of(0.7), asked, "frames are cut once, at the given scale");
        assertEquals(List.of("training at scale 0.70 (given)"), log);
    }

    @Test
    void withoutAnnotatedFramesAnAutoModelMeasuresTheImages() throws Exception {
        // Scribbles on nuclei twice the model's training size: training runs at about half size.
        ModelInfo base = new ModelInfo();
        base.objectDiameter = 12;
        FloatPlane img = ImageFiles.readPlane(IMAGE);
        double measured = org.segmentcells.scale.ObjectSize.of(img).diameter();
        List<String> log = new ArrayList<>();
        FineTuneStart.Start s = FineTuneStart.of("m", Path.of("no-such-model"), base, null, InstanceOptions.DEFAULT,
                List.of(), false, () -> List.of(img), scale -> List.of(), log::add);
        assertEquals(12 / measured, s.scale(), 1e-9);
        assertTrue(log.get(0).startsWith("training at scale ") && log.get(0).contains("(auto, nuclei"), log.toString());
    }

    @Test
    void annotatedFramesCalibrateTheStartingModelAndTheFramesFollowItsScale() throws Exception {
        List<Trainer.ValidationFrame> annotated = List.of(new Trainer.ValidationFrame("synth-00",
                ImageFiles.readPlane(IMAGE), ImageFiles.readLabels(LABELS)));
        List<Double> asked = new ArrayList<>();
        List<String> log = new ArrayList<>();
        Path folder = ModelStore.resolve("default");
        FineTuneStart.Start s = FineTuneStart.of("default", folder, ModelFolder.readInfo(folder), null,
                InstanceOptions.DEFAULT, annotated, false, () -> { throw new AssertionError("labels state the size"); }, scale -> {
            asked.add(scale);
            return List.of();
        }, log::add);
        assertTrue(s.calibrated());
        Calibration.Result direct = Calibration.ofModel(folder, annotated,
                Calibration.scalesFor(ModelFolder.readInfo(folder), annotated));
        assertEquals(direct.scale(), s.scale());
        assertEquals(direct.instances(), s.instances());
        assertEquals(direct.scores(), s.calibration().scores());
        assertEquals(List.of(direct.scale()), asked);
        assertTrue(log.get(log.size() - 1).startsWith("calibrated default on 1 annotated frame: scale "), log.toString());
        assertTrue(s.heldOut().isEmpty());
    }

    /** A scribble fine-tune on soft frames trains at the scale segmenting them chooses ({@code AutoScale.forLook}). */
    @Test
    void aScribbleFineTuneOnSoftFramesTrainsWhereSegmentingThemWould() throws Exception {
        FloatPlane own = ImageFiles.readPlane(IMAGE);
        FloatPlane img = org.segmentcells.img.Resample.bilinear(own, own.width() * 3, own.height() * 3);
        org.segmentcells.img.LabelPlane truth = org.segmentcells.img.Resample.nearest(ImageFiles.readLabels(LABELS),
                img.width(), img.height());
        TrainingFrame two = OutlinedNucleiTest.outlines(img, truth,
                new java.util.HashSet<>(OutlinedNucleiTest.inner(truth).subList(0, 2)));
        ModelInfo base = ModelFolder.readInfo(ModelStore.resolve("default"));
        org.segmentcells.scale.TrainingSize size = base.trainingSize();
        assertTrue(size.learnedResized() && org.segmentcells.scale.Sharpness.of(img) < org.segmentcells.scale.Sharpness.SHARP);
        double d = org.segmentcells.scale.ObjectSize.of(img).diameter();
        assertTrue(d > size.high(), "measured " + d);
        List<String> log = new ArrayList<>();
        FineTuneStart.Start s = FineTuneStart.of("default", Path.of("no-such-model"), base, null, InstanceOptions.DEFAULT,
                List.of(), false, () -> List.of(img), scale -> List.of(two), log::add);
        assertEquals(org.segmentcells.scale.AutoScale.softTarget(size) / d, s.scale(), 1e-9, log.toString());
    }

    /**
     * A sharp frame of at most a megapixel with nuclei just above the range is segmented at scale 1, kept as it
     * is ({@code AutoScale.atOne}), so a scribble fine-tune trains on it there (it trained at 0.62 and the
     * result then segmented such frames at 1).
     */
    @Test
    void aScribbleFineTuneOnASharpFrameJustAboveTheRangeTrainsAtScaleOneAsSegmentingDoes() throws Exception {
        FloatPlane own = ImageFiles.readPlane(IMAGE);
        ModelInfo base = ModelFolder.readInfo(ModelStore.resolve("default"));
        org.segmentcells.scale.TrainingSize size = base.trainingSize();
        double f = 1.3 * size.high() / org.segmentcells.scale.ObjectSize.of(own).diameter();
        FloatPlane img = org.segmentcells.img.Resample.bilinear(own, (int) Math.round(own.width() * f),
                (int) Math.round(own.height() * f));
        FloatPlane sharp = org.segmentcells.synth.TestImages.withNoise(img, 0.003, 3); // detail at the pixel scale
        double look = org.segmentcells.scale.Sharpness.of(sharp);
        assertTrue(look >= org.segmentcells.scale.Sharpness.SHARP && look < org.segmentcells.scale.Sharpness.NOISY, "sharpness " + look);
        org.segmentcells.img.LabelPlane truth = org.segmentcells.img.Resample.nearest(ImageFiles.readLabels(LABELS),
                sharp.width(), sharp.height());
        TrainingFrame two = OutlinedNucleiTest.outlines(sharp, truth,
                new java.util.HashSet<>(OutlinedNucleiTest.inner(truth).subList(0, 2)));
        List<String> log = new ArrayList<>();
        FineTuneStart.Start s = FineTuneStart.of("default", Path.of("no-such-model"), base, null, InstanceOptions.DEFAULT,
                List.of(), false, () -> List.of(sharp), scale -> List.of(two), log::add);
        assertEquals(1, s.scale(), log.toString());
        assertTrue(log.get(0).contains("kept: sharp at its own sampling"), log.toString());
        try (org.segmentcells.model.Model m = org.segmentcells.model.Model.load(ModelStore.resolve("default"))) {
            assertEquals(1, m.plan(org.segmentcells.model.SegmentSettings.MODEL, sharp).scale().factor(), "as segmenting");
        }
    }

    /**
     * Small sharp nuclei, which segmenting enlarges to the median ({@code Model.enlargedIfSharp}), are learned
     * enlarged as much by a scribble fine-tune.
     */
    @Test
    void aScribbleFineTuneOnSmallSharpNucleiTrainsEnlargedAsSegmentingDoes() throws Exception {
        FloatPlane own = ImageFiles.readPlane(IMAGE);
        double f = 15.0 / org.segmentcells.scale.ObjectSize.of(own).diameter();
        FloatPlane small = org.segmentcells.img.Resample.bilinear(own, (int) Math.round(own.width() * f),
                (int) Math.round(own.height() * f));
        org.segmentcells.img.LabelPlane truth = org.segmentcells.img.Resample.nearest(ImageFiles.readLabels(LABELS),
                small.width(), small.height());
        TrainingFrame strokes = OutlinedNucleiTest.outlines(small, truth,
                new java.util.HashSet<>(OutlinedNucleiTest.inner(truth).subList(0, 2)));
        Path start = ModelStore.resolve("default");
        ModelInfo base = ModelFolder.readInfo(start);
        List<String> log = new ArrayList<>();
        FineTuneStart.Start s = FineTuneStart.of("default", start, base, null, InstanceOptions.DEFAULT, List.of(), false,
                () -> List.of(small), scale -> List.of(strokes), log::add);
        try (org.segmentcells.model.Model m = org.segmentcells.model.Model.load(start)) {
            double segmenting = m.plan(org.segmentcells.model.SegmentSettings.MODEL, small).scale().factor();
            assertTrue(segmenting > 1.3, "enlarged when segmented: " + segmenting);
            assertEquals(segmenting, s.scale(), 1e-9, log.toString());
        }
    }

    @Test
    void aModelTrainedAtOneSizeIsCalibratedAroundTheScaleTheLabelsState() throws Exception {
        List<Trainer.ValidationFrame> annotated = List.of(new Trainer.ValidationFrame("synth-00",
                ImageFiles.readPlane(IMAGE), ImageFiles.readLabels(LABELS)));
        double labelled = org.segmentcells.scale.ObjectSize.medianDiameter(List.of(annotated.get(0).labels()));
        Path folder = ModelStore.resolve("default");
        ModelInfo base = ModelFolder.readInfo(folder);
        base.scale = Scale.AUTO;
        base.objectDiameter = labelled / 2; // nuclei twice the model's size: scale 0.5
        base.objectDiameterRange = null;
        assertEquals(0.5, Calibration.labelledScale(base, annotated).getAsDouble(), 1e-9);
        List<String> log = new ArrayList<>();
        FineTuneStart.Start s = FineTuneStart.of("default", folder, base, null, InstanceOptions.DEFAULT, annotated,
                false, () -> { throw new AssertionError("labels state the size"); }, scale -> List.of(), log::add);
        double[] tried = Calibration.around(0.5);
        assertEquals(3, tried.length);
        assertTrue(java.util.Arrays.stream(tried).allMatch(t -> t >= 0.43 && t <= 0.58), java.util.Arrays.toString(tried));
        assertTrue(java.util.Arrays.stream(tried).anyMatch(t -> t == s.scale()), "chosen near 0.5: " + s.scale());
        assertArrayEquals(Calibration.around(s.scale()), s.scales(), "the fine-tune's own calibration stays near it");
        assertTrue(log.get(0).startsWith("the labelled nuclei are ") && log.get(0).endsWith("scale 0.50"), log.toString());
        // A model that met its nuclei at their own sizes (a fixed scale) searches the whole grid.
        base.scale = Scale.ONE;
        assertTrue(Calibration.labelledScale(base, annotated).isEmpty());
        assertArrayEquals(Calibration.SCALES, Calibration.scalesFor(base, annotated));
        base.scale = Scale.AUTO;
        base.objectDiameter = 0;
        assertTrue(Calibration.labelledScale(base, annotated).isEmpty(), "no training size, nothing to compare with");
    }

    /**
     * A generalist that records its sizes (default) is calibrated at the scales that bring the labelled nuclei
     * to those sizes, so labels of a 60x look reach scales {@link Calibration#SCALES} cannot (under 0.45), and
     * the fine-tune's own calibration at the end tries the same candidates.
     */
    @Test
    void aGeneralistIsCalibratedAtTheSizesItLearnedAtAnyMagnification() throws Exception {
        FloatPlane own = ImageFiles.readPlane(IMAGE);
        org.segmentcells.img.LabelPlane ownLabels = ImageFiles.readLabels(LABELS);
        int w = own.width() * 4;
        int h = own.height() * 4;
        List<Trainer.ValidationFrame> annotated = List.of(new Trainer.ValidationFrame("synth-00x4",
                org.segmentcells.img.Resample.bilinear(own, w, h), org.segmentcells.img.Resample.nearest(ownLabels, w, h)));
        Path folder = ModelStore.resolve("default");
        ModelInfo base = ModelFolder.readInfo(folder);
        org.segmentcells.scale.TrainingSize size = base.trainingSize();
        assertTrue(base.scale.isAuto() && !size.oneSize(), "default is a generalist with scale auto");
        double labelled = Calibration.labelledDiameter(annotated);
        double[] tried = Calibration.scalesFor(base, annotated);
        assertEquals(1, tried[0], "the nuclei's own size first, preferred on ties");
        for (int i = 1; i < tried.length; i++) {
            double brought = labelled * tried[i];
            assertTrue(brought >= size.low() * 0.97 && brought <= size.high() * 1.5 * 1.03,
                    "scale " + tried[i] + " brings " + labelled + " px nuclei to " + brought + " px");
        }
        assertTrue(java.util.Arrays.stream(tried).anyMatch(t -> t < 0.45), java.util.Arrays.toString(tried));
        List<String> log = new ArrayList<>();
        FineTuneStart.Start s = FineTuneStart.of("default", folder, base, null, InstanceOptions.DEFAULT, annotated,
                false, () -> { throw new AssertionError("labels state the size"); }, scale -> List.of(), log::add);
        assertTrue(java.util.Arrays.stream(tried).anyMatch(t -> t == s.scale()), s.scale() + " among " + java.util.Arrays.toString(tried));
        assertArrayEquals(tried, s.scales(), "the fine-tune's own calibration tries the same sizes");
        assertArrayEquals(tried, FineTune.endScales(base, s, List.of()));
        // Validation frames at their own magnification: the end tries the candidates their labels state.
        List<Trainer.ValidationFrame> unmagnified = List.of(new Trainer.ValidationFrame("synth-00", own, ownLabels));
        double[] atOwn = FineTune.endScales(base, s, unmagnified);
        assertArrayEquals(Calibration.scalesFor(base, unmagnified), atOwn);
        assertTrue(java.util.Arrays.stream(atOwn).allMatch(t -> t >= 0.45), java.util.Arrays.toString(atOwn));
    }

    private static Trainer.ValidationFrame wholeFrame() throws Exception {
        return new Trainer.ValidationFrame("synth-00", ImageFiles.readPlane(IMAGE), ImageFiles.readLabels(LABELS));
    }

    @Test
    void aHeldOutPartIsNeitherTrainedNorCalibratedOn() throws Exception {
        Trainer.ValidationFrame whole = wholeFrame();
        int h = whole.image().height();
        int w = whole.image().width();
        int cut = FineTuneStart.cut(h);
        Path folder = ModelStore.resolve("default");
        List<String> log = new ArrayList<>();
        FineTuneStart.Start s = FineTuneStart.of("default", folder, ModelFolder.readInfo(folder), null,
                InstanceOptions.DEFAULT, List.of(whole), true, List::of,
                scale -> List.of(TrainingFrame.full("synth-00", whole.image(), new byte[w * h])), log::add);
        assertEquals(cut, s.annotated().get(0).image().height());
        assertEquals(h - cut, s.heldOut().get(0).image().height());
        assertArrayEquals(java.util.Arrays.copyOfRange(whole.labels().data(), cut * w, h * w), s.heldOut().get(0).labels().data());
        float[] weight = s.frames().get(0).weight();
        assertEquals(1f, weight[cut * w - 1]);
        assertEquals(0f, weight[cut * w]);
        assertEquals(0f, weight[h * w - 1]);
        assertTrue(log.get(0).startsWith("holding out the bottom 25% of each annotated frame"), log.toString());
        // Calibrated on the upper part only.
        assertEquals(Calibration.ofModel(folder, s.annotated(), Calibration.scalesFor(ModelFolder.readInfo(folder),
                s.annotated())).scores(), s.calibration().scores());
    }

    /**
     * Settings fixed by the user (no calibration): the annotated frames still hold out their bottom rows
     * for the check, and the given scale and instance settings stay.
     */
    @Test
    void withFixedSettingsTheLabelsStillHoldOutTheirBottomRows() throws Exception {
        Trainer.ValidationFrame whole = wholeFrame();
        int h = whole.image().height();
        int w = whole.image().width();
        int cut = FineTuneStart.cut(h);
        Path folder = ModelStore.resolve("default");
        InstanceOptions inst = new InstanceOptions(0.65, 42);
        List<String> log = new ArrayList<>();
        FineTuneStart.Start s = FineTuneStart.of("default", folder, ModelFolder.readInfo(folder), Scale.of(1), inst,
                List.of(whole), false, true, List::of,
                scale -> List.of(TrainingFrame.full("synth-00", whole.image(), new byte[w * h])), log::add);
        assertFalse(s.calibrated());
        assertEquals(1, s.scale());
        assertSame(inst, s.instances());
        assertEquals(h - cut, s.heldOut().get(0).image().height());
        assertEquals(1f, s.frames().get(0).weight()[cut * w - 1]);
        assertEquals(0f, s.frames().get(0).weight()[cut * w], "the held-out rows do not train");
        int held = s.heldOut().get(0).labels().countObjects();
        assertTrue(held < FineTuneStart.FEW_HELD_OUT, held + " nuclei");
        assertEquals(List.of("holding out the bottom 25% of each annotated frame (" + held + " nuclei) to check the"
                + " result against default; so few tell two models apart by chance: give validation images, or more"
                + " annotated frames, for a check to trust", "training at scale 1.00 (given)"), log);
    }

    /**
     * Nuclei only in the upper part (two outlines drawn at the top): a check on the bottom rows would count
     * only false positives, so nothing is held out, the frames train whole, and the log says so.
     */
    @Test
    void aBottomWithoutNucleiIsNotHeldOut() throws Exception {
        Trainer.ValidationFrame whole = wholeFrame();
        int h = whole.image().height();
        int w = whole.image().width();
        int[] top = whole.labels().data().clone();
        java.util.Arrays.fill(top, FineTuneStart.cut(h) * w, h * w, 0);
        Trainer.ValidationFrame upperOnly = new Trainer.ValidationFrame("synth-00", whole.image(),
                new org.segmentcells.img.LabelPlane(w, h, top));
        Path folder = ModelStore.resolve("default");
        List<String> log = new ArrayList<>();
        FineTuneStart.Start s = FineTuneStart.of("default", folder, ModelFolder.readInfo(folder), Scale.of(1),
                new InstanceOptions(0.65, 42), List.of(upperOnly), false, true, List::of,
                scale -> List.of(TrainingFrame.full("synth-00", whole.image(), new byte[w * h])), log::add);
        assertTrue(s.heldOut().isEmpty());
        assertEquals(h, s.annotated().get(0).image().height());
        assertEquals(1f, s.frames().get(0).weight()[h * w - 1], "the whole frame trains");
        assertEquals("the bottom 25% of the annotated frames holds no nuclei: nothing held out, so the result cannot"
                + " be checked against default", log.get(0));

        // And the other way round: every nucleus in the bottom quarter would leave none to train on.
        int[] bottom = whole.labels().data().clone();
        java.util.Arrays.fill(bottom, 0, FineTuneStart.cut(h) * w, 0);
        log.clear();
        FineTuneStart.Start b = FineTuneStart.of("default", folder, ModelFolder.readInfo(folder), Scale.of(1),
                new InstanceOptions(0.65, 42), List.of(new Trainer.ValidationFrame("synth-00", whole.image(),
                        new org.segmentcells.img.LabelPlane(w, h, bottom))), false, true, List::of,
                scale -> List.of(TrainingFrame.full("synth-00", whole.image(), new byte[w * h])), log::add);
        assertTrue(b.heldOut().isEmpty());
        assertEquals("the top 75% of the annotated frames holds no nuclei: nothing held out, so the result cannot"
                + " be checked against default", log.get(0));
    }

    /**
     * Scribbles on a model whose measured scale is wrong for these nuclei: the starting model finds few of
     * the marked nuclei there, so the fine-tune trains at a grid scale where it finds them; where the
     * measured scale is right, it stays.
     */
    @Test
    void scribblesMoveAnAutomaticScaleOnlyWhereTheStartFindsTheMarkedNucleiClearlyBetter() throws Exception {
        FloatPlane img = ImageFiles.readPlane(IMAGE);
        org.segmentcells.img.LabelPlane truth = ImageFiles.readLabels(LABELS);
        org.segmentcells.annotate.Scribbles.Target t = org.segmentcells.annotate.Scribbles.toTarget(
                org.segmentcells.annotate.ScribbleSimulator.simulate(truth, 10, 1));
        List<TrainingFrame> strokes = List.of(new TrainingFrame("synth-00", img, t.classes(), t.weight()));
        Path folder = ModelStore.resolve("default");
        ModelInfo base = ModelFolder.readInfo(folder);
        double measured = org.segmentcells.scale.ObjectSize.of(img).diameter();
        base.objectDiameterRange = null;

        base.objectDiameter = measured * 0.25; // the model would shrink these nuclei to a quarter
        List<String> log = new ArrayList<>();
        List<Double> asked = new ArrayList<>();
        FineTuneStart.Start moved = FineTuneStart.of("default", folder, base, null, InstanceOptions.DEFAULT, List.of(),
                false, () -> List.of(img), scale -> {
                    asked.add(scale);
                    return scale == 1 ? strokes : List.of();
                }, log::add);
        assertTrue(java.util.Arrays.stream(Calibration.SCALES).anyMatch(x -> x == moved.scale()), "a grid scale: " + moved.scale());
        assertTrue(moved.scale() >= 0.45, "nuclei found again: " + moved.scale());
        assertTrue(log.get(0).contains("agrees best with the strokes there") && log.get(0).contains("at scale 0.25 (auto"),
                log.toString());
        List<Calibration.StrokeAgreement> a = Calibration.strokes(folder, List.of(img), strokes, new double[] {0.25, moved.scale()});
        assertTrue(a.get(1).score() >= a.get(0).score() + Calibration.STROKE_MARGIN, a.toString());
        assertEquals(moved.scale(), asked.get(asked.size() - 1), "the frames are cut at the scale chosen");

        base.objectDiameter = measured; // right: the measured scale (1) stays
        log.clear();
        FineTuneStart.Start kept = FineTuneStart.of("default", folder, base, null, InstanceOptions.DEFAULT, List.of(),
                false, () -> List.of(img), scale -> scale == 1 ? strokes : List.of(), log::add);
        assertEquals(1, kept.scale(), 1e-9);
        assertFalse(log.get(0).contains("strokes"), log.toString());

        // Every pixel annotated (RGB 3-class images), or strokes of one class only: no check, the measured scale.
        base.objectDiameter = measured * 0.25;
        TrainingFrame full = TrainingFrame.full("synth-00", img, org.segmentcells.annotate.Targets.fromLabels(truth, 2));
        assertNull(FineTuneStart.byStrokes(folder, List.of(img), List.of(full), 0.25));
        float[] nucleusOnly = t.weight().clone();
        for (int p = 0; p < nucleusOnly.length; p++) {
            if (t.classes()[p] != org.segmentcells.annotate.Targets.NUCLEUS) {
                nucleusOnly[p] = 0;
            }
        }
        assertNull(FineTuneStart.byStrokes(folder, List.of(img),
                List.of(new TrainingFrame("synth-00", img, t.classes(), nucleusOnly)), 0.25));
        assertNotNull(FineTuneStart.byStrokes(folder, List.of(img), strokes, 0.25), "both kinds of strokes: checked");
    }

    /**
     * Holding out (no validation frames): every 4th stroke of each kind leaves training, the scale is chosen
     * without them, and the start carries them to the check; frames without strokes hold nothing out.
     */
    @Test
    void aScribbleFineTuneHoldsOutStrokesForItsCheck() throws Exception {
        TrainingFrame frame = HeldOutStrokesTest.scribbled(10, 1);
        ModelInfo base = new ModelInfo();
        base.objectDiameter = 25;
        List<Double> asked = new ArrayList<>();
        List<String> log = new ArrayList<>();
        FineTuneStart.Start s = FineTuneStart.of("m", Path.of("no-such-model"), base, Scale.of(0.5),
                InstanceOptions.DEFAULT, List.of(), true, () -> { throw new AssertionError("no measuring"); },
                scale -> {
                    asked.add(scale);
                    return List.of(scale == 1 ? frame : frame.scaled(scale, Normalization.DEFAULT));
                }, log::add);
        assertEquals(List.of(1.0, 0.5), asked, "read at scale 1 to find the strokes, cut at the given scale");
        assertNotNull(s.strokes());
        HeldOutStrokes.Count n = HeldOutStrokes.count(List.of(frame));
        assertEquals(List.of("holding out every 4th stroke (2 of 10 nucleus, " + s.strokes().background() + " of "
                + n.background() + " background strokes) to check the fine-tune against m",
                "training at scale 0.50 (given)"), log);
        assertEquals(s.strokes().training(List.of(frame.scaled(0.5, Normalization.DEFAULT))).get(0).weight().length,
                s.frames().get(0).weight().length);
        assertArrayEquals(s.strokes().training(List.of(frame.scaled(0.5, Normalization.DEFAULT))).get(0).weight(), s.frames().get(0).weight(),
                "the frames trained on lack the held-out strokes");
        assertTrue(s.heldOut().isEmpty());

        // Without holding out, every stroke trains.
        FineTuneStart.Start all = FineTuneStart.of("m", Path.of("no-such-model"), base, Scale.of(1),
                InstanceOptions.DEFAULT, List.of(), false, () -> List.of(), scale -> List.of(frame), x -> { });
        assertNull(all.strokes());
        assertSame(frame.weight(), all.frames().get(0).weight());

        // Every pixel annotated (an RGB 3-class image): no strokes, nothing held out.
        TrainingFrame full = TrainingFrame.full("synth-00", frame.image(), org.segmentcells.annotate.Targets.fromLabels(
                ImageFiles.readLabels(LABELS), 2));
        FineTuneStart.Start rgb = FineTuneStart.of("m", Path.of("no-such-model"), base, Scale.of(1),
                InstanceOptions.DEFAULT, List.of(), true, () -> List.of(), scale -> List.of(full), x -> { });
        assertNull(rgb.strokes());
        assertSame(full.weight(), rgb.frames().get(0).weight());
    }

    @Test
    void nucleiOutlinedWholeSetTheScaleOfAScribbleFineTune() throws Exception {
        FloatPlane img = ImageFiles.readPlane(IMAGE);
        org.segmentcells.img.LabelPlane truth = ImageFiles.readLabels(LABELS);
        List<Integer> ids = OutlinedNucleiTest.inner(truth).subList(0, 5);
        TrainingFrame frame = OutlinedNucleiTest.outlines(img, truth, new java.util.HashSet<>(ids));
        org.segmentcells.scale.ObjectSize.Estimate outlined = OutlinedNuclei.of(List.of(frame));
        ModelInfo base = new ModelInfo();
        base.objectDiameter = outlined.diameter() / 2; // the model learned nuclei half as large
        List<String> log = new ArrayList<>();
        FineTuneStart.Start s = FineTuneStart.of("m", Path.of("no-such-model"), base, null, InstanceOptions.DEFAULT,
                List.of(), false, () -> { throw new AssertionError("the outlines state the size: no measuring"); },
                scale -> List.of(frame), log::add);
        assertEquals(0.5, s.scale(), 1e-9);
        assertEquals(List.of("training at scale 0.50 (auto, nuclei " + Math.round(outlined.diameter())
                + " px), the median of the 5 nuclei outlined whole"), log);
        assertEquals(log.get(0).substring("training at ".length()), s.chosen(), "recorded as logged");

        // A model that does not record its training size uses scale 1: the outlines are not credited.
        log.clear();
        FineTuneStart.Start old = FineTuneStart.of("old", Path.of("no-such-model"), new ModelInfo(), null,
                InstanceOptions.DEFAULT, List.of(), false, () -> List.of(img), scale -> List.of(frame), log::add);
        assertEquals(1, old.scale(), 1e-9);
        assertFalse(log.get(0).contains("outlined"), log.toString());

        // Two outlines are too few: the images are measured, as for strokes.
        TrainingFrame two = OutlinedNucleiTest.outlines(img, truth, new java.util.HashSet<>(ids.subList(0, 2)));
        log.clear();
        FineTuneStart.Start measured = FineTuneStart.of("m", Path.of("no-such-model"), base, null,
                InstanceOptions.DEFAULT, List.of(), false, () -> List.of(img), scale -> List.of(two), log::add);
        assertEquals(base.objectDiameter / org.segmentcells.scale.ObjectSize.of(img).diameter(), measured.scale(), 1e-9);
        assertFalse(log.get(0).contains("outlined"), log.toString());
    }
}
