package org.segmentcells.synth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.io.TiffStripWriter;

/**
 * Synthetic fluorescence images of nuclei (Hoechst/DAPI-like) with exact instance ground truth, for
 * tests and demos that must not depend on downloaded data. Deterministic for a given seed.
 *
 * <p>Model, in the order applied: rotated ellipses (radii mostly 8-16 px) with a low-frequency radial
 * wobble, about a third of them placed against a neighbour so that they touch or overlap slightly
 * (overlaps go to the nucleus whose centre is nearer in its own shape-normalised distance); per-nucleus
 * brightness (log-normal, dim to bright), a rim roll-off because nuclei are thinner at their edge,
 * chromatin texture, dark nucleoli and in some images bright chromocentres; sometimes a dark line where
 * two nuclei touch; optical blur (Gaussian sigma 1.5) and faint out-of-focus haze; an uneven background
 * (gradient and mottling) and vignetting; then a camera: Poisson shot noise at a random gain, a fixed
 * offset and Gaussian read noise, rounded and clipped to 16 bits. Background ends up near 300-600 and
 * nuclei near 1300-4000.
 *
 * <p>Every nucleus centre lies inside the frame and owns its centre pixel, so the label image always holds
 * exactly {@code count} objects, numbered 1..count; nuclei near the frame are cut by it.
 */
public final class SyntheticNuclei {

    /** One synthetic image (integral values in 0..65535) and its instance labels. */
    public record Sample(FloatPlane image, LabelPlane labels) {
    }

    private static final double OPTICAL_SIGMA = 1.5;
    private static final double CAMERA_OFFSET = 100;
    private static final int BOUNDARY_SAMPLES = 48;
    /** Largest relative amplitude of the 2nd, 3rd and 4th radial harmonics: gently irregular outlines. */
    private static final double[] WOBBLE = {0.07, 0.035, 0.02};

    private SyntheticNuclei() {
    }

    /** One nucleus: shape in image coordinates plus its rendering parameters. */
    private static final class Nucleus {
        double cx;
        double cy;
        final double a;
        final double b;
        final double theta;
        final double[] wobbleAmp = new double[3];
        final double[] wobblePhase = new double[3];
        boolean condensed;
        double brightness;
        double rim;
        double fineTexture;
        double coarseTexture;
        double dip;
        final List<double[]> spots = new ArrayList<>(); // {x offset, y offset, sigma, relative amplitude}

        Nucleus(double a, double b, double theta) {
            this.a = a;
            this.b = b;
            this.theta = theta;
        }

        /** Boundary radius in absolute direction phi. */
        double radius(double phi) {
            double t = phi - theta;
            double c = Math.cos(t);
            double s = Math.sin(t);
            double r = a * b / Math.sqrt(b * b * c * c + a * a * s * s);
            double wobble = 1;
            for (int k = 0; k < wobbleAmp.length; k++) {
                wobble += wobbleAmp[k] * Math.cos((k + 2) * t + wobblePhase[k]);
            }
            return r * wobble;
        }

        /** Shape-normalised distance: 0 at the centre, 1 on the boundary. */
        double rho(double x, double y) {
            double dx = x - cx;
            double dy = y - cy;
            double d = Math.sqrt(dx * dx + dy * dy);
            return d == 0 ? 0 : d / radius(Math.atan2(dy, dx));
        }

        double maxRadius() {
            double sum = 0;
            for (double w : wobbleAmp) {
                sum += Math.abs(w);
            }
            return Math.max(a, b) * (1 + sum);
        }
    }

