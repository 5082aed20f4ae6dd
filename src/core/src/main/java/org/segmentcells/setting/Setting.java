package org.segmentcells.setting;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings that core messages mention. A message names a setting with {@link #mention()} or
 * {@link #is(Object)}, never with a flag or macro key: each front end spells it its own way
 * ({@code --scale 1} on the command line, {@code scale=1} in an ImageJ macro) through
 * {@link #spell(String, Spelling)} where it shows the message.
 */
public enum Setting {
    MODEL, OUTPUT, SCALE, DIAMETER, SCALE_PER_PLANE, CHANNEL, NUCLEAR_CHANNEL, MIN_SIZE, SEED_THRESHOLD, TILE, TTA, PROBABILITIES, OVERWRITE, STREAMING, MODE, INIT, STEPS, LR, RESUME,
    VALIDATION_IMAGES, VALIDATION_LABELS;

    /** How a front end writes a setting: {@code value} is null for a bare mention (a switch, or "give the ..."). */
    @FunctionalInterface
    public interface Spelling {
        String spell(Setting setting, String value);
    }

    /** Plain words ("scale 1", "overwrite"), for messages no front end rewrote (logs, exceptions from a library). */
    public static final Spelling PLAIN = (s, v) -> v == null ? s.words() : s.words() + " " + v;

    // Markers are plain text so that a message stays readable if a front end does not spell it.
    private static final Pattern MARKER = Pattern.compile("\u2039([a-z_]+)(?:=([^\u203a]*))?\u203a");

    /** The setting's name in lower case with underscores, as ImageJ macro keys write it: {@code min_size}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The name in words: {@code min size}. */
    public String words() {
        return key().replace('_', ' ');
    }

    /** This setting, to be spelled by the front end that shows the message. */
    public String mention() {
        return "\u2039" + key() + "\u203a";
    }

    /** This setting given {@code value}, e.g. {@code SCALE.is(1)}: "--scale 1" or "scale=1". */
    public String is(Object value) {
        return "\u2039" + key() + "=" + value + "\u203a";
    }

    /** {@code message} with every mention of a setting written as {@code spelling} writes it. */
    public static String spell(String message, Spelling spelling) {
        if (message == null) {
            return null;
        }
        Matcher m = MARKER.matcher(message);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            Setting s;
            try {
                s = valueOf(m.group(1).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException notOurs) {
                continue; // text that only looks like a marker, e.g. in a file name
            }
            m.appendReplacement(b, Matcher.quoteReplacement(spelling.spell(s, m.group(2))));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * {@link #spell} of a throwable's message (its class when it has none); a file system's failure in words
     * ({@link FileErrors#describe}), since its message is often the path alone.
     */
    public static String spell(Throwable e, Spelling spelling) {
        return spell(e instanceof java.nio.file.FileSystemException ? FileErrors.describe(e)
                : e.getMessage() == null ? e.toString() : e.getMessage(), spelling);
    }

    /**
     * A stream that writes each line to {@code out} with its settings spelled: how core's warnings, which name
     * settings as its messages do, reach a front end's console or log.
     */
    public static java.io.PrintStream spelled(java.io.PrintStream out, Spelling spelling) {
        return spelled(out::println, spelling);
    }

    /**
     * A stream that hands each whole line, its settings spelled, to {@code line} (a console, ImageJ's Log):
     * a PrintStream flushes after every printf piece, and only whole lines should reach a log.
     */
    public static java.io.PrintStream spelled(java.util.function.Consumer<String> line, Spelling spelling) {
        java.io.OutputStream lines = new java.io.OutputStream() {
            private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    String text = buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
                    line.accept(spell(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text, spelling));
                    buffer.reset();
                } else {
                    buffer.write(b);
                }
            }

            @Override
            public synchronized void close() {
                if (buffer.size() > 0) {
                    write('\n');
                }
            }
        };
        return new java.io.PrintStream(lines, true, java.nio.charset.StandardCharsets.UTF_8);
    }
}
