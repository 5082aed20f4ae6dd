package org.segmentcells.train;

import java.util.List;
import java.util.SplittableRandom;

import org.segmentcells.img.Resample;

/**
 * Cuts random square crops from annotated frames, each under a random one of the 8 flips and 90°
 * rotations and, as {@link Cropping} asks, resized, gamma-adjusted and blurred, and builds the batch arrays.
 * Repeatable for a given seed.
 */
public final class PatchSampler {

    private final List<TrainingFrame> frames;
    private final int patch;
    private final int batch;
    private final float realNoise;
    private final float realBlur;
    private final SplittableRandom random;
    private final Cropping cropping;
    /** Running pixel counts of the frames, for drawing them by area. */
    private final long[] cumulativeArea;

    public PatchSampler(List<TrainingFrame> frames, int batch, int patch, float realNoise, float realBlur,
            long seed) {
        this(frames, batch, patch, realNoise, realBlur, seed, Cropping.NONE);
    }

    public PatchSampler(List<TrainingFrame> frames, int batch, int patch, float realNoise, float realBlur,
            long seed, Cropping cropping) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no training frames");
        }
        this.frames = frames.stream().map(f -> f.padTo(patch)).toList();
        this.patch = patch;
        this.batch = batch;
        this.realNoise = realNoise;
        this.realBlur = realBlur;
        this.random = new SplittableRandom(seed);
        this.cropping = cropping;
        this.cumulativeArea = new long[this.frames.size()];
        long sum = 0;
        for (int i = 0; i < cumulativeArea.length; i++) {
            sum += this.frames.get(i).image().size();
            cumulativeArea[i] = sum;
        }
    }

    private TrainingFrame nextFrame() {
        if (!cropping.byArea()) {
            return frames.get(random.nextInt(frames.size()));
        }
        long r = random.nextLong(cumulativeArea[cumulativeArea.length - 1]);
        int i = java.util.Arrays.binarySearch(cumulativeArea, r + 1);
        return frames.get(i >= 0 ? i : -i - 1);
    }

    /** A factor drawn log-uniformly from [1/range, range]; 1 without drawing when range is 1. */
    private double logUniform(double range) {
        return range > 1 ? Math.exp((2 * random.nextDouble() - 1) * Math.log(range)) : 1;
    }

    /** Draws and drops {@code n} batches: a resumed run goes on with the crops the uninterrupted one drew. */
    public void skip(long n) {
        for (long i = 0; i < n; i++) {
            next();
        }
    }

    public Batch next() {
        int pp = patch * patch;
        float[] image = new float[batch * pp];
        float[] target = new float[batch * pp * 3];
        float[] weight = new float[batch * pp];
        float[] real = new float[batch * pp * 3];
        for (int b = 0; b < batch; b++) {
            TrainingFrame f = nextFrame();
            int w = f.image().width();
            int h = f.image().height();
            // zoom > 1 magnifies: a smaller window of the frame fills the crop.
            double zoom = logUniform(cropping.zoom());
            int m = zoom == 1 ? patch : (int) Math.max(4, Math.min(Math.min(w, h), Math.round(patch / zoom)));
            int x0 = random.nextInt(w - m + 1);
            int y0 = random.nextInt(h - m + 1);
            int t = random.nextInt(8);
            double gamma = logUniform(cropping.gamma());
            float[] px = f.image().data();
            double step = m / (double) patch;
            for (int v = 0; v < patch; v++) {
                for (int u = 0; u < patch; u++) {
                    int[] src = dihedral(u, v, t, patch);
                    int d = b * pp + v * patch + u;
                    int s;
                    if (m == patch) {
                        s = (y0 + src[1]) * w + x0 + src[0];
                        image[d] = px[s];
                    } else {
                        double fx = x0 + (src[0] + 0.5) * step - 0.5;
                        double fy = y0 + (src[1] + 0.5) * step - 0.5;
                        image[d] = Resample.sample(px, w, h, fx, fy);
                        s = (y0 + Math.min(m - 1, (int) ((src[1] + 0.5) * step))) * w
                                + x0 + Math.min(m - 1, (int) ((src[0] + 0.5) * step));
                    }
                    if (gamma != 1 && image[d] > 0) {
                        image[d] = (float) Math.pow(image[d], gamma);
                    }
                    weight[d] = f.weight()[s];
                    int c = f.classes()[s];
                    target[d * 3 + c] = 1f;
                    real[d * 3 + c] = 1f;
                }
            }
            if (cropping.blur() > 0) {
                blur(image, b * pp, 1, random.nextDouble() * cropping.blur());
            }
            if (cropping.noise() > 0) {
                double sd = random.nextDouble() * cropping.noise();
                for (int i = b * pp; i < (b + 1) * pp; i++) {
                    image[i] += (float) (sd * random.nextGaussian());
                }
            }
            if (realNoise > 0) {
                addNoise(real, b * pp * 3, random.nextDouble() * realNoise);
            }
            if (realBlur > 0) {
                blur(real, b * pp * 3, 3, random.nextDouble() * realBlur);
            }
        }
        return new Batch(image, target, weight, real);
    }

    /** Mixes each pixel of one crop's map with a random point of the simplex: (1-eps)·map + eps·r. */
    private void addNoise(float[] map, int offset, double eps) {
        for (int i = offset; i < offset + patch * patch * 3; i += 3) {
            double r0 = random.nextDouble();
            double r1 = random.nextDouble();
            double r2 = random.nextDouble();
            double sum = r0 + r1 + r2 + 1e-9;
            map[i] = (float) ((1 - eps) * map[i] + eps * r0 / sum);
            map[i + 1] = (float) ((1 - eps) * map[i + 1] + eps * r1 / sum);
            map[i + 2] = (float) ((1 - eps) * map[i + 2] + eps * r2 / sum);
        }
    }

    /**
     * Blurs one crop of {@code channels} interleaved channels in place with a Gaussian of the given sigma
     * (edges clamped): the image ({@link Cropping#blur}), or the manual map shown to D, which then has
     * soft class borders like E's output instead of exact one-hot steps that D would otherwise learn to
     * spot first (a normalised kernel keeps every pixel's three values summing to 1).
     */
    private void blur(float[] map, int offset, int channels, double sigma) {
        if (sigma < 0.05) {
            return;
        }
        float[] k = Resample.kernel(sigma);
        int r = k.length / 2;
        int p = patch;
        int n = channels;
        float[] tmp = new float[p * p * n];
        for (int y = 0; y < p; y++) {
            for (int x = 0; x < p; x++) {
                for (int c = 0; c < n; c++) {
                    float acc = 0;
                    for (int i = -r; i <= r; i++) {
                        int xx = Math.min(p - 1, Math.max(0, x + i));
                        acc += k[i + r] * map[offset + (y * p + xx) * n + c];
                    }
                    tmp[(y * p + x) * n + c] = acc;
                }
            }
        }
        for (int y = 0; y < p; y++) {
            for (int x = 0; x < p; x++) {
                for (int c = 0; c < n; c++) {
                    float acc = 0;
                    for (int i = -r; i <= r; i++) {
                        int yy = Math.min(p - 1, Math.max(0, y + i));
                        acc += k[i + r] * tmp[(yy * p + x) * n + c];
                    }
                    map[offset + (y * p + x) * n + c] = acc;
                }
            }
        }
    }

    /** Source coordinates within the crop of output pixel (u,v) under transform t (0..7). */
    static int[] dihedral(int u, int v, int t, int size) {
        int x = (t & 4) != 0 ? v : u;
        int y = (t & 4) != 0 ? u : v;
        if ((t & 1) != 0) {
            x = size - 1 - x;
        }
        if ((t & 2) != 0) {
            y = size - 1 - y;
        }
        return new int[] {x, y};
    }
}
