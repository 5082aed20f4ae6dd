package org.segmentcells.scale;

import java.util.List;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.segment.Scale;
import org.segmentcells.setting.Setting;

/**
 * Chooses the factor an image is resized by before the network: the one the user gave, else the model's
 * fixed (calibrated) one, else, for {@link Scale#AUTO}, one from the size of the image's nuclei
 * ({@link ObjectSize}) against the sizes the model learned from ({@link TrainingSize}): images inside that
 * range are left alone, larger nuclei are brought to its centre (a little less far on soft images, by a model
 * that learned resized ones: {@link #forLook}), and nuclei too small for it to its low end (small sharp ones
 * within it are doubled: {@link #ENLARGE_BELOW}). Nuclei from {@link #MIN_RATIO} to {@link #MAX_RATIO} times the training median are met exactly;
 * beyond, the estimate is clamped and the choice says so.
 */
public final class AutoScale {

    /** The note of an image with nothing to measure, which gets empty labels rather than an invented scale. */
    public static final String NOTHING = "no nuclei found to measure, so the labels are empty (give a scale to"
            + " segment it anyway)";

    /** Nuclei this much smaller or larger than the model's training size are the range auto reaches. */
    public static final double MIN_RATIO = 0.25;
    public static final double MAX_RATIO = 5;
    /**
     * Nuclei measured above the training range by at most this factor are checked by the network before
     * they are resized ({@code Model.plan(settings, planes)}); farther out, the measured scale is used as it
     * is.
     */
    public static final double CHECK_RATIO = 2;
    /**
     * The check keeps scale 1 when the nuclei found there and at the measured scale match this well (F at
     * IoU 0.5, one segmentation scored against the other). Chosen on the held-out DSB images, the
     * new-microscope frames and the size sweep (docs/benchmarks-log.md, "2026-12-04: resizing to the
     * centre"): from 0.6 to 0.8 they score alike.
     */
    public static final double AGREEMENT = 0.75;
    /**
     * A plane holding at least {@link #BAND_PLANES} times this many nuclei (at the measured scale) is checked
     * first on the rows around its middle nucleus that hold this many ({@link #checkBand}); where the two
     * scales clearly disagree there ({@link #BAND_STOP}), the measured scale is kept without the pass at
     * scale 1 over the whole plane. Why: on a large frame that pass costs several times the chosen one (a
     * 3816×1809 DSB frame magnified 3 times: 9.4 s against 2.5 s; its band is 17% of the rows), and a band
     * of 100 nuclei agrees about as the whole plane does (there 0.26 against 0.30, and 0.12–0.45 on each of
     * its six bands of 100; magnified 4 times 0.15 against 0.16). A band that agrees decides nothing: the
     * whole plane is checked, as a window that agreed had kept scale 1 where the plane did not.
     */
    public static final int BAND_NUCLEI = 100;
    static final int BAND_PLANES = 4;
    /**
     * A band's agreement below this ends the check at the measured scale: {@link #AGREEMENT} less three
     * times the sampling error of F over {@link #BAND_NUCLEI} nuclei (about 0.05).
     */
    public static final double BAND_STOP = AGREEMENT - 0.15;

    /**
     * Rows {@code [y0, y1)} that the check compares first, and the rows {@code [from, to)} around them the
     * network sees at scale 1 (context of twice the measured diameter on either side).
     */
    public record Band(int y0, int y1, int from, int to) {
    }

    /**
     * A generalist that learned sharp frames only, at their own sizes, segments nuclei down to this fraction
     * of its range's low end at their own size: enlarging an image adds no detail and softens it, which such
     * a model had not met (held-out DSB frames of 8-13 px nuclei scored F 0.71-0.97 at scale 1, 0.43-0.92
     * enlarged into the range). One that learned images as resizing leaves them
     * ({@link TrainingSize#learnedResized()}, as {@code default}) enlarges every nucleus below the low end to
     * it: on the training split's frames measured there, F 0.895 against 0.897 kept (SEG 0.773 against
     * 0.758), and halved 0.862 against 0.844 (docs/benchmarks-log.md, stop 42).
     */
    public static final double SMALL_KEPT = 0.5;

