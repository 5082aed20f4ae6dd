package org.segmentcells.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Consumer;

import java.util.function.Supplier;

import org.segmentcells.annotate.Targets;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.Once;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.scale.AutoScale;
import org.segmentcells.scale.ObjectSize;
import org.segmentcells.scale.Sharpness;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Scale;
import org.segmentcells.setting.Setting;

/**
 * Where a fine-tune starts: with fully annotated frames, the starting model is calibrated on them
 * ({@link Calibration}) and the training frames are cut at the scale it chose, so training happens where
 * the model already does best; without them (scribbles, RGB 3-class images, explicit settings) the
 * given scale and instance settings stay. {@code train --init}, Fine-tune Model and {@code benchmark
 * microscope} all start here, so that what is measured is what users run.
 */
public final class FineTuneStart {

    /** The training frames at a scale (reading them may fail). */
    @FunctionalInterface
    public interface FramesAtScale {
        List<TrainingFrame> at(double scale) throws IOException;
    }

    /**
     * @param calibration the starting model's calibration, or null when there was nothing to calibrate on
     * @param annotated   the annotated frames to calibrate on at the end (their upper parts when a part is
     *                    held out)
     * @param heldOut     the held-out lower parts of the annotated frames, which nothing trains or calibrates
     *                    on: where {@link FineTuneCheck} compares the fine-tune with its start; empty if none
     * @param scales      the scales the fine-tune's own calibration may choose from
     *                    ({@link Trainer#calibratingOver}): around the training scale when the labels stated
     *                    it (a model of one size), else the candidates the start was calibrated over
     *                    ({@link Calibration#scalesFor})
     * @param chosen      how {@code scale} was chosen, as the log says it, for model.json
     *                    ({@code training.scale})
     * @param strokes     the strokes held out of a scribble fine-tune (nothing trains on them, and only
     *                    their outlines' size helps choose the scale), where {@link FineTuneCheck} compares
     *                    it with its start; null if none
     */
    public record Start(double scale, InstanceOptions instances, List<TrainingFrame> frames,
            Calibration.Result calibration, List<Trainer.ValidationFrame> annotated,
            List<Trainer.ValidationFrame> heldOut, double[] scales, String chosen, HeldOutStrokes strokes) {
        public boolean calibrated() {
            return calibration != null;
        }
    }

    /**
     * Held-out nuclei below this many are said to decide little: one nucleus more or less moves F by 0.05 or more,
     * and a tester's 2-nuclei check fixed a scale that did worse than auto on other frames.
     */
    static final int FEW_HELD_OUT = 20;

    /** The share of each annotated frame's rows (at the bottom) held out for {@link FineTuneCheck}. */
    public static final double HELD_OUT = 0.25;

    private FineTuneStart() {
    }

    /**
     * @param init the starting model's name, for the log
     * @param initFolder the starting model's folder
     * @param base the starting model's description (its scale and training size), or null when training
     *     from scratch
     * @param given the scale the user gave, or null
     * @param instances the instance settings to keep when not calibrating
     * @param annotated fully annotated frames to calibrate on; empty: no calibration
     * @param images the training images as read, measured when the scale is auto and there is nothing
     *     to calibrate on (scribbles)
     * @param framesAt the training frames at the chosen scale
     * @param holdOut hold out the bottom {@link #HELD_OUT} of every annotated frame from training and
     *     calibration, or for scribbles some strokes ({@link HeldOutStrokes}), to check the fine-tune against
     *     its start there (when no validation frames are given; {@link FineTune} asks it only of those two
     *     kinds of frames, since reading other frames at scale 1 for it would find nothing)
     * @param log receives one line naming the chosen setting
     */
    public static Start of(String init, Path initFolder, ModelInfo base, Scale given, InstanceOptions instances,
            List<Trainer.ValidationFrame> annotated, boolean holdOut, Supplier<List<FloatPlane>> images,
            FramesAtScale framesAt, Consumer<String> log) throws IOException {
        return of(init, initFolder, base, given, instances, annotated, true, holdOut, images, framesAt, log);
    }

