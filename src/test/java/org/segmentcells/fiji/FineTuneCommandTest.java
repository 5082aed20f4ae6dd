package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;
import org.segmentcells.annotate.ScribbleSimulator;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.ModelFolder;
import org.segmentcells.model.ModelInfo;
import org.segmentcells.train.Trainer;

class FineTuneCommandTest {

    private static Context context;
    private static CommandService commands;

    @BeforeAll
    static void startContext() {
        context = new Context(CommandService.class);
        commands = context.service(CommandService.class);
    }

    @AfterAll
    static void stopContext() {
        context.dispose();
    }

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
        assertEquals(List.of(FineTuneRunner.IMAGES, FineTuneRunner.ANNOTATIONS, FineTuneRunner.ANNOTATION_TYPE,
                FineTuneRunner.INIT, FineTuneRunner.STEPS, FineTuneRunner.OUTPUT), names);
    }

    @Test
    void fineTunesFromScribblesAndRefusesAnExistingOutput(@TempDir Path tmp) throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path scribbles = Files.createDirectories(tmp.resolve("scribbles"));
        Files.copy(Path.of("test-images/images/synth-00.tif"), images.resolve("synth-00.tif"));
        ImageFiles.writeLabels(ScribbleSimulator.simulate(
                ImageFiles.readLabels(Path.of("test-images/labels/synth-00.tif")), 20, 1), scribbles.resolve("synth-00.tif"));
        Path out = tmp.resolve("tuned");
        Map<String, Object> in = new HashMap<>();
        in.put(FineTuneRunner.IMAGES, images.toFile());
        in.put(FineTuneRunner.ANNOTATIONS, scribbles.toFile());
        in.put(FineTuneRunner.ANNOTATION_TYPE, FineTuneRunner.SCRIBBLES);
        in.put(FineTuneRunner.INIT, "default");
        in.put(FineTuneRunner.STEPS, 2);
        in.put(FineTuneRunner.OUTPUT, out.toFile());
        CommandModule m = commands.run(FineTuneModelCommand.class, true, in).get();
        Trainer.Outcome o = ((FineTuneModelCommand) m.getCommand()).outcome();
        assertNotNull(o);
        assertEquals(2, o.stepsDone());
        ModelInfo info = ModelFolder.readInfo(out);
        assertEquals("default", info.training.init);
        assertEquals(0, info.training.dSteps, "scribbles freeze D");
        assertTrue(info.training.commandLine.startsWith("run(\"Fine-tune Model\""), info.training.commandLine);
        assertFalse(Files.exists(Trainer.checkpointFolder(out)));

        // A second run into the same folder is refused, leaving the model alone.
        CommandModule again = commands.run(FineTuneModelCommand.class, true, in).get();
        assertNull(((FineTuneModelCommand) again.getCommand()).outcome());
        assertTrue(again.isCanceled() && again.getCancelReason().contains("already exists"), again.getCancelReason());
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
        Trainer.Outcome o = FineTuneRunner.run(new FineTuneRunner.Options(new File("test-images/images").getPath(),
                "test-images/labels", FineTuneRunner.LABELS, "default", 100, out.toString()), cancelAfter2, s -> { });
        assertTrue(o.cancelled());
        assertEquals(2, o.stepsDone());
        assertEquals(2, ModelFolder.readInfo(out).training.steps);
    }
}
