package org.segmentcells.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Lists of numbers on the command line: parsed, defaulted, and a clear error naming the option. */
class ArgsTest {

    private static Args args(String... argv) {
        return new Args(argv, Set.of("frames", "factors"), Set.of());
    }

    /**
     * A one-dash option, or an option followed by another instead of its value, is a usage error rather than
     * a guess; given twice, the last wins (a script's appended override).
     */
    @Test
    void aOneDashOptionOrAMissingValueIsRefused() {
        assertEquals("2", args("--frames", "1", "--frames", "2").get("frames", ""));
        Args.UsageException e = assertThrows(Args.UsageException.class, () -> args("--frames", "--factors", "1"));
        assertEquals("option --frames needs a value", e.getMessage());
        e = assertThrows(Args.UsageException.class, () -> args("-o", "out"));
        assertEquals("unknown option -o (options start with --, e.g. --output)", e.getMessage());
        assertEquals("-5", args("--frames", "-5").get("frames", ""), "a value may start with a dash");
    }

    @Test
    void listsOfNumbers() {
        Args a = args("--frames", "1, 2,,4", "--factors", "0.5,1, 3");
        assertEquals(List.of(1, 2, 4), a.integers("frames", "9"));
        assertArrayEquals(new double[] {0.5, 1, 3}, a.numbers("factors", "2"));
        assertEquals(List.of(), args("--frames", "").integers("frames", "9"), "an empty list is none");
        assertEquals(List.of(1, 2), args().integers("frames", "1,2"), "the default when not given");
        assertArrayEquals(new double[] {2}, args().numbers("factors", "2"));
    }

    @Test
    void aBadListNamesTheOption() {
        Args.UsageException e = assertThrows(Args.UsageException.class, () -> args("--frames", "1,x").integers("frames", ""));
        assertEquals("--frames: expected whole numbers separated by commas, got 1,x", e.getMessage());
        e = assertThrows(Args.UsageException.class, () -> args("--factors", "0.5,,2").numbers("factors", ""));
        assertEquals("--factors: numbers separated by commas, got 0.5,,2", e.getMessage());
    }
}
