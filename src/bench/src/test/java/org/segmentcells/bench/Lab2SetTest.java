package org.segmentcells.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.scale.ObjectSize;

/** The lab-2-like set: 13 frames of BBBC039 val.txt, magnified, dimmed, training and scored wells apart. */
class Lab2SetTest {

    @Test
    void framesAreMagnifiedDimAndSplitByWell(@TempDir Path tmp) throws Exception {
        Path bbbc = DataSets.find("bbbc039");
        Assumptions.assumeTrue(bbbc != null, "skipped: no bbbc039 under " + DataSets.root().toAbsolutePath());
        Path set = Lab2Set.write(bbbc, tmp.resolve("lab2"));
        List<String> ids = DataSets.stems(set.resolve("ids_512x640.tsv"));
        assertEquals(13, ids.size());
        // Training wells (first 4) come before every scored well in plate order, none shared.
        assertTrue(ids.get(3).compareTo(ids.get(4)) < 0, ids.toString());
        assertTrue(ids.subList(4, 13).stream().noneMatch(ids.subList(0, 4)::contains));
        String first = ids.get(0);
        LabelPlane original = ImageFiles.readLabels(PaperProtocol.pairs(bbbc, List.of(first)).get(0).labels());
        FloatPlane img = ImageFiles.readPlane(set.resolve("images").resolve(first + ".tif"));
        LabelPlane labels = ImageFiles.readLabels(set.resolve("labels").resolve(first + ".tif"));
        assertEquals(640, img.width());
        assertEquals(512, img.height());
        double ratio = ObjectSize.medianDiameter(List.of(labels)) / ObjectSize.medianDiameter(List.of(original));
        assertEquals(Lab2Set.ZOOM, ratio, 0.5, "nuclei magnified");
        float max = 0;
        for (float v : img.data()) {
            max = Math.max(max, v);
        }
        assertTrue(max < 600, "dim: brightest pixel " + max);
    }
}
