package org.segmentcells.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.eval.Evaluator;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.scale.AutoScale;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.synth.TestImages;
import org.segmentcells.progress.Progress;

/**
 * The network's check of an automatic shrink near the training range: it decides between scale 1 and the
 * measured scale by whether both find the same nuclei, says which, and the plane it checked on is not
 * segmented again.
 */
class ModelPlanCheckTest {

    @Test
    void nearTheRangeScaleOneWinsWhenItFindsTheSameNucleiAndThePassIsReused(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("big.tif");
        TestImages.largeNuclei(file, 1.8); // synthetic nuclei 1.8 times their size: near the range's high end
        FloatPlane img = ImageFiles.readPlane(file);
        // default as trained at its frames' own sizes: the models the check is for
        Path own = TestModels.copy(ModelStore.resolve("default"), tmp.resolve("own-sizes"));
        ModelInfo info = ModelFolder.readInfo(own);
        info.trainedAcrossRange = null;
        ModelFolder.writeInfo(own, info);
        try (Model m = Model.load(own)) {
            SegmentSettings auto = SegmentSettings.MODEL.withScale(Scale.AUTO);
            // The measured plan as auto makes it: its minimum size is the model's divided by the factor squared.
            Model.Plan measuredPlan = m.plan(auto, () -> m.measure(List.of(img)));
            AutoScale.Choice measured = measuredPlan.scale();
            assertTrue(AutoScale.checksAtOne(measured, m.info().trainingSize()), "checked: " + measured.describe());

            Model.Plan plan = m.plan(auto, img);
            assertSame(img, plan.checked());
            assertSame(plan.checkedProbabilities(), plan.probabilities(img, Progress.NONE), "no third pass on that plane");
            Segmenter.Probabilities atOne = m.plan(SegmentSettings.MODEL.withScale(Scale.ONE), img).probabilities(img, Progress.NONE);
            Segmenter.Probabilities atMeasured = measuredPlan.probabilities(img, Progress.NONE);
            Model.Plan onePlan = m.plan(SegmentSettings.MODEL.withScale(Scale.ONE), img);
            double agreement = Evaluator.scoreFrame(measuredPlan.instances().label(atMeasured, img),
                    onePlan.instances().label(atOne, img), 0).f();
            boolean oneWins = AutoScale.keepsOne(agreement);
            assertEquals(oneWins ? 1.0 : measured.factor(), plan.segmenter().scale(), 1e-12);
            assertEquals(oneWins, plan.scale().kept());
            assertArrayEquals((oneWins ? atOne : atMeasured).nucleus().data(), plan.checkedProbabilities().nucleus().data(),
                    1e-6f);
            // The check's labels are reused for that plane, and are what labelling its probabilities gives.
            assertSame(plan.checkedLabels(), plan.segment(img), "no second labelling of that plane");
            assertArrayEquals(plan.instances().label(plan.checkedProbabilities(), img).data(), plan.checkedLabels().data());
            // Another plane object (a second image) is segmented normally, at the chosen scale.
            FloatPlane copy = new FloatPlane(img.width(), img.height(), img.data().clone());
            assertArrayEquals(plan.checkedProbabilities().nucleus().data(), plan.probabilities(copy, Progress.NONE).nucleus().data(),
                    1e-6f);
            assertNotSame(plan.checkedLabels(), plan.segment(copy));
            assertArrayEquals(plan.checkedLabels().data(), plan.segment(copy).data());
        }
    }
}
