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
}
