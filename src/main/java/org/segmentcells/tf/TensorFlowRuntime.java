package org.segmentcells.tf;

import org.tensorflow.proto.ConfigProto;

/**
 * Loads the TensorFlow native library on first use and turns a failure into a message a user can act
 * on. Also holds the thread settings every session uses.
 */
public final class TensorFlowRuntime {

    private static volatile String loaded;

    private TensorFlowRuntime() {
    }

    /** Loads TensorFlow once; throws an IllegalStateException with advice if it cannot. */
    public static synchronized String ensureLoaded() {
        if (loaded != null) {
            return loaded;
        }
        try {
            loaded = org.tensorflow.TensorFlow.version();
            return loaded;
        } catch (Throwable t) {
            String os = System.getProperty("os.name") + " " + System.getProperty("os.arch");
            throw new IllegalStateException("TensorFlow could not be loaded on " + os + " (" + t
                    + "). Segment Cells needs the tensorflow-core-native jar for this platform (linux-x86_64,"
                    + " linux-arm64, macosx-arm64 or windows-x86_64) next to the plugin; the GPU build also"
                    + " needs CUDA 12 and cuDNN 9. See the README's Installation section.", t);
        }
    }

    /**
     * Session options: intra-op threads = available processors (measured best on 2 cores), one
     * inter-op thread since the graphs are a single chain.
     */
    public static ConfigProto sessionConfig() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        String override = System.getProperty("segmentcells.threads");
        if (override != null) {
            cores = Integer.parseInt(override);
        }
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(cores)
                .setInterOpParallelismThreads(Math.min(2, cores))
                .build();
    }
}
