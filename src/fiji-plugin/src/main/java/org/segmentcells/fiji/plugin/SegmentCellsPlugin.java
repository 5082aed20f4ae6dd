package org.segmentcells.fiji.plugin;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.io.DirectoryChooser;
import ij.plugin.PlugIn;

import java.awt.Choice;
import java.awt.GraphicsEnvironment;
import java.io.File;
import java.util.ArrayList;
import java.util.List;


/**
 * ImageJ 1.x entry for Plugins &gt; Segment Cells &gt; Segment Cells (see plugins.config), which makes
 * {@code run("Segment Cells", "model=default min_size=30 add_to_manager probabilities")} work in plain
 * ImageJ, in batch mode and headless, and lets the Macro Recorder record it. The GenericDialog reads the
 * macro options by itself; its labels are the macro keys.
 */
public class SegmentCellsPlugin implements PlugIn {

    private static final String PREFS = "segmentcells.";

    @Override
    public void run(String arg) {
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            IJ.noImage();
            return;
        }
        FijiEngine engine = Reports.engine(SegmentOptions.TITLE);
        SegmentOptions options = engine == null ? null : showDialog(engine);
        if (options == null) {
            return;
        }
        engine.segment(imp, options, Progress.imageJ());
    }

    /** The dialog (or, in a macro, the macro options); null if cancelled or invalid (already reported). */
    static SegmentOptions showDialog(FijiEngine engine) {
        boolean macro = MacroOptions.inMacro();
        SegmentOptions last = macro ? SegmentOptions.DEFAULTS : remembered();
        MacroOptions.keyFirst(SegmentOptions.CHANNEL); // not nuclear_channel's value
        if (!MacroOptions.readyForDialog(SegmentOptions.TITLE, SegmentOptions.KEYS)) {
            return null;
        }
        GenericDialog gd = new GenericDialog(SegmentOptions.TITLE);
        if (macro) {
            // A text field takes any name or folder; a headless Choice would silently fall back to its
            // first item for a value it does not list.
            gd.addStringField(SegmentOptions.MODEL, last.model(), 30);
        } else {
            List<String> items = new ArrayList<>(engine.modelNames());
            if (!items.contains(last.model())) {
                items.add(last.model());
            }
            gd.addChoice(SegmentOptions.MODEL, items.toArray(new String[0]), last.model());
            if (!GraphicsEnvironment.isHeadless()) {
                gd.addButton("Model folder...", e -> chooseFolder(gd));
            }
        }
        gd.addNumericField(SegmentOptions.MIN_SIZE, last.minSize(), 0, 6, "px (-1: the model's)");
        // Not remembered, as scale is not: a threshold chosen for one model's images would apply to the next.
        gd.addNumericField(SegmentOptions.SEED_THRESHOLD, SegmentOptions.MODEL_SEED_THRESHOLD, 2, 6, "(-1: the model's)");
        gd.addCheckbox(SegmentOptions.ADD_TO_MANAGER, last.addToManager());
        gd.addCheckbox(SegmentOptions.PROBABILITIES, last.probabilities());
        gd.addNumericField(SegmentOptions.TILE, last.tile(), 0, 6, "px");
        if (macro) {
            gd.addStringField(SegmentOptions.CHANNEL, last.channelId(), 10); // checked by Channel.parse
        } else {
            gd.addChoice(SegmentOptions.CHANNEL, SegmentOptions.CHANNELS, last.channelId());
        }
        // In the dialog a multi-channel image offers the channel on display; a macro must say (0: not set).
        ImagePlus active = ij.WindowManager.getCurrentImage();
        int shown = !macro && active != null && active.getNChannels() > 1 ? active.getC() : 0;
        gd.addNumericField(SegmentOptions.NUCLEAR_CHANNEL, shown, 0, 4, "(images with several channels)");
        gd.addStringField(SegmentOptions.SCALE, last.scaleId(), 8);
        // Not remembered: a size measured on one image would resize the next, of another magnification.
        gd.addNumericField(SegmentOptions.DIAMETER, SegmentOptions.NO_DIAMETER, 1, 6, "px (0: not given)");
        // The label is the macro key, so the explanation goes in a message. Not remembered: 4 times the
        // time is a choice for this run, not a habit to be surprised by later.
        gd.addCheckbox(SegmentOptions.TTA, false);
        gd.addCheckbox(SegmentOptions.SCALE_PER_PLANE, false);
        gd.addMessage(SegmentOptions.SEED_THRESHOLD + ": " + SegmentOptions.SEED_THRESHOLD_HELP + ".\n"
                + SegmentOptions.SCALE + ": " + SegmentOptions.SCALE_HELP + ".\n" + SegmentOptions.DIAMETER + ": "
                + SegmentOptions.DIAMETER_HELP + ".\n" + SegmentOptions.TTA + ": "
                + SegmentOptions.TTA_HELP + ".\n" + SegmentOptions.SCALE_PER_PLANE + ": "
                + SegmentOptions.SCALE_PER_PLANE_HELP);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return null;
        }
        String model = macro ? gd.getNextString() : gd.getNextChoice();
        double minSize = gd.getNextNumber();
        double seedThreshold = gd.getNextNumber();
        boolean addToManager = gd.getNextBoolean();
        boolean probabilities = gd.getNextBoolean();
        double tile = gd.getNextNumber();
        String channel = macro ? gd.getNextString() : gd.getNextChoice();
        double nuclear = gd.getNextNumber();
        String scale = gd.getNextString();
        double diameter = gd.getNextNumber();
        boolean tta = gd.getNextBoolean();
        boolean perPlane = gd.getNextBoolean();
        SegmentOptions options;
        try {
            new DialogNumbers(minSize, seedThreshold, tile, nuclear, diameter).check(gd.invalidNumber());
            options = SegmentOptions.of(model).withMinSize((int) minSize).withSeedThreshold(seedThreshold)
                    .withAddToManager(addToManager)
                    .withProbabilities(probabilities).withTile((int) tile).withChannel(channel)
                    .withNuclearChannel((int) nuclear).withScale(scale).withDiameter(diameter).withTta(tta)
                    .withScalePerPlane(perPlane);
        } catch (IllegalArgumentException e) {
            Reports.error(SegmentOptions.TITLE, e.getMessage());
            return null;
        }
        if (!macro) {
            remember(options);
        }
        return options;
    }

    /** Adds a model folder picked in a file dialog to the model choice and selects it. */
    private static void chooseFolder(GenericDialog gd) {
        String dir = new DirectoryChooser("Segment Cells model folder").getDirectory();
        if (dir == null) {
            return;
        }
        String path = new File(dir).getAbsolutePath(); // drops the trailing separator
        Choice choice = (Choice) gd.getChoices().get(0);
        choice.add(path);
        choice.select(path);
    }

    static SegmentOptions remembered() {
        SegmentOptions d = SegmentOptions.DEFAULTS;
        try {
            // Not the scale (a factor fixed for one image would quietly apply to the next), nor the channel (a
            // channel chosen once must not make a later run quietly accept RGB images), as the command does.
            return SegmentOptions.of(Prefs.get(PREFS + SegmentOptions.MODEL, d.model()))
                    .withMinSize((int) Prefs.get(PREFS + SegmentOptions.MIN_SIZE, d.minSize()))
                    .withAddToManager(Prefs.get(PREFS + SegmentOptions.ADD_TO_MANAGER, d.addToManager()))
                    .withProbabilities(Prefs.get(PREFS + SegmentOptions.PROBABILITIES, d.probabilities()))
                    .withTile((int) Prefs.get(PREFS + SegmentOptions.TILE, d.tile()));
        } catch (IllegalArgumentException e) {
            return d; // damaged preferences
        }
    }

    static void remember(SegmentOptions o) {
        Prefs.set(PREFS + SegmentOptions.MODEL, o.model());
        Prefs.set(PREFS + SegmentOptions.MIN_SIZE, o.minSize());
        Prefs.set(PREFS + SegmentOptions.ADD_TO_MANAGER, o.addToManager());
        Prefs.set(PREFS + SegmentOptions.PROBABILITIES, o.probabilities());
        Prefs.set(PREFS + SegmentOptions.TILE, o.tile());
    }
}
