package org.segmentcells.train;

import java.util.ArrayList;
import java.util.List;

import org.segmentcells.annotate.Targets;
import org.segmentcells.scale.ObjectSize;
import org.segmentcells.segment.Instances;

/**
 * The nuclei outlined whole among a fine-tune's annotations: nucleus pixels ringed by contour pixels, as
 * an outline ROI, a filled nucleus area in Fiji, or a painted nucleus with a contour rim in a scribble image
 * gives them. Their size is stated, not estimated, so a scribble fine-tune trains at the scale they set
 * (issue 19: "from the size of the scribbled nuclei where strokes outline whole nuclei") instead of the
 * threshold's estimate of the whole frames. A nucleus stroke (a line) has no contour rim and does not
 * count, nor does an outline cut by the frame's edge.
 */
public final class OutlinedNuclei {

    /** At least this many whole outlines state the size; fewer leave it to the estimate of the images. */
    public static final int MIN = 3;

    private OutlinedNuclei() {
    }

    /** The median diameter of the whole outlines in the frames, or no estimate when there are under {@link #MIN}. */
    public static ObjectSize.Estimate of(List<TrainingFrame> frames) {
        List<Double> d = new ArrayList<>();
        for (TrainingFrame f : frames) {
            d.addAll(diameters(f));
        }
        return d.size() >= MIN ? new ObjectSize.Estimate(ObjectSize.median(d), d.size()) : ObjectSize.Estimate.NONE;
    }

    /**
     * Equivalent diameters of one frame's whole outlines: each nucleus region grown into its contour pixels
     * ({@link Instances#fromClasses}, unannotated pixels taken as background), kept when every pixel on its
     * rim is contour and none lies on the frame's edge.
     */
    static List<Double> diameters(TrainingFrame f) {
        int w = f.image().width();
        int h = f.image().height();
        byte[] classes = f.classes();
        float[] weight = f.weight();
        byte[] known = new byte[classes.length];
        for (int i = 0; i < known.length; i++) {
            known[i] = weight[i] > 0 ? classes[i] : Targets.BACKGROUND;
        }
        int[] id = Instances.fromClasses(known, w, h, 0).data();
        int max = 0;
        for (int v : id) {
            max = Math.max(max, v);
        }
        int[] area = new int[max + 1];
        boolean[] open = new boolean[max + 1];
        for (int i = 0; i < id.length; i++) {
            int k = id[i];
            if (k == 0) {
                continue;
            }
            area[k]++;
            int x = i % w;
            int y = i / w;
            boolean edge = x == 0 || y == 0 || x == w - 1 || y == h - 1;
            boolean rim = edge || id[i - 1] != k || id[i + 1] != k || id[i - w] != k || id[i + w] != k;
            if (edge || rim && known[i] != Targets.CONTOUR) {
                open[k] = true;
            }
        }
        List<Double> d = new ArrayList<>();
        for (int k = 1; k <= max; k++) {
            if (area[k] > 0 && !open[k]) {
                d.add(ObjectSize.diameterOfArea(area[k]));
            }
        }
        return d;
    }
}
