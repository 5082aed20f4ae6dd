package org.segmentcells.fiji.plugin;

import ij.Macro;

/**
 * Macro options as ImageJ 1.x dialogs read them. ImageJ finds a key also where it ends a longer key: its
 * {@code Macro.getValue} takes the first {@code channel=} not preceded by a letter, so
 * {@code nuclear_channel=2} read as {@code channel=2}, and {@code validation_images=[v]} before
 * {@code images=[a]} gave the training images the validation folder.
 */
public final class MacroOptions {

    private MacroOptions() {
    }

    /**
     * Before a dialog reads the running macro's options: {@code key}'s own value is put first, where ImageJ
     * finds it before any longer key that ends with it; a macro that does not give {@code key} gets it empty
     * there (the dialog's "not given"). Nothing changes outside a macro.
     */
    public static void keyFirst(String key) {
        String options = Macro.getOptions();
        if (options != null) {
            Macro.setOptions(keyFirst(options, key));
        }
    }

    /** {@code options} with {@code key=value} (at the start or after a space) first, or {@code key=[]} if absent. */
    public static String keyFirst(String options, String key) {
        String k = key + "=";
        for (Token t : tokens(options)) {
            if (t.key().equals(key) && t.valued()) {
                String rest = options.substring(0, t.start()) + options.substring(t.end()).replaceFirst("^ ", "");
                return options.substring(t.start(), t.end()) + " " + rest;
            }
        }
        return k + "[] " + options;
    }

    /**
     * {@code key}'s own value in the running macro's options (never a longer key's that ends with it), or null
     * outside a macro or when the macro does not give it (empty when it gives it empty). For the SciJava commands ({@link MacroInputs}), whose
     * inputs imagej-legacy reads with {@code Macro.getValue}.
     */
    public static String exactValue(String key) {
        String options = Macro.getOptions();
        return options == null ? null : exactValue(options, key);
    }

    /** {@link #exactValue(String)} of {@code options}; empty when given empty ({@code key=[]}), as dialogs read it. */
    public static String exactValue(String options, String key) {
        for (Token t : tokens(options)) {
            if (t.key().equals(key) && t.valued()) {
                return Macro.getValue(keyFirst(options, key), key, null);
            }
        }
        return null;
    }

    /**
     * Whether the command runs from a macro, with the macro's options (as {@link Macro#getOptions}). A macro that
     * gives none ({@code run("Segment Cells")}) in batch mode or headless runs with every default, as one that
     * leaves keys out does: a dialog there would stop a batch run (headless ImageJ cannot even show it).
     * An interactive macro still shows the dialog, as ImageJ's own commands do.
     */
    public static boolean inMacro() {
        if (batchWithoutOptions()) {
            Macro.setOptions(NO_OPTIONS); // ImageJ keeps a non-empty string: every dialog field reads its default
        }
        return Macro.getOptions() != null;
    }

    /** The options of a macro that gave none: every key left out. */
    static final String NO_OPTIONS = " ";

    /** Whether a macro runs a command without options where no dialog should open: in batch mode, or headless. */
    static boolean batchWithoutOptions() {
        return Macro.getOptions() == null && ij.IJ.isMacro()
                && (ij.macro.Interpreter.isBatchMode() || java.awt.GraphicsEnvironment.isHeadless());
    }

