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
        int at = -1;
        for (int i = options.indexOf(k); i >= 0; i = options.indexOf(k, i + 1)) {
            if ((i == 0 || options.charAt(i - 1) == ' ') && !insideBrackets(options, i)) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return k + "[] " + options;
        }
        int end = valueEnd(options, at + k.length());
        String rest = options.substring(0, at) + options.substring(end).replaceFirst("^ ", "");
        return options.substring(at, end) + " " + rest;
    }

    /**
     * {@code key}'s own value in the running macro's options (never a longer key's that ends with it), or null
     * outside a macro or when the macro does not give it. For the SciJava commands ({@link MacroInputs}), whose
     * inputs imagej-legacy reads with {@code Macro.getValue}.
     */
    public static String exactValue(String key) {
        String options = Macro.getOptions();
        return options == null ? null : exactValue(options, key);
    }

    /** {@link #exactValue(String)} of {@code options}. */
    public static String exactValue(String options, String key) {
        String v = Macro.getValue(keyFirst(options, key), key, null);
        return v == null || v.isEmpty() ? null : v;
    }

    /**
     * Before an ImageJ 1.x dialog reads the running macro's options: what is wrong with a value the dialog
     * would misread, or null. A number key given a non-number ({@code min_size=3O}) makes ImageJ's headless
     * dialog throw, so nothing runs while the macro goes on; a whole-number key must hold one. A macro
     * variable's name ({@code min_size=&ms}) is replaced by its value, which ImageJ's headless dialog cannot
     * look up. A tick-box
     * key given {@code =true} or {@code =false}, which ImageJ's dialog ignores, is rewritten to its bare word
     * or dropped (as the SciJava commands read it, {@link MacroInputs}); another value is an error. Nothing
     * is checked outside a macro.
     */
    public static String checkForDialog(java.util.Set<String> wholeNumbers, java.util.Set<String> numbers,
            java.util.Set<String> tickBoxes) {
        String options = Macro.getOptions();
        if (options == null) {
            return null;
        }
        String rewritten = options;
        java.util.Set<String> all = new java.util.TreeSet<>(wholeNumbers);
        all.addAll(numbers);
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
        for (String key : tickBoxes) {
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
            Macro.setOptions(rewritten);
        }
        return null;
    }

    /** {@link #checkForDialog}, what is wrong reported under {@code title}; false if the command must stop. */
    public static boolean readyForDialog(String title, java.util.Set<String> wholeNumbers, java.util.Set<String> numbers,
            java.util.Set<String> tickBoxes) {
        String wrong = checkForDialog(wholeNumbers, numbers, tickBoxes);
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

    /** Whether {@code at} lies inside a bracketed value ({@code input=[/data/run tile=3]}), which ImageJ keeps whole. */
    private static boolean insideBrackets(String s, int at) {
        int open = s.lastIndexOf('[', at);
        return open >= 0 && s.lastIndexOf(']', at) < open;
    }

    /** Where a value starting at {@code from} ends: after its closing bracket, or at the next space. */
    private static int valueEnd(String s, int from) {
        if (from < s.length() && s.charAt(from) == '[') {
            int close = s.indexOf(']', from);
            return close < 0 ? s.length() : close + 1;
        }
        int space = s.indexOf(' ', from);
        return space < 0 ? s.length() : space;
    }
}
