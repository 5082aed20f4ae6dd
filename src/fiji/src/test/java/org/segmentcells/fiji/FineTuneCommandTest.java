package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Line;
import ij.gui.Overlay;
import ij.gui.Roi;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.module.ModuleItem;
import org.segmentcells.annotate.ScribbleSimulator;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.train.TrainConfig;
import org.segmentcells.train.Trainer;
import org.segmentcells.fiji.plugin.FineTuneOptions;
import org.segmentcells.fiji.plugin.FineTuneOutcome;
import org.segmentcells.fiji.plugin.Progress;
import org.segmentcells.fiji.plugin.FineTuneModelCommand;

class FineTuneCommandTest extends SciJavaCommandTest {



    @Test
    void parameterNamesAreTheMacroKeys() {
        CommandInfo c = commands.getCommand(FineTuneModelCommand.class);
        List<String> names = new ArrayList<>();
        for (ModuleItem<?> item : c.inputs()) {
            if (item.getType() != Context.class) {
                names.add(item.getName());
                assertEquals(item.getName(), item.getLabel());
            }
        }
        assertEquals(List.of(FineTuneOptions.IMAGE, FineTuneOptions.IMAGES, FineTuneOptions.ANNOTATIONS,
                FineTuneOptions.ANNOTATION_TYPE, FineTuneOptions.UNMARKED_UNLABELLED, FineTuneOptions.PSEUDO_LABELS,
                FineTuneOptions.MODE, FineTuneOptions.INIT,
                FineTuneOptions.STEPS, FineTuneOptions.VALIDATION_IMAGES, FineTuneOptions.VALIDATION_LABELS,
                FineTuneOptions.OUTPUT), names);
        assertFalse(c.getInput(FineTuneOptions.IMAGE).isPersisted(), "an ImagePlus input must not be persisted");
        assertFalse(c.getInput(FineTuneOptions.VALIDATION_IMAGES).isPersisted());
        assertFalse(c.getInput(FineTuneOptions.VALIDATION_LABELS).isPersisted());
        assertFalse(c.getInput(FineTuneOptions.PSEUDO_LABELS).isPersisted());
        assertEquals(List.of(FineTuneOptions.MODES), c.getInput(FineTuneOptions.MODE).getChoices(),
                "the mode choices are the training modes");
    }

    @Test
    void fineTunesFromRoisOnAnOpenImage(@TempDir Path tmp) throws Exception {
        ImagePlus image = IJ.openImage("test-images/images/synth-00.tif");
        int w = image.getWidth();
        int h = image.getHeight();
        LabelPlane gt = ImageFiles.readLabels(Path.of("test-images/labels/synth-00.tif"));
        int max = Arrays.stream(gt.data()).max().orElseThrow();
        // Headless there is no ROI Manager, so the ROIs go where the runner then looks: the overlay.
        Overlay overlay = new Overlay();
        List<Roi> outlines = RoiTracer.trace(gt.data(), w, h, max, 0);
        outlines.subList(0, outlines.size() / 2).forEach(overlay::add); // half the nuclei outlined
        int y = firstBackgroundRow(gt);
        Line background = new Line(0, y, w, y);
        background.setName("background");
        overlay.add(background);
        image.setOverlay(overlay);

        Path out = tmp.resolve("tuned");
        Map<String, Object> in = new HashMap<>();
        in.put(FineTuneOptions.IMAGE, image);
        in.put(FineTuneOptions.ANNOTATION_TYPE, FineTuneOptions.ROI_MANAGER);
        in.put(FineTuneOptions.INIT, "default");
        in.put(FineTuneOptions.STEPS, 2);
        in.put(FineTuneOptions.OUTPUT, out.toFile());
        CommandModule m = commands.run(FineTuneModelCommand.class, true, in).get();
        assertFalse(m.isCanceled(), m.getCancelReason());
        FineTuneOutcome.Training o = ((FineTuneModelCommand) m.getCommand()).outcome();
        assertEquals(2, o.stepsDone());
        ModelInfo info = ModelFolder.readInfo(out);
        assertEquals(List.of("synth-00.tif"), info.training.frames);
        assertEquals(TrainConfig.SCRIBBLE_PSEUDO_LABELS, info.training.pseudoLabels,
                "a scribble line makes a scribble frame (pseudo-labels fill only scribble frames)");
        assertTrue(info.training.commandLine.contains("annotation_type=roi_manager mode=cross-entropy init=[default] steps=2"),
                info.training.commandLine);
        try (Model model = Model.load(out); Model start = Model.load(ModelStore.resolve("default"))) {
            assertEquals(start.architecture(), model.architecture());
            assertEquals(start.estimatorWeights().size(), model.estimatorWeights().size());
        }

        // Without an image the error says what to do.
        in.remove(FineTuneOptions.IMAGE);
        in.put(FineTuneOptions.OUTPUT, tmp.resolve("other").toFile());
        CommandModule none = commands.run(FineTuneModelCommand.class, true, in).get();
        assertTrue(none.isCanceled() && none.getCancelReason().startsWith("no image: open the training image"),
                none.getCancelReason());
    }

