package org.segmentcells.fiji.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.Macro;

import java.io.File;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.Priority;
import org.scijava.command.Command;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.PluginInfo;
import org.scijava.plugin.PluginService;

/**
 * Our commands run from a macro, as Fiji prepares them: SciJava's preprocessors in priority order, up to
 * its dialog for inputs left unresolved (less imagej-legacy's, which is not on Maven Central;
 * {@link MacroInputs} reads the given keys itself). The values of the user's last dialog are stored first,
 * as SciJava stores them at every run.
 */
class MacroInputsTest {

    private static Context context;

    @BeforeAll
    static void start() {
        context = new Context();
    }

    @AfterAll
    static void stop() {
        context.dispose();
    }

    /** A module of {@code command} preprocessed while a macro with {@code options} runs; null if a preprocessor cancelled it. */
    private static Module prepared(Class<? extends Command> command, String options, boolean withMacroInputs)
            throws Exception {
        Module module = context.service(ModuleService.class)
                .createModule(context.service(CommandService.class).getCommand(command));
        PluginService plugins = context.service(PluginService.class);
        // Up to the point where SciJava would show a dialog for what is left (its input harvester).
        List<PluginInfo<PreprocessorPlugin>> infos = plugins.getPluginsOfType(PreprocessorPlugin.class).stream()
                .filter(i -> i.getPriority() > Priority.VERY_LOW)
                .filter(i -> withMacroInputs || !i.getClassName().equals(MacroInputs.class.getName())).toList();
        List<PreprocessorPlugin> chain = plugins.createInstances(infos);
        AtomicReference<Module> out = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        // ImageJ gives macro options only to its macro threads ("Run$_...").
        Thread t = new Thread(() -> {
            try {
                Macro.setOptions(options);
                for (PreprocessorPlugin p : chain) {
                    p.process(module);
                    if (p.isCanceled()) {
                        System.err.println(p.getClass().getSimpleName() + " cancelled: " + p.getCancelReason());
                        return;
                    }
                }
                out.set(module);
            } catch (Throwable e) {
                failed.set(e);
            } finally {
                Macro.setOptions(null);
            }
        }, "Run$_macro-test");
        t.start();
        t.join(60_000);
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
        return out.get();
    }

    @SuppressWarnings("unchecked")
    private static <T> void remember(Class<? extends Command> command, String name, T value) {
        ModuleItem<T> item = (ModuleItem<T>) context.service(CommandService.class).getCommand(command).getInput(name);
        context.service(ModuleService.class).save(item, value);
    }

    @Test
    void keysLeftOutTakeTheirDefaultsNotTheLastDialogsAndNothingIsLeftForADialog() throws Exception {
        remember(SegmentCellsCommand.class, SegmentOptions.MIN_SIZE, 50);
        remember(SegmentCellsCommand.class, SegmentOptions.TILE, 256);
        remember(SegmentCellsCommand.class, SegmentOptions.PROBABILITIES, true);
        String options = "model=default nuclear_channel=2 add_to_manager ";

        // What SciJava alone does: the last dialog's values come back.
        Module plain = prepared(SegmentCellsCommand.class, options, false);
        assertEquals(50, plain.getInput(SegmentOptions.MIN_SIZE));
        assertFalse(plain.isInputResolved(SegmentOptions.MIN_SIZE), "left for a dialog");

        Module m = prepared(SegmentCellsCommand.class, options, true);
        assertEquals("default", m.getInput(SegmentOptions.MODEL));
        assertEquals(SegmentOptions.MODEL_MIN_SIZE, m.getInput(SegmentOptions.MIN_SIZE));
        assertEquals(SegmentOptions.DEFAULT_TILE, m.getInput(SegmentOptions.TILE));
        assertEquals(false, m.getInput(SegmentOptions.PROBABILITIES));
        assertEquals(true, m.getInput(SegmentOptions.ADD_TO_MANAGER), "a checkbox key without a value is ticked");
        assertEquals(2, m.getInput(SegmentOptions.NUCLEAR_CHANNEL));
        assertEquals(SegmentOptions.CHANNELS[0], m.getInput(SegmentOptions.CHANNEL), "not nuclear_channel's 2");
        assertEquals(SegmentOptions.MODEL_SCALE, m.getInput(SegmentOptions.SCALE));
        for (ModuleItem<?> item : m.getInfo().inputs()) {
            if (item.getType() != ij.ImagePlus.class) {
                assertTrue(m.isInputResolved(item.getName()), item.getName() + " would be asked for in a dialog");
            }
        }
    }

    @Test
    void everyCommandsKeysAreReadExactlyAndAValueOfTheWrongTypeStopsIt() throws Exception {
        Module fineTune = prepared(FineTuneModelCommand.class,
                "validation_images=[/data/v 1] images=[/data/a b] steps=10 ", true);
        assertEquals(new File("/data/a b"), fineTune.getInput(FineTuneOptions.IMAGES));
        assertEquals(new File("/data/v 1"), fineTune.getInput("validation_images"));
        assertEquals(10, fineTune.getInput(FineTuneOptions.STEPS));
        assertEquals("default", fineTune.getInput("init"), "left out: the declared default");

        Module files = prepared(SegmentFilesCommand.class, "input=[/in] output=[/out] nuclear_channel=3 ", true);
        assertEquals(SegmentOptions.CHANNELS[0], files.getInput(SegmentOptions.CHANNEL));
        assertEquals(3, files.getInput(SegmentOptions.NUCLEAR_CHANNEL));

        assertEquals(null, prepared(SegmentCellsCommand.class, "model=default min_size=many ", true),
                "cancelled before it runs");
        assertEquals(null, prepared(SegmentCellsCommand.class, "model=default tile=256.5 ", true));
        assertEquals(0.5, prepared(SegmentCellsCommand.class, "seed_threshold=0.5 ", true)
                .getInput(SegmentOptions.SEED_THRESHOLD));
    }
}
