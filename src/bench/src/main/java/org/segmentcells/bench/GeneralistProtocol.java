package org.segmentcells.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.segmentcells.eval.FrameScores;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.nets.Weights;
import org.segmentcells.scale.AutoScale;
import org.segmentcells.scale.ObjectSize;
import org.segmentcells.scale.TrainingSize;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.train.TrainConfig;
import org.segmentcells.train.Trainer;
import org.segmentcells.train.TrainingData;
import org.segmentcells.train.TrainingFrame;

/**
 * A generalist nuclei model: trained on BBBC039 train.txt plus dsb2018_fluo, scored on BBBC039
 * val.txt and on a held-out part of dsb2018_fluo. The split is fixed by rule, not by chance:
 * <ul>
 * <li>BBBC039: the first 90 frames of train.txt train, the last 10 select (checkpoint and instance
 * settings, as in Table 1), val.txt is only scored;</li>
 * <li>dsb2018_fluo: the 13 "new microscope" frames (ids_512x640.tsv) and every image that
 * overlap_with_bbbc039.tsv pairs with a val.txt frame are left out; images paired with a train.txt
 * frame train; of the rest, in name order, every 5th is held out for scoring. The others are grouped
 * by frame size (counts.tsv), which stands for the kind of image (tiles, tissue sections, plate
 * fields), and in every group of 3 or more, every 20th in name order, starting with the first, selects;
 * so the selection frames cover each kind the held-out images can be.</li>
 * </ul>
 * Calibration keeps scale 1: one model serves images of every magnification.
 */
public final class GeneralistProtocol {

    /**
     * Frames per role, as image/label pairs; the first {@code bbbcTrain} of {@code train} are BBBC039's,
     * and {@code left} counts the DSB images left out.
     */
    public record Split(List<TrainingData.Pair> train, int bbbcTrain, List<TrainingData.Pair> selection,
            List<TrainingData.Pair> bbbcVal, List<TrainingData.Pair> dsbHeldOut, int left) {
    }

    /** Frames are brought no further than this from their own size, and no frame above this many pixels. */
    static final double MAX_SIZE_FACTOR = 4;
    static final long MAX_FRAME_PIXELS = 6_000_000L;

    private final Path bbbc;
    private final Path dsb;
    private final PrintStream log;
    /** Sizes (median nucleus diameter, px) the training frames are brought to; 0 and 0 for their own. */
    private final double sizeLow;
    private final double sizeHigh;
    /** Whether frames outside the range are also used at their own size (the range's own copy is then 1). */
    private final boolean ownSize;
    /**
     * Whether frames are also learned at the size auto brings them to (and, with {@link #ownSize}, at the
     * range's centre), and selection frames are shown as auto's estimate alone brings them ({@link AutoScale#fromEstimate},
     * without {@code Model.plan}'s look at the plane).
     */
    private final boolean autoSizes;

    public GeneralistProtocol(Path bbbc, Path dsb, PrintStream log) {
        this(bbbc, dsb, log, 0, 0, false, false);
    }

    private GeneralistProtocol(Path bbbc, Path dsb, PrintStream log, double sizeLow, double sizeHigh, boolean ownSize,
            boolean autoSizes) {
        this.bbbc = bbbc;
        this.dsb = dsb;
        this.log = log;
        this.sizeLow = sizeLow;
        this.sizeHigh = sizeHigh;
        this.ownSize = ownSize;
        this.autoSizes = autoSizes;
    }

    /**
     * The same protocol with every training and selection frame resized so the median diameter of its
     * labelled nuclei is {@code diameter} px, as {@code scale auto} brings images to the model's training
     * size. Why: trained on frames at their own sizes (DSB's nuclei span 10-60 px), the network learns
     * each kind of image at its own size and is not size-invariant, so auto scale, which moves images to
     * one size, cost held-out DSB F (0.68 against 0.81 at scale 1); the model that learns at one size is
     * the one auto scale fits (Cellpose trains the same way). 0 keeps frames at their own size.
     */
    public GeneralistProtocol sizedTo(double diameter) {
        return acrossSizes(diameter, diameter);
    }

