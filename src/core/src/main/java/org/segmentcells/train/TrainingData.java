package org.segmentcells.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.segmentcells.annotate.Scribbles;
import org.segmentcells.annotate.Targets;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.io.ImageFiles;
import org.segmentcells.segment.Normalization;

/** Loads annotated frames from an images folder and a labels folder, paired by file stem. */
public final class TrainingData {

    /** An image file and its label file. */
    public record Pair(String stem, Path image, Path labels) {
    }

    private TrainingData() {
    }

    /**
     * Pairs images with labels. With a list file, its lines (stems; blank lines and # comments ignored)
     * choose and order the frames; otherwise all images in sorted order. {@code frames} > 0 keeps the
     * first that many.
     */
    public static List<Pair> pairs(Path images, Path labels, Path list, int frames) throws IOException {
        if (Files.isDirectory(images) && Files.isDirectory(labels) && Files.isSameFile(images, labels)) {
            // Each image would be its own "labels": its intensities taken for thousands of nuclei.
            throw new IOException(labels + ": the images folder itself; the annotations go in a folder of their own,"
                    + " one file per image with the image's name");
        }
        // Only the stems used must be unambiguous: a.tif beside a.png elsewhere in the folder is no concern.
        Map<String, List<Path>> imageFiles = ImageFiles.allImagesByStem(images, "images");
        Map<String, List<Path>> labelFiles = ImageFiles.allImagesByStem(labels, "labels");
        List<String> stems = new ArrayList<>();
        if (list != null) {
            if (!Files.isRegularFile(list)) {
                throw new IOException(list + ": list file does not exist");
            }
            stems.addAll(readList(list));
        } else {
            stems.addAll(imageFiles.keySet());
        }
        if (frames > 0 && frames < stems.size()) {
            stems.subList(frames, stems.size()).clear();
        }
        List<Pair> out = new ArrayList<>();
        for (String stem : stems) {
            out.add(new Pair(stem, named(imageFiles, images, stem, "image", "images"),
                    named(labelFiles, labels, stem, "label image", "labels")));
        }
        if (out.isEmpty()) {
            throw new IOException(images + ": no images found");
        }
        return out;
    }

    private static Path named(Map<String, List<Path>> byStem, Path dir, String stem, String what, String folder)
            throws IOException {
        List<Path> p = byStem.get(stem);
        if (p == null) {
            throw new IOException(dir + ": no " + what + " named " + stem + ".*");
        }
        return ImageFiles.oneOf(p, folder);
    }

