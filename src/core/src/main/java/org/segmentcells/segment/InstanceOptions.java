package org.segmentcells.segment;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.setting.Setting;

/**
 * How class probabilities become instances: seeds are nucleus pixels above {@code seedThreshold},
 * grown through the rest of the foreground; objects under {@code minSize} pixels, and objects no
 * brighter than the image noise, are dropped.
 */
public record InstanceOptions(double seedThreshold, int minSize) {

    public static final InstanceOptions DEFAULT = new InstanceOptions(0.5, 30);

    public InstanceOptions {
        if (!(seedThreshold >= 0 && seedThreshold < 1)) {
            throw new IllegalArgumentException(Setting.SEED_THRESHOLD.mention() + " must be at least 0 and under 1, got "
                    + seedThreshold);
        }
        if (minSize < 0) {
            throw new IllegalArgumentException(Setting.MIN_SIZE.mention() + " must be at least 0, got " + minSize);
        }
    }

    public InstanceOptions withMinSize(int size) {
        return new InstanceOptions(seedThreshold, size);
    }

    /**
     * Instances from class probabilities; {@code raw} is the image they came from (before
     * normalisation), used to drop objects no brighter than the noise ({@link FaintObjects}).
     */
    public LabelPlane label(Segmenter.Probabilities p, FloatPlane raw) {
        LabelPlane l = Instances.fromProbabilities(p.background(), p.nucleus(), p.contour(), seedThreshold, minSize);
        return FaintObjects.drop(l, raw, FaintObjects.MIN_CONTRAST);
    }
}