    /**
     * The keys an ImageJ 1.x dialog reads: every one, and which of them are whole numbers, other numbers and
     * tick boxes (the rest are text or choices).
     */
    public record Keys(java.util.Set<String> all, java.util.Set<String> wholeNumbers, java.util.Set<String> numbers,
            java.util.Set<String> tickBoxes) {

        /** Text keys only, to which the typed ones are added with {@link #wholeNumbers(String...)} and the like. */
        public static Keys of(String... text) {
            return new Keys(java.util.Set.of(text), java.util.Set.of(), java.util.Set.of(), java.util.Set.of());
        }

        public Keys wholeNumbers(java.util.Collection<String> keys) {
            return new Keys(union(all, keys), union(wholeNumbers, keys), numbers, tickBoxes);
        }

        public Keys numbers(java.util.Collection<String> keys) {
            return new Keys(union(all, keys), wholeNumbers, union(numbers, keys), tickBoxes);
        }

        public Keys tickBoxes(String... keys) {
            java.util.List<String> k = java.util.List.of(keys);
            return new Keys(union(all, k), wholeNumbers, numbers, union(tickBoxes, k));
        }

        private static java.util.Set<String> union(java.util.Set<String> a, java.util.Collection<String> b) {
            java.util.Set<String> u = new java.util.TreeSet<>(a);
            u.addAll(b);
            return java.util.Collections.unmodifiableSet(u);
        }
    }

    /**
     * The keys {@code options} gives, in order: each {@code key=value} (outside brackets: in
     * {@code input=[/data/a tile=3]} the path is a value) and each bare word (a ticked box).
     */
    public static java.util.List<String> keys(String options) {
        return tokens(options).stream().map(Token::key).toList();
    }

    /** Whether {@code options} ticks the box {@code key} by its bare word (not inside a bracketed value). */
    public static boolean ticks(String options, String key) {
        return tokens(options).stream().anyMatch(t -> t.key().equals(key) && !t.valued());
    }

    /** One top-level {@code key=value} or bare word of the options: characters {@code [start, end)}. */
    private record Token(String key, boolean valued, int start, int end) {
    }

    /** The options split as ImageJ reads them: values end where {@link #valueEnd} says. */
    private static java.util.List<Token> tokens(String options) {
        java.util.List<Token> out = new java.util.ArrayList<>();
        int i = 0;
        int n = options.length();
        while (i < n) {
            while (i < n && options.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && options.charAt(i) != ' ' && options.charAt(i) != '=') {
                i++;
            }
            boolean valued = i < n && options.charAt(i) == '=';
            String key = options.substring(start, i);
            if (valued) {
                i = valueEnd(options, i + 1);
            }
            if (!key.isEmpty()) {
                out.add(new Token(key, valued, start, i));
            }
        }
        return out;
    }

    /**
     * A key of {@code options} that {@code known} does not hold, as a message naming it and the keys there
     * are, or null. ImageJ's own dialogs ignore a key they do not read, so a typo ({@code step=5},
     * {@code min-size=50}) would quietly run with the default instead.
     */
    public static String unknownKey(String options, java.util.Set<String> known) {
        for (String k : keys(options)) {
            if (!known.contains(k)) {
                return "unknown key '" + k + "'; the keys are " + String.join(", ", new java.util.TreeSet<>(known));
            }
        }
        return null;
    }

    /**
     * Before an ImageJ 1.x dialog reads the running macro's options: what is wrong with them, or null. A key
     * the dialog does not read is refused ({@link #unknownKey}). A number key given a non-number
     * ({@code min_size=3O}) makes ImageJ's headless dialog throw, so nothing runs while the macro goes on; a
     * whole-number key must hold one. A macro variable's name ({@code min_size=&ms}) is replaced by its value,
     * which ImageJ's headless dialog cannot look up. A tick-box key given {@code =true} or {@code =false},
     * which ImageJ's dialog ignores, is rewritten to its bare word or dropped (as the SciJava commands read it,
     * {@link MacroInputs}); another value is an error. Nothing is checked outside a macro.
     */
    public static String checkForDialog(Keys keys) {
        String options = Macro.getOptions();
        if (options == null) {
            return null;
        }
        String unknown = unknownKey(options, keys.all());
        if (unknown != null) {
            return unknown;
        }
        java.util.Set<String> wholeNumbers = keys.wholeNumbers();
        String rewritten = options;
        java.util.Set<String> all = new java.util.TreeSet<>(wholeNumbers);
        all.addAll(keys.numbers());
        for (String key : all) {
            String v = givenValue(rewritten, key);
            if (v == null) {
                continue;
            }
            Double d = number(v.strip());
            if (d == null) {
                return key + "=" + v + (wholeNumbers.contains(key) ? " is not a whole number" : " is not a number");
            }
            if (wholeNumbers.contains(key) && d != Math.rint(d)) {
                return key + "=" + v + " is not a whole number";
            }
            if (!isNumeral(v.strip())) {
                rewritten = replaceValue(rewritten, key, String.valueOf(d)); // a macro variable's value, given as such
            }
        }
        for (String key : keys.tickBoxes()) {
            String v = givenValue(rewritten, key);
            if (v == null) {
                continue;
            }
            if (!v.strip().equalsIgnoreCase("true") && !v.strip().equalsIgnoreCase("false")) {
                return key + "=" + v + " is not true or false (a tick box is ticked by its key alone: " + key + ")";
            }
            String rest = withoutKey(rewritten, key);
            rewritten = (v.strip().equalsIgnoreCase("true") ? key + " " : "") + rest;
        }
        if (!rewritten.equals(options)) {
            // Emptied (verbose=false alone), it must stay a macro's options, or ImageJ would open the dialog.
            Macro.setOptions(rewritten.isBlank() ? NO_OPTIONS : rewritten);
        }
        return null;
    }

