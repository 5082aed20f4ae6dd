package org.segmentcells.nets;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The paper's Rib Cage discriminator (Figures 1 and 2): three Rib Cage blocks, then FC(64), FC(64),
 * FC(1) and a sigmoid (the sigmoid lives in the loss).
 *
 * <p>In each block the left rib convolves image features, the right rib convolves segmentation
 * features, and the spine convolves the concatenation of both rib inputs and the previous spine, with
 * half the filters of a rib. The first block has no spine input. Rib sizes follow the paper's list
 * C(9,8), C(5,32), C(3,64); the spines have 4, 16 and 32 filters. The paper's list also names a
 * C(4,64), which its Figure 2 and text (three blocks, then FC layers) leave no place for; we read it
 * as a typo and leave it out. Each convolution is conv → batch norm → leaky ReLU, and every stream is
 * max-pooled 2×2 after each block, so a 64×64 input reaches the FC layers at 8×8.
 */
public final class RibCageDiscriminator implements Discriminator {

    public static final String ARCHITECTURE = "ribcage-v1";
    /** Kernel size and rib filters of the three blocks; spines use half the filters. */
    public static final int[][] BLOCKS = {{9, 8}, {5, 32}, {3, 64}};
    public static final int FC = 64;

    /** The three outputs of a block. */
    public record Streams(Operand<TFloat32> left, Operand<TFloat32> right, Operand<TFloat32> spine) {
    }

    /** One Rib Cage block; {@code spine} is null for the first block. Outputs are not yet pooled. */
    public static Streams block(Layers layers, String name, Operand<TFloat32> left, Operand<TFloat32> right,
            Operand<TFloat32> spine, int kernel, int filters) {
        List<Operand<TFloat32>> parts = new ArrayList<>(List.of(left, right));
        if (spine != null) {
            parts.add(spine);
        }
        Operand<TFloat32> spineIn = layers.tf().concat(parts, layers.tf().constant(3));
        return new Streams(
                layers.convBnLrelu(name + "_left", left, kernel, filters),
                layers.convBnLrelu(name + "_right", right, kernel, filters),
                layers.convBnLrelu(name + "_spine", spineIn, kernel, filters / 2));
    }

    @Override
    public Operand<TFloat32> logits(Layers layers, Operand<TFloat32> image, Operand<TFloat32> segmentation) {
        Operand<TFloat32> left = image;
        Operand<TFloat32> right = segmentation;
        Operand<TFloat32> spine = null;
        for (int b = 0; b < BLOCKS.length; b++) {
            Streams s = block(layers, PREFIX + "block" + (b + 1), left, right, spine, BLOCKS[b][0], BLOCKS[b][1]);
            left = layers.pool(s.left());
            right = layers.pool(s.right());
            spine = layers.pool(s.spine());
        }
        // The head sees all three streams of the last block.
        Operand<TFloat32> x = layers.tf().concat(List.of(left, right, spine), layers.tf().constant(3));
        x = layers.leakyRelu(layers.dense(PREFIX + "fc1", x, FC));
        x = layers.leakyRelu(layers.dense(PREFIX + "fc2", x, FC));
        return layers.dense(PREFIX + "fc3", x, 1);
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }
}
