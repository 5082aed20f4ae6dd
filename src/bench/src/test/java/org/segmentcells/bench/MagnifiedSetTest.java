package org.segmentcells.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.scale.ObjectSize;

/** The lab-like sets: 13 frames of BBBC039 val.txt, magnified, re-exposed, training and scored wells apart. */
class MagnifiedSetTest {

    @ParameterizedTest
    @ValueSource(strings = {"lab1", "lab2"})
    void framesAreMagnifiedExposedAsTheLabsAndSplitByWell(String name, @TempDir Path tmp) throws Exception {
        Path bbbc = DataSets.find("bbbc039");
        Assumptions.assumeTrue(bbbc != null, "skipped: no bbbc039 under " + DataSets.root().toAbsolutePath());
        MagnifiedSet lab = MagnifiedSet.named(name);
        Path set = lab.write(bbbc, tmp.resolve(name));
        List<String> ids = DataSets.stems(set.resolve("ids_512x640.tsv"));
        assertEquals(13, ids.size());
        // Training wells (first 4) come before every scored well in plate order, none shared.
        assertTrue(ids.get(3).compareTo(ids.get(4)) < 0, ids.toString());
        assertTrue(ids.subList(4, 13).stream().noneMatch(ids.subList(0, 4)::contains));
        String first = ids.get(0);
        LabelPlane original = ImageFiles.readLabels(PaperProtocol.pairs(bbbc, List.of(first)).get(0).labels());
        FloatPlane img = ImageFiles.readPlane(set.resolve("images").resolve(first + ".tif"));
        LabelPlane labels = ImageFiles.readLabels(set.resolve("labels").resolve(first + ".tif"));
        assertEquals(lab.width(), img.width());
        assertEquals(lab.height(), img.height());
        double ratio = ObjectSize.medianDiameter(List.of(labels)) / ObjectSize.medianDiameter(List.of(original));
        assertEquals(lab.zoom(), ratio, 0.5, "nuclei magnified");
        assertTrue(labels.countObjects() >= 10, "a frame holds enough nuclei to score: " + labels.countObjects());
        float max = 0;
        int clipped = 0;
        for (float v : img.data()) {
            max = Math.max(max, v);
            clipped += v >= lab.maxValue() ? 1 : 0;
        }
        assertTrue(max <= lab.maxValue(), name + ": brightest pixel " + max);
        assertTrue(clipped < img.size() / 1000, name + ": " + clipped + " pixels clipped");
        if (name.equals("lab2")) {
            assertTrue(max < 600, "dim: brightest pixel " + max);
        } else {
            assertTrue(max > 128, "8-bit, using its range: brightest pixel " + max);
        }
    }
}
