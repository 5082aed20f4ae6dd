package org.segmentcells.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

import org.segmentcells.cli.Args;
import org.segmentcells.cli.Main;
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
                usage: synth --output DIR [--count N] [--width W] [--height H] [--nuclei K] [--seed S] [--zoom Z]

                Writes DIR/images/synth-NN.tif (16-bit) and DIR/labels/synth-NN.tif. Images over 16
                megapixels are made of independent 1024-px tiles and written row by row (for tests of
                big images); --nuclei is then the count for the whole image. --zoom makes the nuclei Z
                times their usual size (about 21 px across), as a higher magnification would.
                """;
    }

    @Override
    public void run(String[] argv, PrintStream out) throws Exception {
        Args a = new Args(argv, Set.of("output", "count", "width", "height", "nuclei", "seed", "zoom"), Set.of());
        Path dir = Path.of(a.require("output"));
        int n = a.integer("count", 4);
        int w = a.integer("width", 256);
        int h = a.integer("height", 256);
        double zoom = a.number("zoom", 1f);
        if ((long) w * h > SyntheticNuclei.LARGE_PIXELS) {
            java.util.SplittableRandom seeds = new java.util.SplittableRandom(a.longValue("seed", 1));
            for (int i = 0; i < n; i++) {
                SyntheticNuclei.writeLarge(dir, String.format(java.util.Locale.ROOT, "synth-%02d", i), w, h,
                        a.integer("nuclei", 25), seeds.nextLong(), zoom);
            }
        } else {
            SyntheticNuclei.writeSet(dir, n, w, h, a.integer("nuclei", 25), a.longValue("seed", 1), zoom);
        }
        out.println("wrote " + n + " images to " + dir);
    }
}
