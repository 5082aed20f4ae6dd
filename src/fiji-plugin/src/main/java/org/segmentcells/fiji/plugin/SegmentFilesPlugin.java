package org.segmentcells.fiji.plugin;

import ij.Macro;
import ij.Prefs;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;


/**
 * ImageJ 1.x entry for Plugins &gt; Segment Cells &gt; Segment Image Files (see plugins.config):
 * {@code run("Segment Image Files", "input=[/data/images] output=[/data/labels] model=default")}.
 */
public class SegmentFilesPlugin implements PlugIn {

    private static final String PREFS = "segmentcells.files.";

    @Override
    public void run(String arg) {
        boolean macro = MacroOptions.inMacro();
        MacroOptions.keyFirst(SegmentOptions.CHANNEL); // not nuclear_channel's value
        if (!MacroOptions.readyForDialog(SegmentFilesOptions.TITLE, SegmentFilesOptions.KEYS)) {
            return;
        }
        GenericDialog gd = new GenericDialog(SegmentFilesOptions.TITLE);
        // Folders and model are remembered for the dialog only; a macro gives what it needs.
        if (macro || java.awt.GraphicsEnvironment.isHeadless()) {
            // Headless, a directory field's browse button is left out and the field goes uncounted.
            gd.addStringField(SegmentFilesOptions.INPUT, "", 40);
            gd.addStringField(SegmentFilesOptions.OUTPUT, "", 40);
        } else {
            gd.addDirectoryField(SegmentFilesOptions.INPUT, Prefs.get(PREFS + "input", ""), 40);
            gd.addDirectoryField(SegmentFilesOptions.OUTPUT, Prefs.get(PREFS + "output", ""), 40);
        }
        gd.addStringField(SegmentOptions.MODEL, macro ? "default" : Prefs.get(PREFS + "model", "default"), 30);
        gd.addNumericField(SegmentOptions.MIN_SIZE, SegmentOptions.MODEL_MIN_SIZE, 0, 6, "px (-1: the model's)");
        gd.addNumericField(SegmentOptions.SEED_THRESHOLD, SegmentOptions.MODEL_SEED_THRESHOLD, 2, 6, "(-1: the model's)");
        gd.addNumericField(SegmentOptions.TILE, SegmentOptions.DEFAULT_TILE, 0, 6, "px");
        gd.addStringField(SegmentOptions.SCALE, SegmentOptions.MODEL_SCALE, 8);
        gd.addNumericField(SegmentOptions.DIAMETER, SegmentOptions.NO_DIAMETER, 1, 6, "px (0: not given)");
        gd.addStringField(SegmentOptions.CHANNEL, SegmentOptions.CHANNELS[0], 10);
        gd.addNumericField(SegmentOptions.NUCLEAR_CHANNEL, 0, 0, 4, "(files of several channels; 0: refuse them)");
        gd.addCheckbox(SegmentOptions.TTA, false);
        gd.addCheckbox(SegmentOptions.SCALE_PER_PLANE, false);
        gd.addCheckbox(SegmentFilesOptions.OVERWRITE, false);
        gd.addCheckbox(SegmentFilesOptions.STREAMING, false);
        gd.addMessage("An image file or a folder of them; labels go to output/STEM.tif. Esc stops after the current"
                + " tile or band; finished images keep their labels.\n"
                + SegmentOptions.SCALE + ": " + SegmentOptions.SCALE_HELP + ".\n" + SegmentOptions.DIAMETER + ": "
                + SegmentOptions.DIAMETER_HELP + ".\n" + SegmentOptions.SCALE_PER_PLANE + ": "
                + SegmentOptions.SCALE_PER_PLANE_HELP);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String input = gd.getNextString();
        String output = gd.getNextString();
        String model = gd.getNextString();
        double minSize = gd.getNextNumber();
        double seedThreshold = gd.getNextNumber();
        double tile = gd.getNextNumber();
        String scale = gd.getNextString();
        double diameter = gd.getNextNumber();
        String channel = gd.getNextString();
        double nuclearChannel = gd.getNextNumber();
        boolean tta = gd.getNextBoolean();
        boolean scalePerPlane = gd.getNextBoolean();
        boolean overwrite = gd.getNextBoolean();
        boolean streaming = gd.getNextBoolean();
        SegmentFilesOptions options;
        try {
            new DialogNumbers(minSize, seedThreshold, tile, nuclearChannel, diameter).check(gd.invalidNumber());
            options = new SegmentFilesOptions(input, output, SegmentOptions.of(model).withMinSize((int) minSize)
                    .withSeedThreshold(seedThreshold).withTile((int) tile)
                    .withScale(scale).withDiameter(diameter).withChannel(channel).withNuclearChannel((int) nuclearChannel).withTta(tta)
                    .withScalePerPlane(scalePerPlane), overwrite, streaming);
        } catch (IllegalArgumentException e) {
            Reports.error(SegmentFilesOptions.TITLE, e.getMessage());
            return;
        }
        if (!macro) {
            Prefs.set(PREFS + "input", input);
            Prefs.set(PREFS + "output", output);
            Prefs.set(PREFS + "model", model);
        }
        FijiEngine engine = Reports.engine(SegmentFilesOptions.TITLE);
        if (engine != null) {
            engine.segmentFiles(options);
        }
    }
}
