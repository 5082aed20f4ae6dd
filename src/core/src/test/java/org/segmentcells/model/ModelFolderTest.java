package org.segmentcells.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.nets.Estimator;
import org.segmentcells.nets.Layers;
import org.segmentcells.nets.Params;
import org.segmentcells.nets.Weights;
import org.segmentcells.tf.TensorFlowRuntime;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class ModelFolderTest {

    static Weights randomE;

    @BeforeAll
    static void weights() {
        TensorFlowRuntime.ensureLoaded();
        try (Graph g = new Graph()) {
            Params p = new Params(g, 1, true);
            Estimator.logits(new Layers(p, false),
                    p.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 1))));
            try (Session s = new Session(g)) {
                s.initialize();
                randomE = p.read(s, Estimator.PREFIX);
            }
        }
    }

    static Path saved(Path dir) throws IOException {
        Path m = dir.resolve("m");
        ModelInfo info = new ModelInfo();
        info.architecture = Estimator.ARCHITECTURE;
        ModelFolder.save(m, info, randomE, null);
        return m;
    }

    @Test
    void saveIsAtomicAndReplacesAnOldModel(@TempDir Path dir) throws Exception {
        Path m = saved(dir);
        // The older model's D is its own and goes; the user's notes and images in the folder stay.
        Files.createDirectories(m.resolve(ModelFolder.DISCRIMINATOR));
        Files.writeString(m.resolve(ModelFolder.DISCRIMINATOR).resolve(ModelFolder.D_WEIGHTS), "an older D");
        Files.writeString(m.resolve("notes.txt"), "trained on plate 3");
        Files.createDirectories(m.resolve("examples"));
        Files.writeString(m.resolve("examples").resolve("a.txt"), "an example");
        Files.writeString(m.resolve(".notes.txt.123-4-567.part"), "a killed writer's temporary");
        ModelInfo info = new ModelInfo();
        info.architecture = Estimator.ARCHITECTURE;
        info.minSize = 77;
        ModelFolder.save(m, info, randomE, null);
        assertFalse(Files.exists(m.resolve(ModelFolder.DISCRIMINATOR)));
        assertEquals("trained on plate 3", Files.readString(m.resolve("notes.txt")));
        assertEquals("an example", Files.readString(m.resolve("examples").resolve("a.txt")));
        assertFalse(Files.exists(m.resolve(".notes.txt.123-4-567.part")), "a temporary is not the user's");
        assertEquals(77, ModelFolder.readInfo(m).minSize);
        // No temporary folders are left beside the model.
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
        try (Model model = Model.load(m)) {
            assertEquals(randomE.size(), model.estimatorWeights().size());
        }
    }

    @Test
    void aModelThatLearnedResizedImagesSaysSo(@TempDir Path dir) throws Exception {
        Path m = saved(dir);
        ModelInfo plain = ModelFolder.readInfo(m);
        plain.objectDiameter = 21;
        plain.objectDiameterRange = new double[] {13.4, 28.7};
        ModelFolder.writeInfo(m, plain);
        assertFalse(Files.readString(m.resolve("model.json")).contains("trainedAcrossRange"), "absent unless true");
        assertFalse(ModelFolder.readInfo(m).trainingSize().learnedResized());
        // Shown across its range.
        plain.trainedAcrossRange = true;
        ModelFolder.writeInfo(m, plain);
        org.segmentcells.scale.TrainingSize size = ModelFolder.readInfo(m).trainingSize();
        assertTrue(size.learnedResized());
        assertEquals(13.4, size.low());
        assertEquals(28.7, size.high());
        // A fine-tune learns its own frames at their own size: it does not inherit the flag.
        assertEquals(null, ModelInfo.fineTunedFrom(ModelFolder.readInfo(m)).trainedAcrossRange);
        // Or trained on crops blurred as much as a resize softens.
        plain.trainedAcrossRange = null;
        plain.training.blur = 0.3;
        ModelFolder.writeInfo(m, plain);
        assertFalse(ModelFolder.readInfo(m).trainingSize().learnedResized(), "softer than a resize: still checked");
        plain.training.blur = 1;
        ModelFolder.writeInfo(m, plain);
        assertTrue(ModelFolder.readInfo(m).trainingSize().learnedResized(), "crops blurred up to 1 px");
        assertFalse(ModelInfo.fineTunedFrom(ModelFolder.readInfo(m)).trainingSize().learnedResized(),
                "its fine-tunes are sharp again unless they say otherwise");
    }

    @Test
    void clearErrorsForBrokenModels(@TempDir Path dir) throws Exception {
        IOException e = assertThrows(IOException.class, () -> Model.load(dir.resolve("nothing")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        Path m = saved(dir);
        Path json = m.resolve("model.json");
        String good = Files.readString(json);

        Files.writeString(json, good.replace("\"format\": 1", "\"format\": 99"));
        e = assertThrows(IOException.class, () -> Model.load(m));
        assertTrue(e.getMessage().contains("format 99 is not supported"), e.getMessage());

        Files.writeString(json, "{ this is not json");
        e = assertThrows(IOException.class, () -> Model.load(m));
        assertTrue(e.getMessage().contains("corrupt model description"), e.getMessage());
        // A file cut off in a copy: where it ends, in one line, without Gson's classes and link.
        Files.writeString(json, good.substring(0, 300));
        e = assertThrows(IOException.class, () -> Model.load(m));
        assertTrue(e.getMessage().matches(".*model\\.json: corrupt model description \\([^\n]* at line \\d+ column \\d+[^\n]*\\)"),
                e.getMessage());
        assertFalse(e.getMessage().contains("com.google") || e.getMessage().contains("http"), e.getMessage());

        // A bad scale in the file is the file's, in plain words: not the user's --scale or scale= key.
        Files.writeString(json, good.replaceFirst("\"scale\": \"?[a-z0-9.]+\"?", "\"scale\": 9"));
        e = assertThrows(IOException.class, () -> Model.load(m));
        assertTrue(e.getMessage().contains("corrupt model description (scale must be auto or a number"), e.getMessage());

        Files.writeString(json, good.replace(Estimator.ARCHITECTURE, "unet-9000"));
        e = assertThrows(IOException.class, () -> Model.load(m));
        assertTrue(e.getMessage().contains("unknown estimator architecture"), e.getMessage());

        Files.writeString(json, good);
        Path pb = m.resolve("estimator/saved_model.pb");
        byte[] bytes = Files.readAllBytes(pb);
        Files.write(pb, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        e = assertThrows(IOException.class, () -> Model.load(m));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());

        byte[] noise = new byte[bytes.length];
        new SplittableRandom(3).nextBytes(noise);
        Files.write(pb, noise);
        e = assertThrows(IOException.class, () -> Model.load(m));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());

        Files.delete(pb);
        e = assertThrows(IOException.class, () -> Model.load(m));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
    }

    /** A hand-edited training size that auto scale could not use is refused by name when the model loads. */
    @Test
    void trainingSizesThatAreNotSizesAreRefused(@TempDir Path dir) throws Exception {
        Path m = saved(dir);
        ModelInfo info = ModelFolder.readInfo(m);
        info.objectDiameter = 21;
        double[][] bad = {{28.7, 13.4}, {0, 28.7}, {22, 28.7}, {13.4, 20}, {13.4}};
        for (double[] range : bad) {
            info.objectDiameterRange = range;
            ModelFolder.writeInfo(m, info);
            IOException e = assertThrows(IOException.class, () -> ModelFolder.readInfo(m), java.util.Arrays.toString(range));
            assertTrue(e.getMessage().contains("invalid objectDiameterRange"), e.getMessage());
        }
        info.objectDiameterRange = new double[] {13.4, 28.7};
        info.objectDiameter = -3;
        ModelFolder.writeInfo(m, info);
        IOException e = assertThrows(IOException.class, () -> ModelFolder.readInfo(m));
        assertTrue(e.getMessage().contains("invalid objectDiameter -3"), e.getMessage());
        info.objectDiameter = 21;
        ModelFolder.writeInfo(m, info);
        assertEquals(21, ModelFolder.readInfo(m).objectDiameter);
    }

    @Test
    void namesResolveToFoldersAndUnknownNamesListTheKnownOnes(@TempDir Path dir) throws Exception {
        Path m = saved(dir);
        assertEquals(m, ModelStore.resolve(m.toString()));
        System.setProperty("segmentcells.models", dir.toString());
        try {
            assertEquals(m, ModelStore.resolve("m"));
            assertTrue(ModelStore.names().contains("m"));
            IOException e = assertThrows(IOException.class, () -> ModelStore.resolve("zzz"));
            assertTrue(e.getMessage().contains("known: ") && e.getMessage().contains("m"), e.getMessage());
        } finally {
            System.clearProperty("segmentcells.models");
        }
        // Known by its folder only (as a label file's Info names it): a shipped model's cached copy by its name.
        Path cached = ModelStore.cacheFolder().resolve("default-83cd811");
        assertEquals("default (" + cached.toAbsolutePath().normalize() + ")", ModelStore.describe(cached));
        assertEquals(m.toAbsolutePath().toString(), ModelStore.describe(m));
        assertEquals(Path.of("models/default").toAbsolutePath().toString(), ModelStore.describe(Path.of("models/./default")));
    }
}
