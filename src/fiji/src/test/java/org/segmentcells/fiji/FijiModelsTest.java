package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class FijiModelsTest {

    @Test
    void aBareOutputNameGoesIntoTheModelsFolderSoSegmentCellsOffersIt() {
        Path models = Path.of("/opt/Fiji.app/models");
        assertEquals(models.resolve("my-scope"), FijiModels.outputFolder("my-scope", models));
        assertEquals(models.resolve("scope_2.v1"), FijiModels.outputFolder("scope_2.v1", models));
        // Paths are used as given.
        assertEquals(Path.of("/data/models/new"), FijiModels.outputFolder("/data/models/new", models));
        assertEquals(Path.of("sub/new").toAbsolutePath(), FijiModels.outputFolder("sub/new", models));
        assertEquals(Path.of("..").toAbsolutePath(), FijiModels.outputFolder("..", models));
        // Without a known ImageJ folder, a name is a folder in the working directory.
        assertEquals(Path.of("my-scope").toAbsolutePath(), FijiModels.outputFolder("my-scope", null));
    }
}
