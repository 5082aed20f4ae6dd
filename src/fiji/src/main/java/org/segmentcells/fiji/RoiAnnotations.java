package org.segmentcells.fiji;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.gui.TextRoi;
import ij.plugin.frame.RoiManager;
import ij.process.ImageProcessor;

import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.util.List;
import java.util.Locale;

import org.segmentcells.annotate.Scribbles;
import org.segmentcells.fiji.plugin.ScribbleTags;
import org.segmentcells.annotate.Targets;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.segment.Normalization;
import org.segmentcells.train.TrainingData;
import org.segmentcells.train.TrainingFrame;

/**
 * Annotations drawn as ImageJ ROIs, turned into the core's label and scribble images.
 *
 * <ul>
 * <li>An <b>outline</b> is an area ROI (rectangle, oval, polygon, freehand, traced, composite) without a
 * class tag, or tagged nucleus: the whole of one nucleus. Outlines are numbered in list order; where
 * they overlap, the later one wins, so the pixels they share go to the later nucleus and the two get a
 * contour between them, as touching nuclei should.</li>
 * <li>A <b>scribble</b> is a line, polyline, freeline, angle or point ROI, or an area ROI tagged
 * background or contour. Lines are rasterised by ImageJ's own Edit › Selection › Line to Area at their
 * stroke width (at least 1 px), so they cover what the user sees.</li>
 * <li>The <b>class tag</b> is the ROI's group, 1 background, 2 nucleus, 3 contour (the scribble values,
 * {@link Scribbles}), or else a name containing "background", "nucleus" or "contour" (any case). A
 * group and a name that say different classes, a name with two class words, or a scribble without a
 * class are errors naming the ROI.</li>
 * </ul>
 *
 * <p>Only outlines make a full annotation in which every unmarked pixel is background (unless
 * {@code unmarkedUnlabelled}). With any scribble, or with {@code unmarkedUnlabelled}, the frame is a
 * scribble frame: outlines give their nucleus pixels and, inside their rim, contour pixels (the same
 * contour as {@link Targets#fromLabels}); scribbles are drawn over them in list order; every other pixel
 * is unlabelled. Pixels outside the image are clipped.
 */
public final class RoiAnnotations {

    /** Class names by scribble value; also the words looked for in ROI names. */
    static final String[] CLASS_NAMES = ScribbleTags.CLASS_NAMES;

    private RoiAnnotations() {
    }

    /**
     * One frame's annotation: {@code labels} (instance label image) when the outlines are complete,
     * else {@code scribbles} (0 unlabelled, 1 background, 2 nucleus, 3 contour); the other is null.
     */
    public record Annotation(LabelPlane labels, LabelPlane scribbles, int outlines, int scribbleRois) {

        public boolean full() {
            return labels != null;
        }
    }

