package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.eval.Evaluator;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.synth.TestImages;

class FineTuneCheckTest {

    /**
     * The held-out strip of an annotated frame keeps the frame as its source, and the start is scored on it
     * at the scale auto chooses for the whole frame (a strip holds too few whole nuclei to measure).
     */
    @Test
    void aHeldOutStripIsScoredAtTheScaleMeasuredOnItsWholeFrame(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("big.tif");
        LabelPlane labels = TestImages.largeNuclei(file, 3);
        FloatPlane img = ImageFiles.readPlane(file);
        Trainer.ValidationFrame whole = new Trainer.ValidationFrame("big", img, labels);
        assertSame(img, whole.source());
        int h = img.height();
        Trainer.ValidationFrame strip = FineTuneStart.rows(whole, FineTuneStart.cut(h), h);
        assertSame(img, strip.source(), "the strip remembers its frame");
        assertEquals(h - FineTuneStart.cut(h), strip.image().height());
        Trainer.ValidationFrame scaled = whole.scaled(0.5);
        assertSame(scaled.image(), scaled.source(), "a resized frame is its own source");
        Trainer.ValidationFrame scaledStrip = strip.scaled(0.5);
        assertEquals(scaled.source().width(), scaledStrip.source().width(), "a resized strip's frame is resized alike");
        assertEquals(scaled.source().height(), scaledStrip.source().height());

        Path folder = ModelStore.resolve("default");
        double expected;
        try (Model m = Model.load(folder)) {
            Model.Plan onWhole = m.plan(SegmentSettings.MODEL, img);
            double onStrip = m.plan(SegmentSettings.MODEL, strip.image()).scale().factor();
            assertNotEquals(onWhole.scale().factor(), onStrip, 1e-6, "the strip alone would be measured otherwise");
            expected = Evaluator.scoreFrame(strip.labels(), onWhole.segment(strip.image()), 0).f();
        }
        assertEquals(expected, FineTuneCheck.scoreStart(folder, List.of(strip)).f(), 1e-9);
        assertEquals(expected, FineTuneCheck.score(folder, List.of(strip)), 1e-9);
    }
}
