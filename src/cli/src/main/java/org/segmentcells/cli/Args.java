package org.segmentcells.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Minimal GNU-style option parser: {@code --name value}, {@code --flag}, and positional arguments. */
public final class Args {

    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    /**
     * @param valued options that take a value
     * @param flags options without a value
     */
    public Args(String[] args, Set<String> valued, Set<String> flags) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name) && value == null) {
                    options.put(name, "true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        // "--model --output out" leaves --model without its value (negative numbers have one dash).
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw new UsageException("option --" + name + " needs a value");
                        }
                        value = args[++i];
                    }
                    // Given twice, the last wins, as in most command lines (scripts append their overrides).
                    options.put(name, value);
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else if (a.length() > 1 && a.startsWith("-") && !java.nio.file.Files.exists(Path.of(a))) {
                // -o, -m: options here are spelled out (--output); a file of that name is taken as given.
                throw new UsageException("unknown option " + a + " (options start with --, e.g. --output)");
            } else {
                positional.add(a);
            }
        }
    }

    /**
     * The value last given to {@code --name} in {@code args} ({@code --name v} or {@code --name=v}), or null; read
     * without the command's option lists, for what is said when a run that parsed them is stopped.
     */
    public static String lastValue(String[] args, String name) {
        String value = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--" + name) && i + 1 < args.length) {
                value = args[++i];
            } else if (args[i].startsWith("--" + name + "=")) {
                value = args[i].substring(name.length() + 3);
            }
        }
        return value;
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    public String get(String name, String def) {
        return options.getOrDefault(name, def);
    }

    public String require(String name) {
        String v = options.get(name);
        if (v == null) {
            throw new UsageException("missing required option --" + name);
        }
        if (v.isBlank()) {
            // --output "" would quietly mean the current folder.
            throw new UsageException("--" + name + " needs a value, got ''");
        }
        return v;
    }

    /** A path option; given empty it would quietly mean the current folder, so that is a usage error. */
    public Path path(String name) {
        String v = options.get(name);
        if (v != null && v.isBlank()) {
            throw new UsageException("--" + name + " needs a value, got ''");
        }
        return v == null ? null : Path.of(v);
    }

    public int integer(String name, int def) {
        return parse(name, def, Integer::parseInt, "a whole number");
    }

    public long longValue(String name, long def) {
        return parse(name, def, Long::parseLong, "a whole number");
    }

    public float number(String name, float def) {
        return parse(name, def, v -> (float) org.segmentcells.setting.Numbers.decimal(v), "a number");
    }

    /** Whole numbers separated by commas, blanks skipped ({@code --frames 1,2,4}; "" is none). */
    public List<Integer> integers(String name, String def) {
        String v = get(name, def);
        List<Integer> r = new ArrayList<>();
        for (String x : v.split(",")) {
            if (!x.isBlank()) {
                try {
                    r.add(Integer.parseInt(x.strip()));
                } catch (NumberFormatException e) {
                    throw new UsageException("--" + name + ": expected whole numbers separated by commas, got " + v);
                }
            }
        }
        return r;
    }

    /** Numbers separated by commas ({@code --factors 0.5,1,2}). */
    public double[] numbers(String name, String def) {
        String v = get(name, def);
        try {
            return java.util.Arrays.stream(v.split(",")).mapToDouble(org.segmentcells.setting.Numbers::decimal).toArray();
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": numbers separated by commas, got " + v);
        }
    }

    private <T> T parse(String name, T def, java.util.function.Function<String, T> parser, String what) {
        String v = options.get(name);
        if (v == null) {
            return def;
        }
        try {
            return parser.apply(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs " + what + ", got '" + v + "'");
        }
    }

    public List<String> positional() {
        return positional;
    }

    /** A command-line mistake: printed with the command's usage, exit code 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
