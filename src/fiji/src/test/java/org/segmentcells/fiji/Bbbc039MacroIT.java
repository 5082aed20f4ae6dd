package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.cli.Main;
import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameScores;
import org.segmentcells.eval.ScoreTable;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.fiji.plugin.EvaluateOptions;

/**
 * The Fiji macro path gives the CLI's results on real data: a batch macro stacks the BBBC039 validation
 * frames, segments the stack with Segment Cells, saves each label plane, and scores the stack against the
 * ground-truth stack with Evaluate Segmentation. The label planes must equal the CLI's {@code segment}
 * output, and the Results table the core's and the CLI's {@code evaluate} scores, to 1e-6.
 *
 * <p>Needs {@code ../shared/data/bbbc039} (or {@code -Dsegmentcells.data} / {@code $SEGMENT_CELLS_DATA});
 * skipped without it. Slow-ish: it segments the 50 frames twice (macro and CLI).
 */
class Bbbc039MacroIT {

    private static Path dataDir() {
        String d = System.getProperty("segmentcells.data", System.getenv("SEGMENT_CELLS_DATA"));
        return (d != null && !d.isBlank() ? Path.of(d) : Path.of("../shared/data")).resolve("bbbc039")
                .toAbsolutePath().normalize();
    }

    @Test
    void macroOnTheValidationFramesMatchesTheCli(@TempDir Path tmp) throws Exception {
        Path data = dataDir();
        Assumptions.assumeTrue(Files.isRegularFile(data.resolve("val.txt")),
                "BBBC039 not found at " + data + " (set -Dsegmentcells.data=DIR); skipping the BBBC039 macro test");
        List<String> stems = Files.readAllLines(data.resolve("val.txt")).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.createDirectories(out.resolve("pred"));
        String images = data.resolve("images") + "/";
        String labels = data.resolve("labels") + "/";
        String macro = String.join("\n",
                "setBatchMode(true);",
                "out = getArgument();",
                "stems = split(File.openAsString(" + MacroProcess.str(data.resolve("val.txt")) + "), \"\\n\");",
                "n = 0;",
                "for (i = 0; i < stems.length; i++) {",
                "  stem = String.trim(stems[i]);",
                "  if (stem != \"\") { open(\"" + images + "\" + stem + \".png\"); n++; }",
                "}",
                "run(\"Images to Stack\", \"name=frames title=[] use\");",
                // Each plane measured on its own, as the CLI measures each file (one scale for the whole
                // stack, Fiji's default, can differ from a frame's own where its nuclei measure just above
                // the model's range).
                "run(\"Segment Cells\", \"model=default scale_per_plane\");",
                "seg = getTitle();",
                "print(\"segmented \" + nSlices + \" planes into \" + seg);",
                "for (i = 1; i <= nSlices; i++) {",
                "  selectImage(seg);",
                "  setSlice(i);",
                "  stem = replace(getInfo(\"slice.label\"), \".png\", \"\");",
                "  run(\"Duplicate...\", \"title=plane\");",
                "  saveAs(\"Tiff\", out + \"/pred/\" + stem + \".tif\");",
                "  close();",
                "}",
                "for (i = 0; i < stems.length; i++) {",
                "  stem = String.trim(stems[i]);",
                "  if (stem != \"\") open(\"" + labels + "\" + stem + \".png\");",
                "}",
                "run(\"Images to Stack\", \"name=gt title=IXM use\");",
                "run(\"Evaluate Segmentation\", \"ground_truth=[gt] prediction=[\" + seg + \"]\");",
                "saveAs(\"Results\", out + \"/scores.csv\");",
                "print(\"macro done\");",
                "");
        MacroProcess.Run run = MacroProcess.run(MacroProcess.fijiDir(), macro, out.toString(), tmp, 900);
        assertTrue(run.output().contains("segmented " + stems.size() + " planes into frames-labels"), run.output());
        assertTrue(run.output().contains("macro done"), run.output());

        // The CLI on the same files, in this JVM.
        Path cliOut = tmp.resolve("cli");
        List<String> args = new ArrayList<>(List.of("segment", "--model", "default", "--output", cliOut.toString()));
        stems.forEach(s -> args.add(data.resolve("images").resolve(s + ".png").toString()));
        assertEquals(0, cli(args.toArray(new String[0])));
        Path gtDir = Files.createDirectories(tmp.resolve("gt"));
        for (String s : stems) {
            Files.createSymbolicLink(gtDir.resolve(s + ".png"), data.resolve("labels").resolve(s + ".png"));
        }
        Path cliCsv = tmp.resolve("cli.csv");
        assertEquals(0, cli("evaluate", "--ground-truth", gtDir.toString(), "--predictions", out.resolve("pred").toString(),
                "--csv", cliCsv.toString()));

        Map<String, Map<String, String>> macroRows = MacroIT.readCsv(out.resolve("scores.csv"));
        Map<String, Map<String, String>> cliRows = MacroIT.readCsv(cliCsv);
        assertEquals(stems.size() + 1, macroRows.size());
        List<FrameScores> frames = new ArrayList<>();
        for (int i = 0; i < stems.size(); i++) {
            String stem = stems.get(i);
            LabelPlane pred = ImageFiles.readLabels(out.resolve("pred").resolve(stem + ".tif"));
            assertArrayEquals(ImageFiles.readLabels(cliOut.resolve(stem + ".tif")).data(), pred.data(),
                    stem + ": the plugin's labels differ from the CLI's");
            FrameScores core = Evaluator.scoreFrame(ImageFiles.readLabels(data.resolve("labels").resolve(stem + ".png")),
                    pred, 0);
            frames.add(core);
            Map<String, String> row = macroRows.get(Integer.toString(i + 1));
            assertScores(core, row, stem);
            assertSameScores(cliRows.get(stem), row, stem);
        }
        assertScores(Evaluator.pool(frames), macroRows.get(ScoreTable.TOTAL), ScoreTable.TOTAL);
        assertSameScores(cliRows.get(ScoreTable.TOTAL), macroRows.get(ScoreTable.TOTAL), ScoreTable.TOTAL);
        FrameScores total = Evaluator.pool(frames);
        System.out.printf(java.util.Locale.ROOT, "BBBC039 val (%d frames) through the Fiji macro: F %.4f, AP50 %.4f,"
                + " SEG %.4f%n", frames.size(), total.f(), total.ap50(), total.seg());
    }

    private static void assertScores(FrameScores expected, Map<String, String> row, String what) {
        assertEquals(expected.nGt(), Integer.parseInt(row.get("n_gt")), what);
        assertEquals(expected.nPred(), Integer.parseInt(row.get("n_pred")), what);
        for (Map.Entry<String, Double> e : expected.asMap().entrySet()) {
            assertEquals(e.getValue(), Double.parseDouble(row.get(e.getKey())), 1e-6, what + " " + e.getKey());
        }
    }

    private static void assertSameScores(Map<String, String> cli, Map<String, String> macro, String what) {
        for (String c : ScoreTable.HEADER.split(",")) {
            if (!c.equals(EvaluateOptions.FRAME)) {
                assertEquals(Double.parseDouble(cli.get(c)), Double.parseDouble(macro.get(c)), 1e-6, what + " " + c);
            }
        }
    }

    private static int cli(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        if (code != 0) {
            System.err.println(err.toString(StandardCharsets.UTF_8));
        }
        return code;
    }
}