    /**
     * The same protocol where the network learns every frame across the range of sizes auto scale leaves
     * images in ({@code low} to {@code high} px, {@link org.segmentcells.scale.AutoScale#fromEstimate}):
     * each training frame is used at its own size brought to the range's nearer end and at both
     * ends of the range. Why: auto leaves images inside the range alone, so the same kind of image can
     * reach the network at any size in it (at x1 at 15 px, magnified twice at the high end); trained at
     * one size, a model loses at the data's own sizes, trained at their own sizes it is not
     * size-invariant. Selection frames are seen brought to the nearer end (auto, since 2026-12-04, brings
     * larger nuclei to the range's centre instead).
     */
    public GeneralistProtocol acrossSizes(double low, double high) {
        if (!(low >= 0 && low < 1000 && high >= low && high < 1000) || (low == 0) != (high == 0)) {
            throw new IllegalArgumentException("object sizes must be 0 (off) or sizes in px, low to high, got "
                    + low + " to " + high);
        }
        return new GeneralistProtocol(bbbc, dsb, log, low, high, false, false);
    }

    /**
     * As {@link #acrossSizes}, with frames outside the range used at their own size instead of brought
     * into it (and at both ends): the shipped default's frames plus the range's ends, so a model keeps
     * what it learned at the data's own sizes. Such a model met frames beyond its range, so auto keeps
     * its network's check.
     */
    public GeneralistProtocol acrossSizesAndOwn(double low, double high) {
        GeneralistProtocol p = acrossSizes(low, high);
        return new GeneralistProtocol(bbbc, dsb, log, p.sizeLow, p.sizeHigh, true, false);
    }

    /**
     * Every frame learned at its own size and at the size auto brings it to, and selected as auto shows
     * it: the shipped default's frames plus what auto shows the network. Why: auto sends nuclei above the
     * range to its centre (since 2026-12-04), so a 60 px DSB frame reaches the network at 19.6 px, a size
     * the default never learned it at (frames the network's check keeps at scale 1 are seen at both).
     * With {@code withRange}, also at the range's centre and both ends.
     */
    public GeneralistProtocol atAutoSizes(double low, double high, boolean withRange) {
        GeneralistProtocol p = acrossSizes(low, high);
        return new GeneralistProtocol(bbbc, dsb, log, p.sizeLow, p.sizeHigh, withRange, true);
    }

    private TrainingSize range() {
        return new TrainingSize(Math.sqrt(sizeLow * sizeHigh), sizeLow, sizeHigh);
    }

    /** The factor auto gives a frame whose labelled nuclei measure as they do (1 without nuclei). */
    double autoFactor(LabelPlane labels) {
        return autoFactor(ObjectSize.medianDiameter(List.of(labels)), labels);
    }

    /** As {@link #autoFactor(LabelPlane)} for labels whose median diameter {@code d} is already known. */
    private double autoFactor(double d, LabelPlane labels) {
        return Double.isNaN(d) ? 1 : bounded(AutoScale.fromEstimate(new ObjectSize.Estimate(d, 1), range()).factor(), labels);
    }

    /**
     * The factor that brings a frame's labelled nuclei into the sizes' range (the nearer end): 1 when off,
     * inside it or without nuclei, within {@link #MAX_SIZE_FACTOR} of 1 and keeping the frame under
     * {@link #MAX_FRAME_PIXELS}.
     */
    double sizeFactor(LabelPlane labels) {
        double d = ObjectSize.medianDiameter(List.of(labels));
        return Double.isNaN(d) ? 1 : bounded(Math.max(sizeLow, Math.min(sizeHigh, d)) / d, labels);
    }

    /**
     * The factors a training frame is used at: {@link #sizeFactor} (1 when frames keep their own size),
     * then, at auto's sizes, {@link #autoFactor} (and the range's centre with {@link #ownSize}), and those
     * that bring it to either end of the range, leaving out any within 10% of one already taken.
     */
    List<Double> sizeFactors(LabelPlane labels) {
        List<Double> factors = new ArrayList<>(List.of(ownSize || autoSizes ? 1.0 : sizeFactor(labels)));
        double d = ObjectSize.medianDiameter(List.of(labels));
        if (sizeHigh > sizeLow && !Double.isNaN(d)) {
            List<Double> targets = new ArrayList<>();
            if (autoSizes) {
                targets.add(autoFactor(d, labels) * d);
            }
            if (ownSize && autoSizes) {
                targets.add(range().centre());
            }
            if (ownSize || !autoSizes) {
                targets.add(sizeLow);
                targets.add(sizeHigh);
            }
            for (double end : targets) {
                double f = bounded(end / d, labels);
                if (factors.stream().allMatch(g -> Math.abs(Math.log(f / g)) > Math.log(1.1))) {
                    factors.add(f);
                }
            }
        }
        return factors;
    }