    /**
     * The stems a list file names: non-blank lines that are not # comments, first tab-separated
     * column (so .tsv lists such as ids_512x640.tsv work too).
     */
    public static List<String> readList(Path listFile) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(listFile)) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                out.add(s.split("\t")[0]);
            }
        }
        return out;
    }

    /** The file in {@code dir} whose stem is {@code stem} (never one of two: {@link ImageFiles#oneOf}). */
    public static Path find(Path dir, String stem, String what) throws IOException {
        return named(ImageFiles.allImagesByStem(dir, what + "s"), dir, stem, what, what + "s");
    }

    /** Reads a pair's labels, checking that their size matches the image. */
    public static LabelPlane readLabelsFor(Pair p, FloatPlane image) throws IOException {
        LabelPlane l = ImageFiles.readLabels(p.labels());
        if (l.width() != image.width() || l.height() != image.height()) {
            throw new IOException(p.labels() + ": label image is " + l.width() + "x" + l.height()
                    + " but its image " + p.image().getFileName() + " is " + image.width() + "x" + image.height());
        }
        return l;
    }

    /** {@link #readLabelsFor}, for instance labels: a mask given as labels is refused. */
    public static LabelPlane readInstanceLabelsFor(Pair p, FloatPlane image) throws IOException {
        LabelPlane l = readLabelsFor(p, image);
        requireOneLabelPerNucleus(l, p.labels());
        return l;
    }

    /**
     * Refuses a mask or class annotations given as instance labels ({@link org.segmentcells.eval.LabelKind}): a
     * few giant "nuclei" would be trained and calibrated on, and none found after.
     */
    static void requireOneLabelPerNucleus(LabelPlane l, Path file) throws IOException {
        String why = org.segmentcells.eval.LabelKind.maskOrClasses(l);
        if (why != null && why.endsWith(org.segmentcells.eval.LabelKind.MASK)) {
            throw new IOException(file + ": " + why + ". Give each nucleus its own number, background 0 (in Fiji,"
                    + " Analyze Particles with Show: Count Masks makes one)");
        }
        if (why != null) {
            throw new IOException(file + ": " + why + ". Give each nucleus its own number, background 0; scribbles"
                    + " are given as scribbles, not as labels");
        }
    }

    /** Loads training frames: normalised images and 3-class targets. */
    public static List<TrainingFrame> trainingFrames(List<Pair> pairs, Normalization norm, int contourWidth)
            throws IOException {
        return trainingFrames(pairs, norm, contourWidth, 1);
    }

    /** As {@link #trainingFrames(List, Normalization, int)}, resized by {@code scale} (see {@link #labelFrame}). */
    public static List<TrainingFrame> trainingFrames(List<Pair> pairs, Normalization norm, int contourWidth,
            double scale) throws IOException {
        List<TrainingFrame> out = new ArrayList<>();
        for (Pair p : pairs) {
            FloatPlane img = ImageFiles.readPlane(p.image());
            ImageFiles.Rgb rgb = ImageFiles.readRgbOrNull(p.labels());
            if (rgb == null) {
                out.add(labelFrame(p.stem(), img, readInstanceLabelsFor(p, img), norm, contourWidth, scale));
            } else {
                out.add(TrainingFrame.full(p.stem(), norm.apply(img), rgbTargets(p, img, rgb)).scaled(scale, norm));
            }
        }
        return out;
    }

    /**
     * The 3-class targets of an RGB annotation in the paper's encoding (red background, green nucleus, blue
     * contour), used as drawn; {@code rgb} is {@code p}'s annotation file as read, so it is read once.
     */
    private static byte[] rgbTargets(Pair p, FloatPlane image, ImageFiles.Rgb rgb) throws IOException {
        if (rgb.width() != image.width() || rgb.height() != image.height()) {
            throw new IOException(p.labels() + ": RGB annotation is " + rgb.width() + "x" + rgb.height()
                    + " but its image " + p.image().getFileName() + " is " + image.width() + "x" + image.height());
        }
        try {
            return Targets.fromRgb(rgb.pixels(), image.width(), image.height());
        } catch (IllegalArgumentException e) {
            // Colour-coded instance labels (one colour per nucleus, as some tools show them) land here too.
            throw new IOException(p.labels() + ": " + e.getMessage() + " (an RGB annotation is the paper's 3 classes;"
                    + " for instance labels give a 16-bit image, each nucleus its own number, background 0)", e);
        }
    }

    /**
     * Loads scribble frames: normalised images, and classes and weights from scribble images (see
     * {@link Scribbles}), paired as by {@link #pairs} with the scribble folder in place of the labels.
     *
     * @throws IOException when a scribble image differs in size from its image, has values other than
     *     0..3, or marks no pixel at all
     */
    /** The pairs' images as read, for measuring their nuclei; a read error comes unchecked (a Supplier's). */
    public static List<FloatPlane> images(List<Pair> pairs) {
        List<FloatPlane> out = new ArrayList<>();
        for (Pair p : pairs) {
            try {
                out.add(ImageFiles.readPlane(p.image()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out;
    }

    public static List<TrainingFrame> scribbleFrames(List<Pair> pairs, Normalization norm) throws IOException {
        return scribbleFrames(pairs, norm, 1);
    }

    /** As {@link #scribbleFrames(List, Normalization)}, resized by {@code scale} ({@link TrainingFrame#scaled}). */
    public static List<TrainingFrame> scribbleFrames(List<Pair> pairs, Normalization norm, double scale)
            throws IOException {
        List<TrainingFrame> out = new ArrayList<>();
        for (Pair p : pairs) {
            FloatPlane img = ImageFiles.readPlane(p.image());
            LabelPlane scribbles = readLabelsFor(p, img);
            try {
                out.add(scribbleFrame(p.stem(), img, scribbles, norm).scaled(scale, norm));
            } catch (IllegalArgumentException e) {
                throw new IOException(p.labels() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * One scribble frame from an image and its scribbles (0 unlabelled, 1 background, 2 nucleus,
     * 3 contour) of the same size, wherever they came from (files, or ROIs in Fiji).
     *
     * @throws IllegalArgumentException for values other than 0..3 or when no pixel is marked
     */
    public static TrainingFrame scribbleFrame(String name, FloatPlane image, LabelPlane scribbles, Normalization norm) {
        requireSameSize(image, scribbles);
        Scribbles.Target t;
        try {
            t = Scribbles.toTarget(scribbles);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a scribble image: " + e.getMessage(), e);
        }
        if (t.labelled() == 0) {
            throw new IllegalArgumentException("scribble image marks no pixel");
        }
        return new TrainingFrame(name, norm.apply(image), t.classes(), t.weight());
    }

    /** One fully annotated frame from an image and its instance label image of the same size. */
    public static TrainingFrame labelFrame(String name, FloatPlane image, LabelPlane labels, Normalization norm,
            int contourWidth) {
        return labelFrame(name, image, labels, norm, contourWidth, 1);
    }

    /**
     * The same at a scale, as the segmenter sees the image at that scale ({@link TrainingFrame#networkInput});
     * the labels are resized before contours are drawn, so contours keep their width.
     */
    public static TrainingFrame labelFrame(String name, FloatPlane image, LabelPlane labels, Normalization norm,
            int contourWidth, double scale) {
        requireSameSize(image, labels);
        FloatPlane n = norm.apply(image);
        LabelPlane l = labels;
        if (scale != 1) {
            int w = Resample.scaledSize(image.width(), scale);
            int h = Resample.scaledSize(image.height(), scale);
            n = TrainingFrame.networkInput(n, norm, scale);
            l = Resample.nearest(labels, w, h);
        }
        return TrainingFrame.full(name, n, Targets.fromLabels(l, contourWidth));
    }

    /** Objects under this many pixels count as small for {@link #weightSmallObjects}. */
    public static final int SMALL_OBJECT_AREA = 200;

    /**
     * The frame with the cross-entropy weight of every object under {@link #SMALL_OBJECT_AREA} pixels, and
     * of the pixels within {@code ring} px of it (where its contour meets a neighbour's), raised to
     * {@code weight}. Why: on BBBC039 such objects (micronuclei, mostly) are 11% of the nuclei but few of
     * the pixels, so the pixel-averaged loss hardly sees them, and they were 75% of the default's misses.
     * Pixels already at weight 0 (unlabelled) stay 0.
     */
    public static TrainingFrame weightSmallObjects(TrainingFrame f, LabelPlane labels, float weight, int ring) {
        if (!(weight >= 1)) {
            throw new IllegalArgumentException("small-object weight must be at least 1, got " + weight);
        }
        int w = labels.width();
        int h = labels.height();
        if (w != f.image().width() || h != f.image().height()) {
            throw new IllegalArgumentException("labels are " + w + "x" + h + " but the frame is "
                    + f.image().width() + "x" + f.image().height());
        }
        int[] lab = labels.data();
        java.util.Map<Integer, Integer> area = new java.util.HashMap<>();
        for (int v : lab) {
            if (v != 0) {
                area.merge(v, 1, Integer::sum);
            }
        }
        float[] out = f.weight().clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = lab[y * w + x];
                if (v == 0 || area.get(v) >= SMALL_OBJECT_AREA) {
                    continue;
                }
                for (int yy = Math.max(0, y - ring); yy <= Math.min(h - 1, y + ring); yy++) {
                    for (int xx = Math.max(0, x - ring); xx <= Math.min(w - 1, x + ring); xx++) {
                        int i = yy * w + xx;
                        if (out[i] != 0) {
                            out[i] = Math.max(out[i], weight);
                        }
                    }
                }
            }
        }
        return new TrainingFrame(f.name(), f.image(), f.classes(), out);
    }

    private static void requireSameSize(FloatPlane image, LabelPlane annotation) {
        if (annotation.width() != image.width() || annotation.height() != image.height()) {
            throw new IllegalArgumentException("annotation is " + annotation.width() + "x" + annotation.height()
                    + " but its image is " + image.width() + "x" + image.height());
        }
    }

    /** Whether every annotation is an instance label image (calibration needs them; RGB 3-class images are not). */
    public static boolean allInstanceLabels(List<Pair> pairs) throws IOException {
        for (Pair p : pairs) {
            if (ImageFiles.readRgbOrNull(p.labels()) != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Frames to hold rows of out for the fine-tune check: instance label images as read, and RGB 3-class
     * images as the nuclei they draw (each nucleus region grown into its contour, as
     * {@link org.segmentcells.segment.Instances#fromClasses} grows a model's), so a fine-tune on either is
     * scored by F against its start. Not for calibration, which needs the nuclei as labelled.
     */
    public static List<Trainer.ValidationFrame> checkFrames(List<Pair> pairs) throws IOException {
        List<Trainer.ValidationFrame> out = new ArrayList<>();
        for (Pair p : pairs) {
            FloatPlane img = ImageFiles.readPlane(p.image());
            ImageFiles.Rgb rgb = ImageFiles.readRgbOrNull(p.labels());
            LabelPlane labels = rgb == null ? readInstanceLabelsFor(p, img)
                    : org.segmentcells.segment.Instances.fromClasses(rgbTargets(p, img, rgb), img.width(), img.height(), 0);
            out.add(new Trainer.ValidationFrame(p.stem(), img, labels));
        }
        return out;
    }

    /**
     * The fully annotated frames of a fine-tune ({@link FineTune.Frames#annotated}), as every front end gives
     * them: instance label images always, since they state the nuclei's size and the start is calibrated on
     * them (with validation frames too, which then choose the best step and calibrate the end); RGB 3-class
     * images only to hold rows out of for the check ({@link #checkFrames}), so not when validation frames
     * check the fine-tune; none for scribbles.
     *
     * @param checkOnly whether the frames serve only the check (RGB), not calibration
     */
    public record Annotated(List<Trainer.ValidationFrame> frames, boolean checkOnly) {
        public static final Annotated NONE = new Annotated(List.of(), false);
    }

    /** {@link Annotated} for these pairs; {@code validates}: validation frames are given. */
    public static Annotated annotated(List<Pair> pairs, boolean scribbles, boolean validates) throws IOException {
        if (scribbles) {
            return Annotated.NONE;
        }
        if (allInstanceLabels(pairs)) {
            return new Annotated(validationFrames(pairs), false);
        }
        return validates ? Annotated.NONE : new Annotated(checkFrames(pairs), true);
    }

    /** Loads validation frames: raw images and instance labels. */
    public static List<Trainer.ValidationFrame> validationFrames(List<Pair> pairs) throws IOException {
        List<Trainer.ValidationFrame> out = new ArrayList<>();
        for (Pair p : pairs) {
            FloatPlane img = ImageFiles.readPlane(p.image());
            out.add(new Trainer.ValidationFrame(p.stem(), img, readInstanceLabelsFor(p, img)));
        }
        return out;
    }
}
