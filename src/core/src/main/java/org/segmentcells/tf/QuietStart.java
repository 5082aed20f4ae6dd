package org.segmentcells.tf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps TensorFlow's C++ start-up log lines (the oneDNN notice, the CPU feature guard, the SavedModel
 * loader, absl's "before InitializeLog" warning) off a command line user's terminal. Those lines are
 * written by native code straight to file descriptor 2, and TensorFlow reads its log level only from the
 * environment, once, which a running JVM cannot change. So a command-line main runs itself once more in
 * a child JVM with {@code TF_CPP_MIN_LOG_LEVEL=2} (warnings and errors of TensorFlow's own logger are
 * off; errors still reach the user as our exceptions), and drops the two absl lines that ignore that
 * variable from the child's stderr. Everything else passes through unchanged; stdin, stdout and the exit
 * status are the child's.
 *
 * <p>Not used when the user asked to see everything ({@code verbose}), under a debugger, when {@code TF_CPP_MIN_LOG_LEVEL}
 * is already set (the user chose), or inside the child.
 */
public final class QuietStart {

    /** Set in the child, so it does not start another. */
    static final String CHILD = "segmentcells.quiet-child";

    /** Whether this JVM is the quiet child that does a command's work (its parent faces the user). */
    public static boolean isChild() {
        return System.getProperty(CHILD) != null;
    }
    /** The pid of the JVM that started the child, which the child watches. */
    static final String PARENT = "segmentcells.quiet-parent";
    public static final String LOG_LEVEL = "TF_CPP_MIN_LOG_LEVEL";

    // absl logs these two regardless of TF_CPP_MIN_LOG_LEVEL (TensorFlow 2.18).
    private static final Pattern ABSL_NOISE = Pattern.compile(
            "WARNING: All log messages before absl::InitializeLog\\(\\) is called are written to STDERR"
                    + "|I0000 [0-9: .]+ +\\d+ mlir_graph_optimization_pass\\.cc:\\d+\\] MLIR V1 optimization pass is not enabled");

    private static volatile boolean thisProcess;

    private QuietStart() {
    }

    /**
     * Asks that TensorFlow's C++ start-up lines stay off stderr when it loads in this JVM
     * ({@link InProcessQuiet}, Linux and macOS), for front ends that cannot run in a child JVM (Fiji).
     * Ignored where {@code TF_CPP_MIN_LOG_LEVEL} is set (the user chose) or TensorFlow has loaded. This class
     * names no TensorFlow type, so asking works even where TensorFlow's jars are missing (that error comes
     * at the first segmentation, with its advice).
     */
    public static void keepThisProcessQuiet() {
        thisProcess = System.getenv(LOG_LEVEL) == null;
    }

    static boolean thisProcessQuiet() {
        return thisProcess;
    }