    private double bounded(double factor, LabelPlane labels) {
        if (sizeLow == 0) {
            return 1;
        }
        double f = Math.max(1 / MAX_SIZE_FACTOR, Math.min(MAX_SIZE_FACTOR, factor));
        return Math.min(f, Math.max(1, Math.sqrt((double) MAX_FRAME_PIXELS / ((long) labels.width() * labels.height()))));
    }

    public Split split() throws IOException {
        List<String> train = DataSets.stems(bbbc.resolve("train.txt"));
        Set<String> val = new HashSet<>(DataSets.stems(bbbc.resolve("val.txt")));
        int bbbcTrain = train.size() - 10; // the last 10 of train.txt select
        Set<String> trainSet = new HashSet<>(train.subList(0, bbbcTrain));
        // A DSB field of a selection frame is the same image: training on it would select on trained frames.
        Set<String> selecting = new HashSet<>(train.subList(bbbcTrain, train.size()));
        Set<String> left = new HashSet<>(DataSets.stems(dsb.resolve(NewMicroscopeProtocol.IDS)));
        Set<String> pairedWithTrain = new HashSet<>();
        for (String line : Files.readAllLines(dsb.resolve("overlap_with_bbbc039.tsv"))) {
            String[] f = line.split("\t");
            if (f.length < 2 || f[0].equals("dsb_image")) {
                continue;
            }
            if (val.contains(f[1]) || selecting.contains(f[1])) {
                left.add(f[0]);
            } else if (trainSet.contains(f[1])) {
                pairedWithTrain.add(f[0]);
            }
        }
        List<String> dsbAll = new ArrayList<>();
        try (var s = Files.list(dsb.resolve("images"))) {
            s.map(p -> p.getFileName().toString()).filter(ImageFiles::isImageName).sorted()
                    .forEach(n -> dsbAll.add(ImageFiles.stem(Path.of(n))));
        }
        Map<String, String> frameSize = frameSizes(dsb.resolve("counts.tsv"));
        List<String> dsbTrain = new ArrayList<>();
        List<String> dsbTest = new ArrayList<>();
        Map<String, List<String>> bySize = new TreeMap<>();
        int i = 0;
        for (String stem : dsbAll) {
            if (left.contains(stem)) {
                continue;
            }
            if (pairedWithTrain.contains(stem)) {
                dsbTrain.add(stem);
            } else if (i++ % 5 == 4) {
                dsbTest.add(stem);
            } else {
                String size = frameSize.get(stem);
                if (size == null) {
                    throw new IOException("counts.tsv in " + dsb + " has no row for " + stem);
                }
                bySize.computeIfAbsent(size, k -> new ArrayList<>()).add(stem);
            }
        }
        List<String> dsbSelect = new ArrayList<>();
        for (List<String> group : bySize.values()) {
            for (int k = 0; k < group.size(); k++) {
                (group.size() >= 3 && k % 20 == 0 ? dsbSelect : dsbTrain).add(group.get(k));
            }
        }
        List<TrainingData.Pair> trainPairs = new ArrayList<>(PaperProtocol.pairs(bbbc, train.subList(0, bbbcTrain)));
        trainPairs.addAll(PaperProtocol.pairs(dsb, dsbTrain));
        List<TrainingData.Pair> select = new ArrayList<>(PaperProtocol.pairs(bbbc, train.subList(bbbcTrain,
                train.size())));
        select.addAll(PaperProtocol.pairs(dsb, dsbSelect));
        int leftOut = (int) dsbAll.stream().filter(left::contains).count();
        return new Split(trainPairs, bbbcTrain, select, PaperProtocol.pairs(bbbc, DataSets.stems(bbbc.resolve("val.txt"))),
                PaperProtocol.pairs(dsb, dsbTest), leftOut);
    }

