package org.segmentcells.setting;

import java.util.regex.Pattern;

/** Numbers as users write them in settings. */
public final class Numbers {

    // Java's parser also takes 1f, 1d, 0x1p0, Infinity and NaN, which no user means as a setting.
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Numbers() {
    }

    /** A finite decimal number ({@code 0.35}, {@code 2}, {@code 1e-4}); a NumberFormatException otherwise. */
    public static double decimal(String text) {
        String t = text == null ? "" : text.strip();
        if (!DECIMAL.matcher(t).matches()) {
            throw new NumberFormatException("not a decimal number: '" + t + "'");
        }
        double v = Double.parseDouble(t);
        if (Double.isInfinite(v)) {
            throw new NumberFormatException("out of range: '" + t + "'");
        }
        return v;
    }
}
