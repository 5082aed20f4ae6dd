package org.segmentcells.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.segmentcells.annotate.ScribbleSimulator;
import org.segmentcells.annotate.Scribbles;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.io.AtomicFiles;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.segment.Normalization;
import org.segmentcells.train.Calibration;
import org.segmentcells.train.FineTune;
import org.segmentcells.train.Mode;
import org.segmentcells.train.PseudoLabels;
import org.segmentcells.train.TrainConfig;
import org.segmentcells.train.Trainer;
import org.segmentcells.train.TrainingData;
import org.segmentcells.train.TrainingFrame;

/**
 * "A new microscope": the 13 dense, dim 512×640 frames of dsb2018_fluo listed in ids_512x640.tsv. A
 * starting model is fine-tuned on the first N of them (full labels, or simulated scribbles) and every
 * variant is scored on the same held-out frames, the last {@code 13 - MAX_TRAIN} of the list, so rows
 * for different N compare on equal terms. No frame is set aside for selection: a user with a new
 * microscope has only the frames they annotated. So, as Fine-tune Model does, the starting model is
 * first calibrated on the annotated frames ({@link Calibration}: scale, seed threshold, minimum size),
 * fine-tuned on them resized by that scale, and calibrated on them again at the end. Scribbles carry
 * no full labels to calibrate on, so scribble rows keep the starting model's settings.
 */
public final class NewMicroscopeProtocol {

    /** The file of a new-microscope set folder that lists its frames, training frames first. */
    static final String IDS = "ids_512x640.tsv";

    /** Largest N; the frames after it are the test frames for every row. */
    public static final int MAX_TRAIN = 4;
    /** First of the frames scored when choosing settings: frames 3 and 4 (trained on only when N = 4). */
    static final int SELECTION_FROM = 2;

    private final Path set;
    private final Path initFolder;
    private final Model.Start start;
    private final String init;
    private final TrainConfig base;
    private final Path work;
    private final PrintStream log;
    private final List<String> ids;
    /** 0: scored on the test frames; 1: trained from frame 1, scored on frames 3-4; 2: the other way round. */
    private final int fold;

    public NewMicroscopeProtocol(Path set, String init, Path initFolder, TrainConfig base, Path work,
            PrintStream log) throws IOException {
        this(set, init, initFolder, base, work, log, 0);
    }

    private NewMicroscopeProtocol(Path set, String init, Path initFolder, TrainConfig base, Path work,
            PrintStream log, int fold) throws IOException {
        this.fold = fold;
        this.set = set;
        this.initFolder = initFolder;
        this.start = Model.readStart(initFolder);
        this.init = init;
        // Fine-tunes keep the starting model's estimator.
        this.base = base.fittedTo(start.info());
        this.work = work;
        this.log = log;
        this.ids = DataSets.stems(set.resolve(IDS));
        if (ids.size() <= MAX_TRAIN) {
            throw new IOException(set.resolve(IDS) + ": needs more than " + MAX_TRAIN + " frames");
        }
    }

    /** Every frame of a new-microscope set folder ({@link #IDS}), training frames first. */
    static List<TrainingData.Pair> frames(Path set) throws IOException {
        return PaperProtocol.pairs(set, DataSets.stems(set.resolve(IDS)));
    }

    /** The same protocol with another training seed (crops, augmentation, fresh weights). */
    public NewMicroscopeProtocol withSeed(long seed) throws IOException {
        return new NewMicroscopeProtocol(set, init, initFolder, base.toBuilder().seed(seed).build(), work, log, fold);
    }

    /**
     * One fine-tune scored twice on the test frames: as training left it, and as the user gets it after
     * {@link org.segmentcells.train.FineTuneCheck} (which may keep the start).
     */
    public record Trial(PaperProtocol.Row trained, PaperProtocol.Row kept) {
    }

    /** Which frames are scored, as a word for records: test, selection or selection-swapped. */
    public String scoredFrames() {
        return switch (fold) {
            case 1 -> "selection";
            case 2 -> "selection-swapped";
            default -> "test";
        };
    }

    /** The frames every row is scored on. */
    public List<String> testIds() {
        return switch (fold) {
            case 1 -> ids.subList(SELECTION_FROM, MAX_TRAIN);
            case 2 -> ids.subList(0, SELECTION_FROM);
            default -> ids.subList(MAX_TRAIN, ids.size());
        };
    }

    /**
     * The same protocol scored on frames 3 and 4 instead, for choosing settings (learning rate, steps)
     * without looking at the test frames; training then uses at most the first 2 frames.
     */
    public NewMicroscopeProtocol scoringSelectionFrames() throws IOException {
        return new NewMicroscopeProtocol(set, init, initFolder, base, work, log, 1);
    }

