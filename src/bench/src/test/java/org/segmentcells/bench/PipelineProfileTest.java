package org.segmentcells.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;

class PipelineProfileTest {

    /**
     * The instrumented stages must do exactly the work of the plain path, or the profile explains nothing; and
     * the run at the chosen scale given must do the same work without choosing.
     */
    @Test
    void profiledStagesWriteTheSameLabelsAsThePlainPath(@TempDir Path dir) throws Exception {
        List<Path> files = List.of(Path.of("test-images/images/synth-00.tif"), Path.of("test-images/images/synth-01.tif"));
        Path a = Files.createDirectories(dir.resolve("profiled"));
        Path b = Files.createDirectories(dir.resolve("plain"));
        try (Model m = Model.load(ModelStore.resolve("default"))) {
            PipelineProfile p = new PipelineProfile(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            Map<String, Double> stages = p.stages(m, files, a);
            List<org.segmentcells.model.SegmentSettings> chosen = new java.util.ArrayList<>();
            p.plainSeconds(m, files, b, chosen);
            assertEquals(List.of(1.0, 1.0), chosen.stream().map(s -> s.scale().factor()).toList(),
                    "the scales auto chose for the demo frames");
            Path c = Files.createDirectories(dir.resolve("given"));
            p.plainSeconds(m, files, c, chosen);
            assertEquals(List.of("read file", "choose the scale (auto: measure the nuclei; the network's check where it runs)",
                    "normalise", "E (inside the network calls)",
                    "tiling: copies in and out of tiles", "instances (seeds, flood, min size)", "faint-object filter",
                    "write label TIFF"), List.copyOf(stages.keySet()));
            assertTrue(stages.get("E (inside the network calls)") > 0);
            for (Path f : files) {
                String name = ImageFiles.stem(f) + ".tif";
                int[] profiled = ImageFiles.readLabels(a.resolve(name)).data();
                assertTrue(java.util.Arrays.stream(profiled).max().orElse(0) > 5, "nuclei found in " + name);
                assertArrayEquals(ImageFiles.readLabels(b.resolve(name)).data(), profiled, name);
                assertArrayEquals(profiled, ImageFiles.readLabels(c.resolve(name)).data(), "the chosen scale given: " + name);
            }
        }
    }

    @Test
    void theChosenSettingsGivenBackIncludeTheMinimumSizeAutoDerivedWhereItShrinks(@TempDir Path dir) throws Exception {
        // A demo frame magnified 3 times: auto shrinks it, and derives the minimum size from the scale.
        org.segmentcells.img.FloatPlane im = ImageFiles.readPlane(Path.of("test-images/images/synth-00.tif"));
        org.segmentcells.img.FloatPlane big = org.segmentcells.img.Resample.bilinear(im, 3 * im.width(), 3 * im.height());
        int[] px = new int[big.data().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = Math.round(big.data()[i]);
        }
        Path in = Files.createDirectories(dir.resolve("in"));
        ImageFiles.write16(big.width(), big.height(), px, in.resolve("big.tif"));
        List<Path> files = List.of(in.resolve("big.tif"));
        Path auto = Files.createDirectories(dir.resolve("auto"));
        Path given = Files.createDirectories(dir.resolve("given"));
        try (Model m = Model.load(ModelStore.resolve("default"))) {
            PipelineProfile p = new PipelineProfile(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            List<org.segmentcells.model.SegmentSettings> chosen = new java.util.ArrayList<>();
            p.plainSeconds(m, files, auto, chosen);
            double f = chosen.get(0).scale().factor();
            assertTrue(f < 0.6, "shrunk: " + f);
            assertEquals(Math.round(m.info().minSize / (f * f)), (long) chosen.get(0).minSize(), "auto's minimum size");
            p.plainSeconds(m, files, given, chosen);
            int[] a = ImageFiles.readLabels(auto.resolve("big.tif")).data();
            assertTrue(java.util.Arrays.stream(a).max().orElse(0) > 5);
            assertArrayEquals(a, ImageFiles.readLabels(given.resolve("big.tif")).data());
        }
    }

    @Test
    void newMicroscopeRowsAreAllScoredOnTheFramesNoRowTrainsOn() throws Exception {
        Path set = DataSets.find("dsb2018_fluo");
        Assumptions.assumeTrue(set != null, "skipped: no dsb2018_fluo under " + DataSets.root().toAbsolutePath());
        Path folder = ModelStore.resolve("default");
        NewMicroscopeProtocol p = new NewMicroscopeProtocol(set, "default", folder,
                org.segmentcells.train.TrainConfig.defaults(), Path.of("target/unused"), System.out);
        List<String> all = DataSets.stems(set.resolve("ids_512x640.tsv"));
        assertEquals(13, all.size());
        assertEquals(all.subList(NewMicroscopeProtocol.MAX_TRAIN, 13), p.testIds());
        assertTrue(p.noFineTune(folder).scores().nGt() > 100, "the test frames are dense");
    }
}