    /**
     * One image of {@code count} nuclei {@code zoom} times their usual size, as a higher magnification shows
     * them: generated at {@code 1/zoom} of the size, then the image resized bilinearly and the labels by
     * nearest neighbour.
     */
    public static Sample generate(int width, int height, int count, long seed, double zoom) {
        if (zoom == 1) {
            return generate(width, height, count, seed);
        }
        if (!(zoom >= 0.25 && zoom <= 8)) {
            throw new IllegalArgumentException("zoom must be between 0.25 and 8, got " + zoom);
        }
        Sample s = generate(Math.max(16, (int) Math.round(width / zoom)), Math.max(16, (int) Math.round(height / zoom)),
                count, seed);
        return new Sample(org.segmentcells.img.Resample.bilinear(s.image(), width, height),
                org.segmentcells.img.Resample.nearest(s.labels(), width, height));
    }

    /** Generates one image of {@code count} nuclei. */
    public static Sample generate(int width, int height, int count, long seed) {
        if (width < 16 || height < 16) {
            throw new IllegalArgumentException("image must be at least 16x16, got " + width + "x" + height);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        // Per-image style, so a set varies the way real acquisitions do.
        double chromocentreShare = rng.nextDouble() < 0.4 ? 0.7 : 0.1;
        double touchShare = 0.3 + 0.15 * rng.nextDouble();
        double dipShare = 0.3 + 0.2 * rng.nextDouble();

        List<Nucleus> nuclei = place(rng, width, height, count, touchShare);
        for (Nucleus nu : nuclei) {
            dress(rng, nu, chromocentreShare, dipShare);
        }
        int[] labels = new int[width * height];
        float[] rho = rasterise(nuclei, width, height, labels);
        keepCentreComponents(nuclei, width, height, labels);
        float[] signal = render(rng, nuclei, width, height, labels, rho);
        float[] image = acquire(rng, signal, width, height);
        return new Sample(new FloatPlane(width, height, image), new LabelPlane(width, height, labels));
    }

    // ---------------------------------------------------------------- shapes and placement

    private static Nucleus randomShape(SplittableRandom rng) {
        Nucleus nu;
        if (rng.nextDouble() < 0.04) {
            // Small, round, very bright: mitotic or apoptotic (condensed) nuclei.
            double r = 5 + 2.5 * rng.nextDouble();
            nu = new Nucleus(r, r * (0.8 + 0.2 * rng.nextDouble()), rng.nextDouble() * Math.PI);
            nu.condensed = true;
        } else {
            double mean = Math.exp(Math.log(11.5) + 0.17 * rng.nextGaussian());
            mean = Math.max(7.5, Math.min(17, mean));
            double ecc = 0.62 + 0.38 * Math.sqrt(rng.nextDouble()); // mostly near-round, some elongated
            double a = mean / Math.sqrt(ecc);
            nu = new Nucleus(a, a * ecc, rng.nextDouble() * Math.PI);
        }
        for (int k = 0; k < nu.wobbleAmp.length; k++) {
            nu.wobbleAmp[k] = WOBBLE[k] * rng.nextDouble();
            nu.wobblePhase[k] = 2 * Math.PI * rng.nextDouble();
        }
        return nu;
    }

    private static List<Nucleus> place(SplittableRandom rng, int w, int h, int count, double touchShare) {
        List<Nucleus> placed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Nucleus nu = null;
            if (!placed.isEmpty() && rng.nextDouble() < touchShare) {
                for (int attempt = 0; attempt < 40 && nu == null; attempt++) {
                    nu = tryTouching(rng, placed, w, h);
                }
            }
            for (int attempt = 0; attempt < 4000 && nu == null; attempt++) {
                Nucleus c = randomShape(rng);
                c.cx = rng.nextDouble() * (w - 1);
                c.cy = rng.nextDouble() * (h - 1);
                if (clearOfAll(c, placed, null)) {
                    nu = c;
                }
            }
            if (nu == null) {
                throw new IllegalArgumentException("cannot fit " + count + " nuclei into " + w + "x" + h
                        + " without heavy overlap; placed " + placed.size());
            }
            placed.add(nu);
        }
        return placed;
    }

