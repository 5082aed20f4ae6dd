package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.Macro;

import org.junit.jupiter.api.Test;
import org.segmentcells.fiji.plugin.MacroOptions;

/** A key that ends a longer one (channel, nuclear_channel) reads its own value, as ImageJ's dialogs read it. */
class MacroOptionsTest {

    /** What an ImageJ dialog reads for {@code key} (as GenericDialog does, through Macro.getValue). */
    private static String read(String options, String key) {
        return Macro.getValue(options, key, "(default)");
    }

    @Test
    void imageJAloneReadsAKeyInsideALongerOne() {
        // Why the class exists: without it, these read the longer key's value.
        assertEquals("2", read("model=default nuclear_channel=2 ", "channel"));
        assertEquals("/v", read("validation_images=[/v] images=[/a] ", "images"));
    }

    @Test
    void theKeysOwnValueComesFirstOrIsEmpty() {
        String given = MacroOptions.keyFirst("model=default nuclear_channel=2 channel=red tta ", "channel");
        assertEquals("red", read(given, "channel"));
        assertEquals("2", read(given, "nuclear_channel"));
        assertEquals("default", read(given, "model"));
        assertEquals("channel=red model=default nuclear_channel=2 tta ", given);

        String absent = MacroOptions.keyFirst("model=default nuclear_channel=2 ", "channel");
        assertEquals("", read(absent, "channel"));
        assertEquals("2", read(absent, "nuclear_channel"));

        String bracketed = MacroOptions.keyFirst("validation_images=[/data/v 1] images=[/data/a b] steps=10 ", "images");
        assertEquals("/data/a b", read(bracketed, "images"));
        assertEquals("/data/v 1", read(bracketed, "validation_images"));
        assertEquals("10", read(bracketed, "steps"));
        // Already first: the same options.
        assertEquals("channel=none nuclear_channel=2 ", MacroOptions.keyFirst("channel=none nuclear_channel=2 ", "channel"));
    }

