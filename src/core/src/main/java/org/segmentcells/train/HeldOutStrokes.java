package org.segmentcells.train;

import java.util.ArrayList;
import java.util.List;

import org.segmentcells.annotate.Targets;
import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.Resample;
import org.segmentcells.scale.Components;

/**
 * The strokes a scribble fine-tune does not train on, so that {@link FineTuneCheck} can compare it with its
 * start where neither learned: every {@link #EVERY}th stroke of each kind (nucleus, background), counted
 * over the frames in order. Their pixels get no weight, not even a pseudo-label's ({@link FineTune} removes
 * them again after {@link PseudoLabels}). Why strokes and not rows, as full labels hold out: ten strokes on
 * a frame rarely put both kinds in its bottom quarter. Contour strokes always train (the check counts
 * nucleus and background pixels only), and so does everything when a kind has under {@link #EVERY} strokes.
 */
public final class HeldOutStrokes {

    /** Every this-many-th stroke of a kind is held out; a kind with fewer strokes leaves nothing to check. */
    public static final int EVERY = 4;

    /** A frame at scale 1: its size, its classes, and 1 where a held-out stroke lies. */
    private record Frame(int width, int height, byte[] classes, byte[] held) {
    }

    private final List<Frame> frames;
    private final int nucleus;
    private final int background;
    private final Count all;

    private HeldOutStrokes(List<Frame> frames, int nucleus, int background, Count all) {
        this.frames = frames;
        this.nucleus = nucleus;
        this.background = background;
        this.all = all;
    }

    /** Strokes (8-connected pieces of one kind) of both kinds in the frames at scale 1. */
    public record Count(int nucleus, int background) {
        public boolean enough() {
            return nucleus >= EVERY && background >= EVERY;
        }
    }

    /** How many strokes of each kind the frames hold. */
    public static Count count(List<TrainingFrame> atOne) {
        int[] n = new int[3];
        for (TrainingFrame f : atOne) {
            for (int kind : KINDS) {
                n[kind] += strokes(f, kind).count();
            }
        }
        return new Count(n[Targets.NUCLEUS], n[Targets.BACKGROUND]);
    }

    /** The held-out strokes of the frames at scale 1, or null when a kind has under {@link #EVERY} strokes. */
    public static HeldOutStrokes of(List<TrainingFrame> atOne) {
        int[] n = new int[3]; // strokes of each kind so far, over the frames
        int[] out = new int[3];
        List<Frame> frames = new ArrayList<>();
        for (TrainingFrame f : atOne) {
            byte[] mask = new byte[f.classes().length];
            for (int kind : KINDS) {
                Components c = strokes(f, kind);
                for (int p = 0; p < mask.length; p++) {
                    int stroke = c.label()[p]; // from 1, in raster order of its first pixel
                    if (stroke > 0 && (n[kind] + stroke) % EVERY == 0) {
                        mask[p] = 1;
                    }
                }
                out[kind] += (n[kind] + c.count()) / EVERY - n[kind] / EVERY;
                n[kind] += c.count();
            }
            frames.add(new Frame(f.image().width(), f.image().height(), f.classes(), mask));
        }
        Count all = new Count(n[Targets.NUCLEUS], n[Targets.BACKGROUND]);
        return all.enough() ? new HeldOutStrokes(frames, out[Targets.NUCLEUS], out[Targets.BACKGROUND], all) : null;
    }

    /** The strokes of each kind in the frames, held out or not. */
    public Count all() {
        return all;
    }

    /** Nucleus strokes held out. */
    public int nucleus() {
        return nucleus;
    }

    /** Background strokes held out. */
    public int background() {
        return background;
    }

    /** The frames (at any scale, in the order given to {@link #of}) without the held-out strokes. */
    public List<TrainingFrame> training(List<TrainingFrame> frames) {
        check(frames.size());
        List<TrainingFrame> out = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            TrainingFrame f = frames.get(i);
            int w = f.image().width();
            int h = f.image().height();
            int[] mask = heldAt(i, w, h);
            float[] weight = f.weight().clone();
            for (int p = 0; p < weight.length; p++) {
                if (mask[p] != 0) {
                    weight[p] = 0;
                }
            }
            out.add(new TrainingFrame(f.name(), f.image(), f.classes(), weight));
        }
        return out;
    }

    /**
     * The held-out strokes on the images as read (at scale 1): weight 1 on them and 0 elsewhere, for
     * {@link Calibration#agreement}.
     */
    public List<TrainingFrame> onImages(List<FloatPlane> images) {
        if (!matches(images)) {
            throw new IllegalArgumentException("the images are not the " + frames.size() + " frames the strokes were"
                    + " held out of");
        }
        List<TrainingFrame> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Frame f = frames.get(i);
            float[] weight = new float[f.held().length];
            for (int p = 0; p < weight.length; p++) {
                weight[p] = f.held()[p];
            }
            out.add(new TrainingFrame("held-out strokes " + (i + 1), images.get(i), f.classes(), weight));
        }
        return out;
    }

    /** Whether {@code images} are the frames the strokes were held out of: as many, each of the same size. */
    public boolean matches(List<FloatPlane> images) {
        if (images.size() != frames.size()) {
            return false;
        }
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).width() != frames.get(i).width() || images.get(i).height() != frames.get(i).height()) {
                return false;
            }
        }
        return true;
    }

    private void check(int frames) {
        if (frames != this.frames.size()) {
            throw new IllegalArgumentException(frames + " frames, strokes held out of " + this.frames.size());
        }
    }

    /** Frame i's held-out pixels resized (nearest, as {@link TrainingFrame#scaled} resizes weights) to w × h. */
    private int[] heldAt(int i, int w, int h) {
        Frame f = frames.get(i);
        int[] m = new int[f.held().length];
        for (int p = 0; p < m.length; p++) {
            m[p] = f.held()[p];
        }
        return w == f.width() && h == f.height() ? m
                : Resample.nearest(new LabelPlane(f.width(), f.height(), m), w, h).data();
    }

    /** The two kinds of stroke the check counts (contour strokes always train). */
    private static final int[] KINDS = {Targets.NUCLEUS, Targets.BACKGROUND};

    /** A frame's strokes of one kind: the 8-connected pieces of its annotated pixels of that class. */
    private static Components strokes(TrainingFrame f, int kind) {
        byte[] cls = f.classes();
        float[] weight = f.weight();
        byte[] mask = new byte[cls.length];
        for (int p = 0; p < mask.length; p++) {
            mask[p] = weight[p] > 0 && cls[p] == kind ? (byte) 1 : 0;
        }
        return Components.of(mask, f.image().width(), f.image().height(), true);
    }
}
