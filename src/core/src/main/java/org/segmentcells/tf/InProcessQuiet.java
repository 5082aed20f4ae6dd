package org.segmentcells.tf;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.tensorflow.internal.c_api.TFE_CustomDeviceTensorHandle.Num_dims_Pointer_TF_Status;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * Keeps TensorFlow's C++ start-up lines off stderr in a JVM that is already running (Fiji, started from a
 * terminal), where {@link QuietStart}'s child JVM is not possible. Two sources, two remedies:
 * <ul>
 * <li>TensorFlow's own logger (CPU feature guard, SavedModel loader) reads {@code TF_CPP_MIN_LOG_LEVEL} from
 * the C environment at its first line, so the variable is put there (C {@code putenv}) before any session
 * exists;</li>
 * <li>absl's logger, compiled into libtensorflow_cc with its settings hidden, prints two lines at the first
 * session run whatever the level; so the first run (a tiny graph) happens with file descriptor 2 pointed at
 * {@code /dev/null}, and the descriptor is restored right after. Both lines are printed once per process.</li>
 * </ul>
 * Java cannot call C functions without a native library of its own; TensorFlow Java's JavaCPP callback
 * classes can: a JavaCPP function pointer object is a struct whose first field is the C function's address,
 * and its {@code call} method calls it. {@link Num_dims_Pointer_TF_Status} is {@code int (*)(void*, TF_Status*)},
 * which fits {@code putenv}, {@code dup}, {@code dup2}, {@code open} and {@code close} (integer arguments in
 * the same registers). Used only on Linux and macOS, only after a call to {@code getpid} returned this
 * process's id; anything unexpected leaves stderr as it is and TensorFlow loads as usual.
 *
 * <p>On CPUs where TensorFlow turns oneDNN on (AVX-512 VNNI and later) it prints "oneDNN custom operations are
 * on" while its library loads, and its logger reads the level at that first line; JavaCPP's C calls live in
 * that same library, so the level is set first through JNA where the JVM has it ({@link #setLevelThroughJna});
 * without JNA such CPUs show TensorFlow's start-up lines ({@link QuietStart#isLoadNotice}).
 */
final class InProcessQuiet {

    private static final int STDERR = 2;
    private static final int O_WRONLY = 1;
    /** putenv keeps the pointer it is given, so the string lives as long as the process. */
    private static BytePointer environmentEntry;

    private InProcessQuiet() {
    }

    /**
     * Loads TensorFlow's native library and runs its first session of this process (a one-constant graph)
     * quietly; returns whether the lines were kept off stderr. TensorFlow's classes are named here only,
     * not in {@link TensorFlowRuntime}, so that a missing jar fails inside its load, with its advice.
     */
    static boolean run() {
        int saved = -1;
        int devNull = -1;
        try {
            boolean canQuiet = QuietStart.canQuietThisProcess();
            if (canQuiet) {
                setLevelThroughJna();
            }
            if (!canQuiet || !callsWork()) {
                runOnce();
                return false;
            }
            environmentEntry = new BytePointer(QuietStart.LOG_LEVEL + "=2");
            call("putenv", environmentEntry, 0);
            saved = call("dup", word(STDERR), 0);
            devNull = saved < 0 ? -1 : call("open", new BytePointer("/dev/null"), O_WRONLY);
            if (devNull < 0 || call("dup2", word(devNull), STDERR) != STDERR) {
                runOnce();
                return false;
            }
            try {
                runOnce();
            } finally {
                call("dup2", word(saved), STDERR);
            }
            return true;
        } finally {
            if (saved >= 0) {
                call("close", word(saved), 0);
            }
            if (devNull >= 0) {
                call("close", word(devNull), 0);
            }
        }
    }

    /**
     * Sets the log level in the C environment through JNA, where this JVM has it (Fiji ships it), before
     * TensorFlow's library loads: on CPUs where TensorFlow turns oneDNN on it logs while loading, and its
     * logger reads the level at that first line, before JavaCPP's calls (which live in TensorFlow's library)
     * can be made. By reflection, so that JNA stays optional; without it those CPUs show the start-up lines.
     */
    private static void setLevelThroughJna() {
        // This class's loader, else the thread's (Fiji's, which sees its jars/ folder, where JNA is).
        for (ClassLoader loader : new ClassLoader[] {InProcessQuiet.class.getClassLoader(),
            Thread.currentThread().getContextClassLoader()}) {
            try {
                Class<?> library = Class.forName("com.sun.jna.NativeLibrary", true, loader);
                Object c = library.getMethod("getInstance", String.class).invoke(null, "c");
                Object setenv = library.getMethod("getFunction", String.class).invoke(c, "setenv");
                Class.forName("com.sun.jna.Function", true, loader).getMethod("invokeInt", Object[].class)
                        .invoke(setenv, (Object) new Object[] {QuietStart.LOG_LEVEL, "2", 1});
                return;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // not there, or not usable: the next loader, else TensorFlow's lines may show
            }
        }
    }

    /** Builds and runs a one-constant graph: the process's first session run, where absl logs its lines. */
    private static void runOnce() {
        try (org.tensorflow.Graph g = new org.tensorflow.Graph(); org.tensorflow.Session s = new org.tensorflow.Session(g)) {
            try (org.tensorflow.Result r = s.runner().fetch(org.tensorflow.op.Ops.create(g).constant(1f)).run()) {
                r.size();
            }
        }
    }

    /** Whether C calls through a JavaCPP function pointer reach the function and return its result. */
    private static boolean callsWork() {
        try {
            org.bytedeco.javacpp.Loader.load(org.tensorflow.internal.c_api.global.tensorflow.class);
            for (String f : new String[] {"getpid", "putenv", "dup", "dup2", "open", "close"}) {
                if (org.bytedeco.javacpp.Loader.addressof(f) == null) {
                    return false;
                }
            }
            return call("getpid", null, 0) == ProcessHandle.current().pid();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Calls the C function {@code name} with two integer-sized arguments. */
    private static int call(String name, Pointer first, long second) {
        Pointer address = org.bytedeco.javacpp.Loader.addressof(name);
        try (LongPointer struct = new LongPointer(2)) {
            struct.put(0, address.address()).put(1, 0L);
            return new Num_dims_Pointer_TF_Status(struct).call(first, new TF_Status(word(second)));
        }
    }

    /** A pointer-sized argument carrying an integer. */
    private static Pointer word(long value) {
        return new Pointer() {
            {
                address = value;
            }
        };
    }
}