    /**
     * As above; with {@code calibrate} false (the user fixed the scale or instance settings) annotated frames
     * are not calibrated on, the given settings stay as for frames without instance labels, and the frames
     * serve only to hold out their bottom rows for the check.
     */
    public static Start of(String init, Path initFolder, ModelInfo base, Scale given, InstanceOptions instances,
            List<Trainer.ValidationFrame> annotated, boolean calibrate, boolean holdOut,
            Supplier<List<FloatPlane>> images, FramesAtScale framesAt, Consumer<String> log) throws IOException {
        List<Trainer.ValidationFrame> heldOut = new ArrayList<>();
        if (holdOut && !annotated.isEmpty()) {
            List<Trainer.ValidationFrame> upper = new ArrayList<>();
            for (Trainer.ValidationFrame v : annotated) {
                int cut = cut(v.image().height());
                upper.add(v.rows(0, cut));
                heldOut.add(v.rows(cut, v.image().height()));
            }
            int nuclei = heldOut.stream().mapToInt(v -> v.labels().countObjects()).sum();
            int left = upper.stream().mapToInt(v -> v.labels().countObjects()).sum();
            if (nuclei == 0 || left == 0) {
                // A check on no nuclei would only count false positives; calibration and training on none would
                // learn to find nothing.
                heldOut.clear();
                log.accept(String.format(Locale.ROOT, "the %s %.0f%% of the annotated frames holds no nuclei: nothing"
                        + " held out, so the result cannot be checked against %s", nuclei == 0 ? "bottom" : "top",
                        (nuclei == 0 ? HELD_OUT : 1 - HELD_OUT) * 100, init));
            } else {
                annotated = upper;
                log.accept(String.format(Locale.ROOT, "holding out the bottom %.0f%% of each annotated frame (%d %s) to"
                        + " check the result against %s%s", HELD_OUT * 100, nuclei, nuclei == 1 ? "nucleus" : "nuclei", init,
                        nuclei < FEW_HELD_OUT ? "; so few tell two models apart by chance: give validation images, or"
                                + " more annotated frames, for a check to trust" : ""));
            }
        }
        Calibration.Result c = null;
        List<TrainingFrame> atOne = null; // the frames at scale 1, when the stroke check read them
        FramesAtScale training = framesAt; // without the held-out strokes, if any
        HeldOutStrokes held = null;
        double[] scales = Calibration.SCALES;
        double scale;
        String chosen;
        if (base == null) {
            // Training from scratch: frames at their own size unless a factor is given; no size to compare with.
            if (given != null && given.isAuto()) {
                throw new IllegalArgumentException(Setting.SCALE.is(Scale.AUTO_NAME) + " needs a starting model (its"
                        + " training size); give a number, or none to train at the images' own size");
            }
            scale = given == null ? 1 : given.factor();
            chosen = String.format(Locale.ROOT, "scale %.2f (%s)", scale,
                    given == null ? "the images' own size" : "given");
        } else if (annotated.isEmpty() || !calibrate) {
            Supplier<List<FloatPlane>> once = Once.of(images); // read once, for the measure, the look and the stroke check
            boolean auto = (given != null ? given : base.scale).isAuto();
            if (holdOut || auto) {
                atOne = framesAt.at(1);
            }
            // Nuclei outlined whole state their size; without 3 of them the threshold measures the images. All
            // outlines count, held out or not: a size says nothing of how a model agrees with them.
            ObjectSize.Estimate outlined = auto ? OutlinedNuclei.of(atOne) : ObjectSize.Estimate.NONE;
            if (holdOut && strokesOfBothKinds(atOne)) {
                held = HeldOutStrokes.of(atOne);
                if (held != null) {
                    HeldOutStrokes h = held;
                    training = s -> h.training(framesAt.at(s));
                    atOne = h.training(atOne);
                    log.accept(String.format(Locale.ROOT, "holding out every %dth stroke (%d of %d nucleus, %d of %d"
                            + " background strokes) to check the fine-tune against %s", HeldOutStrokes.EVERY,
                            h.nucleus(), h.all().nucleus(), h.background(), h.all().background(), init));
                } else {
                    HeldOutStrokes.Count n = HeldOutStrokes.count(atOne);
                    log.accept(String.format(Locale.ROOT, "too few strokes to hold any out (%d nucleus, %d background;"
                            + " %d of each are needed): the fine-tune will not be checked against %s",
                            n.nucleus(), n.background(), HeldOutStrokes.EVERY, init));
                }
            }
            ObjectSize.Estimate stated = outlined;
            // As segmenting chooses (Model.plan), so that the fine-tune learns its frames at the scale it will see them;
            // each frame is smoothed on its own look (TrainingFrame.scaled), so only the target is read here.
            java.util.function.DoubleSupplier sharpness = Sharpness.once(once);
            AutoScale.Choice choice = AutoScale.forTarget(AutoScale.choose(given, base.scale, base.trainingSize(),
                    () -> stated.found() ? stated : ObjectSize.of(once.get())), base.trainingSize(), sharpness);
            // A sharp frame of at most a megapixel whose nuclei are just above the range is segmented at scale 1
            // without the network's passes (AutoScale.atOne), so it is learned there too.
            // (Asked first for the smallest plane, so the images are read only where it could apply.)
            if (AutoScale.atOne(choice, base.trainingSize(), 0, sharpness) == AutoScale.AtOne.KEEP
                    && !once.get().isEmpty() && AutoScale.atOne(choice, base.trainingSize(),
                            (long) once.get().get(0).width() * once.get().get(0).height(), sharpness) == AutoScale.AtOne.KEEP) {
                choice = choice.checked(AutoScale.Check.SHARP);
            }
            // Small sharp nuclei are doubled where the start's network draws sharp contours.
            if (AutoScale.enlargesSmall(choice, base.trainingSize()) && initFolder != null && !once.get().isEmpty()) {
                try (Model m = Model.load(initFolder)) {
                    choice = m.enlargedIfSharp(choice, once.get(), org.segmentcells.segment.Segmenter.DEFAULT_TILE,
                            org.segmentcells.progress.Progress.NONE);
                }
            }
            scale = choice.factor();
            boolean byOutlines = stated.found() && choice.source() == AutoScale.Source.AUTO
                    && base.trainingSize().known(); // without a training size auto uses scale 1, measuring nothing
            chosen = choice.describe()
                    + (byOutlines ? ", the median of the " + stated.objects() + " nuclei outlined whole" : "")
                    + (choice.hasNote() ? "; " + choice.note() : "");
            // Only strokes of both kinds are checked (byStrokes), so other frames need not be read again.
            if (choice.source() == AutoScale.Source.AUTO && !choice.nothing() && initFolder != null
                    && strokesOfBothKinds(atOne)) {
                Better better = byStrokes(initFolder, once.get(), atOne, scale);
                if (better != null) {
                    chosen = String.format(Locale.ROOT, "scale %.2f: %s agrees best with the strokes there (nucleus"
                            + " strokes inside its nuclei %.0f%%, background strokes on its background %.0f%%), against"
                            + " %.0f%% and %.0f%% at %s", better.at().scale(), init, better.at().nucleus() * 100,
                            better.at().background() * 100, better.measured().nucleus() * 100,
                            better.measured().background() * 100, chosen);
                    scale = better.at().scale();
                }
            }
            log.accept("training at " + chosen);
        } else {
            double diameter = Calibration.labelledDiameter(annotated);
            OptionalDouble labelled = Calibration.labelledScale(base, diameter);
            double[] tried = Calibration.scalesFor(base, diameter);
            if (labelled.isPresent()) {
                log.accept(String.format(Locale.ROOT, "the labelled nuclei are %.0f px across and %s learned %.0f px:"
                        + " scale %.2f", diameter, init, base.trainingSize().median(), labelled.getAsDouble()));
            }
            c = Calibration.ofModel(initFolder, annotated, tried);
            String on = " on " + annotated.size() + " annotated frame" + (annotated.size() == 1 ? "" : "s") + ": "
                    + Calibration.describe(c);
            chosen = "calibrated" + on;
            log.accept("calibrated " + init + on);
            scale = c.scale();
            instances = c.instances();
            // The end's calibration: around the labels' scale for a model of one size, else the same candidates.
            scales = labelled.isPresent() ? Calibration.around(scale) : tried;
        }
        List<TrainingFrame> frames = List.copyOf(scale == 1 && atOne != null ? atOne : training.at(scale));
        if (!heldOut.isEmpty()) {
            frames = frames.stream().map(FineTuneStart::withoutHeldOut).toList();
        }
        return new Start(scale, instances, frames, c, annotated, heldOut, scales, chosen, held);
    }

