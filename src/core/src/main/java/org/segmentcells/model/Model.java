package org.segmentcells.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import org.segmentcells.eval.Evaluator;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.nets.Estimator;
import org.segmentcells.scale.AutoScale;
import org.segmentcells.scale.ObjectSize;
import org.segmentcells.nets.Params;
import org.segmentcells.nets.Weights;
import org.segmentcells.progress.Progress;
import org.segmentcells.segment.FlipAveraged;
import org.segmentcells.segment.InstanceOptions;
import org.segmentcells.segment.Normalization;
import org.segmentcells.segment.ProbabilityNet;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.tf.TensorFlowRuntime;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;

/**
 * A loaded model: E's SavedModel in one reused session, plus its model.json; close it to free the native
 * memory. Threads may share it: network calls run one at a time (TensorFlow already uses every core it is
 * given), while reading, resizing and labelling around them run in parallel. Closing is not concurrent-safe.
 */
public final class Model implements ProbabilityNet, AutoCloseable {

    private final Path folder;
    private final ModelInfo info;
    private final SavedModelBundle bundle;
    /** Guarded by {@code bundle}. */
    private long networkPixels;
    private final String inputName;
    private final String outputName;

    private Model(Path folder, ModelInfo info, SavedModelBundle bundle, String in, String out) {
        this.folder = folder;
        this.info = info;
        this.bundle = bundle;
        this.inputName = in;
        this.outputName = out;
    }