    /**
     * What Fine-tune Model's command reads for its images in a macro: the images' own key, not
     * validation_images' value, which ImageJ's reading gives when it comes first; and two folders that are
     * one are refused, however they were read.
     */
    @Test
    void theImagesOwnValueAndNotTheValidationImages() {
        String options = "validation_images=[/v] validation_labels=[/vl] images=[/a b] annotations=[/l] init=default ";
        assertEquals("/v", read(options, "images"), "ImageJ alone");
        assertEquals("/a b", MacroOptions.exactValue(options, "images"));
        assertEquals(null, MacroOptions.exactValue("init=default ", "images"), "not given");
        assertEquals("", MacroOptions.exactValue("init=[] images=/a ", "init"), "given empty");
        assertEquals(null, MacroOptions.exactValue("input=[/d/run tile=3] model=default ", "tile"), "inside a path");
        assertEquals("512", MacroOptions.exactValue("input=[/d/run tile=3] tile=512 ", "tile"));
        assertEquals(null, MacroOptions.exactValue("input=[/d/Pos[1]/run tile=3] model=default ", "tile"),
                "inside a path with brackets of its own");
        assertTrue(MacroOptions.ticks("input=[/d/old overwrite] overwrite ", "overwrite"));
        assertTrue(!MacroOptions.ticks("input=[/d/Pos[1]/old overwrite] model=x ", "overwrite"), "a word inside a path");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> org.segmentcells.fiji.plugin.FineTuneOptions.builder().annotated("/v", "/l", "labels")
                        .init("default").output("/out").validation("/v/", "/vl").build());
        assertTrue(e.getMessage().contains("images and validation_images are the same folder"), e.getMessage());
    }

    /** The keys a macro gives: key=value and bare words, never what a bracketed value holds. */
    @Test
    void theKeysOfOptions() {
        assertEquals(java.util.List.of("input", "output", "overwrite", "tile", "tta"),
                MacroOptions.keys("input=[/a b/c tile=3] output=/o overwrite tile=512  tta"));
        assertEquals(java.util.List.of(), MacroOptions.keys(""));
        // As ImageJ reads them: brackets nest (the Recorder writes a path with brackets so), quotes hold spaces.
        assertEquals(java.util.List.of("input", "output"), MacroOptions.keys("input=[/data/Pos[1]/a b.tif] output=[/o]"));
        assertEquals(java.util.List.of("input", "model"), MacroOptions.keys("input='/data/my images' model=default"));
    }

    /** What an ImageJ 1.x dialog would misread is caught first; tick boxes given =true or =false read as in Fiji. */
    @Test
    void valuesADialogWouldMisreadAreCaughtAndTickBoxesNormalised() throws Exception {
        MacroOptions.Keys keys = MacroOptions.Keys.of("model", "input").wholeNumbers(java.util.Set.of("min_size", "tile"))
                .numbers(java.util.Set.of("diameter")).tickBoxes("tta", "probabilities", "overwrite");
        String[][] cases = {
            {"model=default step=5 ", "unknown key 'step'; the keys are diameter, input, min_size, model, overwrite,"
                    + " probabilities, tile, tta", null},
            {"model=default min-size=50 ", "unknown key 'min-size'; the keys are diameter, input, min_size, model,"
                    + " overwrite, probabilities, tile, tta", null},
            {"model=default verbose ", "unknown key 'verbose'; the keys are diameter, input, min_size, model,"
                    + " overwrite, probabilities, tile, tta", null},
            {"input=[/data/run step=5 x] model=default ", null, "input=[/data/run step=5 x]"},
            {"input=[/data/Pos[1]/a b.tif] model=default ", null, "input=[/data/Pos[1]/a b.tif]"},
            {"input='/data/my images' model=default ", null, "input='/data/my images'"},
            {"model=default min_size=3O ", "min_size=3O is not a whole number", null},
            {"model=default tile=256.5 ", "tile=256.5 is not a whole number", null},
            {"model=default diameter=wide ", "diameter=wide is not a number", null},
            {"model=default tta=yes ", "tta=yes is not true or false (a tick box is ticked by its key alone: tta)", null},
            {"model=default tta=true probabilities=false diameter=40 min_size=30.0 ", null, "tta"},
            {"input=[/data/overwrite=no] model=default ", null, "input=[/data/overwrite=no]"},
            {"model=default min_size=-1 tile=[256] diameter=-0.5e1 ", null, "min_size=-1 tile=[256] diameter=-0.5e1"},
            {"model=default min_size= tile=512 ", "min_size= is not a whole number", null},
            {"model=default min_size=[] ", "min_size= is not a whole number", null},
            {"model=default tta=[ true] probabilities ", null, "tta model=default probabilities"}};
        for (String[] c : cases) {
            java.util.concurrent.atomic.AtomicReference<String[]> got = new java.util.concurrent.atomic.AtomicReference<>();
            Thread t = new Thread(() -> {
                ij.Macro.setOptions(c[0]);
                String error = MacroOptions.checkForDialog(keys);
                got.set(new String[] {error, ij.Macro.getOptions()});
                ij.Macro.setOptions(null);
            }, "Run$_dialog-test");
            t.start();
            t.join(10_000);
            assertEquals(c[1], got.get()[0], c[0]);
            if (c[2] != null) {
                assertTrue(got.get()[1].contains(c[2]), got.get()[1]);
            }
            if (c[0].contains("tta=true")) {
                String o = " " + got.get()[1] + " ";
                assertTrue(o.contains(" tta ") && !o.contains("tta=") && !o.contains("probabilities"), o);
                assertTrue(o.contains("diameter=40") && o.contains("min_size=30.0"), o);
            }
        }
        // A tick box turned off alone (Options' verbose=false) leaves no key, but must stay a macro's options:
        // emptied, ImageJ would take them for none and open the dialog.
        java.util.concurrent.atomic.AtomicReference<String> left = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            ij.Macro.setOptions("tta=false"); // as run("...", "verbose=false") gives it
            MacroOptions.checkForDialog(keys);
            left.set(ij.Macro.getOptions());
            ij.Macro.setOptions(null);
        }, "Run$_dialog-test");
        t.start();
        t.join(10_000);
        assertTrue(left.get() != null && left.get().isBlank(), "options: [" + left.get() + "]");
    }
}
