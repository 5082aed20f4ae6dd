package org.segmentcells.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.segmentcells.annotate.ScribbleSimulator;
import org.segmentcells.annotate.Scribbles;
import org.segmentcells.annotate.Targets;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.scale.ObjectSize;

class OutlinedNucleiTest {

    private static final Path IMAGE = Path.of("test-images/images/synth-00.tif");
    private static final Path LABELS = Path.of("test-images/labels/synth-00.tif");

    /** The frame's nuclei with ids in {@code outlined} drawn as outlines (nucleus with a contour rim), all else unannotated. */
    static TrainingFrame outlines(FloatPlane img, LabelPlane truth, java.util.Set<Integer> outlined) {
        byte[] all = Targets.fromLabels(truth, 2);
        byte[] classes = new byte[all.length];
        float[] weight = new float[all.length];
        for (int i = 0; i < all.length; i++) {
            if (outlined.contains(truth.data()[i])) {
                classes[i] = all[i];
                weight[i] = 1;
            }
        }
        return new TrainingFrame("outlines", img, classes, weight);
    }

    /** Ids of the nuclei that do not touch the frame's edge. */
    static List<Integer> inner(LabelPlane truth) {
        java.util.Set<Integer> edge = new java.util.HashSet<>();
        java.util.Set<Integer> all = new java.util.TreeSet<>();
        int w = truth.width();
        int h = truth.height();
        for (int i = 0; i < truth.data().length; i++) {
            int id = truth.data()[i];
            if (id > 0) {
                all.add(id);
                int x = i % w;
                int y = i / w;
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
                    edge.add(id);
                }
            }
        }
        all.removeAll(edge);
        return new ArrayList<>(all);
    }

    @Test
    void wholeOutlinesStateTheirNucleiSize() throws Exception {
        FloatPlane img = ImageFiles.readPlane(IMAGE);
        LabelPlane truth = ImageFiles.readLabels(LABELS);
        List<Integer> ids = inner(truth).subList(0, 8);
        ObjectSize.Estimate e = OutlinedNuclei.of(List.of(outlines(img, truth, new java.util.HashSet<>(ids))));
        assertEquals(8, e.objects());
        int[] area = new int[truth.maxLabel() + 1];
        for (int v : truth.data()) {
            area[v]++;
        }
        List<Double> d = new ArrayList<>();
        for (int id : ids) {
            d.add(ObjectSize.diameterOfArea(area[id]));
        }
        assertEquals(ObjectSize.median(d), e.diameter(), 1e-9, "the outlined nuclei's own areas");
    }

    @Test
    void strokesEdgesAndTooFewOutlinesStateNothing() throws Exception {
        FloatPlane img = ImageFiles.readPlane(IMAGE);
        LabelPlane truth = ImageFiles.readLabels(LABELS);
        Scribbles.Target t = Scribbles.toTarget(ScribbleSimulator.simulate(truth, 20, 1));
        TrainingFrame strokes = new TrainingFrame("strokes", img, t.classes(), t.weight());
        assertTrue(OutlinedNuclei.diameters(strokes).isEmpty(), "strokes are no outlines");

        List<Integer> inner = inner(truth);
        List<Integer> cut = new ArrayList<>();
        for (int id = 1; id <= truth.maxLabel(); id++) {
            if (!inner.contains(id)) {
                cut.add(id);
            }
        }
        assertFalse(cut.isEmpty());
        assertTrue(OutlinedNuclei.diameters(outlines(img, truth, new java.util.HashSet<>(cut))).isEmpty(),
                "outlines cut by the frame's edge");

        TrainingFrame two = outlines(img, truth, new java.util.HashSet<>(inner.subList(0, OutlinedNuclei.MIN - 1)));
        assertEquals(OutlinedNuclei.MIN - 1, OutlinedNuclei.diameters(two).size());
        assertFalse(OutlinedNuclei.of(List.of(two)).found(), "fewer than " + OutlinedNuclei.MIN);
    }
}
