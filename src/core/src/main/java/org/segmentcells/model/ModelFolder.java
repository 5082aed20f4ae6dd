package org.segmentcells.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Instant;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import org.segmentcells.io.AtomicFiles;
import org.segmentcells.nets.Architecture;
import org.segmentcells.nets.Estimator;
import org.segmentcells.nets.Layers;
import org.segmentcells.nets.Params;
import org.segmentcells.nets.Weights;
import org.segmentcells.tf.TensorFlowRuntime;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A model on disk:
 * <pre>
 *   model.json                    metadata ({@link ModelInfo})
 *   estimator/                    inference-only SavedModel of E (input "image", output "probabilities")
 *   discriminator/weights.bin     D's weights, for adversarial fine-tuning (absent for a model trained from scratch by cross-entropy; a cross-entropy fine-tune keeps its start's)
 * </pre>
 * Saving builds the whole folder under a temporary name beside the target and renames it into place,
 * so a crash never leaves a half-written model under the final name. Replacing a model replaces these
 * three; anything else the user keeps in the folder (notes, example images) is carried over.
 */
public final class ModelFolder {

    public static final String INFO = "model.json";
    public static final String ESTIMATOR = "estimator";
    public static final String DISCRIMINATOR = "discriminator";
    public static final String D_WEIGHTS = "weights.bin";
    public static final String SIGNATURE_INPUT = "image";
    public static final String SIGNATURE_OUTPUT = "probabilities";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private ModelFolder() {
    }

