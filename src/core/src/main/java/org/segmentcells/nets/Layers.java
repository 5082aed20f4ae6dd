package org.segmentcells.nets;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.op.nn.MaxPool;
import org.tensorflow.types.TFloat32;

/**
 * Building blocks shared by the estimator and the discriminators: convolution (stride 1, SAME
 * padding), batch norm, leaky ReLU, max pooling and fully connected layers. Variables come from a
 * {@link Params}, so building the same layer names twice shares the weights.
 */
public final class Layers {

    /** Slope of leaky ReLU for negative inputs. */
    public static final float LEAKY_ALPHA = 0.2f;
    /** Weight of the newest batch in the running averages used at inference. */
    public static final float BN_MOMENTUM = 0.01f;
    public static final float BN_EPSILON = 1e-3f;

    private final Params params;
    private final Ops tf;
    private final boolean training;
    private final List<Op> updates = new ArrayList<>();

    /**
     * @param training batch statistics and running-average updates (true), or running averages (false)
     */
    public Layers(Params params, boolean training) {
        this.params = params;
        this.tf = params.tf();
        this.training = training;
    }

    public Ops tf() {
        return tf;
    }

    public boolean training() {
        return training;
    }

    /** The assigns of batch-norm running averages; run them with every training step. */
    public List<Op> updates() {
        return updates;
    }

    /** conv → batch norm → leaky ReLU, the paper's layer "C(k, filters)". */
    public Operand<TFloat32> convBnLrelu(String name, Operand<TFloat32> x, int kernel, int filters) {
        return leakyRelu(batchNorm(name, conv(name, x, kernel, filters)));
    }

    public Operand<TFloat32> conv(String name, Operand<TFloat32> x, int kernel, int filters) {
        long in = x.shape().size(3);
        if (in < 0) {
            throw new IllegalArgumentException(name + ": input channel count must be known");
        }
        Variable<TFloat32> w = params.get(name + "_w", new long[] {kernel, kernel, in, filters}, Params.Init.HE_NORMAL);
        return tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME", Conv2d.dataFormat("NHWC"));
    }

    /** Convolution plus a bias, no normalisation: an output layer. */
    public Operand<TFloat32> convBias(String name, Operand<TFloat32> x, int kernel, int filters) {
        Variable<TFloat32> b = params.get(name + "_b", new long[] {filters}, Params.Init.ZEROS);
        return tf.nn.biasAdd(conv(name, x, kernel, filters), b);
    }

    public Operand<TFloat32> batchNorm(String name, Operand<TFloat32> x) {
        long c = x.shape().size(3);
        Variable<TFloat32> scale = params.get(name + "_bn_scale", new long[] {c}, Params.Init.ONES);
        Variable<TFloat32> offset = params.get(name + "_bn_offset", new long[] {c}, Params.Init.ZEROS);
        Variable<TFloat32> mean = params.get(name + "_bn_mean", new long[] {c}, Params.Init.ZEROS, false);
        Variable<TFloat32> var = params.get(name + "_bn_var", new long[] {c}, Params.Init.ONES, false);
        if (training) {
            FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(x, scale, offset, mean, var,
                    FusedBatchNorm.isTraining(true), FusedBatchNorm.epsilon(BN_EPSILON),
                    FusedBatchNorm.exponentialAvgFactor(BN_MOMENTUM));
            // With exponentialAvgFactor the op returns the updated running averages; keep them.
            updates.add(tf.assign(mean, bn.batchMean()));
            updates.add(tf.assign(var, bn.batchVariance()));
            return bn.y();
        }
        return tf.nn.fusedBatchNorm(x, scale, offset, mean, var, FusedBatchNorm.isTraining(false),
                FusedBatchNorm.epsilon(BN_EPSILON)).y();
    }

    public Operand<TFloat32> leakyRelu(Operand<TFloat32> x) {
        return tf.nn.leakyRelu(x, LeakyRelu.alpha(LEAKY_ALPHA));
    }

    /** 2×2 max pooling with stride 2. */
    public Operand<TFloat32> pool(Operand<TFloat32> x) {
        return tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "SAME",
                MaxPool.dataFormat("NHWC"));
    }

    /** Fully connected layer with bias; the input is flattened first. */
    public Operand<TFloat32> dense(String name, Operand<TFloat32> x, int units) {
        long in = 1;
        for (int d = 1; d < x.shape().numDimensions(); d++) {
            in *= x.shape().size(d);
        }
        if (in <= 0) {
            throw new IllegalArgumentException(name + ": input size must be known, got " + x.shape());
        }
        Operand<TFloat32> flat = tf.reshape(x, tf.constant(new long[] {-1, in}));
        Variable<TFloat32> w = params.get(name + "_w", new long[] {in, units}, Params.Init.HE_NORMAL);
        Variable<TFloat32> b = params.get(name + "_b", new long[] {units}, Params.Init.ZEROS);
        return tf.nn.biasAdd(tf.linalg.matMul(flat, w), b);
    }
}
