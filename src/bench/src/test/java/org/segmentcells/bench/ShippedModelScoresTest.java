package org.segmentcells.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.segmentcells.model.ModelStore;

/**
 * The README's "How good is it" table, re-measured: the shipped default's F and SEG on the 50 BBBC039
 * val.txt frames and the 97 held-out DSB images must be within 0.01 of what the README states, so a
 * regression of the model or of the segmentation path fails CI (which has ../shared/data).
 */
class ShippedModelScoresTest {

    /** A README row: {@code | `default` | 50 BBBC039 ... | P | R | **F** | **SEG** |} (bold optional). */
    private static final Pattern ROW = Pattern.compile(
            "\\| `default` \\| (\\d+) (BBBC039|held-out DSB)[^|]*\\| ([\\d.]+) \\| ([\\d.]+) \\| \\**([\\d.]+)\\** \\| \\**([\\d.]+)\\** \\|");

    @Test
    void theDefaultScoresWhatTheReadmeSays() throws Exception {
        Path bbbc = DataSets.find("bbbc039");
        Path dsb = DataSets.find("dsb2018_fluo");
        Assumptions.assumeTrue(bbbc != null && dsb != null, "skipped: no bbbc039 and dsb2018_fluo under "
                + DataSets.root().toAbsolutePath());
        String readme = Files.readString(Path.of("README.md"));
        GeneralistProtocol protocol = new GeneralistProtocol(bbbc, dsb, new PrintStream(PrintStream.nullOutputStream()));
        GeneralistProtocol.Split split = protocol.split();
        List<PaperProtocol.Row> rows = protocol.score("default", ModelStore.resolve("default"));
        int found = 0;
        Matcher m = ROW.matcher(readme);
        while (m.find()) {
            boolean isBbbc = m.group(2).equals("BBBC039");
            PaperProtocol.Row row = rows.get(isBbbc ? 0 : 1);
            assertEquals(Integer.parseInt(m.group(1)), (isBbbc ? split.bbbcVal() : split.dsbHeldOut()).size(),
                    "images in " + m.group());
            assertEquals(Double.parseDouble(m.group(5)), row.scores().f(), 0.01, "F, README: " + m.group());
            assertEquals(Double.parseDouble(m.group(6)), row.scores().seg(), 0.01, "SEG, README: " + m.group());
            found++;
        }
        assertEquals(2, found, "the README's table has a BBBC039 and a DSB row for default");
    }
}