    /**
     * The class a ROI is tagged with, by group (1..3) or name; {@link Scribbles#UNLABELLED} if untagged.
     *
     * @throws IllegalArgumentException when group and name disagree or the name holds two class words
     */
    public static int tag(Roi roi, int index) {
        int byName = 0;
        String name = roi.getName();
        if (name != null) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (int c = Scribbles.BACKGROUND; c <= Scribbles.CONTOUR; c++) {
                if (lower.contains(CLASS_NAMES[c])) {
                    if (byName != 0) {
                        throw new IllegalArgumentException(describe(roi, index) + ": its name says both "
                                + CLASS_NAMES[byName] + " and " + CLASS_NAMES[c] + "; keep one class word");
                    }
                    byName = c;
                }
            }
        }
        int group = roi.getGroup();
        if (group >= Scribbles.BACKGROUND && group <= Scribbles.CONTOUR) {
            if (byName != 0 && byName != group) {
                throw new IllegalArgumentException(describe(roi, index) + ": group " + group + " ("
                        + CLASS_NAMES[group] + ") but its name says " + CLASS_NAMES[byName]);
            }
            return group;
        }
        return byName;
    }

    /** Area ROIs untagged or tagged nucleus are outlines; everything else is a scribble. */
    static boolean isOutline(Roi roi, int tag) {
        return roi.isArea() && (tag == Scribbles.UNLABELLED || tag == Scribbles.NUCLEUS);
    }

    /**
     * Converts ROIs on a {@code width}×{@code height} image; see the class comment for the rules.
     *
     * @param unmarkedUnlabelled with only outlines, leave the pixels outside them unlabelled instead of
     *     background (for when not every nucleus in the image is outlined)
     * @throws IllegalArgumentException naming the ROI, for an untagged line, a text or image ROI, a ROI
     *     wholly outside the image, conflicting tags, or no ROIs at all
     */
    public static Annotation convert(List<Roi> rois, int width, int height, boolean unmarkedUnlabelled,
            int contourWidth) {
        if (rois.isEmpty()) {
            throw new IllegalArgumentException("no ROIs to train from");
        }
        int[] labels = new int[width * height];
        int[] scribbles = new int[width * height];
        int outlines = 0;
        int scribbleRois = 0;
        // Classify all first so the frame's kind is known; paint in list order so later ROIs win.
        int[] tags = new int[rois.size()];
        for (int i = 0; i < rois.size(); i++) {
            Roi roi = rois.get(i);
            if (roi instanceof TextRoi || roi instanceof ImageRoi) {
                throw new IllegalArgumentException(describe(roi, i) + " is a " + (roi instanceof TextRoi ? "text" : "image")
                        + " ROI; only area, line and point ROIs annotate");
            }
            tags[i] = tag(roi, i);
            if (isOutline(roi, tags[i])) {
                outlines++;
            } else if (tags[i] == Scribbles.UNLABELLED) {
                throw new IllegalArgumentException(describe(roi, i) + " is a " + roi.getTypeAsString().toLowerCase(Locale.ROOT)
                        + " without a class: set its group to 1 (background), 2 (nucleus) or 3 (contour), put one of"
                        + " these words in its name, or add it with Plugins > Segment Cells > Add ... Scribble");
            } else {
                scribbleRois++;
            }
        }
        int label = 0;
        for (int i = 0; i < rois.size(); i++) {
            Roi roi = rois.get(i);
            int value = isOutline(roi, tags[i]) ? ++label : tags[i];
            int[] target = isOutline(roi, tags[i]) ? labels : scribbles;
            if (paint(roi, width, height, target, value) == 0) {
                throw new IllegalArgumentException(describe(roi, i) + " covers no pixel of the " + width + "x" + height
                        + " image");
            }
        }
        LabelPlane labelPlane = new LabelPlane(width, height, labels);
        if (scribbleRois == 0 && !unmarkedUnlabelled) {
            return new Annotation(labelPlane, null, outlines, 0);
        }
        int[] out = new int[width * height];
        if (outlines > 0) {
            byte[] classes = Targets.fromLabels(labelPlane, contourWidth);
            for (int p = 0; p < out.length; p++) {
                if (labels[p] != 0) {
                    out[p] = classes[p] == Targets.CONTOUR ? Scribbles.CONTOUR : Scribbles.NUCLEUS;
                }
            }
        }
        for (int p = 0; p < out.length; p++) {
            if (scribbles[p] != 0) {
                out[p] = scribbles[p];
            }
        }
        return new Annotation(null, new LabelPlane(width, height, out), outlines, scribbleRois);
    }

    /** The annotated training frame, through the same core path as annotation files. */
    public static TrainingFrame frame(String name, FloatPlane image, Annotation a, Normalization norm,
            int contourWidth) {
        return a.full() ? TrainingData.labelFrame(name, image, a.labels(), norm, contourWidth)
                : TrainingData.scribbleFrame(name, image, a.scribbles(), norm);
    }

    /**
     * Sets {@code value} on the pixels the ROI covers, clipped to the image; returns how many. Lines
     * are widened to their stroke width as Line to Area does; areas and points use their own mask.
     */
    static int paint(Roi roi, int width, int height, int[] target, int value) {
        Roi area = roi;
        if (roi.isLine()) {
            // Line to Area may set the stroke width of the ROI it gets; leave the user's alone.
            area = Roi.convertLineToArea((Roi) roi.clone());
        }
        Rectangle b = area.getBounds();
        ImageProcessor mask = area.getMask(); // null: the whole bounding rectangle
        int n = 0;
        int y0 = Math.max(0, b.y);
        int y1 = Math.min(height, b.y + b.height);
        int x0 = Math.max(0, b.x);
        int x1 = Math.min(width, b.x + b.width);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (mask == null || mask.get(x - b.x, y - b.y) != 0) {
                    target[y * width + x] = value;
                    n++;
                }
            }
        }
        return n;
    }

    /** "ROI 3 "name"", as the ROI Manager numbers them from 1. */
    static String describe(Roi roi, int index) {
        String name = roi.getName();
        return "ROI " + (index + 1) + (name == null ? "" : " \"" + name + "\"");
    }

    /**
     * The ROIs annotating {@code imp}: the ROI Manager's (in a batch-mode macro, the hidden one the macro
     * fills), or, when there is none or it is empty, the image's overlay. Headless there can be no ROI
     * Manager, since it is a window, so scripts there annotate with the overlay.
     */
    static List<Roi> rois(ImagePlus imp) {
        RoiManager rm = GraphicsEnvironment.isHeadless() ? null : RoiManager.getInstance();
        if (rm != null && rm.getCount() > 0) {
            return List.of(rm.getRoisAsArray());
        }
        Overlay overlay = imp.getOverlay();
        if (overlay != null && overlay.size() > 0) {
            return List.of(overlay.toArray());
        }
        throw new IllegalArgumentException("no ROIs: the ROI Manager and the overlay of \"" + imp.getTitle()
                + "\" are empty; outline nuclei or scribble and add them to the ROI Manager");
    }
}
