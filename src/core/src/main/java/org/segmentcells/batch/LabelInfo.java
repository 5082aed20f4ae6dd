package org.segmentcells.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.segmentcells.img.Channel;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelStore;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.model.Version;
import org.segmentcells.scale.AutoScale;
import org.segmentcells.setting.Setting;

/**
 * What a label image's Info says of how it was made, wherever it was made (a label file of {@code segment}, of
 * Segment Image Files or of the Spark job, or Segment Cells' label image in Fiji): the tool and its version,
 * the model, then a {@code key=value} line per setting, named as ImageJ macros name it ({@link Setting#key()}),
 * with a value that differs between planes given plane by plane ({@link PlaneRuns}).
 */
public final class LabelInfo {

    /** The first line's words, before the version. */
    public static final String TITLE = "Segment Cells";

    private final String model;
    private final int tile;
    private final boolean tta;
    private final int nuclearChannel;
    private final Channel channel;
    private final PlaneRuns scales = new PlaneRuns();
    private final PlaneRuns minSizes = new PlaneRuns();
    private double seedThreshold = Double.NaN;
    private String fingerprint;

    /**
     * @param model          the model as the run names it
     * @param nuclearChannel the channel segmented of a file of several (1-based), or 0
     * @param channel        the channel a colour image was read through, or null (a gray image)
     */
    public LabelInfo(String model, int tile, boolean tta, int nuclearChannel, Channel channel) {
        this.model = model;
        this.tile = tile;
        this.tta = tta;
        this.nuclearChannel = nuclearChannel;
        this.channel = channel;
    }

    /** For an image file segmented by {@code model} with {@code s}: the model named by its folder. */
    public static LabelInfo of(Model model, SegmentSettings s, int nuclearChannel, Channel channel) {
        LabelInfo info = new LabelInfo(ModelStore.describe(model.folder()), s.tile(), s.tta(), nuclearChannel, channel);
        info.fingerprint = ModelFolder.fingerprint(model.folder());
        return info;
    }

    /** A model as a re-run compares it with an earlier run's: how runs name it, and its content's digest (or null). */
    public record ModelIdentity(String described, String fingerprint) {
        public static ModelIdentity of(java.nio.file.Path folder) {
            return new ModelIdentity(ModelStore.describe(folder), ModelFolder.fingerprint(folder));
        }
    }

    /** The Info's lines of a one-plane image segmented with {@code plan} (in bands, say). */
    public static String text(Model model, SegmentSettings s, Model.Plan plan) {
        LabelInfo info = of(model, s, 0, null);
        info.add(1, plan);
        return info.text();
    }

    /** Plane {@code plane} (1-based) was segmented with {@code plan}. */
    public void add(int plane, Model.Plan plan) {
        scales.add(plane, plan.scale().value());
        // Under auto each plane's scale sets its minimum size: the Info lists them as the scales.
        minSizes.add(plane, String.valueOf(plan.instances().minSize()));
        seedThreshold = plan.instances().seedThreshold();
    }

