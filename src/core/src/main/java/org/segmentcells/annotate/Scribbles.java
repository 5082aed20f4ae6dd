package org.segmentcells.annotate;

import org.segmentcells.img.LabelPlane;

/**
 * Scribble annotations: sparse strokes drawn on an image, one value per pixel, {@link #UNLABELLED}
 * (0), {@link #BACKGROUND} (1), {@link #NUCLEUS} (2) or {@link #CONTOUR} (3). They become a 3-class
 * target plus a cross-entropy weight that is 1 on the strokes and 0 elsewhere, so training learns
 * only from the pixels someone actually marked.
 */
public final class Scribbles {

    public static final int UNLABELLED = 0;
    public static final int BACKGROUND = 1;
    public static final int NUCLEUS = 2;
    public static final int CONTOUR = 3;

    private Scribbles() {
    }

    /** Classes as in {@link Targets} (unlabelled pixels get class 0) and per-pixel weights (1 labelled, 0 not). */
    public record Target(byte[] classes, float[] weight) {

        /** Number of labelled pixels. */
        public int labelled() {
            int n = 0;
            for (float w : weight) {
                if (w > 0) {
                    n++;
                }
            }
            return n;
        }
    }

    public static Target toTarget(LabelPlane scribbles) {
        return toTarget(scribbles.data());
    }

    /**
     * @throws IllegalArgumentException for a value other than 0..3, naming the pixel index, since a
     *     label image passed by mistake would otherwise train on nonsense
     */
    public static Target toTarget(int[] scribbles) {
        byte[] classes = new byte[scribbles.length];
        float[] weight = new float[scribbles.length];
        for (int i = 0; i < scribbles.length; i++) {
            int v = scribbles[i];
            switch (v) {
                case UNLABELLED -> {
                    // Class 0 is a placeholder: weight 0 keeps it out of the loss.
                }
                case BACKGROUND -> {
                    classes[i] = Targets.BACKGROUND;
                    weight[i] = 1f;
                }
                case NUCLEUS -> {
                    classes[i] = Targets.NUCLEUS;
                    weight[i] = 1f;
                }
                case CONTOUR -> {
                    classes[i] = Targets.CONTOUR;
                    weight[i] = 1f;
                }
                default -> throw new IllegalArgumentException("pixel " + i + " has scribble value " + v
                        + "; scribbles are 0 (unlabelled), 1 (background), 2 (nucleus), 3 (contour)");
            }
        }
        return new Target(classes, weight);
    }
}
