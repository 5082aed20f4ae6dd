package org.segmentcells.nets;

import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The "ClassDisc" baseline: a plain classification CNN fed the image and the segmentation concatenated
 * on the channel axis. Three conv → batch norm → leaky ReLU → 2×2 max-pool stages, C(9,16), C(5,64),
 * C(3,160), then FC(64), FC(64), FC(1). The channel counts are chosen so its parameter count is close
 * to the Rib Cage discriminator's, so the comparison is about wiring, not size.
 */
public final class ClassDiscriminator implements Discriminator {

    public static final String ARCHITECTURE = "classdisc-v1";
    public static final int[][] STAGES = {{9, 16}, {5, 64}, {3, 160}};

    @Override
    public Operand<TFloat32> logits(Layers layers, Operand<TFloat32> image, Operand<TFloat32> segmentation) {
        Operand<TFloat32> x = layers.tf().concat(List.of(image, segmentation), layers.tf().constant(3));
        for (int i = 0; i < STAGES.length; i++) {
            x = layers.pool(layers.convBnLrelu(PREFIX + "conv" + (i + 1), x, STAGES[i][0], STAGES[i][1]));
        }
        x = layers.leakyRelu(layers.dense(PREFIX + "fc1", x, RibCageDiscriminator.FC));
        x = layers.leakyRelu(layers.dense(PREFIX + "fc2", x, RibCageDiscriminator.FC));
        return layers.dense(PREFIX + "fc3", x, 1);
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }
}
