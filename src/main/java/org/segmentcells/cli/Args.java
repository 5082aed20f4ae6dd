package org.segmentcells.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Minimal GNU-style option parser: {@code --name value}, {@code --flag}, and positional arguments. */
final class Args {

    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    /**
     * @param valued options that take a value
     * @param flags options without a value
     */
    Args(String[] args, Set<String> valued, Set<String> flags) {
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
                        if (i + 1 >= args.length) {
                            throw new UsageException("option --" + name + " needs a value");
                        }
                        value = args[++i];
                    }
                    options.put(name, value);
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else {
                positional.add(a);
            }
        }
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    String get(String name, String def) {
        return options.getOrDefault(name, def);
    }

    String require(String name) {
        String v = options.get(name);
        if (v == null) {
            throw new UsageException("missing required option --" + name);
        }
        return v;
    }

    Path path(String name) {
        String v = options.get(name);
        return v == null ? null : Path.of(v);
    }

    int integer(String name, int def) {
        return parse(name, def, Integer::parseInt, "a whole number");
    }

    long longValue(String name, long def) {
        return parse(name, def, Long::parseLong, "a whole number");
    }

    float number(String name, float def) {
        return parse(name, def, Float::parseFloat, "a number");
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

    List<String> positional() {
        return positional;
    }

    /** A command-line mistake: printed with the command's usage, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
