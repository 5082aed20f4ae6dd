package org.segmentcells.train;

import java.util.Arrays;
import java.util.Locale;

import org.segmentcells.nets.ClassDiscriminator;
import org.segmentcells.nets.Discriminator;
import org.segmentcells.nets.RibCageDiscriminator;

/** Training modes; {@link #id()} is the name used in the CLI, macros and model.json. */
public enum Mode {
    /** Estimator against the Rib Cage discriminator (the paper's method). */
    ADVERSARIAL("adversarial"),
    /** Estimator against the plain classification discriminator (the paper's ClassDisc baseline). */
    CLASSDISC("classdisc"),
    /** Estimator alone with pixel cross-entropy (the paper's CE baseline). */
    CROSS_ENTROPY("cross-entropy");

    private final String id;

    Mode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean adversarial() {
        return this != CROSS_ENTROPY;
    }

    /** A new discriminator for this mode, or null for cross-entropy. */
    public Discriminator discriminator() {
        return switch (this) {
            case ADVERSARIAL -> new RibCageDiscriminator();
            case CLASSDISC -> new ClassDiscriminator();
            case CROSS_ENTROPY -> null;
        };
    }

    public static Mode parse(String s) {
        for (Mode m : values()) {
            if (m.id.equals(s.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + s + "'; choose one of "
                + Arrays.stream(values()).map(Mode::id).toList());
    }
}
