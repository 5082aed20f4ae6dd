package org.segmentcells.fiji.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.Macro;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.PluginService;

/**
 * Our commands run from a macro as Fiji prepares them: first what imagej-legacy's macro preprocessor does
 * (not on Maven Central, so {@link #legacy} does the same: each key the macro gives, read with
 * {@code Macro.getValue}, set and resolved), then every SciJava preprocessor in priority order, checks and
 * saving of remembered values included. The values of the user's last dialog are stored first.
 */
class MacroInputsTest {

    private static Context context;
    private static ModuleService modules;

    @BeforeAll
    static void start() {
        context = new Context();
        modules = context.service(ModuleService.class);
    }

    @AfterAll
    static void stop() {
        context.dispose();
    }

    /** The dialog's remembered values back at their defaults, so that no other test (or run) sees them. */
    @AfterEach
    void forget() {
        remember(SegmentCellsCommand.class, SegmentOptions.MIN_SIZE, SegmentOptions.MODEL_MIN_SIZE);
        remember(SegmentCellsCommand.class, SegmentOptions.TILE, SegmentOptions.DEFAULT_TILE);
        remember(SegmentCellsCommand.class, SegmentOptions.PROBABILITIES, false);
        remember(SegmentCellsCommand.class, SegmentOptions.ADD_TO_MANAGER, false);
    }

    private record Prepared(Module module, String cancelled) {
    }

    /** imagej-legacy's macro preprocessor: the keys the macro gives, as {@code Macro.getValue} reads them. */
    private static void legacy(Module module, String options) {
        ConvertService convert = context.service(ConvertService.class);
        for (ModuleItem<?> item : module.getInfo().inputs()) {
            String v = Macro.getValue(options, item.getName(), null);
            if (v != null && convert.supports(v, item.getType())) {
                module.setInput(item.getName(), convert.convert(v, item.getType()));
                module.resolveInput(item.getName());
            }
        }
    }

    /**
     * A module of {@code command} prepared while a macro with {@code options} runs, after {@code before}
     * (what a script passed, or Fiji's active image) and imagej-legacy's step when {@code fromMacro}.
     */
    private static Prepared prepared(Class<? extends Command> command, String options, boolean fromMacro,
            Map<String, Object> before) throws Exception {
        Module module = modules.createModule(context.service(CommandService.class).getCommand(command));
        before.forEach((k, v) -> {
            module.setInput(k, v);
            module.resolveInput(k);
        });
        List<PreprocessorPlugin> chain = context.service(PluginService.class).createInstancesOfType(PreprocessorPlugin.class);
        AtomicReference<String> cancelled = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        // ImageJ gives macro options only to its macro threads ("Run$_...").
        Thread t = new Thread(() -> {
            try {
                Macro.setOptions(options);
                if (fromMacro) {
                    legacy(module, options);
                }
                for (PreprocessorPlugin p : chain) {
                    p.process(module);
                    if (p.isCanceled()) {
                        cancelled.set(p.getClass().getSimpleName() + ": " + p.getCancelReason());
                        return;
                    }
                }
            } catch (Throwable e) {
                failed.set(e);
            } finally {
                Macro.setOptions(null);
            }
        }, "Run$_macro-test");
        t.start();
        t.join(60_000);
        assertFalse(t.isAlive(), "preprocessing hangs");
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
        return new Prepared(module, cancelled.get());
    }

    private static Prepared fromMacro(Class<? extends Command> command, String options) throws Exception {
        Map<String, Object> image = command == SegmentCellsCommand.class
                ? Map.of("image", new ImagePlus("active", new ij.process.ByteProcessor(8, 8))) : Map.of();
        return prepared(command, options, true, image);
    }

    @SuppressWarnings("unchecked")
    private static <T> void remember(Class<? extends Command> command, String name, T value) {
        modules.save((ModuleItem<T>) context.service(CommandService.class).getCommand(command).getInput(name), value);
    }

    private static Object remembered(Class<? extends Command> command, String name) {
        return modules.load(context.service(CommandService.class).getCommand(command).getInput(name));
    }

