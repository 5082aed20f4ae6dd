package org.segmentcells.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

import org.segmentcells.synth.SyntheticNuclei;

/** {@code synth}: writes synthetic nuclei images with ground truth (used for test-images/). */
final class SynthCommand implements Main.Command {

    @Override
    public String summary() {
        return "write synthetic nuclei images with ground-truth labels";
    }

    @Override
    public String usage() {
        return """
                usage: synth --output DIR [--count N] [--width W] [--height H] [--nuclei K] [--seed S]

                Writes DIR/images/synth-NN.tif (16-bit) and DIR/labels/synth-NN.tif.
                """;
    }

    @Override
    public void run(String[] argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of("output", "count", "width", "height", "nuclei", "seed"), Set.of());
        Path dir = Path.of(a.require("output"));
        int n = a.integer("count", 4);
        SyntheticNuclei.writeSet(dir, n, a.integer("width", 256), a.integer("height", 256), a.integer("nuclei", 25),
                a.longValue("seed", 1));
        out.println("wrote " + n + " images to " + dir);
    }
}
