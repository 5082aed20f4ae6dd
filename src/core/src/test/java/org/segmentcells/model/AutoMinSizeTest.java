package org.segmentcells.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.scale.AutoScale;
import org.segmentcells.scale.TrainingSize;
import org.segmentcells.segment.Scale;
import org.segmentcells.synth.TestImages;

/** With an automatic scale the model's minimum size follows the nuclei: the factor, and nuclei under its median. */
class AutoMinSizeTest {

    private static final TrainingSize DEFAULT = new TrainingSize(24.5, 13.4, 28.7, true);

    private static AutoScale.Choice auto(double factor, double diameter) {
        return new AutoScale.Choice(factor, AutoScale.Source.AUTO, diameter, null);
    }

    @Test
    void theMinimumSizeShrinksWithNucleiSmallerThanTheTrainingMedianAndFollowsTheFactor() {
        // Half the median at scale 1 (a halved BBBC039 frame kept inside the range): a quarter of 30 px.
        assertEquals(8, Model.autoMinSize(30, auto(1, 12.25), DEFAULT));
        // The same nuclei reaching the network at the median: only the factor counts.
        assertEquals(30, Model.autoMinSize(30, auto(1, 24.5), DEFAULT));
        assertEquals(120, Model.autoMinSize(30, auto(0.5, 49), DEFAULT), "nuclei twice the size, halved");
        // Larger nuclei at the network never raise it (at scale 1: those kept above the median).
        assertEquals(30, Model.autoMinSize(30, auto(1, 28), DEFAULT));
        // Tiny nuclei enlarged to the range's low end: the factor, then the low end against the median.
        assertEquals((int) Math.round(30 * Math.pow(13.4 / 24.5, 2) / 4), Model.autoMinSize(30, auto(2, 6.7), DEFAULT));
        // Nothing measured, or no training size: the factor alone.
        assertEquals(30, Model.autoMinSize(30, auto(1, Double.NaN), DEFAULT));
        assertEquals(30, Model.autoMinSize(30, auto(1, 12.25), TrainingSize.UNKNOWN));
    }

    @Test
    void autoOnSmallNucleiInsideTheRangeLowersTheMinimumSizeAndAGivenOneWins(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("small.tif");
        TestImages.largeNuclei(file, 0.65); // synthetic nuclei about 16 px across: inside default's range
        FloatPlane img = ImageFiles.readPlane(file);
        try (Model m = Model.load(ModelStore.resolve("default"))) {
            Model.Plan plan = m.plan(SegmentSettings.MODEL.withScale(Scale.AUTO), img);
            AutoScale.Choice c = plan.scale();
            double atNetwork = c.diameter() * c.factor();
            assertTrue(atNetwork < m.info().trainingSize().median(), c.describe());
            assertEquals(Model.autoMinSize(m.info().minSize, c, m.info().trainingSize()), plan.instances().minSize());
            assertTrue(plan.instances().minSize() < m.info().minSize * 0.6 / (c.factor() * c.factor()),
                    plan.instances().minSize() + " px at " + c.describe());
            assertEquals(30, m.plan(SegmentSettings.MODEL.withScale(Scale.AUTO).withMinSize(30), img).instances().minSize());
            assertEquals(m.info().minSize, m.plan(SegmentSettings.MODEL.withScale(Scale.ONE), img).instances().minSize(),
                    "a given scale keeps the model's");
        }
    }
}
