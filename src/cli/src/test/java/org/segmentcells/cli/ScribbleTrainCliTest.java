package org.segmentcells.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.annotate.ScribbleSimulator;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.train.TrainConfig;

class ScribbleTrainCliTest {

    /** An images folder with synth-00 and a scribbles folder with its simulated scribbles (20 nuclei). */
    static Path[] scribbledFrame(Path tmp) throws Exception {
        return scribbledFrame(tmp, 20);
    }

    /** As above, with strokes in {@code k} nuclei. */
    static Path[] scribbledFrame(Path tmp, int k) throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path scribbles = Files.createDirectories(tmp.resolve("scribbles"));
        Files.copy(Path.of("test-images/images/synth-00.tif"), images.resolve("synth-00.tif"));
        LabelPlane gt = ImageFiles.readLabels(Path.of("test-images/labels/synth-00.tif"));
        ImageFiles.writeLabels(ScribbleSimulator.simulate(gt, k, 1), scribbles.resolve("synth-00.tif"));
        return new Path[] {images, scribbles};
    }

    @Test
    void noStepsOnScribblesIsRefusedAsFineTuneModelRefusesIt(@TempDir Path tmp) throws Exception {
        Path[] in = scribbledFrame(tmp);
        Path out = tmp.resolve("tuned");
        CliTest.Run r = CliTest.cli("train", "--init", "bbbc039-2frames", "--images", in[0].toString(), "--scribbles",
                in[1].toString(), "--steps", "0", "--output", out.toString());
        assertEquals(1, r.code(), r.err() + r.out());
        assertTrue(r.err().contains("--steps 0 only calibrates the model, which needs fully annotated frames"), r.err());
        assertTrue(r.err().contains("not scribbles"), r.err());
        assertFalse(Files.exists(out), "no copy of the start written");

        // With validation frames there is something to calibrate on: the start, calibrated on them.
        org.segmentcells.synth.TestImages.Annotated val = org.segmentcells.synth.TestImages.oneLabelledFrame(
                tmp.resolve("val"));
        r = CliTest.cli("train", "--init", "bbbc039-2frames", "--images", in[0].toString(), "--scribbles",
                in[1].toString(), "--steps", "0", "--validation-images", val.images().toString(), "--validation-labels",
                val.labels().toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(Files.isRegularFile(out.resolve("model.json")), r.out());
        assertTrue(r.out().contains("checked on the validation frames: calibrated F"), r.out());
    }

    @Test
    void fineTunesAModelWithADFromScribblesWithDFrozen(@TempDir Path tmp) throws Exception {
        // Three nucleus strokes: none held out, so no check can put the start back in place of what this tests.
        Path[] in = scribbledFrame(tmp, 3);
        Path out = tmp.resolve("tuned");
        CliTest.Run r = CliTest.cli("train", "--init", "bbbc039-2frames", "--mode", "adversarial", "--images",
                in[0].toString(), "--scribbles", in[1].toString(), "--steps", "5", "--batch", "4", "--output",
                out.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("(D frozen)") && r.out().contains("scribbled"), r.out());
        assertTrue(r.out().contains("too few strokes to hold any out (3 nucleus"), r.out());
        assertTrue(r.out().contains("not checked against bbbc039-2frames"), r.out());
        ModelInfo info = ModelFolder.readInfo(out);
        assertEquals("bbbc039-2frames", info.training.init);
        assertEquals("adversarial", info.training.mode);
        assertEquals(0, info.training.dSteps);
        assertEquals(5, info.training.steps);
        assertEquals(TrainConfig.SCRIBBLE_PSEUDO_LABELS_ADVERSARIAL, info.training.pseudoLabels,
                "the adversarial modes' default pseudo-label weight");
        try (Model m = Model.load(out)) {
            assertEquals(25, m.estimatorWeights().size());
        }
    }

    @Test
    void fineTunesRunInCrossEntropyByDefaultAndAdversarialScribblesNeedAD(@TempDir Path tmp) throws Exception {
        Path[] in = scribbledFrame(tmp, 3); // too few strokes to hold any out: the fine-tune stays unchecked
        Path out = tmp.resolve("tuned");
        // bbbc039-2frames carries a Rib Cage D; the measured default for fine-tunes is cross-entropy anyway.
        CliTest.Run r = CliTest.cli("train", "--init", "bbbc039-2frames", "--images", in[0].toString(), "--scribbles",
                in[1].toString(), "--steps", "3", "--batch", "4", "--output", out.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        ModelInfo info = ModelFolder.readInfo(out);
        assertEquals("cross-entropy", info.training.mode);
        assertEquals("bbbc039-2frames", info.training.init);
        assertEquals(TrainConfig.SCRIBBLE_PSEUDO_LABELS, info.training.pseudoLabels, "cross-entropy's default weight");
        assertTrue(r.out().contains("), pseudo-labels 0.03 at scale "), r.out());

        // A start without a D: adversarial scribble training is refused before any work, saying what to do.
        Path noD = tmp.resolve("no-d");
        Path src = org.segmentcells.model.ModelStore.resolve("bbbc039-2frames");
        Files.createDirectories(noD);
        Files.copy(src.resolve(ModelFolder.INFO), noD.resolve(ModelFolder.INFO));
        try (var files = Files.walk(src.resolve("estimator"))) {
            for (Path f : files.toList()) {
                Files.copy(f, noD.resolve(src.relativize(f).toString()));
            }
        }
        ModelInfo withoutD = ModelFolder.readInfo(noD);
        withoutD.discriminator = null;
        ModelFolder.writeInfo(noD, withoutD);
        r = CliTest.cli("train", "--init", noD.toString(), "--mode", "adversarial", "--images", in[0].toString(),
                "--scribbles", in[1].toString(), "--output", tmp.resolve("never").toString());
        assertEquals(2, r.code(), r.err()); // a contradiction on the command line
        assertTrue(r.err().contains("scribble training in mode adversarial needs a starting model with a ribcage-v1"
                + " discriminator; " + noD + " has none; or use --mode cross-entropy"), r.err());
        assertTrue(!Files.exists(tmp.resolve("never")));
    }

    @Test
    void nucleiOutlinedWholeInTheScribblesSetTheTrainingScaleAndModelJsonSaysSo(@TempDir Path tmp) throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path scribbles = Files.createDirectories(tmp.resolve("scribbles"));
        Files.copy(Path.of("test-images/images/synth-00.tif"), images.resolve("synth-00.tif"));
        LabelPlane gt = ImageFiles.readLabels(Path.of("test-images/labels/synth-00.tif"));
        // Five nuclei painted whole with a contour rim (scribble values: 2 nucleus, 3 contour), nothing else.
        byte[] classes = org.segmentcells.annotate.Targets.fromLabels(gt, 2);
        int[] painted = new int[classes.length];
        java.util.List<Integer> five = new java.util.ArrayList<>();
        for (int i = 0; i < classes.length && five.size() < 5; i++) {
            int id = gt.data()[i];
            int x = i % gt.width();
            if (id > 0 && !five.contains(id) && x > 40 && x < gt.width() - 40 && i / gt.width() > 40
                    && i / gt.width() < gt.height() - 40) {
                five.add(id);
            }
        }
        for (int i = 0; i < classes.length; i++) {
            if (five.contains(gt.data()[i])) {
                painted[i] = classes[i] + 1;
            }
        }
        ImageFiles.writeLabels(new LabelPlane(gt.width(), gt.height(), painted), scribbles.resolve("synth-00.tif"));
        Path out = tmp.resolve("tuned");
        CliTest.Run r = CliTest.cli("train", "--init", "default", "--images", images.toString(), "--scribbles",
                scribbles.toString(), "--steps", "2", "--batch", "4", "--output", out.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("training at scale ") && r.out().contains("the median of the 5 nuclei outlined whole"),
                r.out());
        ModelInfo info = ModelFolder.readInfo(out);
        assertTrue(info.training.scale.startsWith("scale ") && info.training.scale.endsWith(
                "the median of the 5 nuclei outlined whole"), info.training.scale);
    }

    @Test
    void pseudoLabelsGoWithScribblesAndAStartingModel(@TempDir Path tmp) throws Exception {
        Path[] in = scribbledFrame(tmp);
        Path out = tmp.resolve("tuned");
        CliTest.Run r = CliTest.cli("train", "--init", "default", "--images", in[0].toString(), "--scribbles",
                in[1].toString(), "--pseudo-labels", "0.3", "--steps", "2", "--batch", "4", "--output", out.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(Files.isRegularFile(out.resolve("model.json")));
        r = CliTest.cli("train", "--init", "default", "--images", in[0].toString(), "--scribbles", in[1].toString(),
                "--pseudo-labels", "2", "--output", tmp.resolve("a").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--pseudo-labels must be from 0 (off) to 1, got 2"), r.err());
        r = CliTest.cli("train", "--init", "default", "--images", "test-images/images", "--labels", "test-images/labels",
                "--pseudo-labels", "0.3", "--output", tmp.resolve("b").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--pseudo-labels goes with --scribbles"), r.err());
        assertTrue(!Files.exists(tmp.resolve("a")) && !Files.exists(tmp.resolve("b")));
    }

    @Test
    void clearErrors(@TempDir Path tmp) throws Exception {
        Path[] in = scribbledFrame(tmp);
        String out = tmp.resolve("m").toString();
        CliTest.Run r = CliTest.cli("train", "--images", in[0].toString(), "--output", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("either --labels or --scribbles"), r.err());
        r = CliTest.cli("train", "--images", in[0].toString(), "--labels", in[1].toString(), "--scribbles",
                in[1].toString(), "--output", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("either --labels or --scribbles"), r.err());
        r = CliTest.cli("train", "--images", in[0].toString(), "--scribbles", in[1].toString(), "--output", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--scribbles fine-tune a model: give --init (e.g. --init default)"), r.err());
        r = CliTest.cli("train", "--init", "default", "--images", in[0].toString(), "--scribbles", in[1].toString(),
                "--d-steps", "1", "--output", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--d-steps must be 0"), r.err());
        // A label image is not a scribble image.
        r = CliTest.cli("train", "--init", "default", "--images", in[0].toString(), "--scribbles",
                "test-images/labels", "--list", writeList(tmp), "--output", out);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not a scribble image"), r.err());
        assertTrue(!Files.exists(Path.of(out)));
    }

    private static String writeList(Path tmp) throws Exception {
        return Files.writeString(tmp.resolve("list.txt"), "synth-00\n").toString();
    }
}
