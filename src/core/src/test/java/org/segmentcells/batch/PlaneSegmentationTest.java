package org.segmentcells.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.model.SegmentSettings;
import org.segmentcells.progress.Progress;
import org.segmentcells.segment.Scale;
import org.segmentcells.segment.Segmenter;

/** The plane loop every front end shares: what its listener hears, and progress tile by tile. */
class PlaneSegmentationTest {

    private static final class Heard implements PlaneSegmentation.Listener {
        final List<String> events = new ArrayList<>();
        final List<Model.Plan> plans = new ArrayList<>();

        @Override
        public void planned(String plane, Model.Plan plan) {
            events.add("planned " + plane);
        }

        @Override
        public void nonFinite(String plane, long count) {
            events.add("nonFinite " + plane + " " + count);
        }

        @Override
        public void segmenting(int k, String plane, FloatPlane image, Model.Plan plan) {
            events.add("segmenting " + k);
        }

        @Override
        public void segmented(int k, String plane, Model.Plan plan, Segmenter.Probabilities p, LabelPlane labels) {
            events.add("segmented " + k + " " + plane + " " + (labels.countObjects() > 10));
            plans.add(plan);
        }
    }

    @Test
    void planesShareOnePlanUnlessAskedAndProgressMovesTileByTile() throws Exception {
        FloatPlane a = ImageFiles.readPlane(Path.of("test-images/images/synth-00.tif"));
        float[] withNaN = a.data().clone();
        withNaN[0] = Float.NaN;
        List<FloatPlane> planes = List.of(a, new FloatPlane(a.width(), a.height(), withNaN));
        // Tiles of 192 px: several per plane, so progress must move inside a plane.
        SegmentSettings s = SegmentSettings.MODEL.withScale(Scale.ONE).withTile(192);
        try (Model m = Model.load(ModelStore.resolve("default"))) {
            Heard shared = new Heard();
            List<Long> fractions = new ArrayList<>();
            List<Model.Plan> plans = PlaneSegmentation.run(m, s, false, 2, planes::get, shared, new Progress() {
                @Override
                public void fraction(long done, long total) {
                    fractions.add(done * 1000 / total);
                }
            });
            assertEquals(List.of("planned null", "segmenting 0", "segmented 0 plane 1/2 true", "nonFinite plane 2/2 1",
                    "segmenting 1", "segmented 1 plane 2/2 true"), shared.events);
            assertSame(plans.get(0), plans.get(1), "one plan for the planes of one acquisition");
            assertEquals(plans, shared.plans);
            assertTrue(fractions.stream().anyMatch(f -> f > 0 && f < 500), "progress inside plane 1: " + fractions);
            assertEquals(1000L, fractions.get(fractions.size() - 1));
            for (int i = 1; i < fractions.size(); i++) {
                assertTrue(fractions.get(i) >= fractions.get(i - 1), "progress never goes back: " + fractions);
            }

            Heard own = new Heard();
            List<Model.Plan> perPlane = PlaneSegmentation.run(m, s, true, 2, planes::get, own, Progress.NONE);
            assertEquals(List.of("planned plane 1/2", "segmenting 0", "segmented 0 plane 1/2 true",
                    "nonFinite plane 2/2 1", "planned plane 2/2", "segmenting 1", "segmented 1 plane 2/2 true"),
                    own.events);
            assertNotEquals(System.identityHashCode(perPlane.get(0)), System.identityHashCode(perPlane.get(1)));

            Heard single = new Heard();
            PlaneSegmentation.run(m, s, true, 1, planes::get, single, Progress.NONE);
            assertEquals(List.of("planned null", "segmenting 0", "segmented 0 null true"), single.events,
                    "one plane is named by its image alone");
        }
    }
}