    /**
     * Nuclei measured from the range's low end up to this fraction of the training median are enlarged by the
     * whole factor nearest to the median's (2 for {@code default}: 13.4–16.3 px) when the network, at scale 1,
     * draws them with sharp contours ({@link #enlargesSmall}); others in the range stay at scale 1. A whole
     * factor puts every network pixel on the same spot of the input's pixels and brings the probabilities back
     * without mixing phases: halved BBBC039 frames all enlarged 1.8 times score F / SEG 0.937 / 0.818, 2 times
     * 0.942 / 0.827, 2.1 times 0.938 / 0.822. Against enlarging to the median (stop 60), on the frames it
     * enlarged: BBBC039 val halved 0.939 / 0.821 → 0.942 / 0.827, held-out DSB unresized 0.884 / 0.781 → 0.885 /
     * 0.795, the DSB training split halved 0.961 / 0.856 → 0.963 / 0.864 and unresized 0.900 / 0.815 → 0.900 /
     * 0.818, those from 16.3 px up left at scale 1 (docs/benchmarks-log.md, stop 61).
     */
    public static final double ENLARGE_BELOW = 1 / 1.5;
    /**
     * The mean contour probability over the foreground, at scale 1, from which nuclei in the lower part of the
     * range count as sharp and are enlarged. Why: halved BBBC039 frames (nuclei 13–14 px) score F 0.934
     * enlarged to the median against 0.920 kept (48 of the 50 frames), halved DSB frames there 0.798 against
     * 0.777; on unresized DSB frames there enlarging gains nothing and costs the soft ones up to 0.035. The
     * network's contour share tells them apart where the image's {@link Sharpness} does not: 0.34–0.46 on
     * every frame that gains or ties, 0.21–0.23 on the soft ones (benchmarks-log.md, stop 60); any value in
     * that gap scores alike.
     */
    public static final double CONTOUR_SHARE = 0.3;
    /** Rows the network sees at scale 1 for {@link #CONTOUR_SHARE} ({@link #shareBand}). */
    public static final int SHARE_ROWS = 128;

    /** A diameter given by the user as a Choice's value prints it: to two decimals, without trailing zeros. */
    public static String diameterText(double diameter) {
        return String.format(Locale.ROOT, "%.2f", diameter).replaceAll("\\.?0+$", "");
    }

    /** The plane and rows {@code [from, to)} whose contour share decides {@link #enlargedIfSharp}. */
    public record ShareBand(int plane, int from, int to) {
    }

    /**
     * Where the contour share is read: the first plane's {@link #SHARE_ROWS} central rows, unless they hold less than
     * half the bright pixels (above the middle of the normalised range) of the brightest band of any plane, which is
     * then taken. Why: a dark first frame of a time-lapse, or nuclei only at a frame's top and bottom, left the
     * network nothing to draw contours on, and small sharp nuclei stayed at scale 1 unsaid (found by a tester);
     * where the centre holds nuclei, the band is today's, so no choice made there moves.
     *
     * @param brightRows per plane, the number of bright pixels in each row
     */
    public static ShareBand shareBand(List<int[]> brightRows) {
        int[] first = brightRows.get(0);
        int from = Math.max(0, (first.length - SHARE_ROWS) / 2);
        int to = Math.min(first.length, from + SHARE_ROWS);
        long centre = sum(first, from, to);
        ShareBand best = new ShareBand(0, from, to);
        long most = centre;
        for (int k = 0; k < brightRows.size(); k++) {
            int[] rows = brightRows.get(k);
            int n = Math.min(rows.length, SHARE_ROWS);
            long window = sum(rows, 0, n);
            for (int y = 0; y + n <= rows.length; y++) {
                if (y > 0) {
                    window += rows[y + n - 1] - rows[y - 1];
                }
                // A tie goes to the band nearer the plane's centre, where the first plane's was taken.
                int middle = (rows.length - n) / 2;
                if (window > most || window == most && best.plane() == k && Math.abs(y - middle) < Math.abs(best.from() - middle)) {
                    most = window;
                    best = new ShareBand(k, y, y + n);
                }
            }
        }
        return 2 * centre >= most ? new ShareBand(0, from, to) : best;
    }

