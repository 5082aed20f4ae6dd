package org.segmentcells.nets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The variables of one graph, by flat name. A network builder asks for a variable by name; the first
 * request creates it, later requests (for example the inference branch of the estimator inside the
 * training graph) reuse it.
 *
 * <p>Initial values are drawn in Java from a seeded generator, so a run is repeatable. In a graph built
 * for export ({@code initialise = false}) variables get no initializer; their values come from
 * {@link #assign(Session, Weights)}.
 */
public final class Params {

    /** How a new variable starts. */
    public enum Init { HE_NORMAL, ZEROS, ONES }

    private final Graph graph;
    private final Ops tf;
    private final boolean initialise;
    private final SplittableRandom random;
    private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
    private final Map<String, Boolean> trainable = new LinkedHashMap<>();
    private final Map<String, Placeholder<TFloat32>> feeds = new LinkedHashMap<>();
    private final Map<String, Assign<TFloat32>> assigns = new LinkedHashMap<>();

    public Params(Graph graph, long seed, boolean initialise) {
        this.graph = graph;
        this.tf = Ops.create(graph);
        this.initialise = initialise;
        this.random = new SplittableRandom(seed);
    }

    public Graph graph() {
        return graph;
    }

    public Ops tf() {
        return tf;
    }

    /** A trainable variable. */
    public Variable<TFloat32> get(String name, long[] shape, Init init) {
        return get(name, shape, init, true);
    }

    /** A variable; non-trainable ones (batch-norm running averages) are left out of gradients. */
    public Variable<TFloat32> get(String name, long[] shape, Init init, boolean isTrainable) {
        Variable<TFloat32> v = variables.get(name);
        if (v != null) {
            return v;
        }
        Ops named = tf.withName(name);
        if (initialise) {
            v = named.withInitScope().variable(Shape.of(shape), TFloat32.class);
            Ops initOps = tf.withInitScope();
            initOps.assign(v, initOps.constant(Shape.of(shape), DataBuffers.of(initialValues(shape, init), true, false)));
        } else {
            v = named.variable(Shape.of(shape), TFloat32.class);
        }
        variables.put(name, v);
        trainable.put(name, isTrainable);
        return v;
    }

    private float[] initialValues(long[] shape, Init init) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] values = new float[n];
        switch (init) {
            case ONES -> java.util.Arrays.fill(values, 1f);
            case ZEROS -> { }
            case HE_NORMAL -> {
                // fan-in = product of all but the last dimension (HWIO filters, [in,out] matrices)
                long fanIn = 1;
                for (int i = 0; i < shape.length - 1; i++) {
                    fanIn *= shape[i];
                }
                double std = Math.sqrt(2.0 / fanIn);
                for (int i = 0; i < n; i++) {
                    values[i] = (float) (gaussian() * std);
                }
            }
        }
        return values;
    }

    private double gaussian() {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Trainable variables whose names start with the prefix, in creation order. */
    public List<Variable<TFloat32>> trainable(String prefix) {
        List<Variable<TFloat32>> out = new ArrayList<>();
        variables.forEach((name, v) -> {
            if (name.startsWith(prefix) && trainable.get(name)) {
                out.add(v);
            }
        });
        return out;
    }

    /** Names of all variables (trainable or not) whose names start with the prefix. */
    public List<String> names(String prefix) {
        return variables.keySet().stream().filter(n -> n.startsWith(prefix)).toList();
    }

    /** Number of trainable scalars under the prefix. */
    public long countTrainable(String prefix) {
        long total = 0;
        for (Variable<TFloat32> v : trainable(prefix)) {
            total += v.shape().size();
        }
        return total;
    }

    /** Fetches the current values of every variable under the prefix. */
    public Weights read(Session session, String prefix) {
        return fetch(session, names(prefix));
    }

    /** Fetches float variables (or any float outputs) by operation name into a Weights. */
    public static Weights fetch(Session session, List<String> opNames) {
        Weights w = new Weights();
        if (opNames.isEmpty()) {
            return w;
        }
        Session.Runner runner = session.runner();
        opNames.forEach(runner::fetch);
        try (Result r = runner.run()) {
            for (int i = 0; i < opNames.size(); i++) {
                TFloat32 t = (TFloat32) r.get(i);
                float[] values = new float[(int) t.size()];
                t.copyTo(DataBuffers.of(values, false, false));
                w.put(opNames.get(i), t.shape().asArray(), values);
            }
        }
        return w;
    }

    /**
     * Sets variables from weights. Every variable of the graph named in {@code w} must match its shape;
     * variables the weights do not name are left as they are.
     *
     * @return the number of variables assigned
     */
    public int assign(Session session, Weights w) {
        Session.Runner runner = session.runner();
        List<TFloat32> tensors = new ArrayList<>();
        int count = 0;
        try {
            for (Map.Entry<String, Variable<TFloat32>> e : variables.entrySet()) {
                Weights.Entry value = w.get(e.getKey());
                if (value == null) {
                    continue;
                }
                long[] expected = e.getValue().shape().asArray();
                if (!java.util.Arrays.equals(expected, value.shape())) {
                    throw new IllegalArgumentException("weight " + e.getKey() + " has shape "
                            + java.util.Arrays.toString(value.shape()) + ", the network needs "
                            + java.util.Arrays.toString(expected));
                }
                Placeholder<TFloat32> feed = feeds.computeIfAbsent(e.getKey(),
                        k -> tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(expected))));
                Assign<TFloat32> assign = assigns.computeIfAbsent(e.getKey(), k -> tf.assign(e.getValue(), feed));
                TFloat32 t = TFloat32.tensorOf(Shape.of(expected), DataBuffers.of(value.values(), true, false));
                tensors.add(t);
                runner.feed(feed, t).addTarget(assign);
                count++;
            }
            if (count > 0) {
                runner.run().close();
            }
        } finally {
            tensors.forEach(TFloat32::close);
        }
        return count;
    }
}