    /**
     * The check of an automatic scale against scribbles: the starting model segments the frames at the
     * measured scale and at each of {@link Calibration#SCALES}, and a scale whose result agrees with the
     * strokes by {@link Calibration#STROKE_MARGIN} more than the measured one's wins. Why: the measured size
     * is right, but a generalist may find nuclei of one look best at another size (dense, dim new-microscope
     * nuclei: the measured scale 0.80 scores F 0.66, 0.45–0.55 score 0.82), which full labels calibrate away
     * and strokes otherwise could not. Null when the measured scale stays: the frames are not scribbles
     * (every pixel annotated, as RGB 3-class images), lack nucleus or background strokes (a one-class
     * check rewards finding nothing, or everything), or do not match the images.
     */
    static Better byStrokes(Path initFolder, List<FloatPlane> images, List<TrainingFrame> frames, double measured)
            throws IOException {
        if (images.size() != frames.size() || !strokesOfBothKinds(frames)) {
            return null;
        }
        for (int i = 0; i < images.size(); i++) {
            FloatPlane img = images.get(i);
            FloatPlane f = frames.get(i).image();
            if (img.width() != f.width() || img.height() != f.height()) {
                return null;
            }
        }
        double[] scales = java.util.stream.DoubleStream.concat(java.util.stream.DoubleStream.of(measured),
                java.util.Arrays.stream(Calibration.SCALES).filter(x -> x != measured)).toArray();
        List<Calibration.StrokeAgreement> all = Calibration.strokes(initFolder, images, frames, scales);
        Calibration.StrokeAgreement atMeasured = all.get(0);
        Calibration.StrokeAgreement best = atMeasured;
        for (Calibration.StrokeAgreement a : all) {
            if (a.score() > best.score()) {
                best = a;
            }
        }
        return best != atMeasured && best.score() >= atMeasured.score() + Calibration.STROKE_MARGIN
                ? new Better(best, atMeasured) : null;
    }