    @Test
    void keysLeftOutTakeTheirDefaultsNotTheLastDialogsAndTheDialogKeepsThem() throws Exception {
        remember(SegmentCellsCommand.class, SegmentOptions.MIN_SIZE, 50);
        remember(SegmentCellsCommand.class, SegmentOptions.TILE, 256);
        remember(SegmentCellsCommand.class, SegmentOptions.PROBABILITIES, true);
        String options = "model=default nuclear_channel=2 add_to_manager tile=512 ";
        // Set here, not assumed unset: a pref outlives test runs on this machine.
        remember(SegmentCellsCommand.class, SegmentOptions.ADD_TO_MANAGER, false);

        Prepared p = fromMacro(SegmentCellsCommand.class, options);
        assertNull(p.cancelled());
        Module m = p.module();
        assertEquals("default", m.getInput(SegmentOptions.MODEL));
        assertEquals(SegmentOptions.MODEL_MIN_SIZE, m.getInput(SegmentOptions.MIN_SIZE));
        assertEquals(512, m.getInput(SegmentOptions.TILE));
        assertEquals(false, m.getInput(SegmentOptions.PROBABILITIES));
        assertEquals(true, m.getInput(SegmentOptions.ADD_TO_MANAGER), "a checkbox key without a value is ticked");
        assertEquals(2, m.getInput(SegmentOptions.NUCLEAR_CHANNEL));
        // imagej-legacy's reading gives channel the 2 of nuclear_channel=2.
        assertEquals(SegmentOptions.CHANNELS[0], m.getInput(SegmentOptions.CHANNEL), "not nuclear_channel's 2");
        assertEquals(SegmentOptions.MODEL_SCALE, m.getInput(SegmentOptions.SCALE));
        for (ModuleItem<?> item : m.getInfo().inputs()) {
            assertTrue(m.isInputResolved(item.getName()), item.getName() + " would be asked for in a dialog");
        }
        // As ImageJ 1.x's dialogs: a macro run leaves what the dialog remembers.
        assertEquals(50, remembered(SegmentCellsCommand.class, SegmentOptions.MIN_SIZE));
        assertEquals(256, remembered(SegmentCellsCommand.class, SegmentOptions.TILE), "a key the macro gave too");
        // Saving the default stores nothing (null); the macro's ticked box must not be stored either.
        assertTrue(!Boolean.TRUE.equals(remembered(SegmentCellsCommand.class, SegmentOptions.ADD_TO_MANAGER)),
                "the macro's add_to_manager is not remembered");
        assertEquals(true, remembered(SegmentCellsCommand.class, SegmentOptions.PROBABILITIES));

    }

    /**
     * run("Segment Cells") with no options in batch mode (or headless): every key left out, as in plain
     * ImageJ, not the last dialog's values or a dialog; what the dialog remembers stays.
     */
    @Test
    void aMacroGivingNoOptionsInBatchModeTakesEveryDefault() throws Exception {
        remember(SegmentCellsCommand.class, SegmentOptions.MIN_SIZE, 50);
        remember(SegmentCellsCommand.class, SegmentOptions.PROBABILITIES, true);
        // IJ.isMacro() as while a macro runs; no other way to set it without running one.
        java.lang.reflect.Field running = ij.IJ.class.getDeclaredField("macroRunning");
        running.setAccessible(true);
        boolean batch = ij.macro.Interpreter.batchMode;
        running.setBoolean(null, true);
        ij.macro.Interpreter.batchMode = true;
        try {
            Prepared p = prepared(SegmentCellsCommand.class, null, false,
                    Map.of("image", new ImagePlus("active", new ij.process.ByteProcessor(8, 8))));
            assertNull(p.cancelled());
            assertEquals(SegmentOptions.MODEL_MIN_SIZE, p.module().getInput(SegmentOptions.MIN_SIZE));
            assertEquals(false, p.module().getInput(SegmentOptions.PROBABILITIES));
            for (ModuleItem<?> item : p.module().getInfo().inputs()) {
                assertTrue(p.module().isInputResolved(item.getName()), item.getName() + " would be asked for in a dialog");
            }
            assertEquals(50, remembered(SegmentCellsCommand.class, SegmentOptions.MIN_SIZE));
        } finally {
            running.setBoolean(null, false);
            ij.macro.Interpreter.batchMode = batch;
        }
        // No macro running: a script's or the menu's run is SciJava's, as before.
        Prepared menu = prepared(SegmentCellsCommand.class, null, false,
                Map.of("image", new ImagePlus("active", new ij.process.ByteProcessor(8, 8))));
        assertFalse(menu.module().isInputResolved(SegmentOptions.MIN_SIZE), "left to SciJava");
    }

    @Test
    void aScriptsCommandRunWhileAMacroRunsKeepsWhatTheScriptPassed() throws Exception {
        remember(SegmentCellsCommand.class, SegmentOptions.MIN_SIZE, 50);
        Prepared p = prepared(SegmentCellsCommand.class, "input=[/data/plate1] ", false,
                Map.of("image", new ImagePlus("x", new ij.process.ByteProcessor(8, 8)), SegmentOptions.MODEL, "my-model",
                        SegmentOptions.TILE, 512));
        assertNull(p.cancelled());
        assertEquals("my-model", p.module().getInput(SegmentOptions.MODEL));
        assertEquals(512, p.module().getInput(SegmentOptions.TILE));
        // SciJava's own filling, which MacroInputs replaces for a macro's run: the last dialog's value.
        assertEquals(50, p.module().getInput(SegmentOptions.MIN_SIZE));
    }

