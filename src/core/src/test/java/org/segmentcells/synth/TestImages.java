package org.segmentcells.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.scale.ObjectSize;

/** Annotated inputs the tests of several front ends share. */
public final class TestImages {

    private TestImages() {
    }

    /** An images/ and a labels/ folder. */
    public record Annotated(Path images, Path labels) {
    }

    /** {@code dir/images} and {@code dir/labels} holding test-images' synth-00 and its label image. */
    public static Annotated oneLabelledFrame(Path dir) throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path labels = Files.createDirectories(dir.resolve("labels"));
        Files.copy(Path.of("test-images/images/synth-00.tif"), images.resolve("synth-00.tif"));
        Files.copy(Path.of("test-images/labels/synth-00.tif"), labels.resolve("synth-00.tif"));
        return new Annotated(images, labels);
    }

    /**
     * {@code dir/images} with synth-00 (as a.tif) and {@code dir/rgb} with its annotation in the paper's RGB
     * 3-class encoding (a.png: red background, green nucleus, blue contour of width 2).
     */
    public static Annotated oneRgbAnnotatedFrame(Path dir) throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path rgb = Files.createDirectories(dir.resolve("rgb"));
        Files.copy(Path.of("test-images/images/synth-00.tif"), images.resolve("a.tif"));
        LabelPlane truth = ImageFiles.readLabels(Path.of("test-images/labels/synth-00.tif"));
        ij.process.ColorProcessor cp = new ij.process.ColorProcessor(truth.width(), truth.height(),
                org.segmentcells.annotate.Targets.toRgb(org.segmentcells.annotate.Targets.fromLabels(truth, 2)));
        new ij.io.FileSaver(new ij.ImagePlus("a", cp)).saveAsPng(rgb.resolve("a.png").toString());
        return new Annotated(images, rgb);
    }

    /**
     * A copy of {@code p} with Gaussian noise of {@code fraction} times its intensity range added to every
     * pixel (a camera's read noise, at the scale of single pixels).
     */
    public static FloatPlane withNoise(FloatPlane p, double fraction, long seed) {
        float[] px = p.data().clone();
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : px) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        java.util.Random noise = new java.util.Random(seed);
        for (int i = 0; i < px.length; i++) {
            px[i] += (float) (fraction * (hi - lo) * noise.nextGaussian());
        }
        return new FloatPlane(p.width(), p.height(), px);
    }

    /**
     * Writes a 16-bit synthetic image whose nuclei are {@code times} the shipped default's median training
     * size (24.6 px), as a higher-magnification objective shows them; returns its ground truth.
     */
    public static LabelPlane largeNuclei(Path file, double times) throws IOException {
        return largeNuclei(file, times, 0);
    }

    /**
     * As {@link #largeNuclei(Path, double)}, with read noise of {@code noise} times the intensity range added
     * after the enlarging, as a dim high-magnification field has it ({@code Sharpness.NOISY} from about 0.05).
     */
    public static LabelPlane largeNuclei(Path file, double times, double noise) throws IOException {
        SyntheticNuclei.Sample s = SyntheticNuclei.generate(256, 256, 25, 11);
        double f = times * 24.6 / ObjectSize.medianDiameter(List.of(s.labels()));
        int w = Resample.scaledSize(256, f);
        FloatPlane big = Resample.bilinear(s.image(), w, w);
        if (noise > 0) {
            big = withNoise(big, noise, 5);
        }
        int[] px = new int[w * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = Math.max(0, Math.min(65535, Math.round(big.data()[i])));
        }
        ImageFiles.write16(w, w, px, file);
        return Resample.nearest(s.labels(), w, w);
    }
}