    /** Places a new nucleus against a random existing one, overlapping it by 2-12% of its radius. */
    private static Nucleus tryTouching(SplittableRandom rng, List<Nucleus> placed, int w, int h) {
        Nucleus parent = placed.get(rng.nextInt(placed.size()));
        Nucleus c = randomShape(rng);
        double phi = 2 * Math.PI * rng.nextDouble();
        double target = 1 - (0.02 + 0.10 * rng.nextDouble());
        double ux = Math.cos(phi);
        double uy = Math.sin(phi);
        double lo = 0;
        double hi = 1.5 * (parent.maxRadius() + c.maxRadius());
        // Depth of overlap shrinks as the centres move apart; bisect for the wanted depth.
        for (int it = 0; it < 30; it++) {
            double d = 0.5 * (lo + hi);
            c.cx = parent.cx + d * ux;
            c.cy = parent.cy + d * uy;
            if (minRhoOfBoundary(c, parent) < target) {
                lo = d;
            } else {
                hi = d;
            }
        }
        c.cx = parent.cx + hi * ux;
        c.cy = parent.cy + hi * uy;
        if (c.cx < 0 || c.cy < 0 || c.cx > w - 1 || c.cy > h - 1 || parent.rho(c.cx, c.cy) < 1.2
                || c.rho(parent.cx, parent.cy) < 1.2) {
            return null;
        }
        return clearOfAll(c, placed, parent) ? c : null;
    }

    /** True when c keeps a gap of about 2 px from every placed nucleus except {@code allowed}. */
    private static boolean clearOfAll(Nucleus c, List<Nucleus> placed, Nucleus allowed) {
        for (Nucleus o : placed) {
            if (o == allowed) {
                continue;
            }
            double reach = c.maxRadius() + o.maxRadius() + 3;
            double dx = c.cx - o.cx;
            double dy = c.cy - o.cy;
            if (dx * dx + dy * dy > reach * reach) {
                continue;
            }
            // Both directions: a large candidate could swallow a small one without its boundary
            // entering it.
            if (minRhoOfBoundary(c, o) < 1 + 2 / o.a || minRhoOfBoundary(o, c) < 1 + 2 / c.a) {
                return false;
            }
        }
        return true;
    }

    /** Smallest normalised distance to {@code of} over points of {@code from}'s boundary. */
    private static double minRhoOfBoundary(Nucleus from, Nucleus of) {
        double m = Double.MAX_VALUE;
        for (int k = 0; k < BOUNDARY_SAMPLES; k++) {
            double phi = 2 * Math.PI * k / BOUNDARY_SAMPLES;
            double r = from.radius(phi);
            m = Math.min(m, of.rho(from.cx + r * Math.cos(phi), from.cy + r * Math.sin(phi)));
        }
        return Math.min(m, of.rho(from.cx, from.cy));
    }

    /** Intensity and texture parameters of one nucleus. */
    private static void dress(SplittableRandom rng, Nucleus nu, double chromocentreShare, double dipShare) {
        boolean condensed = nu.condensed;
        double level = Math.exp(Math.log(1700) + 0.32 * rng.nextGaussian());
        nu.brightness = condensed ? Math.min(3700, 1.8 * level) : Math.max(650, Math.min(3500, level));
        nu.rim = condensed ? 0.75 : 0.45 + 0.3 * rng.nextDouble();
        nu.fineTexture = (condensed ? 0.05 : 0.06 + 0.08 * rng.nextDouble());
        nu.coarseTexture = (condensed ? 0.15 : 0.04 + 0.10 * rng.nextDouble());
        nu.dip = rng.nextDouble() < dipShare ? 0.45 + 0.3 * rng.nextDouble() : 1;
        if (condensed) {
            return;
        }
        double size = Math.sqrt(nu.a * nu.b);
        if (rng.nextDouble() < 0.65) {
            // Nucleoli hold little DNA, so they show as darker blobs in a DNA stain.
            int n = 1 + rng.nextInt(3);
            for (int i = 0; i < n; i++) {
                double[] off = insidePoint(rng, 0.6);
                nu.spots.add(new double[] {off[0] * nu.a, off[1] * nu.b, 1.2 + 0.12 * size * rng.nextDouble(),
                        -(0.2 + 0.25 * rng.nextDouble())});
            }
        }
        if (rng.nextDouble() < chromocentreShare) {
            // Chromocentres: small bright heterochromatin foci (typical of mouse cells).
            int n = 2 + rng.nextInt(6);
            for (int i = 0; i < n; i++) {
                double[] off = insidePoint(rng, 0.75);
                nu.spots.add(new double[] {off[0] * nu.a, off[1] * nu.b, 0.8 + 0.8 * rng.nextDouble(),
                        0.35 + 0.6 * rng.nextDouble()});
            }
        }
        // Spot offsets were drawn in the unrotated frame; rotate them with the nucleus.
        double c = Math.cos(nu.theta);
        double s = Math.sin(nu.theta);
        for (double[] sp : nu.spots) {
            double x = sp[0];
            double y = sp[1];
            sp[0] = c * x - s * y;
            sp[1] = s * x + c * y;
        }
    }

