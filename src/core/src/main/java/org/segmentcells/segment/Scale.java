package org.segmentcells.segment;

import java.io.IOException;
import java.util.Locale;

import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

import org.segmentcells.setting.Setting;

/**
 * The object scale setting: a factor the image is resized by before the network (below 1 shrinks nuclei
 * larger than those the model learned from), or {@link #AUTO}, which measures the nuclei of each image
 * ({@code scale.ObjectSize}) and picks the factor that brings them to the model's training size
 * ({@code scale.AutoScale}). Written {@code auto} or a number, in model.json, on the command line and in macros.
 * "The model's own setting" is not a value of this type: callers pass null for it.
 */
public final class Scale implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** Smallest and largest factor: beyond these, nuclei would be resampled beyond recognition. */
    public static final double MIN = Segmenter.MIN_SCALE;
    public static final double MAX = Segmenter.MAX_SCALE;
    public static final String AUTO_NAME = "auto";
    public static final Scale AUTO = new Scale(Double.NaN);
    public static final Scale ONE = new Scale(1);

    private final double factor;

    private Scale(double factor) {
        this.factor = factor;
    }

    /** {@link #AUTO} and {@link #ONE} stay themselves across serialisation (a Spark task carries a scale). */
    private Object readResolve() {
        return Double.isNaN(factor) ? AUTO : factor == 1 ? ONE : this;
    }

    /** {@code factor} kept within {@link #MIN}–{@link #MAX}. */
    public static double clamp(double factor) {
        return Math.max(MIN, Math.min(MAX, factor));
    }

    /** A fixed factor; an IllegalArgumentException names the range otherwise. */
    public static Scale of(double factor) {
        if (!(factor >= MIN && factor <= MAX)) {
            throw new IllegalArgumentException(Setting.SCALE.mention() + " must be " + AUTO_NAME + " or a number from " + MIN + " to " + MAX
                    + ", got " + (Double.isNaN(factor) ? "NaN" : fmt(factor)));
        }
        return factor == 1 ? ONE : new Scale(factor);
    }

    /** {@code auto} (any case) or a number in range; an IllegalArgumentException says what is allowed. */
    public static Scale parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.equalsIgnoreCase(AUTO_NAME)) {
            return AUTO;
        }
        double f;
        try {
            f = org.segmentcells.setting.Numbers.decimal(t);
        } catch (NumberFormatException e) {
            f = Double.NaN;
        }
        if (!(f >= MIN && f <= MAX)) {
            // The text as given: 4.00001 rounded for the message would read as in range.
            throw new IllegalArgumentException(Setting.SCALE.mention() + " must be " + AUTO_NAME + " or a number from " + MIN + " to " + MAX
                    + ", got '" + t + "'");
        }
        return of(f);
    }

    public boolean isAuto() {
        return Double.isNaN(factor);
    }

    /** The fixed factor; only for a scale that is not {@link #AUTO}. */
    public double factor() {
        if (isAuto()) {
            throw new IllegalStateException("an automatic scale has no fixed factor");
        }
        return factor;
    }

    @Override
    public String toString() {
        return isAuto() ? AUTO_NAME : fmt(factor);
    }

    private static String fmt(double f) {
        String s = String.format(Locale.ROOT, "%.4f", f).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scale s && Double.compare(s.factor, factor) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(factor);
    }

    /** model.json: {@code "auto"} or a number (older files always hold a number). */
    public static final class Json extends TypeAdapter<Scale> {
        @Override
        public void write(JsonWriter out, Scale s) throws IOException {
            if (s == null) {
                out.nullValue();
            } else if (s.isAuto()) {
                out.value(AUTO_NAME);
            } else {
                out.value(s.factor);
            }
        }

        @Override
        public Scale read(JsonReader in) throws IOException {
            JsonToken t = in.peek();
            if (t == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            try {
                return t == JsonToken.NUMBER ? of(in.nextDouble()) : parse(in.nextString());
            } catch (IllegalArgumentException e) {
                throw new com.google.gson.JsonParseException(e.getMessage(), e);
            }
        }
    }
}