    /** Loads a model folder; any problem gives an IOException naming the folder and the problem. */
    public static Model load(Path folder) throws IOException {
        ModelInfo info = ModelFolder.readInfo(folder);
        Path est = folder.resolve(ModelFolder.ESTIMATOR);
        if (!Files.isRegularFile(est.resolve("saved_model.pb"))) {
            throw new IOException(folder + ": model is incomplete (no " + ModelFolder.ESTIMATOR + "/saved_model.pb)");
        }
        TensorFlowRuntime.ensureLoaded();
        checkGraph(est.resolve("saved_model.pb"));
        SavedModelBundle bundle;
        var config = TensorFlowRuntime.sessionConfig(); // outside the try: a bad thread count is not a damaged model
        try {
            bundle = SavedModelBundle.loader(est.toString()).withTags(SavedModelBundle.DEFAULT_TAG)
                    .withConfigProto(config).load();
        } catch (RuntimeException e) {
            throw new IOException(folder + ": the estimator cannot be loaded, the model is damaged ("
                    + firstLine(e) + ")", e);
        }
        try {
            SignatureDef sig = bundle.metaGraphDef().getSignatureDefMap().get("serving_default");
            if (sig == null || !sig.getInputsMap().containsKey(ModelFolder.SIGNATURE_INPUT)
                    || !sig.getOutputsMap().containsKey(ModelFolder.SIGNATURE_OUTPUT)) {
                throw new IOException(folder + ": the estimator has no image → probabilities signature");
            }
            return new Model(folder, info, bundle, sig.getInputsMap().get(ModelFolder.SIGNATURE_INPUT).getName(),
                    sig.getOutputsMap().get(ModelFolder.SIGNATURE_OUTPUT).getName());
        } catch (IOException | RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /**
     * Parses saved_model.pb in Java first: a damaged file then gives an IOException naming it, instead of
     * reaching TensorFlow's native loader, whose handling of arbitrary bytes we cannot vouch for.
     */
    private static void checkGraph(Path pb) throws IOException {
        try {
            org.tensorflow.proto.SavedModel m = org.tensorflow.proto.SavedModel.parseFrom(Files.readAllBytes(pb));
            if (m.getMetaGraphsCount() == 0) {
                throw new IOException(pb + ": damaged estimator (no graph in the SavedModel)");
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException(pb + ": damaged estimator, not a readable SavedModel (" + firstLine(e) + ")", e);
        } catch (RuntimeException e) {
            throw new IOException(pb + ": damaged estimator (" + e + ")", e);
        }
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    public Path folder() {
        return folder;
    }

    public ModelInfo info() {
        return info;
    }

    public Normalization normalization() {
        return new Normalization(info.normLow, info.normHigh);
    }

    public InstanceOptions instanceOptions() {
        return new InstanceOptions(info.seedThreshold, info.minSize);
    }

    @Override
    public org.segmentcells.nets.Architecture architecture() {
        return org.segmentcells.nets.Architecture.ofId(info.architecture);
    }

    /**
     * A segmenter at the model's fixed scale, or at scale 1 when the model's scale is auto: for callers
     * that set the scale themselves. It takes no plane as noisy ({@link Segmenter#withNoisy}). Segmenting as
     * users do, auto and a noisy plane's smoothing included, is {@link #plan}.
     */
    public Segmenter segmenter(int tile) {
        return segmenter(tile, false);
    }

    /** @param tta average E over the 4 flips of each tile ({@link FlipAveraged}), at 4 times the cost */
    public Segmenter segmenter(int tile, boolean tta) {
        return new Segmenter(tta ? new FlipAveraged(this) : this, normalization(), tile,
                info.scale.isAuto() ? 1 : info.scale.factor());
    }

    /**
     * What one image, or the planes of one acquisition, is segmented with: the segmenter at the chosen
     * scale and the instance settings.
     */
    public record Plan(Segmenter segmenter, InstanceOptions instances, AutoScale.Choice scale, FloatPlane checked,
            Segmenter.Probabilities checkedProbabilities, LabelPlane checkedLabels) {

        /**
         * Bytes per pixel of the plane the network's check ran on that a plan keeps for as long as it lives
         * (the plane, its three probability planes and its labels), on top of the plane at work
         * ({@link Segmenter#IN_MEMORY_BYTES_PER_PIXEL}): a stack segmented with one plan holds them throughout.
         */
        public static final long CHECK_BYTES_PER_PIXEL = 20;

        public Plan(Segmenter segmenter, InstanceOptions instances, AutoScale.Choice scale) {
            this(segmenter, instances, scale, null, null, null);
        }

        public LabelPlane segment(FloatPlane image) {
            return segment(image, Progress.NONE);
        }

        /** The labels of {@code image}; {@code progress} hears the tiles and may stop them. */
        public LabelPlane segment(FloatPlane image, Progress progress) {
            return label(probabilities(image, progress), image);
        }

        /**
         * {@code base} with this plan's scale and minimum size fixed, as a user would give them: the same
         * segmentation without choosing. What the benchmarks time auto's choice against.
         */
        public SegmentSettings given(SegmentSettings base) {
            return base.withDiameter(null).withScale(org.segmentcells.segment.Scale.of(segmenter.scale()))
                    .withMinSize(instances.minSize());
        }

        /**
         * The instances in {@code p} ({@link InstanceOptions#label}); for the plane the network's check ran on
         * and its probabilities, the labels the check already made.
         */
        public LabelPlane label(Segmenter.Probabilities p, FloatPlane image) {
            if (image == checked && p == checkedProbabilities && checkedLabels != null) {
                return checkedLabels;
            }
            return instances.label(p, image);
        }

        /**
         * The class probabilities; all background, without running the network, when auto scale found no
         * nuclei (at a made-up scale the network would take noise or debris for nuclei). For the plane the
         * network's check of an automatic scale already ran on (the same object), its result.
         */
        public Segmenter.Probabilities probabilities(FloatPlane image, Progress progress) {
            if (scale.nothing()) {
                float[] one = new float[image.size()];
                java.util.Arrays.fill(one, 1f);
                return new Segmenter.Probabilities(new FloatPlane(image.width(), image.height(), one),
                        new FloatPlane(image.width(), image.height()), new FloatPlane(image.width(), image.height()));
            }
            if (image == checked && checkedProbabilities != null) {
                return checkedProbabilities;
            }
            return segmenter.probabilities(image, progress);
        }
    }

    /**
     * Chooses the scale ({@link AutoScale}: the given one, the model's fixed one, or {@code measure}d,
     * which is called only then) and the instance settings. The model's minimum size, counted in pixels at
     * its training size ({@link ModelInfo#minSizeAtTrainingSize}: a calibrated model's is converted from its
     * scale), is divided by the factor squared, whether the factor is measured, given or from a given diameter
     * (30 px at scale 1 is 270 px for nuclei three times as large); a given minimum size is always in
     * pixels of the input image.
     */
    public Plan plan(SegmentSettings s, java.util.function.Supplier<ObjectSize.Estimate> measure) {
        return plan(s, measure, () -> Double.NaN);
    }

    /**
     * {@link #plan(SegmentSettings, java.util.function.Supplier)}, with the {@link org.segmentcells.scale.Sharpness}
     * of planes at the image's own sampling, asked for only where a shrink depends on it
     * ({@link AutoScale#forLook}: its target, and a noisy plane's smoothing); NaN (as the two-argument form
     * gives) leaves the choice as measured.
     */
    public Plan plan(SegmentSettings s, java.util.function.Supplier<ObjectSize.Estimate> measure,
            java.util.function.DoubleSupplier sharpness) {
        AutoScale.Choice c = s.diameter() != null ? AutoScale.forDiameter(s.diameter(), info.trainingSize())
                : AutoScale.choose(s.scale(), info.scale, info.trainingSize(), measure);
        return plan(s, AutoScale.forLook(c, info.trainingSize(), sharpness));
    }

    private Plan plan(SegmentSettings s, AutoScale.Choice c) {
        // The model's own minimum size follows whatever factor is used, so a scale typed in (one copied from
        // auto's line, say) segments as auto did; under the model's calibrated scale this is its stored value.
        int minSize = s.minSize() != null ? s.minSize()
                : c.source() == AutoScale.Source.MODEL ? info.minSize
                : (int) Math.round(info.minSizeAtTrainingSize() / (c.factor() * c.factor()));
        InstanceOptions inst = new InstanceOptions(s.seedThreshold() != null ? s.seedThreshold() : info.seedThreshold,
                minSize);
        Segmenter seg = new Segmenter(s.tta() ? new FlipAveraged(this) : this, normalization(), s.tile(), c.factor())
                .withNoisy(c.look() == AutoScale.Look.NOISY);
        return new Plan(seg, inst, c);
    }

    /** The plan for one image ({@link #plan(SegmentSettings, List)}). */
    public Plan plan(SegmentSettings s, FloatPlane image) {
        return plan(s, List.of(image));
    }

    /** Planes measured for one scale over a stack: at most this many, evenly spaced through it. */
    public static final int SAMPLE_PLANES = 5;

    /**
     * The plan for all {@code count} planes of a stack or time-lapse, whose planes share a magnification:
     * {@link #plan(SegmentSettings, List)} of up to {@link #SAMPLE_PLANES} of them, evenly spaced and starting
     * with plane 0, so that a network check's result serves that plane ({@link Plan#checked}).
     *
     * @param plane plane {@code i} (0-based), read when measured
     */
    public Plan plan(SegmentSettings s, int count, java.util.function.IntFunction<FloatPlane> plane) {
        return plan(s, count, plane, Progress.NONE);
    }

    /** As above; {@code progress} may stop the network's part of choosing (its fractions are not reported). */
    public Plan plan(SegmentSettings s, int count, java.util.function.IntFunction<FloatPlane> plane, Progress progress) {
        int k = Math.min(count, SAMPLE_PLANES);
        List<FloatPlane> sample = new java.util.ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            sample.add(plane.apply((int) ((long) j * count / k)));
        }
        return plan(s, sample, progress);
    }

    /**
     * {@code measured}, or where it keeps small nuclei at scale 1 ({@link AutoScale#enlargesSmall}) and the
     * network draws sharp contours on a band of {@code planes} ({@link #enlargedIfSharp(AutoScale.Choice, List,
     * int, Progress)}), the plan enlarging them to the training median. Reads the planes and costs a pass over 128
     * rows only where the rule applies.
     */
    public Plan enlargedIfSharp(SegmentSettings s, Plan measured, java.util.function.Supplier<List<FloatPlane>> planes,
            Progress cancel) {
        if (!AutoScale.enlargesSmall(measured.scale(), info.trainingSize())) {
            return measured; // the planes are not read
        }
        AutoScale.Choice e = enlargedIfSharp(measured.scale(), planes.get(), s.tile(), cancel);
        return e == measured.scale() ? measured : plan(s, e);
    }

    /**
     * {@code c}, or where it keeps small nuclei at scale 1 ({@link AutoScale#enlargesSmall}), {@code c} enlarged
     * by the whole factor nearest the training median's ({@link AutoScale#ENLARGE_BELOW}) when the network at scale 1
     * draws sharp contours on a band of rows of {@code planes} that holds nuclei ({@link AutoScale#shareBand},
     * normalised as its plane is; without test-time flips, as the threshold was chosen):
     * {@link AutoScale#enlargedIfSharp}. Also where a fine-tune chooses the scale it
     * trains at, so that it learns its frames as they will be segmented.
     */
    public AutoScale.Choice enlargedIfSharp(AutoScale.Choice c, List<FloatPlane> planes, int tile, Progress cancel) {
        if (!AutoScale.enlargesSmall(c, info.trainingSize())) {
            return c;
        }
        List<int[]> bright = new java.util.ArrayList<>();
        for (FloatPlane p : planes) {
            bright.add(brightRows(p));
        }
        AutoScale.ShareBand band = AutoScale.shareBand(bright);
        Segmenter.Probabilities p = new Segmenter(this, normalization(), tile, 1).probabilitiesOfNormalised(
                normalization().applyToRows(planes.get(band.plane()), band.from(), band.to()), cancel);
        return AutoScale.enlargedIfSharp(c, info.trainingSize(),
                AutoScale.contourShare(p.background(), p.nucleus(), p.contour()));
    }

    /** Per row of {@code p}, its pixels above the middle of the range it is normalised to. */
    private int[] brightRows(FloatPlane p) {
        float[] range = normalization().range(p.data());
        float middle = (range[0] + range[1]) / 2;
        int w = p.width();
        int[] rows = new int[p.height()];
        float[] v = p.data();
        for (int y = 0; y < rows.length; y++) {
            int n = 0;
            for (int i = y * w, end = i + w; i < end; i++) {
                if (v[i] > middle) {
                    n++;
                }
            }
            rows[y] = n;
        }
        return rows;
    }

    /**
     * The plan for planes of one acquisition. An automatic scale that would shrink nuclei lying above the
     * training range but within {@link AutoScale#CHECK_RATIO} of it is checked by the network (by a model
     * trained on sharp crops only; one that learned resized images keeps a sharp first plane of at most a
     * megapixel at scale 1 without it and resizes any other, a soft one a little less:
     * {@link AutoScale#atOne}, {@link AutoScale#forLook}): it segments
     * the first plane at that scale and at scale 1, and scale 1 is kept when both find the same nuclei
     * ({@link AutoScale#keepsOne}). Why: a generalist learned many images at their own sizes beyond its
     * central range (held-out DSB images of 45 px nuclei score best unresized), while nuclei too large for
     * it break into pieces or fade at scale 1. The first plane's probabilities and labels are kept for
     * reuse, so segmenting that plane costs no third pass. The whole plane, not a window of it: on the
     * most textured 512 px square of large frames the two scales agreed where the whole frame did not
     * (DSB ×3 F 0.395 against 0.656, benchmarks-log.md); only a plane of many nuclei is first compared on
     * a band of them, which can end the check at the measured scale but never keep scale 1
     * ({@link AutoScale#checkBand}).
     */
    public Plan plan(SegmentSettings s, List<FloatPlane> planes) {
        return plan(s, planes, Progress.NONE);
    }

    /**
     * As above; {@code progress} may stop the network's part of choosing (on a 64 MP plane, minutes). Only its
     * cancel is used: the check's tiles are not the plane's progress.
     */
    public Plan plan(SegmentSettings s, List<FloatPlane> planes, Progress progress) {
        Progress cancel = progress.cancelOnly();
        if (planes.isEmpty()) {
            return plan(s, () -> measure(planes, cancel));
        }
        java.util.function.DoubleSupplier sharpness = org.segmentcells.scale.Sharpness.once(() -> planes);
        Plan measured = enlargedIfSharp(s, plan(s, () -> measure(planes, cancel), sharpness), () -> planes, cancel);
        AutoScale.Choice c = measured.scale();
        AutoScale.AtOne review = AutoScale.atOne(c, info.trainingSize(),
                (long) planes.get(0).width() * planes.get(0).height(), sharpness);
        if (review == AutoScale.AtOne.NO) {
            return measured;
        }
        if (review == AutoScale.AtOne.KEEP) {
            return plan(s, c.checked(AutoScale.Check.SHARP));
        }
        FloatPlane first = planes.get(0);
        Segmenter.Probabilities atAuto = measured.segmenter().probabilities(first, cancel);
        LabelPlane labelsAtAuto = measured.instances().label(atAuto, first);
        Plan one = plan(s, c.atOne());
        AutoScale.Band band = AutoScale.checkBand(labelsAtAuto, c.diameter());
        if (band != null) {
            // Normalised as the whole plane is, so that the band differs from it in scale only; faint objects
            // are still judged against the band's own background and noise.
            FloatPlane norm = normalization().applyToRows(first, band.from(), band.to());
            FloatPlane rows = first.rows(band.from(), band.to());
            LabelPlane bandAtOne = one.instances().label(one.segmenter().probabilitiesOfNormalised(norm, cancel), rows)
                    .rows(band.y0() - band.from(), band.y1() - band.from());
            double onBand = Evaluator.scoreFrame(labelsAtAuto.rows(band.y0(), band.y1()), bandAtOne, 0).f();
            if (AutoScale.stopsAtBand(onBand)) {
                return new Plan(measured.segmenter(), measured.instances(), c.checked(new AutoScale.Check(onBand, true, false)),
                        first, atAuto, labelsAtAuto);
            }
        }
        Segmenter.Probabilities atOne = one.segmenter().probabilities(first, cancel);
        LabelPlane labelsAtOne = one.instances().label(atOne, first);
        double agreement = Evaluator.scoreFrame(labelsAtAuto, labelsAtOne, 0).f();
        AutoScale.Check check = new AutoScale.Check(agreement, false, AutoScale.keepsOne(agreement));
        return check.keptOne()
                ? new Plan(one.segmenter(), one.instances(), c.checked(check), first, atOne, labelsAtOne)
                : new Plan(measured.segmenter(), measured.instances(), c.checked(check), first, atAuto, labelsAtAuto);
    }

    /**
     * The median nucleus size in planes of one acquisition: {@link ObjectSize}'s, or, when that counts
     * fewer than {@link ObjectSize#MIN_OBJECTS} nuclei, the size of the nuclei this model finds at scale 1
     * if it finds more. Why: dim nuclei beside a few bright ones can fail the threshold's two-class check
     * or leave only the bright ones above it (a 696×520 DSB frame with 199 nuclei measured nothing and got
     * empty labels, until {@link ObjectSize} also clipped the brightest pixels; sparse frames of 1–4
     * nuclei and dim ones still come here); the network sees them, at the shrink of the first plane where
     * its nuclei come out nearest the size it learned. Costs about 1.3 passes over at most {@link ObjectSize#MAX_PIXELS} for the
     * first plane and one for each other plane, on such images only. An image where
     * neither finds a nucleus still gets empty labels.
     */
    public ObjectSize.Estimate measure(List<FloatPlane> planes) {
        return measure(planes, Progress.NONE);
    }

    /** As above; {@code progress} may stop the network's part. */
    public ObjectSize.Estimate measure(List<FloatPlane> planes, Progress progress) {
        ObjectSize.Estimate e = ObjectSize.of(planes);
        if (e.objects() >= ObjectSize.MIN_OBJECTS) {
            return e;
        }
        Plan atOne = plan(SegmentSettings.MODEL.withScale(org.segmentcells.segment.Scale.ONE), () -> e);
        // The network runs on block-mean copies of the first plane shrunk 1, 2, 4... times (first to at most
        // ObjectSize.MAX_PIXELS, last to 128 px a side), and the copy where its nuclei come out nearest the size
        // it learned sets the level: nuclei too large for it break into pieces at its own scale, and pieces
        // cannot tell their size (the network is often surer of pieces, so its certainty cannot choose).
        // The cost stays within about 1.3 passes over a 1024x1024 frame.
        FloatPlane first = planes.get(0);
        int k = ObjectSize.shrinkFactor(first.width(), first.height());
        double target = info.trainingSize().median() > 0 ? info.trainingSize().median() : 25;
        int best = k;
        LabelPlane bestLabels = null;
        double nearest = Double.POSITIVE_INFINITY;
        for (int level = k; level == k || Math.min(first.width(), first.height()) / level >= 128; level *= 2) {
            LabelPlane l = atOne.segment(level == 1 ? first : org.segmentcells.img.Resample.blockMean(first, level), progress);
            double d = ObjectSize.medianDiameter(List.of(l));
            double off = d > 0 ? Math.abs(Math.log(d / target)) : Double.POSITIVE_INFINITY;
            if (off < nearest || bestLabels == null) {
                nearest = off;
                best = level;
                bestLabels = l;
            }
        }
        k = best;
        List<LabelPlane> found = new java.util.ArrayList<>();
        int objects = 0;
        for (FloatPlane p : planes) {
            LabelPlane l = p == first ? bestLabels : atOne.segment(k == 1 ? p : org.segmentcells.img.Resample.blockMean(p, k),
                    progress);
            objects += l.countObjects();
            found.add(l);
        }
        return objects > e.objects() ? new ObjectSize.Estimate(ObjectSize.medianDiameter(found) * k, objects) : e;
    }

    @Override
    public void probabilities(float[] tile, int width, int height, float[] out) {
        probabilities(tile, 1, width, height, out);
    }

    /**
     * {@code count} tiles of the same size in one network call (NHWC batch); {@code out} receives
     * {@code count * height * width * 3} probabilities.
     */
    public void probabilities(float[] tiles, int count, int width, int height, float[] out) {
        synchronized (bundle) {
            run(tiles, count, width, height, out);
            networkPixels += (long) count * width * height;
        }
    }

    /** Pixels this model's network has seen so far, tile overlap included: what a plan cost. */
    long networkPixels() {
        synchronized (bundle) {
            return networkPixels;
        }
    }

    private void run(float[] tiles, int count, int width, int height, float[] out) {
        org.segmentcells.segment.NetworkInput.clip(tiles, count * width * height);
        Session s = bundle.session();
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(count, height, width, 1), DataBuffers.of(tiles, true, false));
             Result r = s.runner().feed(inputName, in).fetch(outputName).run()) {
            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
        } catch (org.tensorflow.exceptions.TFResourceExhaustedException e) {
            throw new IllegalStateException(folder + ": TensorFlow ran out of memory on a " + width + "x" + height
                    + " tile; use a smaller " + org.segmentcells.setting.Setting.TILE.mention(), e);
        } catch (org.tensorflow.exceptions.TensorFlowException e) {
            throw new IllegalStateException(folder + ": the estimator failed to run, the model may be damaged ("
                    + firstLine(e) + ")", e);
        }
        // Inputs are finite (normalisation maps NaN to 0), so NaN here means damaged weights; without
        // this check they would silently give empty label images.
        int n = count * width * height * 3;
        for (int i = 0; i < n; i += 3) {
            if (Float.isNaN(out[i])) {
                throw new DamagedWeights(folder + ": the estimator outputs NaN; the model is damaged");
            }
        }
    }

    /**
     * The network's output is NaN: its weights diverged or are damaged, so the model can never run. Apart from
     * a failure of TensorFlow (out of memory, say), which another run may not meet.
     */
    public static final class DamagedWeights extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        DamagedWeights(String message) {
            super(message);
        }
    }

