package org.segmentcells.tf;

import java.nio.file.Files;
import java.nio.file.Path;

/** For {@link QuietStartTest}: relaunches itself as the quiet child, which writes its pid and waits. */
public final class SleepyRelaunchMain {

    private SleepyRelaunchMain() {
    }

    public static void main(String[] args) throws Exception {
        int status = QuietStart.relaunch(SleepyRelaunchMain.class, args, false);
        if (status >= 0) {
            System.exit(status);
        }
        if (System.getProperty(QuietStart.CHILD) == null) {
            return; // not relaunched: nothing for the test to watch
        }
        Files.writeString(Path.of(args[0]), String.valueOf(ProcessHandle.current().pid()));
        Thread.sleep(120_000);
    }
}
