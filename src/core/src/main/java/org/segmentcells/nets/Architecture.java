package org.segmentcells.nets;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The estimators a model can be built on. The name is how settings and messages call it; the id is what
 * model.json records.
 */
public enum Architecture {
    /** The paper's 5-layer E. */
    PAPER("paper", Estimator.ARCHITECTURE, Estimator.RADIUS, Estimator.MARGIN, 1),
    /** The larger {@link UNet}. */
    UNET("unet", UNet.ARCHITECTURE, UNet.RADIUS, 64, UNet.ALIGNMENT);

    private final String settingName;
    private final String id;
    private final int radius;
    private final int margin;
    private final int alignment;

    Architecture(String settingName, String id, int radius, int margin, int alignment) {
        if (margin < radius || margin % alignment != 0) {
            throw new AssertionError(settingName + ": tile margin must cover the receptive radius and keep the alignment");
        }
        this.settingName = settingName;
        this.id = id;
        this.radius = radius;
        this.margin = margin;
        this.alignment = alignment;
    }

    public String settingName() {
        return settingName;
    }

    public String id() {
        return id;
    }

    /** Largest distance (px) from an output pixel to an input pixel that influences it. */
    public int radius() {
        return radius;
    }

    /** Context (px) kept around each tile core: at least the radius, a multiple of the alignment. */
    public int margin() {
        return margin;
    }

    /** Tiles must start at multiples of this for tiled output to equal untiled output. */
    public int alignment() {
        return alignment;
    }

    public Operand<TFloat32> logits(Layers layers, Operand<TFloat32> image) {
        return this == PAPER ? Estimator.logits(layers, image) : UNet.logits(layers, image);
    }

    public long multiplyAddsPerPixel() {
        return this == PAPER ? Estimator.multiplyAddsPerPixel() : UNet.multiplyAddsPerPixel();
    }

    /** The architecture with this model.json id, or null. */
    public static Architecture ofId(String id) {
        for (Architecture a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        return null;
    }

    /** The architecture with this name (the estimator setting's value); an unknown one is a clear error. */
    public static Architecture ofName(String name) {
        for (Architecture a : values()) {
            if (a.settingName.equals(name.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown estimator '" + name + "'; choose one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(Architecture::settingName).collect(Collectors.joining(", "));
    }
}
