package org.segmentcells.fiji.plugin;

import ij.Macro;

import java.io.File;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

import org.scijava.Priority;
import org.scijava.command.CommandModuleItem;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.module.process.AbstractPreprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Our menu commands' inputs when an ImageJ macro runs them: each key the macro gives, read as the ImageJ 1.x
 * plugins read it, and every key it leaves out at its documented default. Why: in Fiji the commands take
 * over the ImageJ 1.x entries, and imagej-legacy fills only the keys a macro gives, leaving the others to
 * SciJava, which loads the values of the user's last dialog (a macro run over a thousand images would
 * quietly take yesterday's {@code min_size}) and shows a dialog for any still missing, in the middle of a
 * batch run. It also reads {@code channel} out of {@code nuclear_channel=2} and {@code images} out of
 * {@code validation_images=[v]} ({@link MacroOptions}). Runs after imagej-legacy's macro preprocessor and
 * before SciJava loads remembered values; ImagePlus and other object inputs are left to Fiji. As the ImageJ
 * 1.x plugins do, a macro run leaves the dialog's remembered values as they were ({@link Restore}).
 */
@Plugin(type = PreprocessorPlugin.class, priority = Priority.LOW)
public class MacroInputs extends AbstractPreprocessorPlugin {

    private static final String PACKAGE = MacroInputs.class.getPackageName() + ".";

    /** The remembered values of the inputs, per module run, for {@link Restore} (null: none remembered). */
    private static final Map<Module, Map<ModuleItem<?>, Object>> REMEMBERED =
            java.util.Collections.synchronizedMap(new WeakHashMap<>());

    @Parameter
    private ConvertService convert;

    @Parameter
    private ModuleService modules;

    @Override
    public void process(Module module) {
        // A macro that gives no options in batch mode or headless: every key left out, as the ImageJ 1.x
        // plugins take it (MacroOptions.inMacro), not the last dialog's values or a dialog.
        String options = MacroOptions.batchWithoutOptions() ? MacroOptions.NO_OPTIONS : Macro.getOptions();
        // A macro's run() reaches menu commands only. A command a script runs while a macro runs sees that
        // macro's options too (ij1-patcher hands them to the threads it starts); the script's inputs are
        // then resolved with values the options do not hold, and are the script's to keep.
        if (options == null || !module.getInfo().getDelegateClassName().startsWith(PACKAGE)
                || module.getInfo().getMenuPath().isEmpty() || !preparedByMacro(module, options)) {
            return;
        }
        String error = fill(module, options);
        if (error != null) {
            // As the command's own checks report: a macro error naming the key, and the module does not run.
            Reports.error(module.getInfo().getTitle(), error);
            cancel(error);
        }
    }

