package org.segmentcells.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.io.TiffStripWriter;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.scale.AutoScale;
import org.segmentcells.scale.TrainingSize;
import org.segmentcells.segment.Scale;
import org.segmentcells.scale.ObjectSize;
import org.segmentcells.synth.SyntheticNuclei;

/**
 * The size of a TIFF segmented in bands: measured on full-resolution crops picked on an overview, so it
 * is right where the overview shrinks nuclei to a few pixels (measured on the overview alone, the
 * 8192-px slide below came out at 35 px for 22 px nuclei), and for large nuclei too.
 */
class SizeInBandsTest {

    @TempDir
    Path tmp;

    /** One synthetic 1024-px frame repeated {@code times}×{@code times}; returns the measured/true diameter ratio. */
    private double ratio(String name, int times, int nuclei, double zoom, Model model) throws Exception {
        SyntheticNuclei.Sample tile = SyntheticNuclei.generate(1024, 1024, nuclei, 5, zoom);
        int side = 1024 * times;
        Path image = tmp.resolve(name + ".tif");
        try (TiffStripWriter w = new TiffStripWriter(image, side, side, TiffStripWriter.Type.GRAY16)) {
            int[] row = new int[side];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    row[x] = Math.round(tile.image().data()[(y % 1024) * 1024 + x % 1024]);
                }
                w.writeRows(row, 0, 1);
            }
            w.commit();
        }
        ObjectSize.Estimate e = FileSegmentation.sizeInBands(image, model);
        assertTrue(e.objects() >= 100, e.objects() + " nuclei measured");
        return e.diameter() / ObjectSize.medianDiameter(List.of(tile.labels()));
    }

    /** A strip one row high and over a megapixel long is measured (nothing there) instead of read past its end. */
    @Test
    void aStripOneRowHigh() throws Exception {
        int w = 1_200_000;
        Path image = tmp.resolve("strip.tif");
        try (TiffStripWriter out = new TiffStripWriter(image, w, 1, TiffStripWriter.Type.GRAY16)) {
            int[] row = new int[w];
            for (int x = 0; x < w; x++) {
                row[x] = 100 + (x % 50 < 10 ? 400 : 0);
            }
            out.writeRows(row, 0, 1);
            out.commit();
        }
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            ObjectSize.Estimate e = FileSegmentation.sizeInBands(image, model);
            assertTrue(!e.found() || e.diameter() > 0, "an estimate or none, not an exception: " + e);
        }
    }

    /**
     * In bands, as in memory, a soft image's nuclei above the range go above the range's centre
     * ({@code AutoScale.forLook}), and a noisy one's to the centre: the first measuring crop, at the image's
     * own sampling, shows which.
     */
    @Test
    void theFirstCropShowsWhetherTheImageIsSoft() throws Exception {
        SyntheticNuclei.Sample small = SyntheticNuclei.generate(768, 768, 160, 7);
        FloatPlane enlarged = Resample.bilinear(small.image(), 2304, 2304);
        FloatPlane noisy = org.segmentcells.synth.TestImages.withNoise(enlarged, 0.05, 2);
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            TrainingSize size = model.info().trainingSize();
            AutoScale.Choice soft = plan(enlarged, "soft", model).scale();
            AutoScale.Choice grainy = plan(noisy, "noisy", model).scale();
            assertTrue(soft.diameter() > size.high() && grainy.diameter() > size.high(), soft.describe() + " / " + grainy.describe());
            assertEquals(AutoScale.softTarget(size) / soft.diameter(), soft.factor(), 1e-9, soft.describe());
            assertEquals(size.centre() / grainy.diameter(), grainy.factor(), 1e-9, grainy.describe());
        }
    }

    /**
     * In bands, as in memory, nuclei in the lower part of the range are doubled when the network draws sharp
     * contours on the first measuring crop, and kept at scale 1 when it does not.
     */
    @Test
    void smallSharpNucleiAreEnlargedInBandsAsInMemory() throws Exception {
        SyntheticNuclei.Sample s = SyntheticNuclei.generate(2048, 2048, 2400, 9);
        double f = 15.0 / ObjectSize.medianDiameter(List.of(s.labels()));
        int w = Resample.scaledSize(2048, f);
        FloatPlane small = Resample.bilinear(s.image(), w, w);
        FloatPlane soft = Resample.gaussian(small, 3, 3);
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            TrainingSize size = model.info().trainingSize();
            AutoScale.Choice sharp = plan(small, "small", model).scale();
            assertTrue(sharp.diameter() < AutoScale.ENLARGE_BELOW * size.median(), sharp.describe());
            assertEquals(2, sharp.factor(), sharp.describe());
            assertEquals(1, plan(soft, "soft-small", model).scale().factor(), "soft: kept");
            // A given diameter is judged as a measured one, on the centre square (nothing was measured).
            AutoScale.Choice given = FileSegmentation.streamingPlan(model, tmp.resolve("small.tif"),
                    SegmentSettings.MODEL.withDiameter(15.0), new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).scale();
            assertEquals(2, given.factor(), given.describe());
        }
    }

    private Model.Plan plan(FloatPlane img, String name, Model model) throws Exception {
        Path image = tmp.resolve(name + ".tif");
        float max = 0;
        for (float v : img.data()) {
            max = Math.max(max, v);
        }
        try (TiffStripWriter w = new TiffStripWriter(image, img.width(), img.height(), TiffStripWriter.Type.GRAY16)) {
            int[] row = new int[img.width()];
            for (int y = 0; y < img.height(); y++) {
                for (int x = 0; x < img.width(); x++) {
                    row[x] = Math.round(Math.max(0, img.data()[y * img.width() + x]) * 60000 / max);
                }
                w.writeRows(row, 0, 1);
            }
            w.commit();
        }
        return FileSegmentation.streamingPlan(model, image, SegmentSettings.MODEL.withScale(Scale.AUTO),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    @Test
    void smallNucleiOnABigSlideAndLargeOnes() throws Exception {
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            // 8192 px: the overview is 8 times smaller, where these nuclei (about 22 px) would be under 3 px.
            assertEquals(1, ratio("usual", 8, 400, 1, model), 0.15, "usual nuclei");
            assertEquals(1, ratio("large", 5, 45, 3, model), 0.15, "nuclei three times as large");
        }
    }
    /**
     * Where nothing is measured (a scale given), bands judge the image's look on the centred square that
     * {@code Sharpness.of} reads of the whole plane in memory, read from the file: the same number.
     */
    @Test
    void theCentreSquareReadFromTheFileLooksAsTheWholePlane() throws Exception {
        FloatPlane img = org.segmentcells.synth.TestImages.withNoise(SyntheticNuclei.generate(900, 700, 60, 3).image(), 0.05, 4);
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            plan(img, "grainy", model);
        }
        Path file = tmp.resolve("grainy.tif");
        FloatPlane read = org.segmentcells.io.ImageFiles.readPlane(file);
        FloatPlane square = FileSegmentation.centreSquare(file);
        assertEquals(org.segmentcells.scale.Sharpness.CROP, square.width());
        assertEquals(org.segmentcells.scale.Sharpness.of(read), org.segmentcells.scale.Sharpness.of(square), 0);
        assertTrue(org.segmentcells.scale.Sharpness.isNoisy(square), "sharpness " + org.segmentcells.scale.Sharpness.of(square));
    }

    /** A TIFF cut short (a copy that stopped half-way) is an IOException naming the file, not an unexpected error. */
    @Test
    void aTruncatedTiffIsAnIoError() throws Exception {
        SyntheticNuclei.Sample small = SyntheticNuclei.generate(512, 512, 30, 7);
        Model.Plan whole;
        try (Model model = Model.load(ModelStore.resolve("default"))) {
            whole = plan(small.image(), "cut", model);
            assertTrue(whole.scale().diameter() > 0);
            Path image = tmp.resolve("cut.tif");
            byte[] bytes = java.nio.file.Files.readAllBytes(image);
            java.nio.file.Files.write(image, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> FileSegmentation.streamingPlan(model, image, SegmentSettings.MODEL.withScale(Scale.AUTO),
                            new java.io.PrintStream(java.io.OutputStream.nullOutputStream())));
            assertTrue(e.getMessage().contains("cut.tif"), e.getMessage());
        }
    }
}