    private static final java.util.Map<String, String> FINGERPRINTS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A short digest of what a model folder segments with: {@code model.json} and the estimator's files. Label files
     * record it, so a re-run tells its model from another by content, wherever either lies (a name or a folder, a
     * mount, a link) and whatever either is called (a model re-trained into the same folder is another). Computed
     * once per folder and version of its {@code model.json}; null where the folder cannot be read.
     */
    public static String fingerprint(Path folder) {
        Path info = folder.resolve(INFO);
        try {
            String key = folder.toAbsolutePath().normalize() + "|" + Files.getLastModifiedTime(info).toMillis() + "|"
                    + Files.size(info);
            return FINGERPRINTS.computeIfAbsent(key, k -> digest(folder));
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    private static String digest(Path folder) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            List<Path> files = new java.util.ArrayList<>(List.of(folder.resolve(INFO)));
            try (var walk = Files.walk(folder.resolve(ESTIMATOR))) {
                walk.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
            for (Path f : files) {
                md.update(folder.relativize(f).toString().replace('\\', '/').getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(f));
            }
            return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a model folder atomically.
     *
     * @param estimator E's weights (including batch-norm running averages)
     * @param discriminator D's weights, or null
     */
    public static void save(Path target, ModelInfo info, Weights estimator, Weights discriminator) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createDirectory(AtomicFiles.tempSibling(abs));
        try {
            Architecture architecture = Architecture.ofId(info.architecture);
            if (architecture == null) {
                throw new IllegalArgumentException("unknown estimator architecture '" + info.architecture + "'");
            }
            exportEstimator(architecture, estimator, tmp.resolve(ESTIMATOR));
            if (discriminator != null) {
                discriminator.write(tmp.resolve(DISCRIMINATOR).resolve(D_WEIGHTS));
            }
            info.created = Instant.now().toString();
            info.toolVersion = Version.get();
            Files.writeString(tmp.resolve(INFO), GSON.toJson(info));
            // The user's own files (notes, example images) are carried over from the replaced folder, moved once the
            // new model is in place: nothing is copied, and a kill mid-save never takes them with a temporary.
            AtomicFiles.replaceFolderKeeping(tmp, abs, name -> !OWN.contains(name) && !AtomicFiles.isTemporary(name));
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
    }

    /** The entries of a model folder that a save writes; others belong to the user. */
    private static final java.util.Set<String> OWN = java.util.Set.of(INFO, ESTIMATOR, DISCRIMINATOR);

    /**
     * Refuses, before any training, to replace {@code target} when it is not a model folder (a file, or a
     * folder of other things without model.json), or when it is or holds a folder or file the run reads
     * (the starting model, the images or annotations): replacing it would delete them, and a fine-tune's
     * check reads its start again after the result is written.
     *
     * @param read the run's own inputs (null entries and missing paths are skipped)
     */
    public static void checkReplaceable(Path target, java.util.List<Path> read) throws IOException {
        if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // A link is replaced itself (what it points to stays): only a read path inside the link's own place counts.
        boolean link = Files.isSymbolicLink(target);
        if (!link && !Files.isDirectory(target)) {
            throw new IOException(target + ": is a file, not a model folder; choose another " + org.segmentcells.setting.Setting.OUTPUT.mention());
        }
        boolean empty = link;
        if (!link) {
            try (var entries = Files.list(target)) {
                empty = entries.findAny().isEmpty();
            }
        }
        if (!empty && !Files.isRegularFile(target.resolve(INFO))) {
            throw new IOException(target + ": is not a model folder (no " + INFO + "), so it is not replaced; choose another "
                    + org.segmentcells.setting.Setting.OUTPUT.mention());
        }
        Path real = link ? target.toAbsolutePath().getParent().toRealPath().resolve(target.getFileName()) : target.toRealPath();
        for (Path p : read) {
            if (p != null && Files.exists(p) && p.toRealPath().startsWith(real)) {
                throw new IOException(target + ": holds " + p + ", which this run reads; replacing it would delete it,"
                        + " so choose another " + org.segmentcells.setting.Setting.OUTPUT.mention());
            }
        }
    }

    /** Builds E in inference mode in a fresh graph, sets its weights and exports a SavedModel. */
    static void exportEstimator(Architecture architecture, Weights estimator, Path dir) throws IOException {
        TensorFlowRuntime.ensureLoaded();
        try (Graph g = new Graph()) {
            Params params = new Params(g, 0, false);
            Ops tf = params.tf();
            Placeholder<TFloat32> in = tf.withName(SIGNATURE_INPUT)
                    .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
            Operand<TFloat32> probs = tf.withName(SIGNATURE_OUTPUT)
                    .nn.softmax(architecture.logits(new Layers(params, false), in));
            try (Session s = new Session(g, TensorFlowRuntime.sessionConfig())) {
                int set = params.assign(s, estimator);
                int needed = params.names(Estimator.PREFIX).size();
                if (set != needed) {
                    throw new IOException("estimator weights incomplete: " + set + " of " + needed + " variables");
                }
                SavedModelBundle.exporter(dir.toString()).withSession(s)
                        .withSignature(Signature.builder().key(Signature.DEFAULT_KEY)
                                .input(SIGNATURE_INPUT, in).output(SIGNATURE_OUTPUT, probs).build())
                        .export();
            }
        }
    }

    /** Reads and checks model.json. */
    public static ModelInfo readInfo(Path folder) throws IOException {
        Path file = folder.resolve(INFO);
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": model folder does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(folder + ": not a Segment Cells model (no " + INFO + ")");
        }
        ModelInfo info;
        try {
            info = GSON.fromJson(Files.readString(file), ModelInfo.class);
        } catch (JsonParseException | java.nio.charset.MalformedInputException e) {
            throw corrupt(file, e);
        } catch (RuntimeException e) {
            // Gson lets some malformed numbers through as a bare NumberFormatException, without the file.
            throw corrupt(file, e);
        }
        if (info == null) {
            throw new IOException(file + ": empty model description");
        }
        if (info.format > ModelInfo.FORMAT || info.format < 1) {
            throw new IOException(file + ": model format " + info.format + " is not supported by this version"
                    + " (it reads format " + ModelInfo.FORMAT + "); update Segment Cells");
        }
        if (Architecture.ofId(info.architecture) == null) {
            throw new IOException(file + ": unknown estimator architecture '" + info.architecture + "'");
        }
        if (!(info.normLow >= 0 && info.normLow < info.normHigh && info.normHigh <= 100)) {
            throw new IOException(file + ": invalid normalisation percentiles " + info.normLow + ", " + info.normHigh);
        }
        // Checked here so a bad value names the file instead of failing later, mid-run.
        if (!(info.seedThreshold >= 0 && info.seedThreshold < 1)) {
            throw new IOException(file + ": invalid seedThreshold " + info.seedThreshold + " (must be in [0, 1))");
        }
        if (info.scale == null) {
            throw new IOException(file + ": invalid scale null (must be auto or a number)");
        }
        if (!(info.objectDiameter >= 0 && Double.isFinite(info.objectDiameter))) {
            throw new IOException(file + ": invalid objectDiameter " + info.objectDiameter + " (a size in px, or 0)");
        }
        double[] r = info.objectDiameterRange;
        if (r != null && !(r.length == 2 && r[0] > 0 && r[0] <= info.objectDiameter && r[1] >= info.objectDiameter
                && Double.isFinite(r[1]))) {
            throw new IOException(file + ": invalid objectDiameterRange " + java.util.Arrays.toString(r)
                    + " (two sizes in px around objectDiameter)");
        }
        if (info.minSize < 0 || info.contourWidth < 1) {
            throw new IOException(file + ": invalid minSize " + info.minSize + " or contourWidth " + info.contourWidth);
        }
        // Descriptive fields written as null (hand-edited files) fall back to their defaults.
        ModelInfo defaults = new ModelInfo();
        if (info.classes == null) {
            info.classes = defaults.classes;
        }
        if (info.training == null) {
            info.training = defaults.training;
        }
        if (info.validation == null) {
            info.validation = defaults.validation;
        }
        return info;
    }

    /** Reads D's weights, or null if the model has none. */
    public static Weights readDiscriminator(Path folder) throws IOException {
        Path file = folder.resolve(DISCRIMINATOR).resolve(D_WEIGHTS);
        return Files.exists(file) ? Weights.read(file) : null;
    }

    /** Rewrites a model folder's model.json atomically (the weights stay). */
    public static void writeInfo(Path folder, ModelInfo info) throws IOException {
        AtomicFiles.writeString(folder.resolve(INFO), GSON.toJson(info));
    }

    /** Writes a pretty-printed JSON of any object atomically (used for training state). */
    public static void writeJson(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, GSON.toJson(value));
    }

    public static <T> T readJson(Path file, Class<T> type) throws IOException {
        try {
            return GSON.fromJson(Files.readString(file), type);
        } catch (JsonParseException e) {
            throw new IOException(file + ": corrupt JSON (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A model.json that does not parse, in one line: Gson's innermost message (where and what) without its
     * exception classes and troubleshooting link, and in plain words, since the file's field is meant
     * ("scale must be..."), not the user's --scale or scale=.
     */
    private static IOException corrupt(Path file, Exception e) {
        Throwable inner = e;
        while (inner.getCause() != null && inner.getCause().getMessage() != null) {
            inner = inner.getCause();
        }
        String what = inner.getMessage() != null ? inner.getMessage().lines().findFirst().orElse("")
                : inner.getClass().getSimpleName();
        return new IOException(file + ": corrupt model description ("
                + org.segmentcells.setting.Setting.spell(what, org.segmentcells.setting.Setting.PLAIN) + ")", e);
    }
}
