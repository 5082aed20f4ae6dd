package org.segmentcells.fiji.plugin;

import ij.Macro;

import java.io.File;
import java.lang.reflect.Field;

import org.scijava.Priority;
import org.scijava.command.CommandModuleItem;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPreprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Our commands' inputs when a macro runs them: each key the macro gives, read as the ImageJ 1.x plugins read
 * it, and every key it leaves out at its documented default. Why: in Fiji the commands take over the ImageJ
 * 1.x entries, and imagej-legacy fills only the keys a macro gives, leaving the others to SciJava, which
 * loads the values of the user's last dialog (a macro run over a thousand images would quietly take
 * yesterday's {@code min_size}) and shows a dialog for any still missing, in the middle of a batch run. It
 * also reads {@code channel} out of {@code nuclear_channel=2} and {@code images} out of
 * {@code validation_images=[v]} ({@link MacroOptions}). Runs after imagej-legacy's macro preprocessor and
 * before SciJava loads remembered values; only ImagePlus and other object inputs are left to Fiji.
 */
@Plugin(type = PreprocessorPlugin.class, priority = Priority.LOW)
public class MacroInputs extends AbstractPreprocessorPlugin {

    private static final String PACKAGE = MacroInputs.class.getPackageName() + ".";

    @Parameter
    private ConvertService convert;

    @Override
    public void process(Module module) {
        String options = Macro.getOptions();
        if (options != null && module.getInfo().getDelegateClassName().startsWith(PACKAGE)) {
            String error = fill(module, options);
            if (error != null) {
                // As the command's own checks report: a macro error naming the key, and the module does not run.
                Reports.error(module.getInfo().getTitle(), error);
                cancel(error);
            }
        }
    }

    /**
     * Sets every plain input of {@code module} (text, number, yes/no, file) from {@code options} and resolves
     * it; returns what is wrong with a value that is not of its input's type, or null.
     */
    String fill(Module module, String options) {
        Object defaults = null;
        for (ModuleItem<?> item : module.getInfo().inputs()) {
            Class<?> type = item.getType();
            if (!plain(type) || !(item instanceof CommandModuleItem<?> field)) {
                continue;
            }
            String name = item.getName();
            String given = MacroOptions.exactValue(options, name);
            Object value;
            if (given != null) {
                value = number(type) && !isNumber(given, type) ? null
                        : convert.supports(given, type) ? convert.convert(given, type) : null;
                if (value == null) {
                    return name + "=" + given + " is not a " + typeName(type);
                }
            } else if (isBoolean(type) && (" " + options + " ").contains(" " + name + " ")) {
                // An ImageJ 1.x checkbox key: present means ticked.
                value = Boolean.TRUE;
            } else {
                if (defaults == null) {
                    defaults = freshInstance(module);
                }
                value = valueOf(field.getField(), defaults);
            }
            module.setInput(name, value);
            module.resolveInput(name);
        }
        return null;
    }

    private static boolean plain(Class<?> type) {
        return type == String.class || type == File.class || isBoolean(type) || type.isPrimitive()
                || Number.class.isAssignableFrom(type);
    }

    private static boolean number(Class<?> type) {
        return (type.isPrimitive() && !isBoolean(type) && type != char.class) || Number.class.isAssignableFrom(type);
    }

    private static boolean integral(Class<?> type) {
        return type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == byte.class || type == Byte.class;
    }

    /** Whether {@code text} is a number {@code type} holds; SciJava would read "many" as 0. */
    private static boolean isNumber(String text, Class<?> type) {
        try {
            java.math.BigDecimal d = new java.math.BigDecimal(text.strip());
            return !integral(type) || d.stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isBoolean(Class<?> type) {
        return type == boolean.class || type == Boolean.class;
    }

    private static String typeName(Class<?> type) {
        return integral(type) ? "whole number" : number(type) ? "number" : type.getSimpleName();
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
}
