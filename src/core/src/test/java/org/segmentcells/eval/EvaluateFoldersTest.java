package org.segmentcells.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.segmentcells.eval.Labels.assertCounts;
import static org.segmentcells.eval.Labels.assertSums;
import static org.segmentcells.eval.Labels.relabel;
import static org.segmentcells.eval.Labels.rows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;

class EvaluateFoldersTest {

    @TempDir
    Path tmp;
    Path gtDir;
    Path predDir;

    @BeforeEach
    void setUp() throws IOException {
        gtDir = tmp.resolve("gt");
        predDir = tmp.resolve("pred");
        Files.createDirectories(gtDir);
        Files.createDirectories(predDir);
    }

    /** GT as a 16-bit PNG (written with javax.imageio: ImageFiles only writes TIFF). */
    private static void writePng16(LabelPlane p, Path file) throws IOException {
        BufferedImage img = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < p.height(); y++) {
            for (int x = 0; x < p.width(); x++) {
                img.getRaster().setSample(x, y, 0, p.get(x, y));
            }
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    /**
     * A microscope image given as predictions (or ground truth) is scored, since it reads as labels, but a
     * warning says what it looks like; real label images say nothing.
     */
    @Test
    void anIntensityImageAmongTheLabelsIsWarnedOf(@TempDir Path tmp) throws Exception {
        Path gt = Files.createDirectories(tmp.resolve("gt"));
        Path pred = Files.createDirectories(tmp.resolve("pred"));
        Files.copy(Path.of("test-images/labels/demo.tif"), gt.resolve("demo.tif"));
        Files.copy(Path.of("test-images/images/demo.tif"), pred.resolve("demo.tif"));
        List<String> warnings = new ArrayList<>();
        Evaluator.evaluateFolders(gt, pred, 0, warnings::add);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("pred") && warnings.get(0).contains("an intensity image, not a label image"),
                warnings.get(0));
        warnings.clear();
        Files.copy(Path.of("test-images/labels/demo.tif"), pred.resolve("demo.tif"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Evaluator.evaluateFolders(gt, pred, 0, warnings::add);
        assertEquals(List.of(), warnings);

        // Bright nuclei on a black background, each pixel its own value: no value spreads, yet no two neighbours
        // agree, as in a raw frame (a tester's BBBC039 PNGs gave 14592 "objects" and no word).
        LabelPlane labels = ImageFiles.readLabels(Path.of("test-images/labels/demo.tif"));
        int[] raw = new int[labels.data().length];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = labels.data()[i] == 0 ? 0 : 1000 + random.nextInt(50000);
        }
        ImageFiles.write16(labels.width(), labels.height(), raw, pred.resolve("demo.tif"));
        Evaluator.evaluateFolders(gt, pred, 0, warnings::add);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("an intensity image, not a label image"), warnings.get(0));

        // A 0/255 mask of the same nuclei: scored as one object, and said to be a mask.
        warnings.clear();
        int[] mask = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            mask[i] = labels.data()[i] == 0 ? 0 : 255;
        }
        ImageFiles.write16(labels.width(), labels.height(), mask, pred.resolve("demo.tif"));
        Evaluator.evaluateFolders(gt, pred, 0, warnings::add);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("separate regions, all labelled 255: a mask, not a label image"), warnings.get(0));
    }

    @Test
    void pairsByStemInSortedOrder() throws IOException {
        // Frame "a": the touching-objects case with a shifted border (tp 2, sum IoU 4/3, fg 1).
        // GT uses id 300 (> 255, so the 16-bit PNG path matters); pred is a 16-bit TIFF.
        writePng16(relabel(rows("11122", "11122"), 1, 300), gtDir.resolve("a.png"));
        ImageFiles.write16(5, 2, relabel(rows("11222", "11222"), 2, 9).data(), predDir.resolve("a.tif"));
        // Frame "b": the merge case (tp 0, fp 1, fn 2, fg 8/9, SEG sum 8/9); the prediction id 70000
        // does not fit 16 bits, so writeLabels stores a float TIFF.
        ImageFiles.writeLabels(rows("1111.2222"), gtDir.resolve("b.tif"));
        ImageFiles.writeLabels(relabel(rows("333333333"), 3, 70000), predDir.resolve("b.tiff"));
        // Not images, or no GT: skipped; the extra prediction produces a warning.
        Files.writeString(gtDir.resolve("notes.txt"), "not an image");
        Files.writeString(predDir.resolve("log.csv"), "x");
        ImageFiles.writeLabels(rows("1"), predDir.resolve("c.tif"));

        assertEquals(300, ImageFiles.readLabels(gtDir.resolve("a.png")).get(0, 0), "16-bit PNG read exactly");
        assertEquals(70000, ImageFiles.readLabels(predDir.resolve("b.tiff")).get(0, 0), "float TIFF id");
        List<String> warnings = new ArrayList<>();
        List<FrameResult> res = Evaluator.evaluateFolders(gtDir, predDir, 0, warnings::add);

        assertEquals(List.of("a", "b"), res.stream().map(FrameResult::frame).toList());
        FrameScores a = res.get(0).scores();
        assertCounts(a, 2, 2, 2, 0, 0);
        assertSums(a, 4.0 / 3, 1.0, 4.0 / 3);
        FrameScores b = res.get(1).scores();
        assertCounts(b, 2, 1, 0, 1, 2);
        assertSums(b, 0.0, 8.0 / 9, 8.0 / 9);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("c.tif"), warnings.get(0));
    }

    @Test
    void minSizeIsApplied() throws IOException {
        // The minSize case from EvaluatorTest: with minSize 2, nGt 1, nPred 2, tp 1, fg 3/4.
        ImageFiles.writeLabels(rows("111.2", "111.."), gtDir.resolve("m.tif"));
        ImageFiles.writeLabels(rows("333.4", "333.4"), predDir.resolve("m.tif"));
        FrameScores s = Evaluator.evaluateFolders(gtDir, predDir, 2, w -> { }).get(0).scores();
        assertCounts(s, 1, 2, 1, 1, 0);
        assertSums(s, 1.0, 0.75, 1.0);
    }

    @Test
    void missingPredictionNamesTheGtFile() throws IOException {
        ImageFiles.writeLabels(rows("1"), gtDir.resolve("a.tif"));
        ImageFiles.writeLabels(rows("1"), gtDir.resolve("b.tif"));
        ImageFiles.writeLabels(rows("1"), predDir.resolve("a.tif"));
        IOException e = assertThrows(IOException.class,
                () -> Evaluator.evaluateFolders(gtDir, predDir, 0, w -> { }));
        assertTrue(e.getMessage().contains("b.tif"), e.getMessage());
    }

    @Test
    void sizeMismatchNamesFileAndBothSizes() throws IOException {
        ImageFiles.writeLabels(new LabelPlane(4, 3), gtDir.resolve("a.tif"));
        ImageFiles.writeLabels(new LabelPlane(3, 4), predDir.resolve("a.tif"));
        IOException e = assertThrows(IOException.class,
                () -> Evaluator.evaluateFolders(gtDir, predDir, 0, w -> { }));
        String m = e.getMessage();
        assertTrue(m.contains(predDir.resolve("a.tif").toString()) && m.contains("4x3") && m.contains("3x4"), m);
    }

    @Test
    void stacksAreScoredPlaneByPlane() throws IOException {
        // A time-lapse of two planes: the first predicted exactly, the second empty.
        LabelPlane one = rows("11.22");
        ImageFiles.writeLabels(List.of(one, one), gtDir.resolve("movie.tif"));
        ImageFiles.writeLabels(List.of(one, new LabelPlane(5, 1)), predDir.resolve("movie.tif"));
        List<FrameResult> res = Evaluator.evaluateFolders(gtDir, predDir, 0, w -> { });
        assertEquals(List.of("movie:1", "movie:2"), res.stream().map(FrameResult::frame).toList());
        assertEquals(1.0, res.get(0).scores().f(), 1e-12);
        assertEquals(0.0, res.get(1).scores().f(), 1e-12);
        assertEquals(2, res.get(1).scores().fn());
        // A prediction of another number of planes is not this ground truth's.
        ImageFiles.writeLabels(List.of(one), predDir.resolve("movie.tif"));
        IOException e = assertThrows(IOException.class, () -> Evaluator.evaluateFolders(gtDir, predDir, 0, w -> { }));
        assertTrue(e.getMessage().contains("prediction has 1 planes but ground truth"), e.getMessage());
    }

    @Test
    void emptyGtFolderAndDuplicateStemsAreErrors() throws IOException {
        assertThrows(IOException.class, () -> Evaluator.evaluateFolders(gtDir, predDir, 0, w -> { }));
        assertThrows(IOException.class,
                () -> Evaluator.evaluateFolders(gtDir, tmp.resolve("missing"), 0, w -> { }));
        ImageFiles.writeLabels(rows("1"), gtDir.resolve("a.tif"));
        ImageFiles.writeLabels(rows("1"), predDir.resolve("a.tif"));
        ImageFiles.writeLabels(rows("1"), predDir.resolve("a.tiff"));
        IOException e = assertThrows(IOException.class,
                () -> Evaluator.evaluateFolders(gtDir, predDir, 0, w -> { }));
        assertTrue(e.getMessage().contains("a.tif"), e.getMessage());
    }
}