    /** A row of the label image with no nucleus on it. */
    private static int firstBackgroundRow(LabelPlane labels) {
        for (int y = 0; y < labels.height(); y++) {
            boolean empty = true;
            for (int x = 0; x < labels.width() && empty; x++) {
                empty = labels.data()[y * labels.width() + x] == 0;
            }
            if (empty) {
                return y;
            }
        }
        throw new AssertionError("no background row");
    }

    /**
     * Fine-tune Model on a folder of scribbles with enough strokes: every 4th is held out, and model.json
     * records the check on them, whichever model the folder then holds.
     */
    @Test
    void aScribbleFineTuneIsCheckedOnHeldOutStrokes(@TempDir Path tmp) throws Exception {
        ModelInfo.Check c = twoStepsFromDefault(scribbleFolders(tmp, 20), tmp.resolve("tuned")).fineTuneCheck;
        assertNotNull(c, "checked");
        assertTrue(c.on.startsWith("the held-out strokes (5 nucleus, "), c.on);
        assertTrue(c.strokesStart != null && c.strokesFineTuned != null && c.fStart == null, "by stroke agreement");
        assertTrue(c.kept.equals(ModelInfo.Check.START) || c.strokesFineTuned >= c.strokesStart - 0.03, c.kept);
    }

    /**
     * Fine-tune Model on RGB 3-class annotations: not calibrated on, but their bottom quarter is held out
     * and the check by F runs there.
     */
    @Test
    void anRgbAnnotatedFineTuneIsChecked(@TempDir Path tmp) throws Exception {
        org.segmentcells.synth.TestImages.Annotated frame = org.segmentcells.synth.TestImages.oneRgbAnnotatedFrame(tmp);
        Map<String, Object> in = new HashMap<>();
        in.put(FineTuneOptions.IMAGES, frame.images().toFile());
        in.put(FineTuneOptions.ANNOTATIONS, frame.labels().toFile());
        in.put(FineTuneOptions.ANNOTATION_TYPE, FineTuneOptions.LABELS);
        ModelInfo.Check c = twoStepsFromDefault(in, tmp.resolve("tuned")).fineTuneCheck;
        assertNotNull(c, "checked");
        assertEquals("the held-out parts of the annotated frames", c.on);
        assertTrue(c.fStart != null && c.fStart > 0.5, "the start finds the drawn nuclei: " + c.fStart);
    }

    /** Runs Fine-tune Model on {@code in}'s frames: 2 cross-entropy steps from default into {@code out}. */
    private static ModelInfo twoStepsFromDefault(Map<String, Object> in, Path out) throws Exception {
        in.put(FineTuneOptions.INIT, "default");
        in.put(FineTuneOptions.MODE, "cross-entropy");
        in.put(FineTuneOptions.STEPS, 2);
        in.put(FineTuneOptions.OUTPUT, out.toFile());
        CommandModule m = commands.run(FineTuneModelCommand.class, true, in).get();
        assertFalse(m.isCanceled(), m.getCancelReason());
        return ModelFolder.readInfo(out);
    }