    @Test
    void everyCommandsKeysAreReadExactly() throws Exception {
        Prepared fineTune = fromMacro(FineTuneModelCommand.class,
                "validation_images=[/data/v 1] images=[/data/a b] steps=10 output=[/data/m] ");
        assertNull(fineTune.cancelled());
        assertEquals(new File("/data/a b"), fineTune.module().getInput(FineTuneOptions.IMAGES));
        assertEquals(new File("/data/v 1"), fineTune.module().getInput(FineTuneOptions.VALIDATION_IMAGES));
        assertEquals(10, fineTune.module().getInput(FineTuneOptions.STEPS));
        assertEquals("default", fineTune.module().getInput("init"), "left out: the declared default");

        Prepared files = fromMacro(SegmentFilesCommand.class,
                "input=[/data/old overwrite here] output=[/out] nuclear_channel=3 min_size=30.0 ");
        assertNull(files.cancelled());
        assertEquals(SegmentOptions.CHANNELS[0], files.module().getInput(SegmentOptions.CHANNEL));
        assertEquals(3, files.module().getInput(SegmentOptions.NUCLEAR_CHANNEL));
        assertEquals(false, files.module().getInput(SegmentFilesOptions.OVERWRITE), "a word inside a path");
        assertEquals(30, files.module().getInput(SegmentOptions.MIN_SIZE));
    }

    @Test
    void aValueOfTheWrongTypeOrAMissingRequiredKeyStopsTheCommandNamingTheKey() throws Exception {
        for (String[] bad : new String[][] {{"min_size=many", "min_size=many is not a whole number"},
                {"tile=256.5", "tile=256.5 is not a whole number"}, {"tile=3000000000", "tile=3000000000 is not"},
                {"tta=yes", "tta=yes is not true or false"}, {"diameter=wide", "diameter=wide is not a number"},
                {"min-size=50", "unknown key 'min-size'; the keys are"}, {"tile=512 step=5", "unknown key 'step'"}}) {
            Prepared p = fromMacro(SegmentCellsCommand.class, "model=default " + bad[0] + " ");
            assertTrue(p.cancelled() != null && p.cancelled().startsWith("MacroInputs: " + bad[1]), bad[0] + ": " + p.cancelled());
        }
        Prepared noInput = fromMacro(SegmentFilesCommand.class, "output=[/out] ");
        assertTrue(noInput.cancelled() != null && noInput.cancelled().contains("no input given"), noInput.cancelled());
        // Given empty is not left out: no silent default input, model or start.
        Prepared emptyInput = fromMacro(SegmentFilesCommand.class, "input=[] output=[/out] ");
        assertTrue(emptyInput.cancelled() != null && emptyInput.cancelled().contains("no input given"),
                emptyInput.cancelled());
        Prepared emptyModel = fromMacro(SegmentCellsCommand.class, "model=[] ");
        assertNull(emptyModel.cancelled());
        assertEquals("", emptyModel.module().getInput("model"), "the command's check refuses it");
        Prepared emptyInit = fromMacro(FineTuneModelCommand.class, "images=[/data/a] annotations=[/data/b] init=[]"
                + " output=[/out] ");
        assertEquals("", emptyInit.module().getInput("init"));
    }

    /** The ImageJ 1.x plugins read the keys the SciJava commands take: one set of keys, checked both ways. */
    @Test
    void theImageJ1PluginsKnowTheCommandsKeys() {
        java.util.Map<Class<? extends Command>, MacroOptions.Keys> pairs = java.util.Map.of(
                SegmentCellsCommand.class, SegmentOptions.KEYS, SegmentFilesCommand.class, SegmentFilesOptions.KEYS,
                FineTuneModelCommand.class, FineTuneOptions.KEYS,
                EvaluateSegmentationCommand.class, org.segmentcells.fiji.plugin.EvaluateOptions.KEYS);
        org.scijava.command.CommandService commands = context.service(org.scijava.command.CommandService.class);
        for (var e : pairs.entrySet()) {
            java.util.Set<String> plain = new java.util.TreeSet<>();
            java.util.Set<String> all = new java.util.TreeSet<>();
            for (org.scijava.module.ModuleItem<?> item : commands.getCommand(e.getKey()).inputs()) {
                Class<?> t = item.getType();
                all.add(item.getName());
                if (t == String.class || t == File.class || t.isPrimitive() || Number.class.isAssignableFrom(t)
                        || t == Boolean.class) {
                    plain.add(item.getName());
                }
            }
            // Every plain input is a dialog key; a key beyond them is an image input (Evaluate's two titles).
            assertTrue(e.getValue().all().containsAll(plain), e.getKey().getSimpleName() + ": " + plain + " against "
                    + e.getValue().all());
            assertTrue(all.containsAll(e.getValue().all()), e.getKey().getSimpleName() + ": " + e.getValue().all()
                    + " against " + all);
        }
    }
}
