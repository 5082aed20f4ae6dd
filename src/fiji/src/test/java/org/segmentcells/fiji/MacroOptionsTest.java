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
        assertEquals(null, MacroOptions.exactValue("input=[/d/run tile=3] model=default ", "tile"), "inside a path");
        assertEquals("512", MacroOptions.exactValue("input=[/d/run tile=3] tile=512 ", "tile"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> org.segmentcells.fiji.plugin.FineTuneOptions.builder().annotated("/v", "/l", "labels")
                        .init("default").output("/out").validation("/v/", "/vl").build());
        assertTrue(e.getMessage().contains("images and validation_images are the same folder"), e.getMessage());
    }
}
