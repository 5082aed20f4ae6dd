package org.segmentcells.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class OnceTest {

    @Test
    void readsOnTheFirstCallOnlyAndKeepsWhatItRead() {
        int[] reads = new int[1];
        Once<List<String>> once = Once.of(() -> {
            reads[0]++;
            return new ArrayList<>(List.of("a"));
        });
        assertEquals(0, reads[0], "nothing read before it is asked for");
        List<String> first = once.get();
        assertSame(first, once.get());
        assertEquals(1, reads[0]);
    }

    @Test
    void aReadThatFailsIsTriedAgain() {
        int[] reads = new int[1];
        Once<String> once = Once.of(() -> {
            if (reads[0]++ == 0) {
                throw new java.io.UncheckedIOException(new java.io.IOException("gone"));
            }
            return "read";
        });
        assertThrows(java.io.UncheckedIOException.class, once::get);
        assertEquals("read", once.get());
        assertEquals("read", once.get());
        assertEquals(2, reads[0]);
    }
}
