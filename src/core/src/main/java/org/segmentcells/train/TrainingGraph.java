package org.segmentcells.train;

import java.util.ArrayList;
import java.util.List;

import org.segmentcells.nets.Discriminator;
import org.segmentcells.nets.Estimator;
import org.segmentcells.nets.Layers;
import org.segmentcells.nets.Params;
import org.segmentcells.segment.ProbabilityNet;
import org.segmentcells.tf.TensorFlowRuntime;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.framework.optimizers.RMSProp;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One TensorFlow graph holding everything a training run needs: E in training mode, D (unless the
 * mode is cross-entropy), the losses, one optimizer per network, and E in inference mode sharing the
 * same variables for validation.
 *
 * <p>D always sees one mixed batch, manual segmentations in the first half and E's in the second,
 * in both its own step and E's step. With batch norm in D, a batch of fakes alone would be normalised
 * differently from the mixed batch D learned on (see docs/architecture.md).
 *
 * <p>Losses: D minimises the binary cross-entropy of "manual" vs "estimated" (eq. 3 of the paper). E
 * minimises {@code advWeight * -log D(I, E(I)) + ceWeight * CE}, the non-saturating form of eq. 4 plus
 * an optional pixel cross-entropy, which the original code also had. CE is weighted per pixel, so a
 * zero weight leaves a pixel out (used for scribbles).
 */
public final class TrainingGraph implements AutoCloseable {

    private final Graph graph;
    private final Session session;
    private final Params params;
    private final TrainConfig config;
    private final int batch;
    private final int patch;

    final Placeholder<TFloat32> image;
    final Placeholder<TFloat32> target;
    final Placeholder<TFloat32> weight;
    final Placeholder<TFloat32> real;
    final Operand<TFloat32> ceLoss;
    final Operand<TFloat32> advLoss;
    final Operand<TFloat32> dLoss;
    final Operand<TFloat32> dReal;
    final Operand<TFloat32> dFake;
    final List<Op> eStep = new ArrayList<>();
    final List<Op> dStep = new ArrayList<>();
    private final Placeholder<TFloat32> inferImage;
    private final Operand<TFloat32> inferProbabilities;
    private boolean closed;