    /** {@link #checkForDialog}, what is wrong reported under {@code title}; false if the command must stop. */
    public static boolean readyForDialog(String title, Keys keys) {
        String wrong = checkForDialog(keys);
        if (wrong != null) {
            Reports.error(title, wrong);
        }
        return wrong == null;
    }

    /** {@code key}'s own value as given, {@code ""} for {@code key=} or {@code key=[]}, or null when not given. */
    private static String givenValue(String options, String key) {
        String first = keyFirst(options, key);
        return first.startsWith(key + "=[] ") && !options.contains(key + "=[]") ? null
                : Macro.getValue(first, key, "");
    }

    /**
     * {@code text} as a number, as ImageJ's dialogs read it in a macro: a numeral, or the name of a macro
     * variable holding one ({@code &ms} or {@code ms}); null otherwise.
     */
    private static Double number(String text) {
        if (isNumeral(text)) {
            return Double.parseDouble(text);
        }
        String name = text.startsWith("&") ? text.substring(1) : text;
        ij.macro.Interpreter interp = ij.macro.Interpreter.getInstance();
        if (name.matches("[A-Za-z_][A-Za-z0-9_]*") && interp != null) {
            double v = interp.getVariable2(name);
            return Double.isNaN(v) ? null : v;
        }
        return null;
    }

    private static boolean isNumeral(String text) {
        try {
            Double.parseDouble(text);
            return !text.isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** {@code options} without {@code key=value} (its value bracketed or not). */
    private static String withoutKey(String options, String key) {
        String first = keyFirst(options, key);
        int end = valueEnd(first, key.length() + 1);
        return first.substring(end).replaceFirst("^ ", "");
    }

    /** {@code options} with {@code key}'s value replaced. */
    private static String replaceValue(String options, String key, String value) {
        return key + "=" + value + " " + withoutKey(options, key);
    }

    /**
     * Where a value starting at {@code from} ends, as ImageJ's {@code Macro.getValue} reads it: after the
     * bracket that closes its opening one (brackets nest: {@code [/data/Pos[1]/a.tif]}), after its closing
     * single quote ({@code '/data/my images'}), or at the next space.
     */
    private static int valueEnd(String s, int from) {
        if (from < s.length() && s.charAt(from) == '[') {
            int depth = 0;
            for (int i = from; i < s.length(); i++) {
                char c = s.charAt(i);
                depth += c == '[' ? 1 : c == ']' ? -1 : 0;
                if (depth == 0) {
                    return i + 1;
                }
            }
            return s.length();
        }
        if (from < s.length() && s.charAt(from) == '\'') {
            int close = s.indexOf('\'', from + 1);
            return close < 0 ? s.length() : close + 1;
        }
        int space = s.indexOf(' ', from);
        return space < 0 ? s.length() : space;
    }
}
