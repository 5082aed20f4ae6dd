package org.segmentcells.scale;

import java.util.Locale;
import java.util.function.Supplier;

import org.segmentcells.segment.Scale;

/**
 * Chooses the factor an image is resized by before the network: the one the user gave, else the model's
 * fixed (calibrated) one, else, for {@link Scale#AUTO}, the one that brings the image's nuclei
 * ({@link ObjectSize}) into the range of sizes the model learned from ({@link TrainingSize}): images
 * already inside it are left alone. Nuclei from {@link #MIN_RATIO} to {@link #MAX_RATIO} times the
 * training median are met exactly; beyond, the estimate is clamped and the choice says so.
 */
public final class AutoScale {

    /** The note of an image with nothing to measure, which gets empty labels rather than an invented scale. */
    public static final String NOTHING = "no nuclei found to measure, so the labels are empty (give a scale to"
            + " segment it anyway)";

    /** Nuclei this much smaller or larger than the model's training size are the range auto reaches. */
    public static final double MIN_RATIO = 0.25;
    public static final double MAX_RATIO = 5;
    /**
     * Nuclei measured outside the training range by at most this factor (below its low end divided by it,
     * above its high end times it) are checked by the network before they are resized
     * ({@code Model.plan(settings, planes)}); farther out, the measured scale is used as it is.
     */
    public static final double CHECK_RATIO = 2;

    /** Where a factor came from. */
    public enum Source {
        /** given by the user for this run */
        GIVEN,
        /** the model's fixed scale, chosen when it was calibrated */
        MODEL,
        /** measured on the image */
        AUTO
    }

    /**
     * A chosen factor.
     *
     * @param diameter the measured median nucleus diameter in the image's pixels (AUTO only, else NaN)
     * @param note     why the factor is not simply the measured one (clamped, nothing to measure, no
     *                 training size), or null
     */
    public record Choice(double factor, Source source, double diameter, String note, boolean kept) {

        public Choice(double factor, Source source, double diameter, String note) {
            this(factor, source, diameter, note, false);
        }

        /** Scale 1 instead of this automatic factor: the network was surer at the nuclei's own size. */
        public Choice keptAtOne() {
            return new Choice(1, Source.AUTO, diameter, note, true);
        }

        /** For one-line reports: {@code scale 0.34 (auto, nuclei 72 px)}, {@code scale 0.50 (given)}. */
        public String describe() {
            return nothing() ? "no nuclei (auto)" : "scale " + value();
        }

        /**
         * The setting as a value, for a {@code scale=} line (the label image's Info):
         * {@code 0.34 (auto, nuclei 72 px)}, or {@code none (auto: no nuclei found)}.
         */
        public String value() {
            if (nothing()) {
                return "none (auto: no nuclei found)";
            }
            String what = switch (source) {
                case GIVEN -> "given";
                case MODEL -> "the model's";
                case AUTO -> Double.isNaN(diameter) ? "auto" : String.format(Locale.ROOT, "auto, nuclei %.0f px%s", diameter,
                        kept ? ", kept: the network is surer at their own size" : "");
            };
            return String.format(Locale.ROOT, "%.2f (%s)", factor, what);
        }

        /** Auto found no nuclei: the image gets empty labels, without running the network. */
        public boolean nothing() {
            return NOTHING.equals(note);
        }

        /** Whether this choice needs a warning line (clamped, or auto had nothing to go on). */
        public boolean hasNote() {
            return note != null;
        }
    }

    private AutoScale() {
    }

    /**
     * @param given    the user's setting, or null for the model's own
     * @param modelScale the model's own setting
     * @param size     the size the model learned from ({@link TrainingSize#UNKNOWN} for old models)
     * @param measure  measures the image's nuclei ({@link ObjectSize}); called only when auto is used
     */
    public static Choice choose(Scale given, Scale modelScale, TrainingSize size, Supplier<ObjectSize.Estimate> measure) {
        Scale s = given != null ? given : modelScale;
        Source source = given != null ? Source.GIVEN : Source.MODEL;
        if (!s.isAuto()) {
            return new Choice(s.factor(), source, Double.NaN, null);
        }
        if (!size.known()) {
            return new Choice(1, Source.AUTO, Double.NaN, "the model does not record the nucleus size it was trained"
                    + " at (objectDiameter in model.json; models made before auto scale), so scale 1 is used");
        }
        return fromEstimate(measure.get(), size);
    }

    /**
     * Whether the network checks this automatic choice against scale 1: it resizes, the nuclei lie within
     * {@link #CHECK_RATIO} of the training range, and the model learned its frames at their own sizes
     * (some beyond the range). A model trained across its range ({@link TrainingSize#acrossRange()}) met
     * no frame beyond it, so there is nothing at scale 1 it could know better.
     */
    public static boolean checksAtOne(Choice c, TrainingSize size) {
        if (c.source() != Source.AUTO || c.nothing() || c.factor() == 1 || Double.isNaN(c.diameter()) || !size.known()
                || size.acrossRange()) {
            return false;
        }
        return c.diameter() >= size.low() / CHECK_RATIO && c.diameter() <= size.high() * CHECK_RATIO;
    }

    /**
     * The network's check: scale 1 is kept when the network is at least as sure of its classes there
     * (mean top class probability) and finds at least half as many nuclei as at the measured scale. The
     * second condition guards dim images: there the network can be surest of all-background at scale 1
     * (a quarter of a dim lab-2-like frame of 64-px nuclei scored F 0 at scale 1, 1.0 resized); on the
     * BBBC039 and DSB sets it never overrules the first.
     */
    public static boolean keepsOne(double sureAtOne, double sureMeasured, int nucleiAtOne, int nucleiMeasured) {
        return sureAtOne >= sureMeasured && nucleiAtOne * 2 >= nucleiMeasured;
    }

    /**
     * The factor for a measured size: 1 inside the training range, else the one that brings the nuclei to
     * its nearer end. Sizes beyond {@link #MIN_RATIO}–{@link #MAX_RATIO} times the median are clamped first.
     */
    public static Choice fromEstimate(ObjectSize.Estimate e, TrainingSize size) {
        if (!e.found()) {
            return new Choice(1, Source.AUTO, Double.NaN, NOTHING);
        }
        double d = e.diameter();
        double lo = size.median() * MIN_RATIO;
        double hi = size.median() * MAX_RATIO;
        String note = null;
        double used = d;
        if (d < lo || d > hi) {
            used = Math.max(lo, Math.min(hi, d));
            note = String.format(Locale.ROOT, "nuclei measured at %.1f px across, outside the range auto scale covers"
                    + " for this model (%.0f to %.0f px), so %.0f px is used; give a scale to override", d, lo, hi, used);
        }
        double target = Math.max(size.low(), Math.min(size.high(), used));
        double f = Math.max(Scale.MIN, Math.min(Scale.MAX, target / used));
        return new Choice(f, Source.AUTO, d, note);
    }
}