    /** The lines, each ended by {@code \n}, as ImageJ ends an Info's lines on every system. */
    public String text() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s %s\nmodel: %s\n", TITLE, Version.get(), model));
        if (fingerprint != null) {
            b.append(FINGERPRINT_LINE).append(fingerprint).append('\n');
        }
        line(b, Setting.MIN_SIZE, minSizes);
        // As the user gives it (0.6), not as its float widened (0.6000000238418579).
        line(b, Setting.SEED_THRESHOLD, Double.isNaN(seedThreshold) ? "NaN" : Float.toString((float) seedThreshold));
        line(b, Setting.TILE, tile);
        line(b, Setting.SCALE, scales);
        line(b, Setting.TTA, tta);
        if (nuclearChannel > 0) {
            line(b, Setting.NUCLEAR_CHANNEL, nuclearChannel);
        }
        if (channel != null) {
            line(b, Setting.CHANNEL, channel.id());
        }
        return b.toString();
    }

    private static void line(StringBuilder b, Setting s, Object value) {
        b.append(s.key()).append('=').append(value).append('\n');
    }

    /** The value of {@code s} in Info {@code text}, or null where it has no such line. */
    public static String value(String text, Setting s) {
        String key = s.key() + "=";
        for (String line : text == null ? new String[0] : text.split("\\R")) {
            if (line.startsWith(key)) {
                return line.substring(key.length());
            }
        }
        return null;
    }

    /**
     * The factor each of {@code planes} planes was segmented at, as Info {@code text} records it ({@link #add}):
     * null for a plane without one (auto found no nuclei) and for all where the text records none (labels
     * written before the Info did, or by another tool).
     */
    public static List<Double> scales(String text, int planes) {
        List<Double> out = new ArrayList<>(java.util.Collections.nCopies(planes, (Double) null));
        String v = value(text, Setting.SCALE);
        if (v == null) {
            return out;
        }
        if (!v.startsWith(PlaneRuns.PER_PLANE)) {
            java.util.Collections.fill(out, factor(v));
            return out;
        }
        for (String run : v.substring(PlaneRuns.PER_PLANE.length()).split("; ")) {
            java.util.regex.Matcher m = PLANE_RUN.matcher(run);
            if (m.matches()) {
                int from = Integer.parseInt(m.group(1));
                int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
                for (int k = from; k <= Math.min(to, planes); k++) {
                    out.set(k - 1, factor(m.group(3)));
                }
            }
        }
        return out;
    }

    private static final java.util.regex.Pattern PLANE_RUN = java.util.regex.Pattern.compile("^(\\d+)(?:-(\\d+))?: (.*)$");
    private static final java.util.regex.Pattern LEADING_NUMBER = java.util.regex.Pattern.compile("^(\\d+(?:\\.\\d+)?)");

    /** The leading number of a scale's value ({@code 0.37 (auto, nuclei 66 px)}), or null ({@code none (...)}). */
    private static Double factor(String value) {
        java.util.regex.Matcher m = LEADING_NUMBER.matcher(value);
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }

    /**
     * How an earlier run's labels, whose Info is {@code recorded}, differ from what this run would make: the model
     * ({@link ModelStore#describe(java.nio.file.Path)} of this run's), flips, the channels, and a scale, minimum
     * size or seed threshold given in {@code s}, one phrase each; empty where they do not, and where
     * {@code recorded} is no Info of this tool (labels older than it). Why: a re-run into the same output keeps
     * the labels it finds, which is right for the same command going on, and wrong for another model or
     * setting, whose results the user would think they have. Measured values (an automatic scale, the minimum
     * size it sets) are not compared: the same command measures them again alike.
     */
    public static List<String> differences(String recorded, ModelIdentity model, SegmentSettings s, int nuclearChannel,
            Channel channel) {
        List<String> d = new ArrayList<>();
        String then = modelOf(recorded, MODEL_LINE);
        if (then == null) {
            return d;
        }
        String fingerprintThen = modelOf(recorded, FINGERPRINT_LINE);
        boolean same = fingerprintThen != null && model.fingerprint() != null ? fingerprintThen.equals(model.fingerprint())
                : sameModel(then, model.described());
        if (!same) {
            d.add(differs(Setting.MODEL, then, model.described()));
        }
        differ(d, Setting.TTA, value(recorded, Setting.TTA), String.valueOf(s.tta()));
        String channelThen = value(recorded, Setting.CHANNEL);
        if (channelThen != null) { // recorded only of colour images, read through a channel
            differ(d, Setting.CHANNEL, channelThen, channel == null ? "none" : channel.id());
        }
        String nuclearThen = value(recorded, Setting.NUCLEAR_CHANNEL);
        if (nuclearThen != null) { // recorded only of files of several channels
            differ(d, Setting.NUCLEAR_CHANNEL, nuclearThen, String.valueOf(nuclearChannel));
        }
        String scaleThen = value(recorded, Setting.SCALE);
        String firstThen = scaleThen == null ? null : scaleThen.startsWith(PlaneRuns.PER_PLANE)
                ? firstRun(scaleThen) : scaleThen;
        boolean givenThen = firstThen != null && GIVEN.matcher(firstThen).find();
        boolean givenNow = s.scale() != null && !s.scale().isAuto();
        if (givenNow ? !givenThen || !sameFactor(firstThen, s.scale().factor()) : givenThen) {
            d.add(differs(Setting.SCALE, scaleThen, givenNow ? s.scale() + " (given)"
                    : s.scale() == null ? "the model's own" : "auto"));
        }
        java.util.regex.Matcher diameterThen = firstThen == null ? null : DIAMETER_GIVEN.matcher(firstThen);
        String sizeThen = diameterThen != null && diameterThen.find() ? diameterThen.group(1) : null;
        String sizeNow = s.diameter() == null ? null : AutoScale.diameterText(s.diameter());
        if (!java.util.Objects.equals(sizeThen, sizeNow)) {
            d.add(differs(Setting.DIAMETER, sizeThen == null ? "not given" : sizeThen,
                    sizeNow == null ? "not given" : sizeNow));
        }
        if (s.minSize() != null) {
            differ(d, Setting.MIN_SIZE, value(recorded, Setting.MIN_SIZE), String.valueOf(s.minSize()));
        }
        String seedThen = value(recorded, Setting.SEED_THRESHOLD);
        // Within a float's precision: the threshold is a float, and Info lines of earlier labels widened it.
        if (s.seedThreshold() != null && !(Math.abs(number(seedThen) - s.seedThreshold()) <= 1e-6)) {
            d.add(differs(Setting.SEED_THRESHOLD, seedThen, String.valueOf(s.seedThreshold())));
        }
        return d;
    }

    /** A number as an Info line gives it; NaN for none, or for a line edited into something else. */
    private static double number(String text) {
        try {
            return text == null ? Double.NaN : Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** A factor given by the user, in one plane's value. */
    private static final java.util.regex.Pattern GIVEN = java.util.regex.Pattern.compile("^[0-9.]+ \\(given");
    /** A diameter given by the user, in one plane's value: {@code 0.3268 (nuclei 60 px, given)}. */
    private static final java.util.regex.Pattern DIAMETER_GIVEN = java.util.regex.Pattern.compile("\\(nuclei ([0-9.]+) px, given");

    /** The first plane's value of a per-plane list ({@link PlaneRuns}). */
    private static String firstRun(String perPlane) {
        java.util.regex.Matcher m = PLANE_RUN.matcher(perPlane.substring(PlaneRuns.PER_PLANE.length()).split("; ")[0]);
        return m.matches() ? m.group(3) : null;
    }

    /** Whether {@code value}'s leading factor, as the Info printed it (to four decimals), is {@code f}. */
    private static boolean sameFactor(String value, double f) {
        java.util.regex.Matcher m = LEADING_NUMBER.matcher(value == null ? "" : value);
        return m.find() && Math.abs(Double.parseDouble(m.group(1)) - f) <= 5e-5 + 1e-9;
    }

    private static String modelOf(String recorded, String prefix) {
        if (recorded == null || !recorded.startsWith(TITLE + " ")) {
            return null;
        }
        for (String line : recorded.split("\\R")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        return null;
    }

    private static final String MODEL_LINE = "model: ";
    private static final String FINGERPRINT_LINE = "model fingerprint: ";

    /** Whether two descriptions name one model ({@link #modelKey}). */
    static boolean sameModel(String a, String b) {
        return modelKey(a).equals(modelKey(b));
    }

    /**
     * Without fingerprints (labels older than them): a model's folder name, not its place or how it was named: a
     * bundled model's cache and a user's model folder lie elsewhere on another machine (a cluster's executors, a
     * mount), under either separator, and a run that resumes there must not be refused.
     */
    private static String modelKey(String described) {
        java.util.regex.Matcher m = NAMED.matcher(described);
        return lastName(m.matches() ? m.group(2) : described);
    }

    private static String lastName(String path) {
        String p = path.replaceAll("[/\\\\]+$", "");
        return p.substring(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
    }

    private static final java.util.regex.Pattern NAMED = java.util.regex.Pattern.compile("^(\\S+) \\((.+)\\)$");

    private static void differ(List<String> d, Setting s, String then, String now) {
        if (then != null && !then.equals(now)) {
            d.add(differs(s, then, now));
        }
    }

    private static String differs(Setting s, String then, String now) {
        return s.mention() + " " + (then == null ? "not recorded" : then) + " in the earlier run, " + now + " in this one";
    }

    /**
     * A setting's value plane by plane: one value when all planes share it, else each run of planes with its
     * numbers, {@code per plane: 1-2: 1.00 (...); 3: 0.37 (...)}, so values match planes.
     */
    public static final class PlaneRuns {
        static final String PER_PLANE = "per plane: ";
        private final List<int[]> planes = new ArrayList<>();
        private final List<String> values = new ArrayList<>();

        /** Plane {@code plane} (1-based, in order) has {@code value}. */
        public void add(int plane, String value) {
            int last = values.size() - 1;
            if (last >= 0 && values.get(last).equals(value) && planes.get(last)[1] == plane - 1) {
                planes.get(last)[1] = plane;
            } else {
                planes.add(new int[] {plane, plane});
                values.add(value);
            }
        }

        @Override
        public String toString() {
            if (values.size() == 1) {
                return values.get(0);
            }
            List<String> runs = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                int[] r = planes.get(i);
                runs.add((r[0] == r[1] ? String.valueOf(r[0]) : r[0] + "-" + r[1]) + ": " + values.get(i));
            }
            return PER_PLANE + String.join("; ", runs);
        }
    }
}
