package org.segmentcells.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.segmentcells.cli.Main;

/**
 * The research commands, {@code synth} and {@code benchmark}, which this module adds to the CLI's
 * {@code segment}, {@code train} and {@code evaluate} (registered in
 * {@code META-INF/services/org.segmentcells.cli.Main$Extension}). They are in bench's runnable jar, not in
 * the CLI's.
 */
public final class BenchCommands implements Main.Extension {

    @Override
    public Map<String, Main.Command> commands() {
        Map<String, Main.Command> c = new LinkedHashMap<>();
        c.put("synth", new SynthCommand());
        c.put("benchmark", new BenchmarkCommand());
        return c;
    }
}