    /** Scribbles: some pixels unannotated, and both nucleus and background strokes somewhere. */
    static boolean strokesOfBothKinds(List<TrainingFrame> frames) {
        boolean sparse = false;
        boolean nucleus = false;
        boolean background = false;
        for (TrainingFrame f : frames) {
            for (int p = 0; p < f.weight().length; p++) {
                if (f.weight()[p] <= 0) {
                    sparse = true;
                } else if (f.classes()[p] == Targets.NUCLEUS) {
                    nucleus = true;
                } else if (f.classes()[p] == Targets.BACKGROUND) {
                    background = true;
                }
            }
        }
        return sparse && nucleus && background;
    }

    /** A scale that agrees better with the strokes, and the agreement at the measured one. */
    record Better(Calibration.StrokeAgreement at, Calibration.StrokeAgreement measured) {
    }

    /** First held-out row of a frame this many rows high. */
    static int cut(int height) {
        return (int) Math.round(height * (1 - HELD_OUT));
    }

    /** The frame with its held-out rows unlabelled (weight 0), so no loss comes from them. */
    static TrainingFrame withoutHeldOut(TrainingFrame f) {
        float[] weight = f.weight().clone();
        int w = f.image().width();
        java.util.Arrays.fill(weight, cut(f.image().height()) * w, weight.length, 0f);
        return new TrainingFrame(f.name(), f.image(), f.classes(), weight);
    }
}
