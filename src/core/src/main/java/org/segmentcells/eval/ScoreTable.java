package org.segmentcells.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.segmentcells.io.AtomicFiles;

/**
 * Renders per-frame scores as CSV and as a fixed-width console table. Both have the columns
 * {@value #HEADER}: one row per frame, then a row named {@code total} holding
 * {@link Evaluator#pool pooled} scores (ratios pooled over all objects; fg_jaccard the mean over frames).
 * CSV numbers use {@link Locale#ROOT}; ratios have 6 decimals.
 */
public final class ScoreTable {

    /** CSV header line (without line break). */
    public static final String HEADER =
            "frame,n_gt,n_pred,tp,fp,fn,precision,recall,f,fg_jaccard,matched_jaccard,seg,ap50";

    /** Name of the pooled row. */
    public static final String TOTAL = "total";

    /** Default for {@link #toText(List, int)}: above this many frames only the total is printed. */
    public static final int MAX_TEXT_ROWS = 20;

    private static final String[] COLUMNS = HEADER.split(",");

    private ScoreTable() {
    }

    /** The CSV text: header, one row per frame in list order, then the {@code total} row. */
    public static String toCsv(List<FrameResult> frames) {
        FrameScores total = Evaluator.poolResults(frames);
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (FrameResult r : frames) {
            csvRow(sb, r.frame(), r.scores());
        }
        csvRow(sb, TOTAL, total);
        return sb.toString();
    }

    /** Writes {@link #toCsv} to {@code file} (via a temporary file, so no half-written CSV remains). */
    public static void writeCsv(List<FrameResult> frames, Path file) throws IOException {
        AtomicFiles.writeString(file, toCsv(frames));
    }

    /** {@link #toText(List, int)} with {@link #MAX_TEXT_ROWS}. */
    public static String toText(List<FrameResult> frames) {
        return toText(frames, MAX_TEXT_ROWS);
    }

    /**
     * A fixed-width table for the console with the CSV's columns (ratios to 4 decimals). With more than
     * {@code maxFrameRows} frames only the total row is shown, followed by a note giving the frame count.
     */
    public static String toText(List<FrameResult> frames, int maxFrameRows) {
        FrameScores total = Evaluator.poolResults(frames);
        boolean perFrame = frames.size() <= maxFrameRows;
        int nameWidth = TOTAL.length();
        if (perFrame) {
            for (FrameResult r : frames) {
                nameWidth = Math.max(nameWidth, r.frame().length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", COLUMNS[0]));
        for (int c = 1; c < COLUMNS.length; c++) {
            sb.append(String.format(Locale.ROOT, " %" + width(c) + "s", COLUMNS[c]));
        }
        sb.append('\n');
        if (perFrame) {
            for (FrameResult r : frames) {
                textRow(sb, r.frame(), r.scores(), nameWidth);
            }
        }
        textRow(sb, TOTAL, total, nameWidth);
        sb.append(frames.size()).append(frames.size() == 1 ? " frame" : " frames");
        if (!perFrame) {
            sb.append(" (per-frame rows omitted; see the CSV)");
        }
        sb.append('\n');
        return sb.toString();
    }

    private static int width(int column) {
        // Counts up to 6 digits and 4-decimal ratios ("0.1234") fit in 6 characters.
        return Math.max(COLUMNS[column].length(), 6);
    }

    private static void csvRow(StringBuilder sb, String name, FrameScores s) {
        sb.append(csvField(name));
        sb.append(',').append(s.nGt()).append(',').append(s.nPred()).append(',').append(s.tp())
                .append(',').append(s.fp()).append(',').append(s.fn());
        for (double v : ratios(s)) {
            sb.append(',').append(String.format(Locale.ROOT, "%.6f", v));
        }
        sb.append('\n');
    }

    private static void textRow(StringBuilder sb, String name, FrameScores s, int nameWidth) {
        sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", name));
        int[] counts = {s.nGt(), s.nPred(), s.tp(), s.fp(), s.fn()};
        for (int c = 0; c < counts.length; c++) {
            sb.append(String.format(Locale.ROOT, " %" + width(c + 1) + "d", counts[c]));
        }
        double[] r = ratios(s);
        for (int c = 0; c < r.length; c++) {
            sb.append(String.format(Locale.ROOT, " %" + width(c + 6) + ".4f", r[c]));
        }
        sb.append('\n');
    }

    private static double[] ratios(FrameScores s) {
        return new double[] {s.precision(), s.recall(), s.f(), s.fgJaccard(), s.matchedJaccard(), s.seg(),
            s.ap50()};
    }

    /** Quotes a frame name only when CSV requires it (comma, quote or line break). */
    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
