package org.segmentcells.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.segmentcells.setting.Setting;
import org.segmentcells.tf.QuietStart;

/**
 * {@code java -jar segment-cells.jar COMMAND [options]}. Exit codes: 0 success, 1 failure (message on
 * stderr), 2 command-line mistake.
 */
public final class Main {

    /** One CLI command. */
    public interface Command {
        String summary();

        String usage();

        void run(String[] args, PrintStream out) throws Exception;

        /** Commands that warn on stderr without failing override this one. */
        default void run(String[] args, PrintStream out, PrintStream err) throws Exception {
            run(args, out);
        }

        /**
         * What a user who stops the command run with {@code args} mid-run (Ctrl-C, a kill) is told of what is left
         * and how to go on, asked at the moment it stops; null: nothing to say.
         */
        default String whenStopped(String[] args) {
            return null;
        }
    }

    /**
     * More commands from other modules on the class path, found with {@link ServiceLoader} through
     * {@code META-INF/services/org.segmentcells.cli.Main$Extension}: the bench module adds {@code synth}
     * and {@code benchmark} this way, so the CLI never imports it.
     */
    public interface Extension {
        /** Command names and commands, in the order the overview lists them. */
        Map<String, Command> commands();
    }

    static final Map<String, Command> COMMANDS = new java.util.LinkedHashMap<>();

    static {
        COMMANDS.put("segment", new SegmentCommand());
        COMMANDS.put("train", new TrainCommand());
        COMMANDS.put("evaluate", new EvaluateCommand());
        for (Extension e : ServiceLoader.load(Extension.class, Main.class.getClassLoader())) {
            COMMANDS.putAll(e.commands());
        }
    }

    private Main() {
    }

    /** Shows TensorFlow's own start-up lines, which {@link QuietStart} otherwise keeps off the terminal. */
    static final String VERBOSE = "--verbose";

    public static void main(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean verbose = rest.remove(VERBOSE);
        String[] a = rest.toArray(String[]::new);
        boolean runsTensorFlow = a.length > 0 && COMMANDS.containsKey(a[0]) && !rest.contains("--help")
                && !rest.contains("-h");
        String[] given = a.length > 0 ? Arrays.copyOfRange(a, 1, a.length) : a;
        Thread say = runsTensorFlow ? QuietStart.sayIfStopped("segment-cells " + a[0],
                () -> COMMANDS.get(a[0]).whenStopped(given)) : null;
        int status = runsTensorFlow ? QuietStart.relaunch(Main.class, a, verbose) : -1;
        String killed = status > 0 ? QuietStart.childKilled(status) : null;
        if (killed != null) {
            String whatNow = COMMANDS.get(a[0]).whenStopped(given);
            System.err.println("segment-cells " + a[0] + ": " + killed + (whatNow == null ? "" : "; " + whatNow));
        }
        int code = status >= 0 ? status : run(a, System.out, System.err);
        QuietStart.removeHook(say); // the command ended by itself (or the JVM is stopping, and it is said)
        System.exit(code);
    }

    /** Runs a command and returns its exit code (used by tests without exiting the JVM). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.println(overview());
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.println("segment-cells " + org.segmentcells.model.Version.get());
            return 0;
        }
        Command c = COMMANDS.get(args[0]);
        if (c == null) {
            err.println("segment-cells: unknown command '" + args[0] + "'\n\n" + overview());
            return 2;
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        if (java.util.Arrays.asList(rest).contains("--help") || java.util.Arrays.asList(rest).contains("-h")) {
            out.println(c.usage());
            return 0;
        }
        try {
            c.run(rest, out, err);
            return 0;
        } catch (Args.UsageException | org.segmentcells.model.ModelInfo.UnusableSetting e) {
            // A setting the model cannot take (a tile under its margins) is a mistake in the options too.
            err.println("segment-cells " + args[0] + ": " + Setting.spell(e, SPELLING) + "\n\n" + c.usage());
            return 2;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            err.println("segment-cells " + args[0] + ": " + Setting.spell(e, SPELLING));
            return 1;
        } catch (Exception e) {
            err.println("segment-cells " + args[0] + ": unexpected error: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /**
     * How the command line writes a setting that a core message names: {@code --scale 1}, {@code --overwrite};
     * the Spark driver's flags are the same.
     */
    public static final Setting.Spelling SPELLING = (setting, value) -> "--" + setting.key().replace('_', '-')
            + (value == null ? "" : " " + value);

    /** The jar this runs from, as {@code java -jar} was given it (the research jar runs these commands too). */
    static String jarName() {
        String command = System.getProperty("sun.java.command", "").split(" ")[0];
        return command.endsWith(".jar") ? Path.of(command).getFileName().toString() : "segment-cells.jar";
    }

    static String overview() {
        StringBuilder sb = new StringBuilder("""
                Segment Cells: nucleus segmentation with adversarial neural networks.

                usage: java -jar %s COMMAND [options]   (COMMAND --help for details)

                commands:
                """.formatted(jarName()));
        COMMANDS.forEach((k, v) -> sb.append(String.format("  %-10s %s%n", k, v.summary())));
        sb.append("  version    print the version\n");
        sb.append("\n" + VERBOSE + " (with any command) also shows TensorFlow's own start-up messages.\n");
        return sb.toString();
    }
}