    private static double[] insidePoint(SplittableRandom rng, double maxR) {
        double r = maxR * Math.sqrt(rng.nextDouble());
        double t = 2 * Math.PI * rng.nextDouble();
        return new double[] {r * Math.cos(t), r * Math.sin(t)};
    }

    // ---------------------------------------------------------------- labels

    /** Writes labels 1..N (nearest normalised centre wins) and returns each pixel's rho in its owner. */
    private static float[] rasterise(List<Nucleus> nuclei, int w, int h, int[] labels) {
        float[] best = new float[w * h];
        java.util.Arrays.fill(best, Float.MAX_VALUE);
        for (int k = 0; k < nuclei.size(); k++) {
            Nucleus nu = nuclei.get(k);
            double r = nu.maxRadius() + 1;
            int x0 = Math.max(0, (int) Math.floor(nu.cx - r));
            int x1 = Math.min(w - 1, (int) Math.ceil(nu.cx + r));
            int y0 = Math.max(0, (int) Math.floor(nu.cy - r));
            int y1 = Math.min(h - 1, (int) Math.ceil(nu.cy + r));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    double p = nu.rho(x, y);
                    int i = y * w + x;
                    if (p <= 1 && p < best[i]) {
                        best[i] = (float) p;
                        labels[i] = k + 1;
                    }
                }
            }
        }
        return best;
    }

    /**
     * Overlap resolution can in principle cut a sliver off a nucleus; keep only the 4-connected part
     * that holds its centre so every object is one piece.
     */
    private static void keepCentreComponents(List<Nucleus> nuclei, int w, int h, int[] labels) {
        int n = labels.length;
        boolean[] keep = new boolean[n];
        int[] queue = new int[n];
        for (int k = 0; k < nuclei.size(); k++) {
            Nucleus nu = nuclei.get(k);
            int start = (int) Math.round(nu.cy) * w + (int) Math.round(nu.cx);
            if (labels[start] != k + 1) {
                throw new IllegalStateException("nucleus " + (k + 1) + " lost its centre pixel");
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            keep[start] = true;
            while (head < tail) {
                int i = queue[head++];
                int x = i % w;
                int[] nb = {x > 0 ? i - 1 : -1, x + 1 < w ? i + 1 : -1, i - w, i + w};
                for (int j : nb) {
                    if (j >= 0 && j < n && !keep[j] && labels[j] == k + 1) {
                        keep[j] = true;
                        queue[tail++] = j;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (!keep[i]) {
                labels[i] = 0;
            }
        }
    }

    // ---------------------------------------------------------------- image formation

    /** Noise-free fluorescence signal (above background) before the optics. */
    private static float[] render(SplittableRandom rng, List<Nucleus> nuclei, int w, int h, int[] labels,
            float[] rho) {
        float[] fine = smoothNoise(rng, w, h, 1.0);
        float[] coarse = smoothNoise(rng, w, h, 2.5);
        float[] sig = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int k = labels[i];
                if (k == 0) {
                    continue;
                }
                Nucleus nu = nuclei.get(k - 1);
                double p = rho[i];
                // Nuclei are thinner towards the rim, so less dye is in focus there.
                double profile = nu.rim + (1 - nu.rim) * Math.sqrt(Math.max(0, 1 - Math.pow(p, 2.5)));
                double texture = 1 + nu.fineTexture * fine[i] + nu.coarseTexture * coarse[i];
                double spots = 1;
                for (double[] sp : nu.spots) {
                    double dx = x - nu.cx - sp[0];
                    double dy = y - nu.cy - sp[1];
                    spots += sp[3] * Math.exp(-(dx * dx + dy * dy) / (2 * sp[2] * sp[2]));
                }
                double v = nu.brightness * profile * Math.max(0.2, texture) * Math.max(0.2, spots);
                // A darker seam where two nuclei touch, only for some pairs (the lower id decides).
                int other = touchingOther(labels, w, h, x, y, k);
                if (other > 0) {
                    v *= nuclei.get(Math.min(k, other) - 1).dip;
                }
                sig[i] = (float) v;
            }
        }
        return sig;
    }

    private static int touchingOther(int[] labels, int w, int h, int x, int y, int k) {
        int i = y * w + x;
        if (x > 0 && labels[i - 1] != 0 && labels[i - 1] != k) {
            return labels[i - 1];
        }
        if (x + 1 < w && labels[i + 1] != 0 && labels[i + 1] != k) {
            return labels[i + 1];
        }
        if (y > 0 && labels[i - w] != 0 && labels[i - w] != k) {
            return labels[i - w];
        }
        if (y + 1 < h && labels[i + w] != 0 && labels[i + w] != k) {
            return labels[i + w];
        }
        return 0;
    }

    /** Optics, background, illumination and camera; returns integral ADU values in 0..65535. */
    private static float[] acquire(SplittableRandom rng, float[] signal, int w, int h) {
        int n = w * h;
        float[] focused = blur(signal, w, h, OPTICAL_SIGMA);
        // Out-of-focus light from the nuclei above and below the focal plane.
        float[] haze = blur(signal, w, h, 10);
        double hazeLevel = 0.03 + 0.05 * rng.nextDouble();

        double bgLevel = 230 + 190 * rng.nextDouble();
        double gradAngle = 2 * Math.PI * rng.nextDouble();
        double gradAmp = (0.05 + 0.15 * rng.nextDouble()) * bgLevel;
        double gx = Math.cos(gradAngle) / w;
        double gy = Math.sin(gradAngle) / h;
        // Mottled background: a few broad random waves.
        int waves = 4;
        double[][] wave = new double[waves][4];
        for (double[] wv : wave) {
            double period = 0.4 + 0.8 * rng.nextDouble();
            double t = 2 * Math.PI * rng.nextDouble();
            wv[0] = 2 * Math.PI * Math.cos(t) / (period * w);
            wv[1] = 2 * Math.PI * Math.sin(t) / (period * h);
            wv[2] = 2 * Math.PI * rng.nextDouble();
            wv[3] = (0.01 + 0.03 * rng.nextDouble()) * bgLevel;
        }
        double vig = 0.08 + 0.17 * rng.nextDouble();
        double vx = w * (0.5 + 0.2 * (rng.nextDouble() - 0.5));
        double vy = h * (0.5 + 0.2 * (rng.nextDouble() - 0.5));
        double halfDiag2 = 0.25 * ((double) w * w + (double) h * h);

        double gain = 1.5 + rng.nextDouble(); // ADU per photo-electron
        double readNoise = 3 + 3 * rng.nextDouble(); // ADU
        float[] out = new float[n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double bg = bgLevel + gradAmp * ((x - 0.5 * w) * gx + (y - 0.5 * h) * gy) * 2;
                for (double[] wv : wave) {
                    bg += wv[3] * Math.cos(wv[0] * x + wv[1] * y + wv[2]);
                }
                double ddx = x - vx;
                double ddy = y - vy;
                double illum = 1 - vig * (ddx * ddx + ddy * ddy) / halfDiag2;
                double mean = Math.max(0, illum * (bg + focused[i] + hazeLevel * haze[i]));
                double electrons = poisson(rng, mean / gain);
                double adu = CAMERA_OFFSET + gain * electrons + readNoise * rng.nextGaussian();
                out[i] = (float) Math.max(0, Math.min(65535, Math.rint(adu)));
            }
        }
        return out;
    }

    private static double poisson(SplittableRandom rng, double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 40) {
            // Normal approximation; indistinguishable from Poisson at these counts.
            return Math.max(0, Math.rint(lambda + Math.sqrt(lambda) * rng.nextGaussian()));
        }
        double limit = Math.exp(-lambda);
        double prod = rng.nextDouble();
        int k = 0;
        while (prod > limit) {
            prod *= rng.nextDouble();
            k++;
        }
        return k;
    }

    /** White noise blurred to the given scale and rescaled to unit standard deviation. */
    private static float[] smoothNoise(SplittableRandom rng, int w, int h, double sigma) {
        float[] f = new float[w * h];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rng.nextGaussian();
        }
        f = blur(f, w, h, sigma);
        double ss = 0;
        for (float v : f) {
            ss += v * v;
        }
        float scale = (float) (1 / Math.sqrt(ss / f.length + 1e-12));
        for (int i = 0; i < f.length; i++) {
            f[i] *= scale;
        }
        return f;
    }

    /** Separable Gaussian blur with mirrored edges. */
    static float[] blur(float[] src, int w, int h, double sigma) {
        return org.segmentcells.img.Resample.gaussian(new FloatPlane(w, h, src), sigma, sigma).data();
    }

    // ---------------------------------------------------------------- files

    /**
     * Writes {@code n} images as {@code outDir/images/synth-NN.tif} (16-bit) with labels in
     * {@code outDir/labels/synth-NN.tif}. Image i uses the i-th long drawn from a SplittableRandom seeded
     * with {@code seed}, so sets with different seeds share no images.
     */
    public static void writeSet(Path outDir, int n, int width, int height, int count, long seed)
            throws IOException {
        writeSet(outDir, n, width, height, count, seed, 1);
    }

    /** As {@link #writeSet(Path, int, int, int, int, long)}, with nuclei {@code zoom} times their usual size. */
    public static void writeSet(Path outDir, int n, int width, int height, int count, long seed, double zoom)
            throws IOException {
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            Sample s = generate(width, height, count, seeds.nextLong(), zoom);
            write(s, outDir, String.format(Locale.ROOT, "synth-%02d", i));
        }
    }

    /** Writes {@code outDir/images/STEM.tif} and {@code outDir/labels/STEM.tif}. */
    public static void write(Sample s, Path outDir, String stem) throws IOException {
        float[] f = s.image().data();
        int[] px = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            px[i] = Math.round(f[i]);
        }
        ImageFiles.write16(s.image().width(), s.image().height(), px, outDir.resolve("images").resolve(stem + ".tif"));
        ImageFiles.writeLabels(s.labels(), outDir.resolve("labels").resolve(stem + ".tif"));
    }

    /** Images above this many pixels are written by {@link #writeLarge}, in independent tiles. */
    public static final long LARGE_PIXELS = 16L << 20;
    /** Side of the independent tiles of {@link #writeLarge}. */
    static final int LARGE_TILE = 1024;

    /**
     * Writes one large image as {@code outDir/images/STEM.tif} (16-bit) with labels in
     * {@code outDir/labels/STEM.tif}, without ever holding it whole: it is generated as independent
     * {@value #LARGE_TILE}-px tiles (each {@link #generate}d with its own seed and its share of the
     * {@code count} nuclei) and written one row of tiles at a time. Tile seams show as steps in the
     * background, and no nucleus crosses a seam; enough for memory and speed tests of big images.
     * Labels are 16-bit up to 65535 nuclei possible, else 32-bit float.
     */
    public static void writeLarge(Path outDir, String stem, int width, int height, int count, long seed)
            throws IOException {
        writeLarge(outDir, stem, width, height, count, seed, 1);
    }

    /** As {@link #writeLarge(Path, String, int, int, int, long)}, with nuclei {@code zoom} times their usual size. */
    public static void writeLarge(Path outDir, String stem, int width, int height, int count, long seed, double zoom)
            throws IOException {
        SplittableRandom seeds = new SplittableRandom(seed);
        double perPixel = count / ((double) width * height);
        int tilesX = tiles(width);
        int tilesY = tiles(height);
        long planned = 0;
        for (int ty = 0; ty < tilesY; ty++) {
            for (int tx = 0; tx < tilesX; tx++) {
                planned += Math.round(perPixel * tileSide(tx, width) * tileSide(ty, height));
            }
        }
        var labelType = org.segmentcells.img.LabelType.forMaxLabel(planned) == org.segmentcells.img.LabelType.GRAY16
                ? TiffStripWriter.Type.GRAY16 : TiffStripWriter.Type.FLOAT32;
        try (TiffStripWriter img = new TiffStripWriter(outDir.resolve("images").resolve(stem + ".tif"), width, height,
                TiffStripWriter.Type.GRAY16);
             TiffStripWriter lab = new TiffStripWriter(outDir.resolve("labels").resolve(stem + ".tif"), width,
                     height, labelType)) {
            int next = 0;
            for (int ty = 0; ty < tilesY; ty++) {
                int th = tileSide(ty, height);
                int[] px = new int[th * width];
                int[] ids = new int[th * width];
                for (int tx = 0; tx < tilesX; tx++) {
                    int tw = tileSide(tx, width);
                    Sample s = generate(tw, th, (int) Math.round(perPixel * tw * th), seeds.nextLong(), zoom);
                    int max = 0;
                    for (int y = 0; y < th; y++) {
                        for (int x = 0; x < tw; x++) {
                            int i = y * width + tx * LARGE_TILE + x;
                            px[i] = Math.round(s.image().data()[y * tw + x]);
                            int l = s.labels().data()[y * tw + x];
                            ids[i] = l == 0 ? 0 : next + l;
                            max = Math.max(max, l);
                        }
                    }
                    next += max;
                }
                img.writeRows(px, 0, th);
                lab.writeRows(ids, 0, th);
            }
            img.commit();
            lab.commit();
        }
    }

    // Tiles are LARGE_TILE px, the last one takes the rest; a rest under 16 px (generate's minimum)
    // joins the tile before it.
    private static int tiles(int size) {
        int n = (size + LARGE_TILE - 1) / LARGE_TILE;
        return n > 1 && size - (n - 1) * LARGE_TILE < 16 ? n - 1 : n;
    }

    private static int tileSide(int t, int size) {
        int n = tiles(size);
        return t < n - 1 ? LARGE_TILE : size - (n - 1) * LARGE_TILE;
    }

    /**
     * {@code OUT_DIR N WIDTH HEIGHT COUNT SEED} writes a set via {@link #writeSet};
     * {@code OUT_DIR --name STEM WIDTH HEIGHT COUNT SEED} writes one image, {@code generate(..., SEED)}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 6 && args.length != 7) {
            System.err.println("usage: SyntheticNuclei OUT_DIR N WIDTH HEIGHT COUNT SEED\n"
                    + "       SyntheticNuclei OUT_DIR --name STEM WIDTH HEIGHT COUNT SEED");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        if (args[1].equals("--name")) {
            Sample s = generate(Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Long.parseLong(args[6]));
            write(s, out, args[2]);
        } else {
            writeSet(out, Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Long.parseLong(args[5]));
        }
    }
}
