package org.segmentcells.setting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class SettingTest {

    private static final Setting.Spelling FLAGS = (s, v) -> "--" + s.key().replace('_', '-') + (v == null ? "" : " " + v);
    private static final Setting.Spelling KEYS = (s, v) -> v == null ? s.key() : s.key() + "=" + v;

    @Test
    void eachFrontEndSpellsTheSettingsACoreMessageNames() {
        String m = "give " + Setting.SCALE.is(1) + ", drop " + Setting.MIN_SIZE.mention() + " or use "
                + Setting.OVERWRITE.mention();
        assertEquals("give --scale 1, drop --min-size or use --overwrite", Setting.spell(m, FLAGS));
        assertEquals("give scale=1, drop min_size or use overwrite", Setting.spell(m, KEYS));
        assertEquals("give scale 1, drop min size or use overwrite", Setting.spell(m, Setting.PLAIN));
    }

    @Test
    void textThatOnlyLooksLikeAMarkerStays() {
        String m = "/data/\u2039plate\u203a.tif: " + Setting.TILE.mention();
        assertEquals("/data/\u2039plate\u203a.tif: --tile", Setting.spell(m, FLAGS));
    }

    @Test
    void aThrowableWithoutMessageIsNamedByItsClass() {
        String s = Setting.spell(new IllegalStateException(), FLAGS);
        assertEquals("java.lang.IllegalStateException", s);
        assertFalse(Setting.spell(new RuntimeException("no " + Setting.MODEL.mention()), KEYS).contains("\u2039"));
    }
}
