package org.segmentcells.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.train.Mode;

/**
 * A starting model whose discriminator cannot be continued (missing, unreadable, or not fitting its
 * architecture) still starts a fine-tune (cross-entropy, the default, needs none), and says why in one
 * message naming the folder.
 */
class DiscriminatorStartTest {

    private static Path copy(Path tmp, String name) throws Exception {
        return TestModels.copy(ModelStore.resolve("bbbc039-2frames"), tmp.resolve(name));
    }

    /** The start loads (E is there to fine-tune) and says, once, why its D cannot be continued. */
    private static String fallback(Model.Start start) {
        assertNotNull(start.estimator());
        assertNull(start.discriminator());
        assertFalse(Mode.ADVERSARIAL.fits(start));
        assertNotNull(start.discriminatorProblem());
        return start.discriminatorProblem();
    }

    @Test
    void aFittingDiscriminatorIsContinued() throws Exception {
        Model.Start s = Model.readStart(ModelStore.resolve("bbbc039-2frames"));
        assertNotNull(s.discriminator());
        assertNull(s.discriminatorProblem());
        assertTrue(Mode.ADVERSARIAL.fits(s));
    }

    @Test
    void missingCorruptOrMisfitDiscriminatorsFallBackToCrossEntropyNamingTheFolder(@TempDir Path tmp) throws Exception {
        Path missing = copy(tmp, "missing");
        Files.delete(missing.resolve(ModelFolder.DISCRIMINATOR).resolve(ModelFolder.D_WEIGHTS));
        String m = fallback(Model.readStart(missing));
        assertTrue(m.startsWith(missing + ": model.json names discriminator ribcage-v1, but its weights are missing"), m);

        Path corrupt = copy(tmp, "corrupt");
        Files.writeString(corrupt.resolve(ModelFolder.DISCRIMINATOR).resolve(ModelFolder.D_WEIGHTS), "not weights");
        m = fallback(Model.readStart(corrupt));
        assertTrue(m.startsWith(corrupt + ": model.json names discriminator ribcage-v1, but its weights cannot be read"), m);

        // Dense layers sized for 64-px crops cannot judge 32-px ones.
        Path misfit = copy(tmp, "misfit");
        ModelInfo info = ModelFolder.readInfo(misfit);
        info.training.patch = 32;
        ModelFolder.writeInfo(misfit, info);
        Model.Start s = Model.readStart(misfit);
        m = fallback(s);
        assertTrue(m.startsWith(misfit + ": model.json names discriminator ribcage-v1, but weight D_"), m);
        assertTrue(m.contains("has shape"), m);
        assertNotNull(s.estimator(), "E is still there to fine-tune");

        // Scribbles need a fitting D for the adversarial mode; the refusal says why.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Mode.ADVERSARIAL.checkScribbles(s, "misfit"));
        assertTrue(e.getMessage().contains(misfit + ": model.json names discriminator ribcage-v1"), e.getMessage());
    }
}
