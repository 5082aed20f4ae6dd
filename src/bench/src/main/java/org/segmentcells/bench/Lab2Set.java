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
 * A second "new microscope", like the stem-cell lab of issue 19 (nuclei about 60 px across, dim,
 * sparse): BBBC039 val.txt frames, which no shipped model trained on, magnified {@link #ZOOM} times
 * (image bilinearly, labels by nearest neighbour), cut to their central 512×640, dimmed to a tenth of
 * their signal over an offset and given Gaussian read noise. The 4 frames fine-tunes may train on are
 * the first 4 of val.txt in name order (plate rows A-B); the 9 scored are the last 9 (rows N-P), so
 * training and scoring wells differ in treatment, as two acquisitions would. The set is written as a
 * data-set folder (images/, labels/, ids_512x640.tsv) that {@link NewMicroscopeProtocol} reads.
 */
public final class Lab2Set {

    public static final double ZOOM = 2.4;
    static final int WIDTH = 640;
    static final int HEIGHT = 512;
    static final float GAIN = 0.1f;
    static final float OFFSET = 100;
    static final float NOISE = 4;

    private Lab2Set() {
    }

    /** Writes the set into {@code out} (replacing what a previous run wrote there) and returns it. */
    public static Path write(Path bbbc, Path out) throws IOException {
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
                    ImageFiles.readLabels(p.labels())).scaled(ZOOM);
            FloatPlane big = magnified.image();
            LabelPlane bigLabels = magnified.labels();
            int w = big.width();
            int h = big.height();
            int x0 = (w - WIDTH) / 2;
            int y0 = (h - HEIGHT) / 2;
            Random noise = new Random(k);
            int[] px = new int[WIDTH * HEIGHT];
            int[] lab = new int[WIDTH * HEIGHT];
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    int i = (y0 + y) * w + x0 + x;
                    px[y * WIDTH + x] = Math.round(OFFSET + GAIN * big.data()[i] + NOISE * (float) noise.nextGaussian());
                    lab[y * WIDTH + x] = bigLabels.data()[i];
                }
            }
            ImageFiles.write16(WIDTH, HEIGHT, px, out.resolve("images").resolve(ids.get(k) + ".tif"));
            ImageFiles.writeLabels(new LabelPlane(WIDTH, HEIGHT, lab), out.resolve("labels").resolve(ids.get(k) + ".tif"));
        }
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve(NewMicroscopeProtocol.IDS), String.join("\n", ids) + "\n");
        return out;
    }

}