    public TrainingGraph(TrainConfig config) {
        TensorFlowRuntime.ensureLoaded();
        this.config = config;
        this.batch = config.batch();
        this.patch = config.patch();
        this.graph = new Graph();
        try {
            this.params = new Params(graph, config.seed(), true);
            Ops tf = params.tf();
            Shape imgShape = Shape.of(batch, patch, patch, 1);
            Shape segShape = Shape.of(batch, patch, patch, Estimator.CLASSES);
            image = tf.withName("train_image").placeholder(TFloat32.class, Placeholder.shape(imgShape));
            target = tf.withName("train_target").placeholder(TFloat32.class, Placeholder.shape(segShape));
            weight = tf.withName("train_weight").placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, patch, patch)));
            real = tf.withName("train_real").placeholder(TFloat32.class, Placeholder.shape(segShape));

            Layers eLayers = new Layers(params, !config.freezeBatchNorm());
            Operand<TFloat32> logits = config.estimator().logits(eLayers, image);
            Operand<TFloat32> probs = tf.nn.softmax(logits);

            // Weighted pixel cross-entropy: sum(w * ce) / max(sum(w), 1).
            Operand<TFloat32> flatLogits = tf.reshape(logits, tf.constant(new long[] {-1, Estimator.CLASSES}));
            Operand<TFloat32> flatTarget = tf.reshape(target, tf.constant(new long[] {-1, Estimator.CLASSES}));
            Operand<TFloat32> flatWeight = tf.reshape(weight, tf.constant(new long[] {-1}));
            Operand<TFloat32> pixelCe = tf.nn.softmaxCrossEntropyWithLogits(flatLogits, flatTarget).loss();
            ceLoss = tf.math.div(tf.sum(tf.math.mul(pixelCe, flatWeight), tf.constant(0)),
                    tf.math.maximum(tf.sum(flatWeight, tf.constant(0)), tf.constant(1f)));

            List<Variable<TFloat32>> eVars = params.trainable(Estimator.PREFIX);
            Discriminator disc = config.mode().discriminator();
            Operand<TFloat32> eLoss;
            if (disc != null) {
                Layers dLayers = new Layers(params, true);
                Operand<TFloat32> dImage = tf.concat(List.of(image, image), tf.constant(0));
                Operand<TFloat32> manual = config.realScale() > 0 ? scaled(tf, probs, target, config.realScale()) : real;
                // Unlabelled pixels (weight 0: scribbles, padding) have no manual class; there the
                // manual map shows E's own output, so D judges only the labelled pixels' difference.
                // Fully labelled crops are unchanged (real·1 + p·0 = real exactly).
                Operand<TFloat32> w4 = tf.expandDims(weight, tf.constant(3));
                manual = tf.math.add(tf.math.mul(manual, w4),
                        tf.math.mul(tf.stopGradient(probs), tf.math.sub(tf.constant(1f), w4)));
                Operand<TFloat32> dSeg = tf.concat(List.of(manual, probs), tf.constant(0));
                Operand<TFloat32> dLogits = disc.logits(dLayers, dImage, dSeg);
                float[] labels = new float[2 * batch];
                float[] fakeMask = new float[2 * batch];
                for (int i = 0; i < batch; i++) {
                    labels[i] = 1f;
                    fakeMask[batch + i] = 1f;
                }
                Operand<TFloat32> dLabels = tf.constant(Shape.of(2L * batch, 1), DataBuffers.of(labels));
                Operand<TFloat32> mask = tf.constant(Shape.of(2L * batch, 1), DataBuffers.of(fakeMask));
                Operand<TFloat32> ones = tf.constant(Shape.of(2L * batch, 1), DataBuffers.of(ones(2 * batch)));
                dLoss = tf.math.mean(sigmoidCe(tf, dLabels, dLogits), tf.constant(new int[] {0, 1}));
                // Non-saturating estimator loss on the fake half: -log D(I, E(I)).
                Operand<TFloat32> foolD = sigmoidCe(tf, ones, dLogits);
                advLoss = tf.math.div(tf.sum(tf.math.mul(foolD, mask), tf.constant(new int[] {0, 1})),
                        tf.constant((float) batch));
                Operand<TFloat32> dProb = tf.math.sigmoid(dLogits);
                dReal = tf.math.div(tf.sum(tf.math.mul(dProb, tf.math.sub(ones, mask)), tf.constant(new int[] {0, 1})),
                        tf.constant((float) batch));
                dFake = tf.math.div(tf.sum(tf.math.mul(dProb, mask), tf.constant(new int[] {0, 1})),
                        tf.constant((float) batch));
                eLoss = tf.math.add(tf.math.mul(tf.constant(config.advWeight()), advLoss),
                        tf.math.mul(tf.constant(config.ceWeight()), ceLoss));
                List<Variable<TFloat32>> dVars = params.trainable(Discriminator.PREFIX);
                dStep.add(minimize(tf, optimizer("optD", config.learningRateD()), dLoss, dVars));
                dStep.addAll(dLayers.updates());
            } else {
                // Distinct ops: a session cannot fetch the same output twice in one run.
                dLoss = tf.constant(0f);
                advLoss = tf.constant(0f);
                dReal = tf.constant(0f);
                dFake = tf.constant(0f);
                eLoss = ceLoss;
            }
            eStep.add(minimize(tf, optimizer("optE", config.learningRate()), eLoss, eVars));
            eStep.addAll(eLayers.updates());

            // Inference branch for validation: same variables, running averages in batch norm.
            inferImage = tf.withName("infer_image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 1)));
            inferProbabilities = tf.nn.softmax(config.estimator().logits(new Layers(params, false), inferImage));

            Session s = new Session(graph, TensorFlowRuntime.sessionConfig());
            try {
                s.initialize();
            } catch (RuntimeException e) {
                // The session first: Graph.close() waits for every session on the graph to close, so forever.
                s.close();
                throw e;
            }
            session = s;
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /**
     * The manual map as shown to D under "scaling" (Luc et al., Semantic Segmentation using Adversarial
     * Networks, 2016): E's own probabilities, with the true class raised to at least {@code tau} and
     * the other classes scaled down in proportion. Manual and estimated maps then have the same
     * softness, so D can only tell them apart by where the mass is, i.e. by correctness. E's
     * probabilities enter through stopGradient: E learns only through the estimated half.
     */
    static Operand<TFloat32> scaled(Ops tf, Operand<TFloat32> probs, Operand<TFloat32> target, float tau) {
        Operand<TFloat32> s = tf.stopGradient(probs);
        Operand<TFloat32> sTrue = tf.sum(tf.math.mul(s, target), tf.constant(3), org.tensorflow.op.core.Sum.keepDims(true));
        Operand<TFloat32> t = tf.math.maximum(sTrue, tf.constant(tau));
        Operand<TFloat32> one = tf.constant(1f);
        Operand<TFloat32> ratio = tf.math.div(tf.math.sub(one, t), tf.math.maximum(tf.math.sub(one, sTrue), tf.constant(1e-6f)));
        Operand<TFloat32> others = tf.math.mul(tf.math.mul(s, tf.math.sub(one, target)), ratio);
        return tf.math.add(tf.math.mul(target, t), others);
    }

    /** Numerically stable sigmoid cross-entropy: max(z,0) - z*y + log(1 + exp(-|z|)). */
    private static Operand<TFloat32> sigmoidCe(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> logits) {
        return tf.math.add(tf.math.sub(tf.nn.relu(logits), tf.math.mul(logits, labels)),
                tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    private Optimizer optimizer(String name, float lr) {
        return switch (config.optimizer()) {
            case ADAM -> new Adam(graph, name, lr);
            // Same defaults as TF1's RMSPropOptimizer used by the original code.
            case RMSPROP -> new RMSProp(graph, name, lr, 0.9f, 0f, 1e-10f, false);
        };
    }

    /**
     * Gradients of {@code loss} with respect to {@code vars} only, applied by {@code opt}.
     * Optimizer.minimize would differentiate every variable, including batch-norm running averages.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Op minimize(Ops tf, Optimizer opt, Operand<TFloat32> loss, List<Variable<TFloat32>> vars) {
        Gradients grads = tf.gradients(loss, vars);
        List<Optimizer.GradAndVar<?>> pairs = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Output<TFloat32> g = grads.dy(i);
            pairs.add(new Optimizer.GradAndVar(g, vars.get(i).asOutput()));
        }
        return opt.applyGradients((List) pairs, opt.getOptimizerName() + "_" + vars.get(0).op().name());
    }

    public Params params() {
        return params;
    }

    public Session session() {
        return session;
    }

    public Graph graph() {
        return graph;
    }

    /** Losses of one step. */
    public record StepLosses(float ce, float adv, float d, float dReal, float dFake) {
    }

    /** One update of D on a batch. */
    public StepLosses trainD(Batch b) {
        return run(b, dStep);
    }

    /** One update of E on a batch. */
    public StepLosses trainE(Batch b) {
        return run(b, eStep);
    }

    /** Losses on a batch without updating anything (batch norm in training mode). */
    public StepLosses evaluate(Batch b) {
        return run(b, List.of());
    }

    private StepLosses run(Batch b, List<Op> targets) {
        org.segmentcells.segment.NetworkInput.clip(b.image(), b.image().length);
        try (TFloat32 img = TFloat32.tensorOf(Shape.of(batch, patch, patch, 1), DataBuffers.of(b.image(), true, false));
             TFloat32 tgt = TFloat32.tensorOf(Shape.of(batch, patch, patch, 3), DataBuffers.of(b.target(), true, false));
             TFloat32 wgt = TFloat32.tensorOf(Shape.of(batch, patch, patch), DataBuffers.of(b.weight(), true, false));
             TFloat32 rl = TFloat32.tensorOf(Shape.of(batch, patch, patch, 3), DataBuffers.of(b.real(), true, false))) {
            Session.Runner r = session.runner().feed(image, img).feed(target, tgt).feed(weight, wgt).feed(real, rl)
                    .fetch(ceLoss).fetch(advLoss).fetch(dLoss).fetch(dReal).fetch(dFake);
            targets.forEach(r::addTarget);
            try (Result res = r.run()) {
                return new StepLosses(scalar(res, 0), scalar(res, 1), scalar(res, 2), scalar(res, 3), scalar(res, 4));
            }
        }
    }

    private static float scalar(Result r, int i) {
        return ((TFloat32) r.get(i)).getFloat();
    }

    /** E in inference mode, for validation inside the training run. */
    public ProbabilityNet inference() {
        return new ProbabilityNet() {
            @Override
            public void probabilities(float[] tile, int w, int h, float[] out) {
                org.segmentcells.segment.NetworkInput.clip(tile, w * h);
                try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, h, w, 1), DataBuffers.of(tile, true, false));
                     Result res = session.runner().feed(inferImage, in).fetch(inferProbabilities).run()) {
                    ((TFloat32) res.get(0)).copyTo(DataBuffers.of(out, false, false));
                }
            }

            @Override
            public org.segmentcells.nets.Architecture architecture() {
                return config.estimator();
            }
        };
    }

    /** Idempotent, so a Trainer that closed a graph to replace it can close it again on the way out. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (session != null) {
            session.close();
        }
        graph.close();
    }
}
