package org.segmentcells.nets;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** A discriminator D(image, segmentation) → logit of P(manual). */
public interface Discriminator {

    /** Variable-name prefix shared by all discriminators (one per graph). */
    String PREFIX = "D_";

    /**
     * @param image NHWC, one channel
     * @param segmentation NHWC, three channels (class probabilities or one-hot maps)
     * @return logits of shape [n, 1]
     */
    Operand<TFloat32> logits(Layers layers, Operand<TFloat32> image, Operand<TFloat32> segmentation);

    /** Id written into model.json. */
    String architecture();

    /** A new discriminator of the architecture model.json names, or null for an id this version does not know. */
    static Discriminator ofArchitecture(String id) {
        for (Discriminator d : new Discriminator[] {new RibCageDiscriminator(), new ClassDiscriminator()}) {
            if (d.architecture().equals(id)) {
                return d;
            }
        }
        return null;
    }

    /**
     * Why {@code weights} cannot be this D's for crops of {@code patch} pixels (its dense layers are sized
     * for them), or null when every variable is there with its shape. Builds the graph and assigns the
     * weights once, without running D.
     */
    default String misfit(Weights weights, int patch) {
        try (org.tensorflow.Graph g = new org.tensorflow.Graph(); org.tensorflow.Session s = new org.tensorflow.Session(g)) {
            Params params = new Params(g, 0, false);
            org.tensorflow.op.Ops tf = params.tf();
            logits(new Layers(params, false),
                    tf.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(
                            org.tensorflow.ndarray.Shape.of(1, patch, patch, 1))),
                    tf.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(
                            org.tensorflow.ndarray.Shape.of(1, patch, patch, 3))));
            int needed = params.names(PREFIX).size();
            int set = params.assign(s, weights);
            return set == needed ? null : "its weights hold " + set + " of the " + needed + " variables of " + architecture();
        } catch (RuntimeException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }
}
