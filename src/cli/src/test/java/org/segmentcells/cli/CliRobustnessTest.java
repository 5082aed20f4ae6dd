package org.segmentcells.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;
import org.segmentcells.cli.CliTest.Run;
import org.segmentcells.io.ImageFiles;

/** Issue 6 for the command line: bad inputs and outputs fail early with one line naming the file. */
class CliRobustnessTest {

    /** A 160×128 crop of the demo image: small, so each run takes well under a second. */
    static byte[] small;

    @BeforeAll
    static void smallImage(@TempDir Path tmp) throws Exception {
        ImageProcessor ip = new ImagePlus("test-images/images/demo.tif").getProcessor();
        ip.setRoi(0, 0, 160, 128);
        Path f = tmp.resolve("small.tif");
        assertTrue(new FileSaver(new ImagePlus("small", ip.crop())).saveAsTiff(f.toString()));
        small = Files.readAllBytes(f);
    }

    static Run segment(Path output, String... more) {
        List<String> a = new ArrayList<>(List.of("segment", "--model", "default", "--output", output.toString()));
        a.addAll(List.of(more));
        return CliTest.cli(a.toArray(String[]::new));
    }

    static void assertOneLine(Run r, String... parts) {
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "no '" + p + "' in: " + r.err());
        }
    }

    static List<String> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static Map<String, String> sha256(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String f : files(dir)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            out.put(f, HexFormat.of().formatHex(md.digest(Files.readAllBytes(dir.resolve(f)))));
        }
        return out;
    }

    @Test
    void anOutputThatCannotBeCreatedFailsBeforeTheModelIsLoaded(@TempDir Path tmp) throws Exception {
        Path in = Files.write(tmp.resolve("a.tif"), small);
        Path file = Files.writeString(tmp.resolve("file.txt"), "a file, not a folder");
        // The model does not exist either: the output error comes first, so no work was started.
        Run r = CliTest.cli("segment", "--model", "no-such-model", "--output", file.resolve("out").toString(),
                in.toString());
        assertEquals(1, r.code());
        assertOneLine(r, "out", "cannot create the output folder");
        assertFalse(r.err().contains("java."), "the file system's failure in words, not its class: " + r.err());
        r = segment(file, in.toString());
        assertEquals(1, r.code());
        assertOneLine(r, "file.txt: is a file; --output names a folder for the label images");
        assertEquals("a file, not a folder", Files.readString(file));
    }

    @Test
    void aReadOnlyOutputFolderFailsBeforeAnyWork(@TempDir Path tmp) throws Exception {
        // Root ignores permission bits, so this case only means something for other users.
        assumeFalse("root".equals(System.getProperty("user.name")), "running as root");
        Path in = Files.write(tmp.resolve("a.tif"), small);
        Path out = Files.createDirectory(tmp.resolve("ro"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Run r = CliTest.cli("segment", "--model", "no-such-model", "--output", out.toString(), in.toString());
            assertEquals(1, r.code());
            assertOneLine(r, "ro", "not writable");
        } finally {
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void foldersAreFilteredByExtensionAndACorruptImageFailsTheRunBeforeAnythingIsWritten(@TempDir Path tmp)
            throws Exception {
        Path in = Files.createDirectory(tmp.resolve("in"));
        Files.write(in.resolve("a.tif"), small);
        Files.writeString(in.resolve("notes.txt"), "stray text file");
        Files.writeString(in.resolve("b.tif"), "not really a TIFF");
        Files.write(in.resolve("c.tif"), java.util.Arrays.copyOf(small, small.length / 2));
        Path out = tmp.resolve("out");
        Run r = segment(out, in.toString());
        assertEquals(1, r.code());
        // Every unreadable input is named with its reason, and nothing was written.
        assertTrue(r.err().contains("2 inputs cannot be segmented as given (nothing was segmented)")
                && r.err().contains("b.tif") && r.err().contains("c.tif: truncated TIFF"), r.err());
        assertEquals(List.of(), files(out));
        r = segment(out, in.resolve("c.tif").toString());
        assertOneLine(r, "c.tif", "truncated TIFF");
        // An ImageJ stack cut short: its header describes the first plane only, the rest follow it.
        ImageProcessor one = new ImagePlus(in.resolve("a.tif").toString()).getProcessor();
        ij.ImageStack planes = new ij.ImageStack(one.getWidth(), one.getHeight());
        for (int k = 0; k < 3; k++) {
            planes.addSlice(one.duplicate());
        }
        Path stack = tmp.resolve("stack.tif");
        assertTrue(new FileSaver(new ImagePlus("stack", planes)).saveAsTiffStack(stack.toString()));
        byte[] whole = Files.readAllBytes(stack);
        Files.write(in.resolve("d.tif"), java.util.Arrays.copyOf(whole, whole.length / 2));
        r = segment(out, in.resolve("d.tif").toString());
        assertOneLine(r, "d.tif", "truncated TIFF");
        Files.delete(in.resolve("d.tif"));

        Files.delete(in.resolve("b.tif"));
        Files.delete(in.resolve("c.tif"));
        r = segment(out, in.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("a.tif"), files(out), "notes.txt is not an image and is skipped");
    }

    /** A fine-tune stopped before its check (killed, or cancelled) still segments, with a warning first. */
    @Test
    void aModelItsCheckNeverJudgedIsWarnedAbout(@TempDir Path tmp) throws Exception {
        Path in = Files.write(tmp.resolve("a.tif"), small);
        Path model = org.segmentcells.model.TestModels.copy(org.segmentcells.model.ModelStore.resolve("default"),
                tmp.resolve("stopped"));
        org.segmentcells.model.ModelInfo info = org.segmentcells.model.ModelFolder.readInfo(model);
        info.unchecked = "fine-tuned 50 of 300 steps";
        org.segmentcells.model.ModelFolder.writeInfo(model, info);
        Run r = CliTest.cli("segment", "--model", model.toString(), "--output", tmp.resolve("out").toString(), in.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: " + model + ": fine-tuned 50 of 300 steps and never checked against its"
                + " start (default), so it may do worse than that model"), r.err());
        r = segment(tmp.resolve("out2"), in.toString());
        assertFalse(r.err().contains("never checked"), r.err());
    }

    @Test
    void inputsAreNeverModified(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectory(tmp.resolve("in"));
        Files.write(in.resolve("a.tif"), small);
        Files.copy(Path.of("test-images/images/synth-00.tif"), in.resolve("b.tif"));
        Files.writeString(in.resolve("notes.txt"), "stray");
        Map<String, String> before = sha256(in);
        Run r = segment(tmp.resolve("out"), "--probabilities", in.toString());
        assertEquals(0, r.code(), r.err());
        // Even when the output folder is the input folder, with --overwrite.
        r = segment(in, "--overwrite", in.resolve("a.tif").toString());
        assertEquals(1, r.code(), "a.tif would be replaced by its own labels");
        assertOneLine(r, "a.tif", "is an input image");
        assertEquals(before, sha256(in));
    }

    /**
     * An interrupted batch goes on where it stopped: a re-run keeps the label files an earlier run wrote whole
     * (untouched) and segments the rest; a label image of another size in an output's place is refused.
     */
    @Test
    void aReRunKeepsWhatAnEarlierRunWroteAndSegmentsTheRest(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.write(in.resolve("a.tif"), small);
        Path out = tmp.resolve("out");
        assertEquals(0, segment(out, in.toString()).code());
        byte[] first = Files.readAllBytes(out.resolve("a.tif"));
        long when = Files.getLastModifiedTime(out.resolve("a.tif")).toMillis();
        Files.copy(Path.of("test-images/images/synth-01.tif"), in.resolve("b.tif"));
        Thread.sleep(20);
        Run r = segment(out, in.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[1/2] a.tif: kept from an earlier run"), r.out());
        assertTrue(r.out().matches("(?s).*\\[2/2\\] b\\.tif: \\d+ nuclei.*"), r.out());
        assertTrue(r.out().contains("segmented 1 image (1 kept from an earlier run)"), r.out());
        assertArrayEquals(first, Files.readAllBytes(out.resolve("a.tif")));
        assertEquals(when, Files.getLastModifiedTime(out.resolve("a.tif")).toMillis(), "not rewritten");
        assertTrue(ImageFiles.readLabels(out.resolve("b.tif")).countObjects() > 0);

        // b's labels in a's place: they record b as their image, so they are not a's result.
        Files.copy(out.resolve("b.tif"), out.resolve("a.tif"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] other = Files.readAllBytes(out.resolve("a.tif"));
        r = segment(out, in.toString());
        assertEquals(1, r.code());
        assertOneLine(r, "a.tif: already exists and holds the labels of another image, " + in.resolve("b.tif")
                + " (use --overwrite to replace them)");
        assertArrayEquals(other, Files.readAllBytes(out.resolve("a.tif")));

        // A raw image of a's name and size (another channel's, say): 16-bit and of the size, but not numbered
        // as labels are, so it is not taken for a's result.
        Files.write(out.resolve("a.tif"), small);
        r = segment(out, in.toString());
        assertEquals(1, r.code());
        assertOneLine(r, "a.tif", "already exists and is not a label image of a.tif", "--overwrite");
        assertArrayEquals(small, Files.readAllBytes(out.resolve("a.tif")));
    }

    /**
     * A PNG whose pixel data is damaged passes the header check and fails when read: the run stops there and says
     * that the images before it are done and how to go on.
     */
    @Test
    void aDamagedImageMidwaySaysHowToGoOn(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        ImagePlus imp = new ImagePlus("test-images/images/synth-01.tif");
        assertTrue(new FileSaver(imp).saveAsPng(in.resolve("a.png").toString()));
        assertTrue(new FileSaver(imp).saveAsPng(in.resolve("b.png").toString()));
        byte[] png = Files.readAllBytes(in.resolve("b.png"));
        for (int i = png.length / 2; i < png.length / 2 + 200; i++) {
            png[i] ^= (byte) 0x5a; // inside the compressed pixel data, past the header
        }
        Files.write(in.resolve("b.png"), png);
        Run r = segment(tmp.resolve("out"), in.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("[1/2] a.png: "), r.out());
        assertOneLine(r, "b.png", "; 1 image before it is done, and the same command run again keeps it and goes on"
                + " (move this one away first)");
        assertTrue(Files.exists(tmp.resolve("out/a.tif")));
    }

    /**
     * Label images this tool wrote, among the inputs, are results, not images: left out with a note. So a run
     * into its own input folder goes on where it stopped, and a folder holding only results is refused.
     */
    @Test
    void resultsAmongTheInputsAreLeftOutSoARunIntoItsOwnFolderGoesOn(@TempDir Path tmp) throws Exception {
        Path plate = Files.createDirectories(tmp.resolve("plate"));
        assertTrue(new FileSaver(new ImagePlus("test-images/images/synth-01.tif")).saveAsPng(plate.resolve("a.png").toString()));
        Run first = segment(plate, plate.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(Files.exists(plate.resolve("a.tif")));
        Run again = segment(plate, plate.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("[1/1] a.png: kept from an earlier run"), again.out());
        assertTrue(again.err().contains("note: left out 1 result Segment Cells wrote, not images to segment: "
                + plate.resolve("a.tif") + " (of " + plate.resolve("a.png").toAbsolutePath()), again.err());
        Path results = Files.createDirectories(tmp.resolve("results"));
        Files.copy(plate.resolve("a.tif"), results.resolve("a.tif"));
        Run only = segment(tmp.resolve("out"), results.toString());
        assertEquals(1, only.code(), only.out());
        assertOneLine(only, "no images to segment: every input is a result Segment Cells wrote (" + results.resolve("a.tif")
                + " (of " + plate.resolve("a.png").toAbsolutePath() + "))");
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    /**
     * A re-run with another model, or a setting given otherwise, does not keep labels the earlier run made: it
     * would report the new model's results and hand back the old. It stops before any work, naming each
     * difference; the same command, or one that changes only tiles, keeps them; --overwrite redoes them.
     */
    @Test
    void aReRunWithOtherSettingsDoesNotKeepTheEarlierLabels(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.write(in.resolve("a.tif"), small);
        Path out = tmp.resolve("out");
        assertEquals(0, segment(out, in.toString()).code());
        byte[] first = Files.readAllBytes(out.resolve("a.tif"));

        Run other = segment(out, "--model", "bbbc039-2frames", in.toString());
        assertEquals(1, other.code(), other.out());
        assertOneLine(other, out.resolve("a.tif") + ": holds labels an earlier run made with other settings (--model ",
                "default", " in the earlier run, ", "bbbc039-2frames", " in this one); use --overwrite to segment it again,"
                + " or another --output");
        Run scale = segment(out, "--scale", "0.5", "--min-size", "200", in.toString());
        assertEquals(1, scale.code(), scale.out());
        assertOneLine(scale, "--scale 1.00 (auto, nuclei ", " in the earlier run, 0.5 (given) in this one; --min-size ");
        assertArrayEquals(first, Files.readAllBytes(out.resolve("a.tif")));

        // The model's own seed threshold given (0.6, a float in the Info), and another tile: the same labels.
        Run same = segment(out, "--tile", "512", "--seed-threshold", "0.6", in.toString());
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("a.tif: kept from an earlier run"), same.out());
        Run redo = segment(out, "--model", "bbbc039-2frames", "--overwrite", in.toString());
        assertEquals(0, redo.code(), redo.err());
        assertTrue(ImageFiles.infoOf(out.resolve("a.tif")).contains("bbbc039-2frames"),
                ImageFiles.infoOf(out.resolve("a.tif")));
    }

    /**
     * Two plates whose wells share names and sizes, run into one folder: plate 2's A01.tif does not take plate 1's
     * labels for its own (they record the image they came from), whether segmented whole or in bands; plate 1
     * moved elsewhere keeps them.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anotherPlatesLabelsOfTheSameNameAreNotKept(boolean streaming, @TempDir Path tmp) throws Exception {
        Path plate1 = Files.write(Files.createDirectories(tmp.resolve("plate1")).resolve("A01.tif"), small);
        ImagePlus flipped = new ImagePlus(plate1.toString());
        flipped.getProcessor().flipVertical();
        Path plate2 = Files.createDirectories(tmp.resolve("plate2")).resolve("A01.tif");
        assertTrue(new FileSaver(flipped).saveAsTiff(plate2.toString()));
        assertEquals(Files.size(plate1), Files.size(plate2), "the same size");
        Path out = tmp.resolve("out");
        String[] mode = streaming ? new String[] {"--streaming"} : new String[0];
        List<String> args = new ArrayList<>(List.of(mode));
        args.add(plate1.getParent().toString());
        assertEquals(0, segment(out, args.toArray(String[]::new)).code());
        byte[] first = Files.readAllBytes(out.resolve("A01.tif"));

        args.set(args.size() - 1, plate2.getParent().toString());
        Run r = segment(out, args.toArray(String[]::new));
        assertEquals(1, r.code(), r.out());
        assertOneLine(r, "A01.tif: already exists and holds the labels of another image, " + plate1.toAbsolutePath(),
                "own --output folder", "--overwrite");
        assertArrayEquals(first, Files.readAllBytes(out.resolve("A01.tif")));

        // Plate 1's image changed since (saved again, edited): its labels are of the image as it was.
        if (!streaming) {
            byte[] original = Files.readAllBytes(plate1);
            byte[] edited = original.clone();
            edited[edited.length - 1]++;
            Files.write(plate1, edited);
            args.set(args.size() - 1, plate1.getParent().toString());
            r = segment(out, args.toArray(String[]::new));
            assertEquals(1, r.code(), r.out());
            assertOneLine(r, "A01.tif: already exists and holds the labels of A01.tif as it was before its file changed"
                    + " (use --overwrite to segment it again)");
            Files.write(plate1, original);
        }

        Path moved = Files.createDirectories(tmp.resolve("moved"));
        Files.move(plate1, moved.resolve("A01.tif"));
        args.set(args.size() - 1, moved.toString());
        r = segment(out, args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[1/1] A01.tif: kept from an earlier run"), r.out());
        assertArrayEquals(first, Files.readAllBytes(out.resolve("A01.tif")));
    }

    /** A folder's subfolders are not searched, and the run says so, naming them, rather than skip them silently. */
    @Test
    void subfoldersOfAnInputFolderAreNamed(@TempDir Path tmp) throws Exception {
        Path plate = Files.createDirectories(tmp.resolve("plate"));
        Files.write(plate.resolve("a.tif"), small);
        Files.write(Files.createDirectories(plate.resolve("A01")).resolve("b.tif"), small);
        Files.write(Files.createDirectories(plate.resolve("A02")).resolve("c.tif"), small);
        Files.createDirectories(plate.resolve("notes"));
        // Neither the output folder inside it nor a folder without images is pointed at.
        Run r = segment(plate.resolve("labels"), plate.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("note: " + plate + ": 2 subfolders not searched (A01, A02); give a subfolder as an"
                + " input to segment its images"), r.err());
        assertEquals(List.of("a.tif"), files(plate.resolve("labels")));
        r = segment(plate.resolve("labels"), plate.toString());
        assertTrue(r.err().contains("2 subfolders not searched (A01, A02);"), "not the labels written: " + r.err());
        Files.write(Files.createDirectories(tmp.resolve("wells/B01")).resolve("d.tif"), small);
        Run only = segment(tmp.resolve("out2"), tmp.resolve("wells").toString());
        assertEquals(1, only.code());
        assertOneLine(only, "no images found in", "1 subfolder not searched (B01)");
    }

    /** Every output in the way is named in one run, so they need not be found one run at a time. */
    @Test
    void everyExistingOutputInTheWayIsNamedAtOnce(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.write(in.resolve("a.tif"), small);
        Files.write(in.resolve("b.tif"), small);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("a.tif"), "mine");
        Files.writeString(out.resolve("b.tif"), "mine too");
        Run r = segment(out, in.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("2 inputs cannot be segmented as given") && r.err().contains("a.tif: already exists")
                && r.err().contains("b.tif: already exists"), r.err());
        assertEquals("mine", Files.readString(out.resolve("a.tif")));
    }

    @Test
    void existingOutputsAreKeptUnlessOverwriteIsGiven(@TempDir Path tmp) throws Exception {
        Path in = Files.write(tmp.resolve("a.tif"), small);
        Path out = tmp.resolve("out");
        assertEquals(0, segment(out, in.toString()).code());
        Files.writeString(out.resolve("a.tif"), "an older result");
        Run r = segment(out, in.toString());
        assertEquals(1, r.code());
        assertOneLine(r, "a.tif", "already exists", "--overwrite");
        assertEquals("an older result", Files.readString(out.resolve("a.tif")));
        r = segment(out, "--overwrite", in.toString());
        assertEquals(0, r.code(), r.err());
        ImageFiles.readLabels(out.resolve("a.tif"));
        assertEquals(List.of("a.tif"), files(out), "no temporary files left");

        // The probabilities beside the labels are outputs too.
        Files.delete(out.resolve("a.tif"));
        Files.writeString(out.resolve("a-probabilities.tif"), "an older result");
        r = segment(out, "--probabilities", in.toString());
        assertEquals(1, r.code());
        assertOneLine(r, "a-probabilities.tif", "already exists, without a.tif beside it", "--overwrite");
        assertEquals("an older result", Files.readString(out.resolve("a-probabilities.tif")));
        assertEquals(List.of("a-probabilities.tif"), files(out));

        // A run stopped between an image's probabilities (written first) and its labels: the same command segments
        // it again.
        Files.delete(out.resolve("a-probabilities.tif"));
        assertEquals(0, segment(out, "--probabilities", in.toString()).code());
        Files.delete(out.resolve("a.tif"));
        r = segment(out, "--probabilities", in.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("a-probabilities.tif", "a.tif"), files(out));
        assertEquals(3, ImageFiles.checkInput(out.resolve("a-probabilities.tif"), null, 1).channels());
        // Labels without their probabilities (a run that did not ask for them) are not replaced unasked.
        Files.delete(out.resolve("a-probabilities.tif"));
        byte[] labels = Files.readAllBytes(out.resolve("a.tif"));
        r = segment(out, "--probabilities", in.toString());
        assertEquals(1, r.code());
        assertOneLine(r, "a.tif", "already exists, without a-probabilities.tif beside it", "--overwrite");
        assertArrayEquals(labels, Files.readAllBytes(out.resolve("a.tif")));
        Files.delete(out.resolve("a.tif"));
        Files.writeString(out.resolve("a-probabilities.tif"), "an older result");

        // A folder where an output would go is refused before any work, even with --overwrite.
        Files.createDirectory(out.resolve("a.tif"));
        r = segment(out, "--overwrite", in.toString());
        assertEquals(1, r.code());
        assertOneLine(r, "a.tif: is a folder, where the output file would go; move or rename it");
        assertEquals(List.of("a-probabilities.tif", "a.tif"), files(out));
    }

    @Test
    void trainOverwriteReplacesOnlyAModelFolderThatTheRunDoesNotRead(@TempDir Path tmp) throws Exception {
        Path start = tmp.resolve("mine");
        try (var files = Files.walk(Path.of("models/bbbc039-2frames"))) {
            for (Path f : files.toList()) {
                Files.copy(f, start.resolve(Path.of("models/bbbc039-2frames").relativize(f).toString()));
            }
        }
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path images = Files.createDirectories(data.resolve("images"));
        Path labels = Files.createDirectories(data.resolve("labels"));
        Files.copy(Path.of("test-images/images/synth-00.tif"), images.resolve("a.tif"));
        Files.copy(Path.of("test-images/labels/synth-00.tif"), labels.resolve("a.tif"));
        // A model folder, but one holding the images: the refusal is for what it holds.
        Files.copy(start.resolve("model.json"), data.resolve("model.json"));
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("plan.txt"), "mine");
        String startJson = Files.readString(start.resolve("model.json"));
        Map<String, String> weightsBefore = sha256(start.resolve("estimator").resolve("variables"));
        // The start itself, a folder of other things, and a folder holding the images.
        for (Path output : List.of(start, notes, data)) {
            Run r = CliTest.cli("train", "--init", start.toString(), "--images", images.toString(), "--labels",
                    labels.toString(), "--steps", "1", "--output", output.toString(), "--overwrite");
            assertEquals(1, r.code(), r.err());
            assertOneLine(r, output.toString(), "choose another --output");
            assertTrue(r.err().contains(output.equals(notes) ? "not a model folder" : "which this run reads"), r.err());
        }
        // --resume into a model folder with no checkpoint would start over and replace it: refused.
        Path mine = Files.createDirectories(tmp.resolve("kept"));
        Files.copy(start.resolve("model.json"), mine.resolve("model.json"));
        Run noCheckpoint = CliTest.cli("train", "--init", start.toString(), "--images", images.toString(), "--labels",
                labels.toString(), "--steps", "1", "--output", mine.toString(), "--resume");
        assertEquals(1, noCheckpoint.code(), noCheckpoint.err());
        assertOneLine(noCheckpoint, mine + ": already exists, and there is no checkpoint to resume", "--overwrite");
        assertEquals(startJson, Files.readString(mine.resolve("model.json")));
        // --resume saves over its output too.
        Run resumed = CliTest.cli("train", "--init", start.toString(), "--images", images.toString(), "--labels",
                labels.toString(), "--steps", "1", "--output", start.toString(), "--resume");
        assertEquals(1, resumed.code(), resumed.err());
        assertOneLine(resumed, "which this run reads");
        assertEquals(startJson, Files.readString(start.resolve("model.json")));
        assertEquals(weightsBefore, sha256(start.resolve("estimator").resolve("variables")));
        assertEquals("mine", Files.readString(notes.resolve("plan.txt")));
        assertEquals(List.of("a.tif"), files(images));
    }

    @Test
    void twoInputsOfOneNameAreRefusedBeforeAnyWork(@TempDir Path tmp) throws Exception {
        Path plate1 = Files.createDirectories(tmp.resolve("plate1"));
        Path plate2 = Files.createDirectories(tmp.resolve("plate2"));
        Files.write(plate1.resolve("A01.tif"), small);
        Files.copy(Path.of("test-images/images/synth-00.tif"), plate2.resolve("A01.tif"));
        Files.write(plate2.resolve("A02.tif"), small);
        Files.copy(plate2.resolve("A02.tif"), plate2.resolve("A02.png")); // read by content, named by stem
        for (Path second : List.of(plate2.resolve("A01.tif"), plate2.resolve("A02.png"))) {
            Path first = second.getFileName().toString().startsWith("A01") ? plate1.resolve("A01.tif") : plate2.resolve("A02.tif");
            Run r = segment(tmp.resolve("out"), first.toString(), second.toString());
            assertEquals(1, r.code(), r.err());
            assertOneLine(r, "would both be written to", "rename one of them");
            assertEquals(List.of(), files(tmp.resolve("out")), "nothing written");
        }
        // Names that differ only in case: one file on macOS and Windows, so refused everywhere.
        Files.write(plate1.resolve("a02.tif"), small);
        Run cased = segment(tmp.resolve("out"), plate1.resolve("a02.tif").toString(), plate2.resolve("A02.tif").toString());
        assertEquals(1, cased.code(), cased.err());
        assertOneLine(cased, plate2.resolve("A02.tif") + " and " + plate1.resolve("a02.tif") + " would both be written to "
                + tmp.resolve("out").resolve("A02.tif") + " and a02.tif, names that differ only in case (one file on"
                + " macOS and Windows); rename one of them");
        assertEquals(List.of(), files(tmp.resolve("out")), "nothing written");
        // With --probabilities, A02.tif's maps would replace the labels of an input called A02-probabilities.tif.
        Files.copy(plate2.resolve("A02.tif"), plate2.resolve("A02-probabilities.tif"));
        Run r = segment(tmp.resolve("out"), "--probabilities", plate2.resolve("A02.tif").toString(),
                plate2.resolve("A02-probabilities.tif").toString());
        assertEquals(1, r.code(), r.err());
        assertOneLine(r, "would both be written to " + tmp.resolve("out").resolve("A02-probabilities.tif") + "; rename one"
                + " of them");
        assertEquals(List.of(), files(tmp.resolve("out")), "nothing written");
        // Labels written beside PNG inputs are results, not inputs, for the next run over that folder: with
        // --overwrite it segments A02.png again into their place.
        Path pngs = Files.createDirectories(tmp.resolve("pngs"));
        Files.copy(plate2.resolve("A02.png"), pngs.resolve("A02.png"));
        assertEquals(0, segment(pngs, pngs.toString()).code());
        r = segment(pngs, "--overwrite", pngs.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("left out 1 result Segment Cells wrote, not images to segment: " + pngs.resolve("A02.tif")),
                r.err());
        assertTrue(r.out().contains("[1/1] A02.png: "), r.out());
        // One file given twice is named as such.
        r = segment(tmp.resolve("out"), plate2.resolve("A02.tif").toString(), plate2.resolve("A02.tif").toString());
        assertEquals(1, r.code(), r.err());
        assertOneLine(r, "A02.tif: given twice");
    }

    @Test
    void trainReportsBothSizesWhenAnImageAndItsLabelsDiffer(@TempDir Path tmp) throws Exception {
        Path images = Files.createDirectory(tmp.resolve("images"));
        Path labels = Files.createDirectory(tmp.resolve("labels"));
        ImageFiles.write16(100, 80, new int[100 * 80], images.resolve("f.tif"));
        ImageFiles.write16(90, 80, new int[90 * 80], labels.resolve("f.tif"));
        Run r = CliTest.cli("train", "--images", images.toString(), "--labels", labels.toString(), "--steps", "1",
                "--output", tmp.resolve("m").toString());
        assertEquals(1, r.code());
        assertOneLine(r, "f.tif", "90x80", "100x80");
        assertFalse(Files.exists(tmp.resolve("m")));
    }

    @Test
    void nonFinitePixelsAreWarnedAboutAndTreatedAsBackground(@TempDir Path tmp) throws Exception {
        FloatProcessor fp = new ImagePlus("test-images/images/demo.tif").getProcessor().convertToFloatProcessor();
        fp.setf(0, Float.NaN);
        fp.setf(1, Float.POSITIVE_INFINITY);
        fp.setf(2, Float.NEGATIVE_INFINITY);
        Path in = tmp.resolve("nan.tif");
        assertTrue(new FileSaver(new ImagePlus("nan", fp)).saveAsTiff(in.toString()));
        Run r = segment(tmp.resolve("out"), in.toString());
        assertEquals(0, r.code(), r.err());
        assertOneLine(r, "warning", "nan.tif", "3 NaN or infinite pixels");
        assertTrue(ImageFiles.readLabels(tmp.resolve("out/nan.tif")).maxLabel() > 10);
    }

    @Test
    void constantImagesGiveEmptyLabelImages(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectory(tmp.resolve("in"));
        int[] grey = new int[200 * 150];
        java.util.Arrays.fill(grey, 1234);
        ImageFiles.write16(200, 150, grey, in.resolve("grey.tif"));
        ImageFiles.write16(200, 150, new int[200 * 150], in.resolve("black.tif"));
        Run r = segment(tmp.resolve("out"), in.toString());
        assertEquals(0, r.code(), r.err());
        // Auto scale (the default's) finds nothing to measure: empty labels and a note per image, no error.
        for (String name : new String[] {"black.tif", "grey.tif"}) {
            assertTrue(r.err().contains(name + ": no nuclei found to measure, so the labels are empty"), r.err());
        }
        assertEquals(2, r.err().lines().count(), r.err());
        assertEquals(0, ImageFiles.readLabels(tmp.resolve("out/grey.tif")).maxLabel());
        assertEquals(0, ImageFiles.readLabels(tmp.resolve("out/black.tif")).maxLabel());
    }

    /**
     * A value out of range is a command-line mistake (exit 2, naming the flag) found before any work; a run
     * that fails before writing leaves no empty output folder it made; every unusable input is named at once.
     */
    @Test
    void badValuesAreUsageErrorsAndAFailedRunLeavesNoFolderItMade(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectory(tmp.resolve("in"));
        Files.write(in.resolve("a.tif"), small);
        String[][] bad = {{"--min-size", "-5"}, {"--seed-threshold", "1.5"}, {"--tile", "0"}};
        for (String[] b : bad) {
            Path out = tmp.resolve("out" + b[0]);
            Run r = segment(out, b[0], b[1], in.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith("segment-cells segment: " + b[0] + " must be at least"), r.err());
            assertFalse(Files.exists(out), "no folder for " + b[0]);
        }
        // A tile too small for any model names the minimum default's estimator needs, as the check against the
        // model does for one just under it.
        for (String tile : new String[] {"0", "100"}) {
            Run r = segment(tmp.resolve("out-tile"), "--tile", tile, in.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--tile must be at least 160 for the unet estimator"), r.err());
        }
        // Given empty, --output would quietly mean the current folder.
        Run r = CliTest.cli("segment", "--model", "default", "--output", " ", in.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("segment-cells segment: --output needs a value, got ''"), r.err());
        Path out = tmp.resolve("out");
        r = CliTest.cli("segment", "--model", "no-such-model", "--output", out.toString(), in.toString());
        assertEquals(1, r.code(), r.err());
        assertFalse(Files.exists(out), "an unknown model leaves no folder");
        Path existing = Files.createDirectory(tmp.resolve("existing"));
        r = CliTest.cli("segment", "--model", "no-such-model", "--output", existing.toString(), in.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(Files.isDirectory(existing), "a folder the user had stays");

        Files.writeString(in.resolve("b-corrupt.tif"), "not an image");
        assertTrue(new FileSaver(new ImagePlus("c", new ColorProcessor(40, 30))).saveAsTiff(in.resolve("c-colour.tif")
                .toString()));
        r = segment(out, in.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("2 inputs cannot be segmented as given") && r.err().contains("b-corrupt.tif")
                && r.err().contains("c-colour.tif"), r.err());
        assertFalse(Files.exists(out));

        r = CliTest.cli("train", "--images", in.toString(), "--scribbles", in.toString(), "--output",
                tmp.resolve("m").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--scribbles fine-tune a model: give --init"), r.err());
        r = CliTest.cli("train", "--images", in.toString(), "--labels", in.toString(), "--mode", "foo", "--output",
                tmp.resolve("m").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--mode: unknown mode 'foo'"), r.err());
        r = CliTest.cli("evaluate", "--ground-truth", in.toString(), "--predictions", in.toString(), "--overwrite");
        assertEquals(2, r.code(), r.err());
        r = CliTest.cli("evaluate", "--ground-truth", in.toString(), "--predictions", in.toString(), "--min-size", "-1");
        assertEquals(2, r.code(), r.err());
    }

    @Test
    void aFileOfSeveralChannelsOrColourAmongTheInputsFailsTheRunBeforeAnythingIsWritten(@TempDir Path tmp)
            throws Exception {
        Path in = Files.createDirectory(tmp.resolve("in"));
        Files.write(in.resolve("a.tif"), small);
        // Sorted after a.tif, so a run that checked only on reading would write a.tif's labels first.
        ImagePlus channels = ij.IJ.createImage("s", "16-bit black", 64, 64, 2);
        channels.setDimensions(2, 1, 1);
        assertTrue(new FileSaver(channels).saveAsTiffStack(in.resolve("b-channels.tif").toString()));
        Path out = tmp.resolve("out");
        Run r = segment(out, in.toString());
        assertEquals(1, r.code());
        assertOneLine(r, "b-channels.tif", "has 2 channels", "nothing was segmented");
        assertEquals(List.of(), files(out));
        Files.delete(in.resolve("b-channels.tif"));
        for (String name : new String[] {"c-colour.tif", "c-colour.png"}) {
            Path c = in.resolve(name);
            ImagePlus rgb = new ImagePlus("c", new ColorProcessor(40, 30));
            assertTrue(name.endsWith(".png") ? new FileSaver(rgb).saveAsPng(c.toString())
                    : new FileSaver(rgb).saveAsTiff(c.toString()));
            r = segment(out, in.toString());
            assertEquals(1, r.code(), name);
            assertOneLine(r, name, "colour image", "nothing was segmented");
            assertEquals(List.of(), files(out));
            Files.delete(c);
        }
        // A gray PNG passes the check (one band), and with a channel so does the colour file.
        ImagePlus grayPng = new ImagePlus("g", new ij.process.ByteProcessor(40, 30));
        assertTrue(new FileSaver(grayPng).saveAsPng(in.resolve("d-gray.png").toString()));
        assertTrue(new FileSaver(new ImagePlus("c", new ColorProcessor(40, 30))).saveAsTiff(in.resolve("e.tif").toString()));
        r = segment(out, "--channel", "luminance", in.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("a.tif", "d-gray.tif", "e.tif"), files(out));
    }

    @Test
    void channelReadsOnePlaneOfAnRgbImage(@TempDir Path tmp) throws Exception {
        ImageProcessor gray = new ImagePlus("test-images/images/demo.tif").getProcessor().convertToByte(true);
        ColorProcessor rgb = new ColorProcessor(gray.getWidth(), gray.getHeight());
        java.util.SplittableRandom noise = new java.util.SplittableRandom(1);
        for (int i = 0; i < gray.getPixelCount(); i++) {
            rgb.set(i, (gray.get(i) << 16) | (noise.nextInt(256) << 8)); // nuclei in red, noise in green
        }
        Path in = Files.createDirectory(tmp.resolve("in"));
        assertTrue(new FileSaver(new ImagePlus("c", rgb)).saveAsTiff(in.resolve("colour.tif").toString()));
        assertTrue(new FileSaver(new ImagePlus("g", gray)).saveAsTiff(tmp.resolve("gray.tif").toString()));
        Run r = segment(tmp.resolve("out"), "--channel", "red", in.toString());
        assertEquals(0, r.code(), r.err());
        r = segment(tmp.resolve("gray-out"), tmp.resolve("gray.tif").toString());
        assertEquals(0, r.code(), r.err());
        int[] fromRed = ImageFiles.readLabels(tmp.resolve("out/colour.tif")).data();
        assertTrue(java.util.Arrays.stream(fromRed).max().orElse(0) > 10);
        assertArrayEquals(ImageFiles.readLabels(tmp.resolve("gray-out/gray.tif")).data(), fromRed);
        r = segment(tmp.resolve("out2"), "--channel", "magenta", in.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--channel must be luminance, red, green or blue, got 'magenta'"), r.err());
    }

    @Test
    void rgbInputGetsAClearError(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("colour.tif");
        assertTrue(new FileSaver(new ImagePlus("c", new ColorProcessor(64, 64))).saveAsTiff(in.toString()));
        Run r = segment(tmp.resolve("out"), in.toString());
        assertEquals(1, r.code());
        assertOneLine(r, "colour.tif", "colour image", "grayscale");
        assertEquals(List.of(), files(tmp.resolve("out")));
    }
}