    private static long sum(int[] v, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s;
    }

    /**
     * Whether {@code c} keeps at scale 1 nuclei in the lower part of a range learned from resized images
     * ({@link #ENLARGE_BELOW}), where the network's contour share decides ({@link #enlargedIfSharp}).
     */
    public static boolean enlargesSmall(Choice c, TrainingSize size) {
        return (c.source() == Source.AUTO || c.source() == Source.DIAMETER) && !c.nothing() && c.factor() == 1
                && size.known() && size.learnedResized() && c.diameter() >= size.low()
                && c.diameter() < ENLARGE_BELOW * size.median();
    }

    /**
     * {@code c} enlarged by the whole factor nearest to the training median's ({@link #ENLARGE_BELOW}) when
     * {@code contourShare} (the mean contour probability over the foreground at scale 1, NaN without foreground)
     * reaches {@link #CONTOUR_SHARE}; else {@code c}.
     */
    public static Choice enlargedIfSharp(Choice c, TrainingSize size, double contourShare) {
        if (!(contourShare >= CONTOUR_SHARE)) {
            return c;
        }
        return new Choice(Scale.clamp(Math.rint(size.median() / c.diameter())), c.source(), c.diameter(), c.note(),
                c.check(), c.look());
    }

    /** The mean contour probability over pixels whose most likely class is not background; NaN if there are none. */
    public static double contourShare(FloatPlane background, FloatPlane nucleus, FloatPlane contour) {
        float[] bg = background.data();
        float[] nu = nucleus.data();
        float[] co = contour.data();
        double sum = 0;
        long n = 0;
        for (int i = 0; i < bg.length; i++) {
            if (Math.max(nu[i], co[i]) > bg[i]) {
                sum += co[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Where a factor came from. */
    public enum Source {
        /** given by the user for this run */
        GIVEN,
        /** the model's fixed scale, chosen when it was calibrated */
        MODEL,
        /** measured on the image */
        AUTO,
        /** from the nuclei's diameter the user gave, as auto would from a measurement */
        DIAMETER
    }

    /**
     * The network's check of an automatic factor against scale 1.
     *
     * @param agreement F of the nuclei found at one scale against those at the other
     * @param band      whether it was measured on a band of {@link #BAND_NUCLEI} nuclei only ({@link #checkBand})
     * @param keptOne   whether scale 1 was kept
     */
    public record Check(double agreement, boolean band, boolean keptOne) {

        /** Scale 1 kept without the network's passes: the plane is sharp at its own sampling ({@link AtOne#KEEP}). */
        public static final Check SHARP = new Check(Double.NaN, false, true);

        /** Whether the network compared the two scales (not {@link #SHARP}). */
        public boolean byNetwork() {
            return !Double.isNaN(agreement);
        }
    }

    /**
     * A chosen factor.
     *
     * @param diameter the measured median nucleus diameter in the image's pixels (AUTO only, else NaN)
     * @param note     why the factor is not simply the measured one (clamped, nothing to measure, no
     *                 training size), or null
     * @param check    the check of this factor against scale 1 (by the network, or {@link Check#SHARP}), or null
     *                 where none ran
     * @param look     what the image's look changed ({@link #forLook}): nothing, the target (soft), or the
     *                 shrink's smoothing (noisy)
     */
    public record Choice(double factor, Source source, double diameter, String note, Check check, Look look) {

        public Choice(double factor, Source source, double diameter, String note, Check check) {
            this(factor, source, diameter, note, check, Look.PLAIN);
        }

        public Choice(double factor, Source source, double diameter, String note) {
            this(factor, source, diameter, note, null);
        }

        /** This choice at scale 1, the other side of the network's check. */
        public Choice atOne() {
            return new Choice(1, source, diameter, note, null);
        }

        /** This choice as the network's check left it: at scale 1 where {@code check} kept it. */
        public Choice checked(Check check) {
            return check.keptOne() ? new Choice(1, source, diameter, note, check)
                    : new Choice(factor, source, diameter, note, check, look);
        }

        /** Scale 1 instead of this automatic factor: the network finds the same nuclei at their own size. */
        public boolean kept() {
            return check != null && check.keptOne();
        }

        /**
         * For one-line reports: {@code scale 0.27 (auto, nuclei 72 px)}, {@code scale 0.50 (given)}; with the
         * network's check, how well the two scales agreed.
         */
        public String describe() {
            return nothing() ? "no nuclei (auto)" : "scale " + value(true);
        }

        /**
         * The setting as a value, for a {@code scale=} line (the label image's Info):
         * {@code 0.27 (auto, nuclei 72 px)}, {@code 0.30 (auto, nuclei 72 px, soft image)},
         * {@code 0.48 (auto, nuclei 41 px, checked: the network finds other
         * nuclei at scale 1)}, or {@code none (auto: no nuclei found)}. Without the check's agreement, so
         * that planes segmented alike read alike.
         */
        public String value() {
            return value(false);
        }

        private String value(boolean agreement) {
            if (nothing()) {
                return "none (auto: no nuclei found)";
            }
            String what = switch (source) {
                case GIVEN -> "given" + look.text;
                case MODEL -> "the model's" + look.text;
                case DIAMETER -> String.format(Locale.ROOT, "nuclei %s px, given%s%s%s", diameterText(diameter),
                        clampText(), look.text, checkText(agreement));
                case AUTO -> Double.isNaN(diameter) ? "auto" + look.text
                        : String.format(Locale.ROOT, "auto, nuclei %.0f px%s%s%s", diameter, clampText(), look.text,
                                checkText(agreement));
            };
            return factorText(factor) + " (" + what + ")";
        }

        /**
         * Two decimals where they hold the factor (a given one, a whole one), else up to four: giving the printed
         * factor back as {@code --scale} then segments as this choice did (two decimals of a measured 0.2784 do
         * not: 0.28 resizes, and counts the minimum size, differently).
         */
        static String factorText(double f) {
            String four = String.format(Locale.ROOT, "%.4f", f);
            return four.endsWith("00") ? four.substring(0, four.length() - 2) : four.endsWith("0") ? four.substring(0, four.length() - 1) : four;
        }

        /** A size beyond the range auto reaches (its note says how far), so that the Info says so too. */
        private String clampText() {
            return note != null && !nothing() && !Double.isNaN(diameter) ? ", beyond the range: clamped" : "";
        }

        private String checkText(boolean agreement) {
            if (check == null) {
                return "";
            }
            if (!check.byNetwork()) {
                return ", kept: sharp at its own sampling";
            }
            String how = !agreement ? ""
                    : String.format(Locale.ROOT, ", agreement %.2f%s", check.agreement(),
                            check.band() ? " on a band of " + BAND_NUCLEI + " nuclei" : "");
            return check.keptOne() ? ", kept: the network finds the same nuclei at their own size" + how
                    : ", checked: the network finds other nuclei at scale 1" + how;
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

    /** What the look of the image ({@link Sharpness}) changed in a choice that shrinks it ({@link #forLook}). */
    public enum Look {
        /** nothing */
        PLAIN(""),
        /** the target: a soft image's nuclei above the range are brought to {@link #softTarget} */
        SOFT(", soft image"),
        /** the shrink: a noisy image is smoothed more ({@code NetworkInput.NOISY_SMOOTHING}) */
        NOISY(", noisy image smoothed");

        private final String text;

        Look(String text) {
            this.text = text;
        }
    }

    /** What happens to an automatic choice that would shrink nuclei lying just above the training range. */
    public enum AtOne {
        /** the measured factor stands */
        NO,
        /** scale 1, without the network: the plane is sharp at its own sampling */
        KEEP,
        /** the network segments scale 1 and the measured factor and compares them ({@link #keepsOne}) */
        CHECK
    }

    /**
     * Whether scale 1 is considered instead of this automatic choice, on {@code first} (the first plane): only
     * where it shrinks the image and the nuclei lie within {@link #CHECK_RATIO} of the training range. A model
     * that learned its frames at their own sizes only (some beyond the range) has the network check every such
     * plane. One that learned images as resizing leaves them ({@link TrainingSize#learnedResized()}) never
     * runs the check; it keeps a plane of at most {@link #KEPT_PIXELS} at scale 1 when the plane is sharp
     * ({@link Sharpness}), and otherwise the measured factor stands. A sharp plane it segments better at its
     * own sampling: the check had kept scale 1 on 104 of the 105 training frames it ran on (held-out DSB
     * unresized: 0.871 at scale 1, 0.861 shrunk). A soft plane (enlarged, or oversampled) loses nothing
     * shrunk, and the model does better on it there (held-out DSB enlarged 2-4 times: F 0.844-0.847
     * unchecked, 0.836-0.838 checked). A noisy plane ({@link Sharpness#NOISY}) is shrunk too: on each of the
     * 13 noisy planes where the check had run (the new microscope's frames and lab2's), it shrank the plane,
     * and the measured scale scored better every time (F 0.61-1.00 against 0.20-0.54 at scale 1), while the
     * check's pass at scale 1 nearly tripled the time (docs/benchmarks-log.md, stop 42).
     */
    public static AtOne atOne(Choice c, TrainingSize size, FloatPlane first) {
        return atOne(c, size, (long) first.width() * first.height(), Sharpness.once(() -> java.util.List.of(first)));
    }

    /**
     * {@link #atOne(Choice, TrainingSize, FloatPlane)} for a first plane of {@code pixels}, with the planes'
     * sharpness ({@link Sharpness#once}) asked for only when needed.
     */
    public static AtOne atOne(Choice c, TrainingSize size, long pixels, DoubleSupplier sharpness) {
        if (!shrinks(c, size) || c.diameter() > size.high() * CHECK_RATIO) {
            return AtOne.NO;
        }
        if (!size.learnedResized()) {
            return AtOne.CHECK;
        }
        if (pixels > KEPT_PIXELS) {
            return AtOne.NO;
        }
        double s = sharpness.getAsDouble();
        return s >= Sharpness.SHARP && s < Sharpness.NOISY ? AtOne.KEEP : AtOne.NO;
    }

    /** Whether {@code c} is an automatic factor (measured, or from a given diameter) that shrinks nuclei above the training range. */
    private static boolean shrinks(Choice c, TrainingSize size) {
        return (c.source() == Source.AUTO || c.source() == Source.DIAMETER) && !c.nothing() && c.factor() < 1
                && !Double.isNaN(c.diameter()) && size.known();
    }

    /**
     * The factor for how the first plane looks: a soft plane ({@link Sharpness} under {@link Sharpness#SHARP}:
     * enlarged, or oversampled) whose nuclei measure above the range is brought to {@link #softTarget}, above
     * the range's centre, by a model that learned images as resizing leaves them
     * ({@link TrainingSize#learnedResized()}); any other choice, or a sharpness of NaN (no plane to look at),
     * is returned as it is. Why: the centre is for noisy planes, where dim nuclei measure small (two
     * new-microscope frames 27 and 28 px against labels of 36 and 33) and the network does best on them
     * brought low (its 11 noisy frames pooled F 0.792 at the centre, 0.765 at the soft target). On soft
     * planes the estimate is close, and the network does better on nuclei nearer the size it learned most.
     * Chosen on the training split's soft frames enlarged 2, 3 and 4 times, pooled F at the centre (19.6 px
     * for default), 22 px, the median (24.5) and the high end (28.7): 0.912 / 0.916 / 0.917 / 0.905,
     * 0.911 / 0.913 / 0.911 / 0.899 and 0.904 / 0.907 / 0.905 / 0.897 (SEG 0.794 / 0.800 / 0.802 / 0.797 on
     * average; docs/benchmarks-log.md, stop 46). Sharp planes not kept at scale 1 keep the centre: there 22 px
     * lost over both (F 0.904 against 0.899 enlarged twice, 0.836 against 0.873 three times).
     *
     * <p>Any shrink of a noisy plane ({@link Sharpness#NOISY}), whoever chose its factor, is marked
     * {@link Look#NOISY}: the segmenter smooths it more ({@code NetworkInput}), as training at a scale does.
     * Only a noisy plane that shrinks: at its own size or enlarged the network sees the grain it learned from
     * and, measured unsmoothed, an empty plane's smoothed noise cannot pass for nuclei (BBBC039's empty
     * training frame enlarged twice, smoothed before measuring: 392-1407 false objects; docs/benchmarks-log.md,
     * stop 54).
     */
    public static Choice forLook(Choice c, TrainingSize size, DoubleSupplier sharpness) {
        if (c.nothing() || !(c.factor() < 1)) {
            return c;
        }
        double s = sharpness.getAsDouble();
        if (s >= Sharpness.NOISY) {
            return new Choice(c.factor(), c.source(), c.diameter(), c.note(), c.check(), Look.NOISY);
        }
        return forTarget(c, size, () -> s);
    }

    /**
     * {@link #forLook}'s target only: a soft plane's nuclei brought above the range's centre, the sharpness
     * asked for only where that could move the factor; no {@link Look#NOISY} mark. For training at a scale,
     * whose frames are each smoothed on their own look ({@code TrainingFrame.scaled}).
     */
    public static Choice forTarget(Choice c, TrainingSize size, DoubleSupplier sharpness) {
        if (!shrinks(c, size) || !size.learnedResized() || !(sharpness.getAsDouble() < Sharpness.SHARP)) {
            return c;
        }
        double f = Scale.clamp(softTarget(size) / clamped(c.diameter(), size));
        return new Choice(f, c.source(), c.diameter(), c.note(), c.check(), Look.SOFT);
    }

    /**
     * The size soft planes' nuclei above the range are brought to: halfway, on a log scale, between the range's
     * centre and the training median (21.9 px for default), the best of the four sizes measured ({@link #forLook}).
     */
    public static double softTarget(TrainingSize size) {
        return Math.sqrt(size.centre() * size.median());
    }

    /** A measured diameter clamped to the sizes auto reaches ({@link #MIN_RATIO}–{@link #MAX_RATIO} times the median). */
    private static double clamped(double d, TrainingSize size) {
        return Math.max(size.median() * MIN_RATIO, Math.min(size.median() * MAX_RATIO, d));
    }

    /**
     * The largest plane a model that learned resized images keeps at scale 1 for being sharp. Over it, the
     * network's check (the rule before stop 41) won nothing measurable (held-out DSB enlarged 2-3 times,
     * where a few noisy frames count as sharp: F 0.846 either way, auto's cost +61% with those checks, +19-30%
     * without); the frames where scale 1 won were 0.1-0.4 MP.
     */
    public static final long KEPT_PIXELS = ObjectSize.MAX_PIXELS;

    /**
     * The network's check: scale 1 is kept when it finds the same nuclei there as at the measured scale
     * ({@code agreement}, F of one segmentation against the other, at least {@link #AGREEMENT}), since the
     * image's own pixels carry the most detail. Where they differ, the measured scale wins: nuclei too
     * large for the network break into pieces or fade at scale 1. Why not the network's certainty (kept
     * until 2026-12-04): it was as high at scale 1 on dim, dense frames of a new microscope where scale 1
     * scored F 0.51 and the measured scale 0.80.
     */
    public static boolean keepsOne(double agreement) {
        return agreement >= AGREEMENT;
    }

    /**
     * The band of {@link #BAND_NUCLEI} whole nuclei, by their centre rows, around the middle one of the nuclei
     * found at the measured scale ({@code atMeasured}, at the image's own size); null when the plane holds
     * fewer than {@link #BAND_PLANES} times as many, where the whole pass is cheap enough or the band would
     * be most of it.
     *
     * @param atMeasured labels numbered from 1 up, as segmenting gives them (memory grows with the largest id)
     * @param diameter   the measured nucleus diameter, px
     */
    public static Band checkBand(LabelPlane atMeasured, double diameter) {
        int[] ids = atMeasured.data();
        int max = atMeasured.maxLabel();
        long[] rowSum = new long[max + 1];
        int[] area = new int[max + 1];
        int w = atMeasured.width();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] > 0) {
                rowSum[ids[i]] += i / w;
                area[ids[i]]++;
            }
        }
        double[] centres = new double[max + 1];
        int n = 0;
        for (int id = 1; id <= max; id++) {
            if (area[id] > 0) {
                centres[n++] = (double) rowSum[id] / area[id];
            }
        }
        if (n < BAND_PLANES * BAND_NUCLEI) {
            return null;
        }
        Arrays.sort(centres, 0, n);
        int first = (n - BAND_NUCLEI) / 2;
        int h = atMeasured.height();
        // Half a diameter beyond the outer centres, so that those nuclei lie whole in the band.
        int y0 = Math.max(0, (int) Math.floor(centres[first] - diameter / 2));
        int y1 = Math.min(h, (int) Math.ceil(centres[first + BAND_NUCLEI - 1] + diameter / 2) + 1);
        int context = (int) Math.ceil(2 * diameter);
        return new Band(y0, y1, Math.max(0, y0 - context), Math.min(h, y1 + context));
    }

    /** Whether a band's agreement ends the check at the measured scale ({@link #BAND_STOP}). */
    public static boolean stopsAtBand(double bandAgreement) {
        return bandAgreement < BAND_STOP;
    }

    /**
     * The factor for a measured size: 1 inside the training range; nuclei larger than it are brought to its
     * centre ({@link TrainingSize#centre()}); smaller ones to its low end, except that a generalist trained on
     * sharp frames only keeps nuclei down to {@link #SMALL_KEPT} of that end at their own size. Sizes beyond
     * {@link #MIN_RATIO}–{@link #MAX_RATIO} times the median are clamped first. Why the centre and not the
     * nearer end: an image whose nuclei measure too large is often blurred or dim as well (an objective of
     * higher magnification, an enlarged frame), and the network does better on it shrunk a little further
     * (new-microscope frames F 0.69 brought to the end, 0.80 to the centre; DSB enlarged 3 times 0.55, 0.66),
     * while the estimate's error of about ±30% then still lands inside the range. Where the plane is soft, a
     * model that learned resized images does better a little less far ({@link #forLook}), which
     * {@code Model.plan} applies after this.
     */
    public static Choice fromEstimate(ObjectSize.Estimate e, TrainingSize size) {
        if (!e.found() || !(e.diameter() > 0)) {
            return new Choice(1, Source.AUTO, Double.NaN, NOTHING);
        }
        return fromDiameter(e.diameter(), size, Source.AUTO);
    }

    /**
     * The factor for nuclei of {@code diameter} px the user gave ({@link Source#DIAMETER}): the rule for a
     * measured size, the estimate replaced by the user's number; how the plane looks ({@link #forLook},
     * {@link #atOne}) then counts as it does for auto. A model that does not record its training size cannot
     * take one.
     */
    public static Choice forDiameter(double diameter, TrainingSize size) {
        if (!size.known()) {
            throw new IllegalArgumentException(Setting.DIAMETER.mention() + " needs a model that records the nucleus"
                    + " size it was trained at (objectDiameter in model.json; models made before auto scale do not);"
                    + " give " + Setting.SCALE.mention() + " instead");
        }
        return fromDiameter(diameter, size, Source.DIAMETER);
    }

    private static Choice fromDiameter(double d, TrainingSize size, Source source) {
        double lo = size.median() * MIN_RATIO;
        double hi = size.median() * MAX_RATIO;
        String note = null;
        double used = clamped(d, size);
        if (d < lo || d > hi) {
            note = String.format(Locale.ROOT, "nuclei %s %.1f px across, outside the range auto scale covers"
                    + " for this model (%.0f to %.0f px), so %.0f px is used; give %s to override",
                    source == Source.AUTO ? "measured at" : "given as", d, lo, hi, used, Setting.SCALE.mention());
        }
        double target;
        if (used > size.high()) {
            target = size.centre();
        } else if (used < size.low() && (size.oneSize() || size.learnedResized() || used < size.low() * SMALL_KEPT)) {
            target = size.low();
        } else {
            target = used;
        }
        double f = Scale.clamp(target / used);
        return new Choice(f, source, d, note);
    }
}