    /** Image name to "height x width", from a data set's counts.tsv (columns image, height, width, ...). */
    static Map<String, String> frameSizes(Path countsTsv) throws IOException {
        if (!Files.isRegularFile(countsTsv)) {
            throw new IOException("missing " + countsTsv + ": the DSB split groups images by its frame sizes");
        }
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(countsTsv)) {
            String[] f = line.split("\t");
            if (f.length >= 3 && !f[0].equals("image")) {
                out.put(f[0], f[1] + "x" + f[2]);
            }
        }
        return out;
    }

    /** Trains (or, with {@code resume}, continues) the generalist model into {@code output}. */
    public Trainer.Outcome train(TrainConfig cfg, Path output, boolean resume, String commandLine) throws IOException {
        return train(cfg, null, output, resume, commandLine);
    }

    /**
     * As {@link #train(TrainConfig, Path, boolean, String)}, starting from a saved model's weights (E, and
     * D when it fits the mode), e.g. an adversarial phase after cross-entropy training; E's architecture
     * is the starting model's.
     */
    public Trainer.Outcome train(TrainConfig cfg, Init init, Path output, boolean resume, String commandLine)
            throws IOException {
        return train(cfg, init, 1, 1, output, resume, commandLine);
    }

    /**
     * A starting model: its name as given ({@code default}, a name, a folder), which model.json records,
     * and its folder, which is read.
     */
    /**
     * The model a run starts from. {@code keepPatch}: the run's crop size was given (--patch), so fitting the
     * config to the start keeps it, as {@code train --init} does, instead of taking the start's D crop size.
     */
    public record Init(String name, Path folder, boolean keepPatch) {
        static Init named(String name, boolean keepPatch) throws IOException {
            return name == null ? null : new Init(name, org.segmentcells.model.ModelStore.resolve(name), keepPatch);
        }
    }

    /**
     * As {@link #train(TrainConfig, Init, Path, boolean, String)}, with each BBBC039 frame drawn
     * {@code bbbcRepeat} times as often as a DSB frame. Why: DSB gives about 4 in 5 training frames and
     * rarely marks micronuclei, which BBBC039 does, and which are most of what the model misses there;
     * and with the cross-entropy weight of objects under {@link TrainingData#SMALL_OBJECT_AREA} px raised
     * to {@code smallObjectWeight} ({@link TrainingData#weightSmallObjects}).
     */
    public Trainer.Outcome train(TrainConfig cfg, Init init, int bbbcRepeat, float smallObjectWeight, Path output,
            boolean resume, String commandLine) throws IOException {
        if (bbbcRepeat < 1) {
            throw new IllegalArgumentException("BBBC039 frames must be drawn at least once, got repeat " + bbbcRepeat);
        }
        Model.Start start = init == null ? null : Model.readStart(init.folder());
        if (start != null) {
            cfg = cfg.fittedTo(start.info(), init.keepPatch());
        }
        Split s = split();
        log.printf(Locale.ROOT, "generalist: %d training frames, %d selection frames; scored on %d BBBC039 val and %d"
                + " held-out DSB images; %d DSB images left out%n", s.train().size(), s.selection().size(),
                s.bbbcVal().size(), s.dsbHeldOut().size(), s.left());
        List<TrainingFrame> frames = new ArrayList<>();
        List<Double> factors = new ArrayList<>();
        int bbbcCopies = 0; // BBBC039 frames come first, each at one or more sizes
        for (int i = 0; i < s.train().size(); i++) {
            TrainingData.Pair p = s.train().get(i);
            FloatPlane img = ImageFiles.readPlane(p.image());
            LabelPlane labels = TrainingData.readLabelsFor(p, img);
            for (double f : sizeFactors(labels)) {
                factors.add(f);
                TrainingFrame frame = TrainingData.labelFrame(p.stem(), img, labels, Normalization.DEFAULT,
                        cfg.contourWidth(), f);
                if (smallObjectWeight != 1) {
                    LabelPlane sized = Resample.nearest(labels, frame.image().width(), frame.image().height());
                    frame = TrainingData.weightSmallObjects(frame, sized, smallObjectWeight, cfg.contourWidth());
                }
                frames.add(frame);
            }
            if (i + 1 == s.bbbcTrain()) {
                bbbcCopies = frames.size();
            }
        }
        if (sizeLow > 0) {
            factors.sort(null);
            log.printf(Locale.ROOT, "generalist: %d frames at nuclei of %.1f to %.1f px: factors %.2f-%.2f, median %.2f%n",
                    frames.size(), sizeLow, sizeHigh, factors.get(0), factors.get(factors.size() - 1),
                    factors.get(factors.size() / 2));
        }
        // The sampler draws frames uniformly, so listing a frame k times draws it k times as often; the
        // copies are the same object, so this costs no memory.
        List<TrainingFrame> bbbcFrames = List.copyOf(frames.subList(0, bbbcCopies));
        for (int r = 1; r < bbbcRepeat; r++) {
            frames.addAll(bbbcFrames);
        }
        List<Trainer.ValidationFrame> selection = new ArrayList<>();
        for (Trainer.ValidationFrame v : TrainingData.validationFrames(s.selection())) {
            selection.add(v.scaled(autoSizes ? autoFactor(v.labels()) : sizeFactor(v.labels())));
        }
        ModelInfo info = new ModelInfo();
        info.training.frames = s.train().stream().map(TrainingData.Pair::stem).toList();
        info.training.validationFrames = s.selection().stream().map(TrainingData.Pair::stem).toList();
        info.training.commandLine = commandLine;
        if (sizeHigh > sizeLow && !ownSize && !autoSizes) {
            info.trainedAcrossRange = true;
        }
        if (start != null) {
            info.training.init = init.name(); // as given: a bundled model's folder is a cache path
        }
        Weights initE = start == null ? null : start.estimator();
        Weights initD = cfg.mode().startingDiscriminator(start);
        Trainer.Outcome o = new Trainer(cfg, Normalization.DEFAULT, InstanceOptions.DEFAULT, true).atFixedScale()
                .train(frames, selection, initE, initD, info, output, resume, new Trainer.Listener() {
                    @Override
                    public void log(String line) {
                        log.println(line);
                        log.flush();
                    }
                });
        if (start != null && cfg.mode().adversarial() && cfg.learningRate() == 0) {
            keepEstimatorProvenance(output, init.folder());
        }
        return o;
    }

    /**
     * After a run that trained D alone against the starting model's E: model.json is the start's (E's
     * training, its measured nucleus size and settings: E did not change) plus the discriminator and
     * the run that trained it, so a shipped model still says how its estimator was made.
     */
    static void keepEstimatorProvenance(Path output, Path start) throws IOException {
        ModelInfo saved = ModelFolder.readInfo(output);
        ModelInfo info = ModelFolder.readInfo(start);
        info.discriminator = saved.discriminator;
        info.discriminatorTraining = saved.training;
        info.toolVersion = saved.toolVersion;
        info.created = saved.created;
        ModelFolder.writeInfo(output, info);
    }

    /** Rows for a saved model: BBBC039 val and held-out DSB. */
    public List<PaperProtocol.Row> score(String label, Path modelFolder) throws IOException {
        return score(label, modelFolder, false);
    }

    /** As {@link #score(String, Path)}, with E averaged over flips when {@code tta} is set. */
    public List<PaperProtocol.Row> score(String label, Path modelFolder, boolean tta) throws IOException {
        Split s = split();
        List<PaperProtocol.Row> rows = new ArrayList<>();
        try (Model m = Model.load(modelFolder)) {
            int steps = m.info().training.steps;
            for (List<TrainingData.Pair> set : List.of(s.bbbcVal(), s.dsbHeldOut())) {
                long t = System.nanoTime();
                FrameScores f = PaperProtocol.score(set, v -> m.plan(SegmentSettings.MODEL.withTta(tta), v.image())
                        .segment(v.image()));
                rows.add(new PaperProtocol.Row(label + (tta ? " with --tta" : "") + ", " + setName(s, set), 0, steps, f, m.info().training.wallSeconds,
                        (System.nanoTime() - t) / 1e9));
            }
        }
        return rows;
    }

    /** The classic ImageJ workflow on both test sets. */
    public List<PaperProtocol.Row> classic() throws IOException {
        Split s = split();
        List<PaperProtocol.Row> rows = new ArrayList<>();
        for (List<TrainingData.Pair> set : List.of(s.bbbcVal(), s.dsbHeldOut())) {
            long t = System.nanoTime();
            FrameScores f = PaperProtocol.score(set, v -> org.segmentcells.classic.ClassicWorkflow.segment(v.path()));
            rows.add(new PaperProtocol.Row("classic ImageJ (Otsu + watershed), " + setName(s, set), 0, 0, f, 0,
                    (System.nanoTime() - t) / 1e9));
        }
        return rows;
    }

    private static String setName(Split s, List<TrainingData.Pair> set) {
        return set == s.bbbcVal() ? "BBBC039 val (" + set.size() + ")" : "DSB held out (" + set.size() + ")";
    }
}
