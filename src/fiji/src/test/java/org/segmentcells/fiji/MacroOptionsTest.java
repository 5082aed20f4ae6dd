package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    void aChannelThatIsTheNuclearChannelsNumberIsTheSuffixMisreading() {
        assertEquals("none", MacroOptions.channelAsGiven("2", 2));
        assertEquals("red", MacroOptions.channelAsGiven("red", 2));
        assertEquals("2", MacroOptions.channelAsGiven("2", 0), "without a nuclear channel, left for the check to refuse");
        assertEquals("3", MacroOptions.channelAsGiven("3", 2));
    }
}
