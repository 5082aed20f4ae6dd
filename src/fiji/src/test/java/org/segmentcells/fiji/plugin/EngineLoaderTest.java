package org.segmentcells.fiji.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineLoaderTest {

    /** ImageJ loads plugin jars from subfolders of plugins/ too: the engine beside plugins/ is found from there. */
    @Test
    void theEngineIsFoundFromAJarInASubfolderOfPlugins(@TempDir Path tmp) throws Exception {
        Path fiji = tmp.resolve("Fiji.app");
        Path engine = Files.createDirectories(fiji.resolve(EngineLoader.FOLDER));
        Path plugins = Files.createDirectories(fiji.resolve("plugins"));
        assertEquals(engine, EngineLoader.folderFor(plugins.resolve("Segment_Cells-1.0.jar")));
        assertEquals(engine, EngineLoader.folderFor(plugins.resolve("Segment Cells").resolve("Segment_Cells-1.0.jar")));
        // Not installed: the usual place, which the error names, not an engine further up.
        Files.createDirectories(tmp.resolve(EngineLoader.FOLDER));
        Path bare = Files.createDirectories(tmp.resolve("other").resolve("plugins").resolve("sub"));
        assertEquals(tmp.resolve("other").resolve(EngineLoader.FOLDER), EngineLoader.folderFor(bare.resolve("S_C.jar")));
    }
}