    /**
     * The selection protocol with the roles swapped: trained from frame 3 on, scored on frames 1 and 2.
     * With {@link #scoringSelectionFrames()} it gives a two-fold cross-validation over the 4 training
     * frames, so a setting is judged on 4 frames instead of 2.
     */
    public NewMicroscopeProtocol scoringSelectionFramesSwapped() throws IOException {
        return new NewMicroscopeProtocol(set, init, initFolder, base, work, log, 2);
    }

    List<String> trainIds(int n) {
        int max = fold == 0 ? MAX_TRAIN : SELECTION_FROM;
        if (n < 1 || n > max) {
            throw new IllegalArgumentException("N must be 1.." + max + ", got " + n);
        }
        int from = fold == 2 ? SELECTION_FROM : 0;
        return ids.subList(from, from + n);
    }

    private Normalization normalization() {
        return new Normalization(start.info().normLow, start.info().normHigh);
    }

    /** The starting model as it is. */
    public PaperProtocol.Row noFineTune(Path modelFolder) throws IOException {
        try (Model m = Model.load(modelFolder)) {
            return score("no fine-tuning (" + init + ")", 0, 0, m, 0);
        }
    }

    /** The starting model's weights, only calibrated on the first n frames (no training). */
    public PaperProtocol.Row calibratedOnly(int n) throws IOException {
        List<TrainingData.Pair> pairs = PaperProtocol.pairs(set, trainIds(n));
        FineTune.Frames frames = new FineTune.Frames(trainIds(n), TrainingData.validationFrames(pairs),
                () -> TrainingData.images(pairs), scale -> List.of(), false);
        return fineTune(n, frames, base.withSteps(0), 0, "calibrated only (" + init + ")", "calibrated-" + n).kept();
    }

    /**
     * Fine-tuned on the first n frames' full labels: calibrate the starting model on them, train on them
     * at the calibrated scale, calibrate again.
     */
    public PaperProtocol.Row fullLabels(Mode mode, int n) throws IOException {
        return fullLabelsTrial(mode, n).kept();
    }

    /** As {@link #fullLabels(Mode, int)}, scored before the check too. */
    public Trial fullLabelsTrial(Mode mode, int n) throws IOException {
        List<TrainingData.Pair> pairs = PaperProtocol.pairs(set, trainIds(n));
        FineTune.Frames frames = new FineTune.Frames(trainIds(n), TrainingData.validationFrames(pairs),
                () -> TrainingData.images(pairs),
                scale -> TrainingData.trainingFrames(pairs, normalization(), start.info().contourWidth, scale), false);
        return fineTune(n, frames, base.withMode(mode), 0, PaperProtocol.label(mode), mode.id() + "-" + n);
    }

    /**
     * Fine-tuned on simulated scribbles on the first n frames: K nuclei strokes per frame plus background
     * and border strokes ({@link ScribbleSimulator}, seed = frame index). Adversarial mode keeps the
     * starting model's D frozen as a shape prior; cross-entropy is the ablation without it.
     */
    public PaperProtocol.Row scribbles(Mode mode, int n, int k) throws IOException {
        return scribbles(mode, n, k, 0);
    }

    /**
     * As {@link #scribbles(Mode, int, int)}; with {@code pseudo} &gt; 0 the unscribbled pixels are
     * pseudo-labelled by the starting model at that weight ({@link PseudoLabels}).
     */
    public PaperProtocol.Row scribbles(Mode mode, int n, int k, float pseudo) throws IOException {
        return scribbles(mode, n, k, pseudo, 0);
    }

    /**
     * As {@link #scribbles(Mode, int, int, float)}; with {@code dSteps} &gt; 0 (adversarial, with
     * pseudo-labels) D keeps training, taking the pseudo-labelled scribble maps as its manual examples:
     * the only full maps a scribbling user has.
     */
    public PaperProtocol.Row scribbles(Mode mode, int n, int k, float pseudo, int dSteps) throws IOException {
        return scribblesTrial(mode, n, k, pseudo, dSteps).kept();
    }