    /** The inputs for Fine-tune Model on a folder with synth-00 and a folder with its scribbles in k nuclei. */
    private static Map<String, Object> scribbleFolders(Path tmp, int k) throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path scribbles = Files.createDirectories(tmp.resolve("scribbles"));
        Files.copy(Path.of("test-images/images/synth-00.tif"), images.resolve("synth-00.tif"));
        ImageFiles.writeLabels(ScribbleSimulator.simulate(
                ImageFiles.readLabels(Path.of("test-images/labels/synth-00.tif")), k, 1), scribbles.resolve("synth-00.tif"));
        Map<String, Object> in = new HashMap<>();
        in.put(FineTuneOptions.IMAGES, images.toFile());
        in.put(FineTuneOptions.ANNOTATIONS, scribbles.toFile());
        in.put(FineTuneOptions.ANNOTATION_TYPE, FineTuneOptions.SCRIBBLES);
        return in;
    }

    @Test
    void fineTunesFromScribblesAndRefusesAnExistingOutput(@TempDir Path tmp) throws Exception {
        // Strokes in 3 nuclei: too few to hold any out, so no check can put the start back in place of what
        // this test reads from model.json.
        Map<String, Object> in = scribbleFolders(tmp, 3);
        Path out = tmp.resolve("tuned");
        // The paper-E model with its Rib Cage D, frozen as a prior (adversarial is asked for: the default is
        // cross-entropy).
        in.put(FineTuneOptions.INIT, "bbbc039-2frames");
        in.put(FineTuneOptions.MODE, "adversarial");
        in.put(FineTuneOptions.STEPS, 2);
        in.put(FineTuneOptions.OUTPUT, out.toFile());
        CommandModule m = commands.run(FineTuneModelCommand.class, true, in).get();
        FineTuneOutcome.Training o = ((FineTuneModelCommand) m.getCommand()).outcome();
        assertNotNull(o);
        assertEquals(2, o.stepsDone());
        ModelInfo info = ModelFolder.readInfo(out);
        assertEquals("bbbc039-2frames", info.training.init);
        assertEquals("adversarial", info.training.mode);
        assertEquals(0, info.training.dSteps, "scribbles freeze D");
        assertEquals(TrainConfig.SCRIBBLE_PSEUDO_LABELS_ADVERSARIAL, info.training.pseudoLabels,
                "pseudo-labels on by default, at the adversarial modes' weight");
        assertTrue(info.training.commandLine.startsWith("run(\"Fine-tune Model\""), info.training.commandLine);
        assertFalse(info.training.commandLine.contains("pseudo_labels"), "the default is left out: "
                + info.training.commandLine);
        assertFalse(Files.exists(Trainer.checkpointFolder(out)));

        // A second run into the same folder is refused, leaving the model alone.
        CommandModule again = commands.run(FineTuneModelCommand.class, true, in).get();
        assertNull(((FineTuneModelCommand) again.getCommand()).outcome());
        assertTrue(again.isCanceled() && again.getCancelReason().contains("already exists"), again.getCancelReason());

        // Cross-entropy on request; classdisc is refused for scribbles, since the model has no ClassDisc D to freeze.
        in.put(FineTuneOptions.OUTPUT, tmp.resolve("ce").toFile());
        in.put(FineTuneOptions.MODE, "cross-entropy");
        commands.run(FineTuneModelCommand.class, true, in).get();
        assertEquals("cross-entropy", ModelFolder.readInfo(tmp.resolve("ce")).training.mode);
        in.put(FineTuneOptions.OUTPUT, tmp.resolve("cd").toFile());
        in.put(FineTuneOptions.MODE, "classdisc");
        CommandModule cd = commands.run(FineTuneModelCommand.class, true, in).get();
        assertTrue(cd.isCanceled() && cd.getCancelReason().contains("needs a starting model with a classdisc-v1"
                + " discriminator; bbbc039-2frames has ribcage-v1; or use mode=cross-entropy"), cd.getCancelReason());
        assertFalse(Files.exists(tmp.resolve("cd")));
        in.put(FineTuneOptions.MODE, "adversarial");

        // A weight outside 0..1 is refused before anything is read or written.
        in.put(FineTuneOptions.OUTPUT, tmp.resolve("other").toFile());
        in.put(FineTuneOptions.PSEUDO_LABELS, 1.5f);
        CommandModule bad = commands.run(FineTuneModelCommand.class, true, in).get();
        assertTrue(bad.isCanceled() && bad.getCancelReason().contains("pseudo_labels must be from 0 (off) to 1, or -1 for the mode's default, got 1.5"),
                bad.getCancelReason());
        assertFalse(Files.exists(tmp.resolve("other")));
        in.put(FineTuneOptions.PSEUDO_LABELS, -0.5f); // only -1 stands for the mode's default
        bad = commands.run(FineTuneModelCommand.class, true, in).get();
        assertTrue(bad.isCanceled() && bad.getCancelReason().contains("or -1 for the mode's default, got -0.5"),
                bad.getCancelReason());
        assertFalse(Files.exists(tmp.resolve("other")));
    }

    @Test
    void stepsZeroOnlyCalibratesOnTheAnnotatedFrames(@TempDir Path tmp) throws Exception {
        org.segmentcells.synth.TestImages.Annotated frame = org.segmentcells.synth.TestImages.oneLabelledFrame(tmp);
        Path images = frame.images();
        Path labels = frame.labels();
        Path out = tmp.resolve("calibrated");
        Map<String, Object> in = new HashMap<>();
        in.put(FineTuneOptions.IMAGES, images.toFile());
        in.put(FineTuneOptions.ANNOTATIONS, labels.toFile());
        in.put(FineTuneOptions.ANNOTATION_TYPE, FineTuneOptions.LABELS);
        in.put(FineTuneOptions.INIT, "default");
        in.put(FineTuneOptions.STEPS, 0);
        in.put(FineTuneOptions.OUTPUT, out.toFile());
        CommandModule m = commands.run(FineTuneModelCommand.class, true, in).get();
        FineTuneOutcome.Training o = ((FineTuneModelCommand) m.getCommand()).outcome();
        assertNotNull(o, m.getCancelReason());
        assertEquals(0, o.stepsDone());
        ModelInfo info = ModelFolder.readInfo(out);
        // Calibrated on the top three quarters, then checked against default on the bottom one, which it did not
        // see: the folder holds the better one, and model.json says which.
        ModelInfo.Check check = info.fineTuneCheck;
        assertNotNull(check);
        assertTrue(check.on.contains("held-out parts"), check.on);
        boolean keptStart = ModelInfo.Check.START.equals(check.kept);
        // Calibration alone keeps the start, or the start with calibrated settings: never "fine-tuned".
        assertEquals(keptStart ? "start" : "calibrated", check.kept);
        // F's are recorded to 4 decimals: a start kept never recorded higher, a calibration kept never lower.
        assertTrue(keptStart ? check.fCalibrated <= check.fStart : check.fCalibrated >= check.fStart,
                check.fStart + " / " + check.fCalibrated);
        assertEquals(keptStart, info.training.steps > 0, "calibration alone trains no step");
        assertTrue(keptStart || info.validation.get("f") > 0.5, "calibrated F " + info.validation);

        // Scribbles have nothing to calibrate on: steps=0 is refused before any work.
        Path scribbles = Files.createDirectories(tmp.resolve("scribbles"));
        ImageFiles.writeLabels(ScribbleSimulator.simulate(
                ImageFiles.readLabels(Path.of("test-images/labels/synth-00.tif")), 20, 1), scribbles.resolve("synth-00.tif"));
        in.put(FineTuneOptions.ANNOTATIONS, scribbles.toFile());
        in.put(FineTuneOptions.ANNOTATION_TYPE, FineTuneOptions.SCRIBBLES);
        in.put(FineTuneOptions.OUTPUT, tmp.resolve("other").toFile());
        CommandModule refused = commands.run(FineTuneModelCommand.class, true, in).get();
        assertTrue(refused.isCanceled() && refused.getCancelReason().contains("only calibrates"), refused.getCancelReason());
        assertFalse(Files.exists(tmp.resolve("other")));
    }

    @Test
    void validationFramesSetAsideKeepTheBestModel(@TempDir Path tmp) throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path labels = Files.createDirectories(tmp.resolve("labels"));
        Path valImages = Files.createDirectories(tmp.resolve("val-images"));
        Path valLabels = Files.createDirectories(tmp.resolve("val-labels"));
        Files.copy(Path.of("test-images/images/synth-00.tif"), images.resolve("synth-00.tif"));
        Files.copy(Path.of("test-images/labels/synth-00.tif"), labels.resolve("synth-00.tif"));
        Files.copy(Path.of("test-images/images/synth-01.tif"), valImages.resolve("synth-01.tif"));
        Files.copy(Path.of("test-images/labels/synth-01.tif"), valLabels.resolve("synth-01.tif"));
        Path out = tmp.resolve("tuned");
        Map<String, Object> in = new HashMap<>();
        in.put(FineTuneOptions.IMAGES, images.toFile());
        in.put(FineTuneOptions.ANNOTATIONS, labels.toFile());
        in.put(FineTuneOptions.ANNOTATION_TYPE, FineTuneOptions.LABELS);
        in.put(FineTuneOptions.STEPS, 3);
        in.put(FineTuneOptions.VALIDATION_IMAGES, valImages.toFile());
        in.put(FineTuneOptions.VALIDATION_LABELS, valLabels.toFile());
        in.put(FineTuneOptions.OUTPUT, out.toFile());
        CommandModule m = commands.run(FineTuneModelCommand.class, true, in).get();
        FineTuneOutcome.Training o = ((FineTuneModelCommand) m.getCommand()).outcome();
        assertNotNull(o, m.getCancelReason());
        // Validated at the last step (the interval is capped by the step count); its scores are kept.
        assertEquals(3, o.bestStep());
        assertTrue(o.bestScores().get("f") > 0, o.bestScores().toString());
        ModelInfo info = ModelFolder.readInfo(out);
        assertEquals(o.bestScores().get("f"), info.validation.get("f"), 1e-9);
        assertTrue(info.training.commandLine.contains(FineTuneOptions.VALIDATION_IMAGES + "=["), info.training.commandLine);

        // One of the two folders alone is refused before any work.
        in.remove(FineTuneOptions.VALIDATION_LABELS);
        in.put(FineTuneOptions.OUTPUT, tmp.resolve("other").toFile());
        CommandModule half = commands.run(FineTuneModelCommand.class, true, in).get();
        assertTrue(half.isCanceled() && half.getCancelReason().contains(FineTuneOptions.VALIDATION_LABELS),
                half.getCancelReason());
        assertFalse(Files.exists(tmp.resolve("other")));
    }

    @Test
    void escapeStopsAndKeepsTheModelSoFar(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("tuned");
        int[] steps = {0};
        Progress cancelAfter2 = new Progress() {
            @Override
            public void status(String message) {
            }

            @Override
            public void fraction(int done, int total) {
                steps[0] = done;
            }

            @Override
            public boolean cancelRequested() {
                return steps[0] >= 2;
            }
        };
        Trainer.Outcome o = FineTuneRunner.run(FineTuneOptions.builder().annotated(new File("test-images/images").getPath(),
                "test-images/labels", FineTuneOptions.LABELS).init("default").steps(100).output(out.toString()).build(),
                cancelAfter2, s -> { });
        assertTrue(o.cancelled());
        assertEquals(2, o.stepsDone());
        assertEquals(2, ModelFolder.readInfo(out).training.steps);
    }
}
