package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.segmentcells.tf.TensorFlowRuntime;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class ScaledManualMapTest {

    @Test
    void trueClassRaisedToTauOthersScaledAndConfidentPixelsKept() {
        TensorFlowRuntime.ensureLoaded();
        // Two pixels: E says (0.2, 0.5, 0.3) where the truth is background; E says (0.05, 0.95, 0)
        // where the truth is nucleus (already above tau, so kept as is).
        float[] probs = {0.2f, 0.5f, 0.3f, 0.05f, 0.95f, 0f};
        float[] target = {1, 0, 0, 0, 1, 0};
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> p = tf.constant(Shape.of(1, 1, 2, 3), DataBuffers.of(probs));
            Operand<TFloat32> t = tf.constant(Shape.of(1, 1, 2, 3), DataBuffers.of(target));
            Operand<TFloat32> m = TrainingGraph.scaled(tf, p, t, 0.9f);
            try (Session s = new Session(g); Result r = s.runner().fetch(m).run()) {
                float[] out = new float[6];
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
                // Background raised to 0.9; the remaining 0.1 split 0.5:0.3 -> 0.0625, 0.0375.
                assertEquals(0.9f, out[0], 1e-6);
                assertEquals(0.0625f, out[1], 1e-6);
                assertEquals(0.0375f, out[2], 1e-6);
                assertEquals(0.05f, out[3], 1e-6);
                assertEquals(0.95f, out[4], 1e-6);
                assertEquals(0f, out[5], 1e-6);
            }
        }
    }
}
