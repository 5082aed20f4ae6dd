package org.segmentcells.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.model.Model;
import org.segmentcells.model.ModelStore;
import org.segmentcells.progress.Progress;
import org.segmentcells.segment.Segmenter;

class DiscriminatorScoreTest {

    private static FloatPlane crop(FloatPlane p, int x0, int y0, int w, int h) {
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(p.data(), (y0 + y) * p.width() + x0, out, y * w, w);
        }
        return new FloatPlane(w, h, out);
    }

    @Test
    void everyWholeTileIsScoredOnItsOwn() throws Exception {
        Path folder = ModelStore.resolve("bbbc039-2frames");
        FloatPlane img = ImageFiles.readPlane(Path.of("test-images/images/demo.tif"));
        try (Model m = Model.load(folder); DiscriminatorScore d = DiscriminatorScore.load(folder)) {
            assertEquals(64, d.patch(), "the crop size it was trained on (model.json)");
            FloatPlane norm = m.normalization().apply(img);
            Segmenter.Probabilities p = new Segmenter(m, m.normalization(), Segmenter.DEFAULT_TILE)
                    .probabilitiesOfNormalised(norm, Progress.NONE);
            List<DiscriminatorScore.Tile> tiles = d.tiles(norm, p);
            assertEquals((img.width() / 64) * (img.height() / 64), tiles.size());
            for (DiscriminatorScore.Tile t : tiles) {
                assertTrue(t.manual() > 0 && t.manual() < 1, "a probability: " + t.manual());
            }
            // Running averages, not batch statistics: a tile scores the same alone as among its row.
            DiscriminatorScore.Tile second = tiles.get(1);
            List<DiscriminatorScore.Tile> alone = d.tiles(crop(norm, second.x(), second.y(), 64, 64),
                    new Segmenter.Probabilities(crop(p.background(), second.x(), second.y(), 64, 64),
                            crop(p.nucleus(), second.x(), second.y(), 64, 64), crop(p.contour(), second.x(), second.y(), 64, 64)));
            assertEquals(1, alone.size());
            assertEquals(second.manual(), alone.get(0).manual(), 1e-5);
            assertTrue(d.tiles(crop(norm, 0, 0, 63, 200), p).isEmpty(), "narrower than a tile: nothing to score");
        }
    }

    @Test
    void aDiscriminatorThatDoesNotFitIsRefusedByName(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path src = ModelStore.resolve("bbbc039-2frames");
        Path misfit = tmp.resolve("misfit");
        try (var files = java.nio.file.Files.walk(src)) {
            for (Path f : files.toList()) {
                java.nio.file.Files.copy(f, misfit.resolve(src.relativize(f).toString()));
            }
        }
        org.segmentcells.model.ModelInfo info = org.segmentcells.model.ModelFolder.readInfo(misfit);
        info.training.patch = 32; // dense layers sized for 64-px crops
        org.segmentcells.model.ModelFolder.writeInfo(misfit, info);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiscriminatorScore.load(misfit));
        assertTrue(e.getMessage().startsWith(misfit + ": its discriminator does not fit ribcage-v1 at 32 px crops"),
                e.getMessage());
    }

    @Test
    void aModelWithoutDiscriminatorIsRefusedByName(@org.junit.jupiter.api.io.TempDir Path folder) throws Exception {
        // model.json is all that is read before the refusal.
        org.segmentcells.model.ModelInfo info = org.segmentcells.model.ModelFolder.readInfo(ModelStore.resolve("default"));
        info.discriminator = null;
        org.segmentcells.model.ModelFolder.writeInfo(folder, info);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiscriminatorScore.load(folder));
        assertTrue(e.getMessage().contains(folder.toString()) && e.getMessage().contains("no discriminator"),
                e.getMessage());
    }
}
