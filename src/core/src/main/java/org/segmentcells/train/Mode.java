package org.segmentcells.train;

import java.util.Arrays;
import java.util.Locale;

import org.segmentcells.model.Model;
import org.segmentcells.nets.ClassDiscriminator;
import org.segmentcells.nets.Discriminator;
import org.segmentcells.nets.RibCageDiscriminator;
import org.segmentcells.nets.Weights;
import org.segmentcells.setting.Setting;

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
            case ADVERSARIAL -> Discriminator.ofArchitecture(RibCageDiscriminator.ARCHITECTURE);
            case CLASSDISC -> Discriminator.ofArchitecture(ClassDiscriminator.ARCHITECTURE);
            case CROSS_ENTROPY -> null;
        };
    }

    /** Whether {@code start} (may be null) carries a discriminator of this mode's architecture to continue. */
    public boolean fits(Model.Start start) {
        return adversarial() && start != null && start.discriminator() != null
                && discriminator().architecture().equals(start.info().discriminator);
    }

    /** {@code start}'s discriminator when it {@link #fits} this mode, else null: D starts from random weights. */
    public Weights startingDiscriminator(Model.Start start) {
        return fits(start) ? start.discriminator() : null;
    }

    /**
     * Refuses scribble training in an adversarial mode without a fitting starting D: D's update needs
     * full manual maps, so D is frozen, and a random frozen D would teach E nothing but noise.
     *
     * @param startName the starting model's name (unused without a starting model)
     */
    public void checkScribbles(Model.Start start, String startName) {
        if (adversarial() && !fits(start)) {
            String has = start == null ? " (" + Setting.INIT.mention() + ")"
                    : start.discriminatorProblem() != null ? "; " + start.discriminatorProblem() : "; " + startName + " has "
                    + (start.info().discriminator == null ? "none" : start.info().discriminator);
            throw new IllegalArgumentException("scribble training in mode " + id + " needs a starting model with a "
                    + discriminator().architecture() + " discriminator" + has + "; or use " + Setting.MODE.is(CROSS_ENTROPY.id()));
        }
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