    /** Whether every plain input already resolved holds what imagej-legacy reads for it from {@code options}. */
    private boolean preparedByMacro(Module module, String options) {
        for (ModuleItem<?> item : module.getInfo().inputs()) {
            String name = item.getName();
            if (plain(item.getType()) && module.isInputResolved(name)) {
                String v = Macro.getValue(options, name, null);
                Object asRead = v == null || !convert.supports(v, item.getType()) ? null : convert.convert(v, item.getType());
                if (v == null || !java.util.Objects.equals(asRead, module.getInput(name))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Sets every plain input of {@code module} (text, number, yes/no, file) from {@code options} and resolves
     * it; returns what is wrong (a value not of its input's type, a required one missing), or null.
     */
    String fill(Module module, String options) {
        // As the ImageJ 1.x plugins refuse it (MacroOptions.checkForDialog): a typo would run with the default.
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (ModuleItem<?> item : module.getInfo().inputs()) {
            if (!org.scijava.service.Service.class.isAssignableFrom(item.getType())
                    && !org.scijava.Context.class.isAssignableFrom(item.getType())) {
                names.add(item.getName());
            }
        }
        String unknown = MacroOptions.unknownKey(options, names);
        if (unknown != null) {
            return unknown;
        }
        Object defaults = null;
        Map<ModuleItem<?>, Object> remembered = new LinkedHashMap<>();
        for (ModuleItem<?> item : module.getInfo().inputs()) {
            Class<?> type = item.getType();
            if (!plain(type) || !(item instanceof CommandModuleItem<?> field)) {
                continue;
            }
            String name = item.getName();
            if (item.isPersisted()) {
                remembered.put(item, modules.load(item));
            }
            String given = MacroOptions.exactValue(options, name);
            Object value;
            if (given != null && given.isBlank() && (type == String.class || type == File.class)) {
                // Given empty (model=[], input=[]): passed on as given, so that the command's own check names what
                // is missing rather than run a default; where blank means something (scale=[]), the command says.
                value = type == String.class ? "" : null;
                if (value == null && item.isRequired()) {
                    return "no " + name + " given: add " + name + "=[...] to the macro's options";
                }
            } else if (given != null) {
                value = read(given, type);
                if (value == null) {
                    return name + "=" + given + " is not " + typeName(type);
                }
            } else if (isBoolean(type) && MacroOptions.ticks(options, name)) {
                // A bare word outside brackets only, as ImageJ's dialogs find it: [/data/old overwrite] is a path.
                value = Boolean.TRUE; // an ImageJ 1.x checkbox key: present means ticked
            } else {
                if (defaults == null) {
                    defaults = freshInstance(module);
                }
                value = valueOf(field.getField(), defaults);
                if (value == null && item.isRequired()) {
                    return "no " + name + " given: add " + name + "=[...] to the macro's options";
                }
            }
            module.setInput(name, value);
            module.resolveInput(name);
        }
        REMEMBERED.put(module, remembered);
        return null;
    }

    /** {@code text} as a value of {@code type}, or null if it is not one (SciJava would read "many" or "30.0" as 0). */
    private Object read(String text, Class<?> type) {
        String t = text.strip();
        if (isBoolean(type)) {
            return t.equalsIgnoreCase("true") ? Boolean.TRUE : t.equalsIgnoreCase("false") ? Boolean.FALSE : null;
        }
        if (number(type)) {
            try {
                BigDecimal d = new BigDecimal(t);
                Object n = type == int.class || type == Integer.class ? (Object) d.intValueExact()
                        : type == long.class || type == Long.class ? (Object) d.longValueExact()
                        : type == double.class || type == Double.class ? (Object) d.doubleValue()
                        : type == float.class || type == Float.class ? (Object) d.floatValue() : null;
                return n != null ? n : convert.convert(t, type);
            } catch (NumberFormatException | ArithmeticException e) {
                return null;
            }
        }
        return convert.supports(t, type) ? convert.convert(t, type) : null;
    }

    private static boolean plain(Class<?> type) {
        return type == String.class || type == File.class || isBoolean(type) || number(type);
    }

    private static boolean number(Class<?> type) {
        return (type.isPrimitive() && !isBoolean(type) && type != char.class) || Number.class.isAssignableFrom(type);
    }

    private static boolean isBoolean(Class<?> type) {
        return type == boolean.class || type == Boolean.class;
    }

    private static String typeName(Class<?> type) {
        return isBoolean(type) ? "true or false"
                : type == int.class || type == Integer.class || type == long.class || type == Long.class
                        ? "a whole number" : number(type) ? "a number" : "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** A new command of the module's class, whose fields hold the declared defaults. */
    private static Object freshInstance(Module module) {
        try {
            return module.getDelegateObject().getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the defaults of " + module.getInfo().getTitle(), e);
        }
    }

    private static Object valueOf(Field f, Object instance) {
        try {
            f.setAccessible(true);
            return f.get(instance);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the default of " + f.getName(), e);
        }
    }

    /**
     * Puts back the remembered values of the inputs, which SciJava's saving of every input (just before)
     * replaced with the macro's values and defaults: a macro run does not change what the dialog offers next,
     * as with ImageJ 1.x's dialogs.
     */
    @Plugin(type = PreprocessorPlugin.class, priority = Priority.VERY_LOW - 1.5)
    public static class Restore extends AbstractPreprocessorPlugin {

        @Parameter
        private ModuleService modules;

        @Override
        public void process(Module module) {
            Map<ModuleItem<?>, Object> remembered = REMEMBERED.remove(module);
            if (remembered != null) {
                remembered.forEach((item, value) -> restore(item, value));
            }
        }

        @SuppressWarnings("unchecked")
        private <T> void restore(ModuleItem<T> item, Object value) {
            // Nothing remembered before: saving the default removes what the macro's run stored.
            modules.save(item, value != null ? (T) value : item.getDefaultValue());
        }
    }
}