    /** Whether {@link #keepThisProcessQuiet()} can work on this platform (Linux and macOS). */
    public static boolean canQuietThisProcess() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        return os.startsWith("linux") || os.startsWith("mac");
    }

    /** A debugger attached to this JVM must see the work, so a debugged run stays in this process. */
    private static boolean debugged() {
        String tool = System.getenv("JAVA_TOOL_OPTIONS");
        return (tool != null && tool.contains("jdwp")) || ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.contains("jdwp"));
    }

    /** TensorFlow's oneDNN notice, printed while its native library loads. */
    private static final Pattern LOAD_NOTICE = Pattern.compile(
            "[0-9: .-]+: I tensorflow/core/util/port\\.cc:\\d+\\] oneDNN custom operations are on\\..*");

    /**
     * Whether {@code line} is TensorFlow's oneDNN notice, which it prints while its native library loads on
     * CPUs where it turns oneDNN on (AVX-512 VNNI and later): the child JVM's log level silences it, but in a
     * running JVM ({@link #keepThisProcessQuiet}) it comes, and fixes the logger's level, before anything of
     * ours can run C, so there TensorFlow's start-up lines show.
     */
    public static boolean isLoadNotice(String line) {
        return LOAD_NOTICE.matcher(line).matches();
    }

    /** Whether {@code line} is one of absl's start-up lines that TensorFlow's log level does not silence. */
    static boolean isNoise(String line) {
        return ABSL_NOISE.matcher(line).matches();
    }

    /**
     * Runs {@code main} with {@code args} in a quiet child JVM and returns its exit status, or -1 when
     * the caller should run in this JVM: {@code verbose}, the log level already set, already the child,
     * or no way to start a JVM found.
     */
    public static int relaunch(Class<?> main, String[] args, boolean verbose) {
        if (System.getProperty(CHILD) != null) {
            stopWithParent();
        }
        if (verbose || System.getenv(LOG_LEVEL) != null || System.getProperty(CHILD) != null || debugged()) {
            return -1;
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isExecutable(java)) {
            return -1;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        // The JVM's options as given, including those from JAVA_TOOL_OPTIONS / JDK_JAVA_OPTIONS, which are
        // therefore not passed on a second time through the environment.
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-D" + CHILD + "=true");
        cmd.add("-D" + PARENT + "=" + ProcessHandle.current().pid());
        // Started with java -jar: the same jar the same way (its manifest's attributes then apply as well).
        String command = System.getProperty("sun.java.command", "");
        String first = command.split(" ", 2)[0];
        if (first.endsWith(".jar") && first.equals(System.getProperty("java.class.path"))) {
            cmd.add("-jar");
            cmd.add(first);
        } else {
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(main.getName());
        }
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put(LOG_LEVEL, "2");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            return -1;
        }
        Thread stop = new Thread(child::destroy);
        Runtime.getRuntime().addShutdownHook(stop);
        Thread errors = new Thread(() -> copyErrors(child, System.err), "stderr of the quiet child");
        errors.start();
        try {
            int status = child.waitFor();
            errors.join();
            removeHook(stop);
            return status;
        } catch (InterruptedException e) {
            child.destroy();
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /**
     * What to say when the quiet child ended with {@code status} on a signal no one saw from here: killed outright
     * (9: the system's out-of-memory killer, or a kill -9) or crashed (6, 11); null for any other status, and for
     * SIGINT and SIGTERM, which reach this JVM too and are said by {@link #sayIfStopped}. Why: the child's own
     * words cannot come out then, and the run ended with exit status 137 and nothing on stderr (found by a tester).
     */
    public static String childKilled(int status) {
        int signal = status - 128;
        return switch (signal) {
            case 9 -> "its worker process was killed (signal 9: by the system when memory ran out, or by a kill -9)";
            case 6, 11 -> "its worker process crashed (signal " + signal + "; its hs_err_pid file, if any, says why)";
            default -> null;
        };
    }

    /**
     * In the JVM the user started (not a quiet child, whose stderr may not get through as its parent stops):
     * prints {@code command}, "stopped before the end" and {@code whatNow} on stderr if the JVM stops (Ctrl-C, a
     * kill) before {@link #removeHook} removes the hook returned; null where there is nothing to say.
     */
    public static Thread sayIfStopped(String command, java.util.function.Supplier<String> whatNow) {
        if (isChild() || whatNow.get() == null) {
            return null;
        }
        Thread say = new Thread(() -> System.err.println(command + ": stopped before the end; " + whatNow.get()));
        Runtime.getRuntime().addShutdownHook(say);
        return say;
    }

    /**
     * Removes a shutdown hook that the end of the work makes needless; once the JVM is shutting down (the user
     * stopped it, and the child ended with it) that is refused, and the hook runs as it should.
     */
    public static void removeHook(Thread hook) {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // "Shutdown in progress": nothing to undo.
        }
    }

    /**
     * In the child: exits (with the shutdown hooks, which delete unfinished files) when the JVM that started
     * it is gone. A parent killed outright (SIGKILL, the OOM killer) runs no hook to stop the child, which
     * would otherwise go on writing outputs with nobody reading its log.
     */
    private static void stopWithParent() {
        String pid = System.getProperty(PARENT);
        if (pid == null) {
            return;
        }
        // Named by the parent: one killed while this JVM started is already gone (its own parent is then init).
        java.util.Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(pid));
        Thread watch = new Thread(() -> {
            parent.ifPresent(p -> p.onExit().join());
            System.exit(137);
        }, "parent watch");
        watch.setDaemon(true);
        watch.start();
    }

    private static void copyErrors(Process child, PrintStream err) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getErrorStream(), Charset.defaultCharset()))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!isNoise(line)) {
                    err.println(line);
                }
            }
        } catch (IOException e) {
            // The child is gone; its status tells what happened.
        }
    }
}
