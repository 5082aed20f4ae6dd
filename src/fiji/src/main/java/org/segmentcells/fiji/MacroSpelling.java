package org.segmentcells.fiji;

import org.segmentcells.setting.Setting;

/** How Fiji writes the settings that core messages name: as macro keys, {@code scale=1}, {@code overwrite}. */
final class MacroSpelling {

    static final Setting.Spelling SPELLING = (setting, value) -> value == null ? setting.key() : setting.key() + "=" + value;

    private MacroSpelling() {
    }

    /** The message to show for {@code e}, settings spelled as macro keys. */
    static String message(Throwable e) {
        return Setting.spell(e, SPELLING);
    }
}
