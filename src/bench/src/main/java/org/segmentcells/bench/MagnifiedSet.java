package org.segmentcells.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.AtomicFiles;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.train.Trainer;
import org.segmentcells.train.TrainingData;

/**
 * A "new microscope" made from BBBC039 val.txt frames, which no shipped model trained on: magnified
 * {@code zoom} times (image bilinearly, labels by nearest neighbour), cut to their central
 * {@code width}×{@code height}, their signal times {@code gain} over {@code offset}, with Gaussian read noise
 * of {@code noise}, rounded and clipped to {@code maxValue}. The 4 frames fine-tunes may train on are the
 * first 4 of val.txt in name order (plate rows A-B); the 9 scored are the last 9 (rows N-P), so training
 * and scoring wells differ in treatment, as two acquisitions would. The set is written as a data-set
 * folder (images/, labels/, the id list) that {@link NewMicroscopeProtocol} reads.
 */
public record MagnifiedSet(String name, double zoom, int width, int height, float gain, float offset, float noise,
        int maxValue) {

    /**
     * Issue 19's lab 1: U2OS nuclei about 110 px across (a 60x look), 8-bit values (0-255, written as a
     * 16-bit TIFF as every set is). 1280×1024 so that a frame still holds 20-40 nuclei.
     */
    public static final MagnifiedSet LAB1 = new MagnifiedSet("lab1", 4, 1280, 1024, 0.18f, 10, 2, 255);

    /** Issue 19's stem-cell lab 2: nuclei about 60 px across, dim (a tenth of the signal over an offset), 16-bit. */
    public static final MagnifiedSet LAB2 = new MagnifiedSet("lab2", 2.4, 640, 512, 0.1f, 100, 4, 65535);

    /** The sets by name. */
    public static final List<MagnifiedSet> ALL = List.of(LAB1, LAB2);

    /** The set called {@code name}, or null. */
    public static MagnifiedSet named(String name) {
        return ALL.stream().filter(s -> s.name.equals(name)).findFirst().orElse(null);
    }

    /** Writes the set into {@code out} (replacing what a previous run wrote there) and returns it. */
    public Path write(Path bbbc, Path out) throws IOException {
        List<String> val = new ArrayList<>(DataSets.stems(bbbc.resolve("val.txt")));
        val.sort(null);
        if (val.size() < 13) {
            throw new IOException(bbbc.resolve("val.txt") + ": needs at least 13 frames, has " + val.size());
        }
        List<String> ids = new ArrayList<>(val.subList(0, NewMicroscopeProtocol.MAX_TRAIN));
        ids.addAll(val.subList(val.size() - 9, val.size()));
        AtomicFiles.deleteTree(out.resolve("images"));
        AtomicFiles.deleteTree(out.resolve("labels"));
        for (int k = 0; k < ids.size(); k++) {
            TrainingData.Pair p = PaperProtocol.pairs(bbbc, List.of(ids.get(k))).get(0);
            Trainer.ValidationFrame magnified = new Trainer.ValidationFrame(p.stem(), ImageFiles.readPlane(p.image()),
                    ImageFiles.readLabels(p.labels())).scaled(zoom);
            FloatPlane big = magnified.image();
            LabelPlane bigLabels = magnified.labels();
            int w = big.width();
            int h = big.height();
            if (w < width || h < height) {
                throw new IOException(p.image() + " magnified " + zoom + " times is " + w + "x" + h + ", under " + width
                        + "x" + height);
            }
            int x0 = (w - width) / 2;
            int y0 = (h - height) / 2;
            Random rnd = new Random(k);
            int[] px = new int[width * height];
            int[] lab = new int[width * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = (y0 + y) * w + x0 + x;
                    int v = Math.round(offset + gain * big.data()[i] + noise * (float) rnd.nextGaussian());
                    px[y * width + x] = Math.max(0, Math.min(maxValue, v));
                    lab[y * width + x] = bigLabels.data()[i];
                }
            }
            ImageFiles.write16(width, height, px, out.resolve("images").resolve(ids.get(k) + ".tif"));
            ImageFiles.writeLabels(new LabelPlane(width, height, lab), out.resolve("labels").resolve(ids.get(k) + ".tif"));
        }
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve(NewMicroscopeProtocol.IDS), String.join("\n", ids) + "\n");
        return out;
    }
}
