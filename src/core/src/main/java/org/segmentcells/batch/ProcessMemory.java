package org.segmentcells.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory from Linux /proc (NaN elsewhere), for the file jobs' logs and the benchmarks; and
 * the Java heap still free, for the checks that refuse an image before it would run out of memory.
 */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Bytes the Java heap can still grow into: its maximum less what is in use now. */
    public static long freeHeapBytes() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** Current resident set size in MB, or NaN where /proc is missing. */
    public static double rssMb() {
        return kbField("VmRSS");
    }

    /** Peak resident set size in MB, or NaN where /proc is missing. */
    public static double peakRssMb() {
        return kbField("VmHWM");
    }

    private static double kbField(String key) {
        String v = procField("/proc/self/status", key);
        return v == null ? Double.NaN : Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024.0;
    }

    /** The value after "key:" in a /proc file such as /proc/meminfo, or null where it is missing. */
    public static String procField(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return null;
    }
}
