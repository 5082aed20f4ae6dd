package org.segmentcells.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.segmentcells.batch.ProcessMemory;

/** A one-line description of the machine, and process memory, for benchmark records (Linux /proc). */
public final class Machine {

    private Machine() {
    }

    public static String describe() {
        String cpu = procField("/proc/cpuinfo", "model name");
        String mem = procField("/proc/meminfo", "MemTotal");
        double gb = mem == null ? Double.NaN : Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
        return String.format(Locale.ROOT, "%s, %d cores, %.0f GB RAM, %s, Java %s, TensorFlow Java 1.1.0: %s",
                cpu == null ? System.getProperty("os.arch") : cpu, Runtime.getRuntime().availableProcessors(), gb,
                System.getProperty("os.name"), System.getProperty("java.version"),
                org.segmentcells.tf.TensorFlowRuntime.deviceSummary());
    }

    /**
     * The 1, 5 and 15 minute load averages ("?" where /proc is missing): timings taken while other
     * work shares the cores are slower, and this says so next to them.
     */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** Current resident set size in MB, or NaN where /proc is missing. */
    public static double rssMb() {
        return ProcessMemory.rssMb();
    }

    /** Peak resident set size in MB, or NaN where /proc is missing. */
    public static double peakRssMb() {
        return ProcessMemory.peakRssMb();
    }

    private static String procField(String file, String key) {
        return ProcessMemory.procField(file, key);
    }
}
