package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FijiModelsTest {

    @Test
    void aBareOutputNameGoesIntoTheModelsFolderSoSegmentCellsOffersIt() {
        Path models = Path.of("/opt/Fiji.app/models");
        assertEquals(models.resolve("my-scope"), FijiModels.outputFolder("my-scope", models));
        assertEquals(models.resolve("scope_2.v1"), FijiModels.outputFolder("scope_2.v1", models));
        assertEquals(models.resolve("scope v3"), FijiModels.outputFolder("scope v3", models), "a space inside");
        // Paths are used as given.
        assertEquals(Path.of("/data/models/new"), FijiModels.outputFolder("/data/models/new", models));
        assertEquals(Path.of("sub/new").toAbsolutePath(), FijiModels.outputFolder("sub/new", models));
        assertEquals(Path.of("..").toAbsolutePath(), FijiModels.outputFolder("..", models));
        // Without a known ImageJ folder, a name is a folder in the working directory.
        assertEquals(Path.of("my-scope").toAbsolutePath(), FijiModels.outputFolder("my-scope", null));
    }

    /** What Fine-tune Model wrote there by name, Segment Cells and Segment Image Files both find by that name. */
    @Test
    void aNameInTheModelsFolderIsThatFolderElseLeftToTheModelStore(@TempDir Path tmp) throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        Files.createDirectories(models.resolve("my-scope"));
        Files.writeString(models.resolve("my-scope").resolve(org.segmentcells.model.ModelFolder.INFO), "{}");
        Files.createDirectories(models.resolve("no-model"));
        assertEquals(models.resolve("my-scope"), FijiModels.inModels("my-scope", models));
        assertNull(FijiModels.inModels("no-model", models), "a folder without model.json is no model");
        assertNull(FijiModels.inModels("default", models), "the shipped models are ModelStore's");
        assertNull(FijiModels.inModels(models.resolve("my-scope").toString(), models), "a path is used as given");
        assertNull(FijiModels.inModels("my-scope", null), "no ImageJ folder known");
        Files.createDirectories(models.resolve("scope v3"));
        Files.writeString(models.resolve("scope v3").resolve(org.segmentcells.model.ModelFolder.INFO), "{}");
        assertEquals(models.resolve("scope v3"), FijiModels.resolve("scope v3", models));
        // A name that matches nothing lists the models of the models folder too.
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> FijiModels.resolve("my-scop", models));
        assertTrue(e.getMessage().contains("my-scope") && e.getMessage().contains("scope v3")
                && e.getMessage().contains("default"), e.getMessage());
    }

    /** Fine-tune Model refuses a shipped model's name in the models folder: it would stand in for that model. */
    @Test
    void aFineTuneCannotTakeAShippedModelsName(@TempDir Path tmp) throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> org.segmentcells.model.ModelStore.checkNotHidingShipped(FijiModels.outputFolder("default", models),
                        java.util.List.of(models)));
        assertTrue(e.getMessage().contains("'default' is the name of a shipped model"), e.getMessage());
        org.segmentcells.model.ModelStore.checkNotHidingShipped(FijiModels.outputFolder("default-2", models),
                java.util.List.of(models));
        org.segmentcells.model.ModelStore.checkNotHidingShipped(tmp.resolve("elsewhere").resolve("default"),
                java.util.List.of(models));
        // Nor in another case, through a dot path, into a models folder not made yet, or into the working folder.
        for (Path hiding : List.of(models.resolve("Default"), models.resolve("default").resolve("."),
                tmp.resolve("new-models").resolve("bbbc039-2frames"), Path.of("default"))) {
            assertThrows(java.io.IOException.class, () -> org.segmentcells.model.ModelStore.checkNotHidingShipped(hiding,
                    List.of(models, tmp.resolve("new-models"))), hiding.toString());
        }
    }
}
