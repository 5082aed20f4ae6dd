package org.segmentcells.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.segmentcells.eval.Evaluator;
import org.segmentcells.eval.FrameResult;
import org.segmentcells.eval.ScoreTable;

/** {@code evaluate}: scores predicted label images against ground truth. */
final class EvaluateCommand implements Main.Command {

    @Override
    public String summary() {
        return "score label images against ground truth";
    }

    @Override
    public String usage() {
        return """
                usage: evaluate --ground-truth DIR --predictions DIR [--csv FILE [--overwrite]] [--min-size N]

                Pairs files by name stem (e.g. gt/a.png with pred/a.tif); stacks are scored plane by plane
                (frames a:1, a:2, ...). Objects match when IoU > 0.5.
                Prints precision, recall, F, foreground Jaccard, mean matched Jaccard, SEG and AP@0.5 per
                frame and in total (counts pooled over frames). See docs/user-guide.md ("Scores") for exact definitions.

                  --ground-truth DIR   ground-truth label images
                  --predictions DIR    predicted label images
                  --csv FILE           also write the table as CSV (one row per frame plus 'total'); an
                                       existing FILE is replaced only with --overwrite
                  --min-size N         ignore objects smaller than N pixels in both (default 0)
                """;
    }

    @Override
    public void run(String[] argv, PrintStream out) throws Exception {
        run(argv, out, System.err);
    }

    /** Warnings (an unreadable or unpaired file) go to {@code err}, the scores to {@code out}. */
    @Override
    public void run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = new Args(argv, Set.of("ground-truth", "predictions", "csv", "min-size"), Set.of("overwrite"));
        if (!a.positional().isEmpty()) {
            throw new Args.UsageException("unexpected argument " + a.positional().get(0));
        }
        Path csv = a.path("csv");
        if (a.has("overwrite") && csv == null) {
            throw new Args.UsageException("--overwrite goes with --csv (evaluate writes no other file)");
        }
        if (a.integer("min-size", 0) < 0) {
            throw new Args.UsageException("--min-size must be at least 0, got " + a.get("min-size", ""));
        }
        // Checked before scoring, so a long evaluation does not end in the refusal.
        // A folder first: --overwrite would not help there.
        if (csv != null && Files.isDirectory(csv)) {
            throw new IOException(csv + ": is a folder; --csv names the file to write");
        }
        if (csv != null && Files.exists(csv) && !a.has("overwrite")) {
            throw new IOException(csv + ": already exists (use --overwrite to replace it)");
        }
        Path groundTruth = Path.of(a.require("ground-truth"));
        Path predictions = Path.of(a.require("predictions"));
        // The table never replaces an image it scores, --overwrite or not.
        for (Path folder : List.of(groundTruth, predictions)) {
            if (csv != null && Files.isRegularFile(csv) && Files.isDirectory(folder)
                    && org.segmentcells.io.ImageFiles.isImageName(csv.getFileName().toString())
                    && csv.toRealPath().getParent().equals(folder.toRealPath())) {
                throw new IOException(csv + ": is an image this run scores; choose another --csv file");
            }
        }
        List<FrameResult> results = Evaluator.evaluateFolders(groundTruth, predictions, a.integer("min-size", 0),
                w -> err.println("warning: " + w));
        out.print(ScoreTable.toText(results));
        if (csv != null) {
            ScoreTable.writeCsv(results, csv);
            out.println("wrote " + csv);
        }
    }
}