    /**
     * A model folder as a starting point for fine-tuning.
     *
     * @param discriminator D's weights, or null when the folder has none that this version can continue
     * @param discriminatorProblem why a discriminator model.json names cannot be continued (missing,
     *     unreadable, or not fitting its architecture at the model's crop size), naming the folder; null
     *     when there is none or it fits
     */
    public record Start(ModelInfo info, Weights estimator, Weights discriminator, String discriminatorProblem) {

        public Start(ModelInfo info, Weights estimator, Weights discriminator) {
            this(info, estimator, discriminator, null);
        }

        /** E's architecture (readInfo has checked that it is known). */
        public org.segmentcells.nets.Architecture architecture() {
            return org.segmentcells.nets.Architecture.ofId(info.architecture);
        }
    }

    /**
     * Reads a model folder as a starting point for fine-tuning. A discriminator that cannot be continued
     * does not stop it: the start comes without one, and says why ({@link Start#discriminatorProblem}).
     */
    public static Start readStart(Path folder) throws IOException {
        try (Model m = load(folder)) {
            ModelInfo info = m.info();
            Weights estimator = m.estimatorWeights();
            if (info.discriminator == null) {
                return new Start(info, estimator, null);
            }
            String problem;
            Weights d = null;
            try {
                d = ModelFolder.readDiscriminator(folder);
                org.segmentcells.nets.Discriminator arch = org.segmentcells.nets.Discriminator.ofArchitecture(info.discriminator);
                problem = d == null ? "its weights are missing"
                        : arch == null ? "this version does not know that architecture"
                        : arch.misfit(d, info.discriminatorPatch());
            } catch (IOException e) {
                problem = "its weights cannot be read (" + e.getMessage() + ")";
            }
            if (problem == null) {
                return new Start(info, estimator, d);
            }
            return new Start(info, estimator, null, folder + ": model.json names discriminator " + info.discriminator
                    + ", but " + problem);
        }
    }

    /** E's variables, for fine-tuning. */
    public Weights estimatorWeights() {
        java.util.List<String> names = new java.util.ArrayList<>();
        Iterator<GraphOperation> it = bundle.graph().operations();
        while (it.hasNext()) {
            GraphOperation op = it.next();
            if (op.type().startsWith("Variable") && op.name().startsWith(Estimator.PREFIX)) {
                names.add(op.name());
            }
        }
        return Params.fetch(bundle.session(), names);
    }

    @Override
    public void close() {
        bundle.close();
    }
}
