package org.segmentcells.tf;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListMemoryBytes;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;

/**
 * Loads the TensorFlow native library on first use and turns a failure into a message a user can act
 * on. Also holds the thread settings every session uses.
 */
public final class TensorFlowRuntime {

    private static volatile String loaded;
    private static volatile String device;

    private TensorFlowRuntime() {
    }

    /** Loads TensorFlow once; throws an IllegalStateException with advice if it cannot. */
    public static synchronized String ensureLoaded() {
        if (loaded != null) {
            return loaded;
        }
        try {
            if (QuietStart.thisProcessQuiet()) {
                InProcessQuiet.run();
            }
            loaded = org.tensorflow.TensorFlow.version();
            return loaded;
        } catch (Throwable t) {
            String os = System.getProperty("os.name") + " " + System.getProperty("os.arch");
            throw new IllegalStateException("TensorFlow could not be loaded on " + os + " (" + t
                    + "). Segment Cells needs the tensorflow-core-native jar for this platform (linux-x86_64,"
                    + " linux-arm64, macosx-arm64 or windows-x86_64) beside its other jars; the GPU build also"
                    + " needs CUDA 12 and cuDNN 9 (README, installation).", t);
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
            try {
                cores = Integer.parseInt(override.trim());
            } catch (NumberFormatException e) {
                cores = 0;
            }
            if (cores < 1) {
                throw new IllegalArgumentException("-Dsegmentcells.threads=" + override + ": give a whole number of"
                        + " threads, 1 or more");
            }
        }
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(cores)
                .setInterOpParallelismThreads(Math.min(2, cores))
                .build();
    }

    /**
     * One line naming what TensorFlow runs on, e.g. "TensorFlow 2.18.0 on GPU (/device:GPU:0, 15.8 GB)"
     * or "TensorFlow 2.18.0 on CPU (2 threads)". TensorFlow places the network on a GPU by itself when the
     * GPU build finds one, so this only reports; it lists the devices of a throw-away session.
     */
    public static synchronized String deviceSummary() {
        if (device != null) {
            return device;
        }
        String version = ensureLoaded();
        List<String> gpus = new ArrayList<>();
        TF_Status status = TF_Status.newStatus();
        TF_Graph graph = TF_NewGraph();
        TF_SessionOptions options = TF_NewSessionOptions();
        try {
            TF_Session session = TF_NewSession(graph, options, status);
            status.throwExceptionIfNotOK();
            try {
                TF_DeviceList list = TF_SessionListDevices(session, status);
                status.throwExceptionIfNotOK();
                try {
                    for (int i = 0; i < TF_DeviceListCount(list); i++) {
                        String type = TF_DeviceListType(list, i, status).getString();
                        if ("GPU".equals(type)) {
                            String name = TF_DeviceListName(list, i, status).getString();
                            long bytes = TF_DeviceListMemoryBytes(list, i, status);
                            gpus.add(String.format(Locale.ROOT, "%s, %.1f GB",
                                    name.substring(name.indexOf("/device:")), bytes / 1e9));
                        }
                    }
                } finally {
                    TF_DeleteDeviceList(list);
                }
            } finally {
                TF_CloseSession(session, status);
                TF_DeleteSession(session, status);
            }
        } catch (RuntimeException e) {
            // Reporting must never stop a run; the session that does the work will say what is wrong.
            device = "TensorFlow " + version + " (devices not listed: " + e.getMessage() + ")";
            return device;
        } finally {
            TF_DeleteSessionOptions(options);
            TF_DeleteGraph(graph);
            status.delete();
        }
        int threads = sessionConfig().getIntraOpParallelismThreads();
        device = gpus.isEmpty()
                ? String.format(Locale.ROOT, "TensorFlow %s on CPU (%d threads)", version, threads)
                : "TensorFlow " + version + " on GPU (" + String.join("; ", gpus) + ")";
        return device;
    }
}
