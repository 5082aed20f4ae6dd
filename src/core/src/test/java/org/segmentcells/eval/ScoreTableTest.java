package org.segmentcells.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreTableTest {

    private static List<FrameResult> twoFrames() {
        return List.of(new FrameResult("a", PoolTest.frameA()), new FrameResult("b", PoolTest.frameB()));
    }

    @Test
    void csvHasFrameRowsAndTotal() {
        String[] lines = ScoreTable.toCsv(twoFrames()).split("\n", -1);
        assertEquals(5, lines.length); // header, a, b, total, "" after the final line break
        assertEquals("frame,n_gt,n_pred,tp,fp,fn,precision,recall,f,fg_jaccard,matched_jaccard,seg,ap50",
                lines[0]);
        // Frame a: P 1/2, R 1, F 2/3, fg 1, matched J 0.6, SEG 0.6, AP 1/2.
        assertEquals("a,1,2,1,1,0,0.500000,1.000000,0.666667,1.000000,0.600000,0.600000,0.500000", lines[1]);
        // Frame b: fg 8/9, SEG 4/9, others 0.
        assertEquals("b,2,1,0,1,2,0.000000,0.000000,0.000000,0.888889,0.000000,0.444444,0.000000", lines[2]);
        // Pooled (see PoolTest): 1/3, 1/3, 1/3, 17/18, 0.6, 13.4/27 = 0.4962963, 1/5.
        assertEquals("total,3,3,1,2,2,0.333333,0.333333,0.333333,0.944444,0.600000,0.496296,0.200000",
                lines[3]);
        assertEquals("", lines[4]);
    }

    @Test
    void csvParsesBackFromFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/scores.csv");
        ScoreTable.writeCsv(twoFrames(), file);
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        List<String[]> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            assertEquals(header.length, f.length, l);
            rows.add(f);
        }
        assertEquals(List.of("a", "b", "total"), rows.stream().map(r -> r[0]).toList());
        String[] total = rows.get(2);
        FrameScores t = Evaluator.pool(List.of(PoolTest.frameA(), PoolTest.frameB()));
        assertEquals(t.nGt(), Integer.parseInt(total[1]));
        assertEquals(t.fn(), Integer.parseInt(total[5]));
        double[] expected = {t.precision(), t.recall(), t.f(), t.fgJaccard(), t.matchedJaccard(), t.seg(), t.ap50()};
        for (int c = 0; c < expected.length; c++) {
            assertEquals(expected[c], Double.parseDouble(total[6 + c]), 5e-7, header[6 + c]);
        }
        try (var s = Files.list(file.getParent())) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void numbersIgnoreTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            String csv = ScoreTable.toCsv(twoFrames());
            assertTrue(csv.contains("0.500000"), csv);
            assertFalse(csv.contains("0,500000"), csv);
            assertTrue(ScoreTable.toText(twoFrames()).contains("0.3333"));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void frameNamesWithCommasAreQuoted() {
        String csv = ScoreTable.toCsv(List.of(new FrameResult("x,\"y\"", PoolTest.frameA())));
        assertTrue(csv.split("\n")[1].startsWith("\"x,\"\"y\"\"\",1,2,"), csv);
    }

    @Test
    void textTableListsFramesThenTotal() {
        String[] lines = ScoreTable.toText(twoFrames()).split("\n");
        assertEquals(5, lines.length);
        assertEquals(List.of("frame", "n_gt", "n_pred", "tp", "fp", "fn", "precision", "recall", "f",
                "fg_jaccard", "matched_jaccard", "seg", "ap50"), List.of(lines[0].trim().split(" +")));
        assertEquals(List.of("a", "1", "2", "1", "1", "0", "0.5000", "1.0000", "0.6667", "1.0000", "0.6000",
                "0.6000", "0.5000"), List.of(lines[1].trim().split(" +")));
        assertTrue(lines[3].startsWith("total "), lines[3]);
        assertEquals(List.of("total", "3", "3", "1", "2", "2", "0.3333", "0.3333", "0.3333", "0.9444",
                "0.6000", "0.4963", "0.2000"), List.of(lines[3].trim().split(" +")));
        assertEquals("2 frames", lines[4]);
        // Fixed width: every table line has the same length.
        assertEquals(lines[0].length(), lines[1].length());
        assertEquals(lines[0].length(), lines[3].length());
    }

    @Test
    void textTableOmitsFrameRowsWhenThereAreMany() {
        String text = ScoreTable.toText(twoFrames(), 1);
        String[] lines = text.split("\n");
        assertEquals(3, lines.length, text);
        assertTrue(lines[1].startsWith("total "), text);
        assertEquals("2 frames (per-frame rows omitted; see the CSV)", lines[2]);

        List<FrameResult> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add(new FrameResult("f" + i, PoolTest.frameA()));
        }
        assertFalse(ScoreTable.toText(many).contains("f0 "));
        assertTrue(ScoreTable.toText(many.subList(0, 20)).contains("f0 "));
    }
}