    /** As {@link #scribbles(Mode, int, int, float, int)}, scored before the check too. */
    public Trial scribblesTrial(Mode mode, int n, int k, float pseudo, int dSteps) throws IOException {
        if (dSteps > 0 && !(pseudo > 0)) {
            throw new IllegalArgumentException("training D on scribbles needs pseudo-labels: scribble maps alone"
                    + " leave most pixels unlabelled, which D would learn as background");
        }
        List<TrainingFrame> unscaled = new ArrayList<>();
        List<TrainingData.Pair> pairs = PaperProtocol.pairs(set, trainIds(n));
        long labelled = 0;
        long pixels = 0;
        for (int i = 0; i < pairs.size(); i++) {
            TrainingData.Pair p = pairs.get(i);
            FloatPlane img = ImageFiles.readPlane(p.image());
            Scribbles.Target t = Scribbles.toTarget(ScribbleSimulator.simulate(TrainingData.readLabelsFor(p, img), k, i));
            labelled += t.labelled();
            pixels += img.size();
            unscaled.add(new TrainingFrame(p.stem(), normalization().apply(img), t.classes(), t.weight()));
        }
        log.printf(Locale.ROOT, "scribbles: K=%d on %d frame(s), %d labelled pixels (%.1f%%)%n", k, n, labelled,
                100.0 * labelled / pixels);
        // As train --scribbles does: frames at the auto scale of the scribbled images (FineTuneStart).
        FineTune.Frames frames = new FineTune.Frames(trainIds(n), List.of(), () -> TrainingData.images(pairs),
                scale -> unscaled.stream().map(f -> f.scaled(scale, normalization())).toList(), true);
        TrainConfig cfg = base.withMode(mode).withDSteps(mode.adversarial() ? dSteps : 0);
        String what = (mode.adversarial() ? "scribbles + " + (dSteps > 0 ? "trained" : "frozen") + " D prior"
                : "scribbles, CE only")
                + (pseudo > 0 ? " + pseudo-labels " + pseudo : "") + ", K=" + k;
        return fineTune(n, frames, cfg, pseudo, what,
                "scribbles-" + mode.id() + "-" + n + "-k" + k + (pseudo > 0 ? "-pseudo" : "")
                        + (mode.adversarial() && dSteps > 0 ? "-trained-d" : ""));
    }

    /** The recipe every front end runs ({@link FineTune}), from the starting model, into work/name. */
    private Trial fineTune(int n, FineTune.Frames frames, TrainConfig cfg, float pseudo, String what,
            String name) throws IOException {
        Path out = work.resolve(name);
        AtomicFiles.deleteTree(out);
        AtomicFiles.deleteTree(Trainer.checkpointFolder(out));
        log.printf(Locale.ROOT, "== %s, %d frame(s), %d steps, seed %d, load %s%n", what, n, cfg.steps(), cfg.seed(),
                Machine.loadAverage());
        PaperProtocol.Row[] trained = new PaperProtocol.Row[1];
        Trainer.Outcome o = FineTune.from(init, initFolder, start).frames(frames).config(cfg).pseudoLabels(pseudo)
                .commandLine("benchmark microscope (" + what + ", " + n + " frames)")
                .afterTraining(done -> trained[0] = scoreFolder(what, n, cfg.steps(), out, done.seconds()))
                .run(out, new Trainer.Listener() {
                    @Override
                    public void log(String line) {
                        log.println(line);
                    }
                }).outcome();
        // Scored again only when the check put the start back: otherwise the folder holds what was scored.
        ModelInfo.Check check = ModelFolder.readInfo(out).fineTuneCheck;
        boolean swapped = check != null && check.keptStartWeights();
        PaperProtocol.Row kept = trained[0] == null || swapped ? scoreFolder(what, n, cfg.steps(), out, o.seconds())
                : trained[0];
        return new Trial(trained[0] != null ? trained[0] : kept, kept);
    }

    private PaperProtocol.Row scoreFolder(String what, int n, int steps, Path folder, double trainSeconds) {
        try (Model m = Model.load(folder)) {
            return score(what, n, steps, m, trainSeconds);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private PaperProtocol.Row score(String what, int n, int steps, Model m, double trainSeconds) throws IOException {
        long t = System.nanoTime();
        FrameScores s = PaperProtocol.score(PaperProtocol.pairs(set, testIds()),
                f -> m.plan(SegmentSettings.MODEL, f.image()).segment(f.image()));
        return new PaperProtocol.Row(what, n, steps, s, trainSeconds, (System.nanoTime() - t) / 1e9);
    }

    public PaperProtocol.Row classic() throws IOException {
        long t = System.nanoTime();
        FrameScores s = PaperProtocol.score(PaperProtocol.pairs(set, testIds()),
                f -> org.segmentcells.classic.ClassicWorkflow.segment(f.path()));
        return new PaperProtocol.Row("classic ImageJ (Otsu + watershed)", 0, 0, s, 0, (System.nanoTime() - t) / 1e9);
    }
}
