package org.segmentcells.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.segmentcells.scale.AutoScale;
import org.segmentcells.segment.Segmenter;
import org.segmentcells.setting.Setting;

/** An image that its chosen scale enlarges beyond the heap left is refused by name, before the network runs. */
class EnlargeMemoryTest {

    private static final Path IN = Path.of("slide.tif");

    @Test
    void enlargingCountsTheEnlargedPlanes() {
        assertEquals(Segmenter.IN_MEMORY_BYTES_PER_PIXEL, Segmenter.inMemoryBytesPerPixel(1));
        assertEquals(Segmenter.IN_MEMORY_BYTES_PER_PIXEL, Segmenter.inMemoryBytesPerPixel(0.4));
        assertEquals(Segmenter.IN_MEMORY_BYTES_PER_PIXEL + 64, Segmenter.inMemoryBytesPerPixel(2));
    }

    @Test
    void tooLittleHeapToEnlargeIsRefusedNamingFileScaleAndWaysOut() throws IOException {
        AutoScale.Choice twice = new AutoScale.Choice(2, AutoScale.Source.AUTO, 6.2, null);
        long pixels = 10_000_000;
        long need = pixels * (Segmenter.IN_MEMORY_BYTES_PER_PIXEL + 64);
        FileSegmentation.requireHeapToEnlarge(IN, pixels, twice, need);
        IOException e = assertThrows(IOException.class, () -> FileSegmentation.requireHeapToEnlarge(IN, pixels, twice, need - 1));
        String m = e.getMessage();
        assertTrue(m.startsWith("slide.tif: at scale 2.00 (auto, nuclei 6 px) it needs about 991 MB"), m);
        assertTrue(m.contains(Setting.SCALE.mention()) && m.contains(Setting.STREAMING.mention()), m);
        // Shrinking or scale 1 never needs more than the check before reading allowed.
        FileSegmentation.requireHeapToEnlarge(IN, pixels, new AutoScale.Choice(0.5, AutoScale.Source.GIVEN, Double.NaN, null), 0);
        FileSegmentation.requireHeapToEnlarge(IN, pixels, new AutoScale.Choice(1, AutoScale.Source.AUTO, 20, null), 0);
    }

    @Test
    void aStackTooBigForTheHeapIsRefusedBeforeAnyWork() throws IOException {
        // 200 planes of 1024×1024 16-bit: the planes as read (2 bytes), their label planes (4), and one plane
        // being segmented.
        org.segmentcells.io.ImageFiles.Header movie = new org.segmentcells.io.ImageFiles.Header(1024, 1024, 200, 1, 2);
        long need = movie.pixels() * (2 + FileSegmentation.OUTPUT_BYTES_PER_PIXEL)
                + 1024L * 1024 * Segmenter.IN_MEMORY_BYTES_PER_PIXEL;
        FileSegmentation.requireHeapForStack(IN, movie, FileSegmentation.OUTPUT_BYTES_PER_PIXEL, need);
        IOException e = assertThrows(IOException.class,
                () -> FileSegmentation.requireHeapForStack(IN, movie, FileSegmentation.OUTPUT_BYTES_PER_PIXEL, need - 1));
        assertTrue(e.getMessage().startsWith("slide.tif: its 200 planes of 1024×1024 need about "), e.getMessage());
        assertTrue(e.getMessage().contains("give Java more memory") && e.getMessage().contains("split the stack"), e.getMessage());
        // Of two channels, both are read and one is labelled.
        org.segmentcells.io.ImageFiles.Header twoChannels = new org.segmentcells.io.ImageFiles.Header(1024, 1024, 200, 2, 2);
        long needBoth = need + movie.pixels() * 2;
        FileSegmentation.requireHeapForStack(IN, twoChannels, FileSegmentation.OUTPUT_BYTES_PER_PIXEL, needBoth);
        assertThrows(IOException.class, () -> FileSegmentation.requireHeapForStack(IN, twoChannels,
                FileSegmentation.OUTPUT_BYTES_PER_PIXEL, needBoth - 1));
        // Probabilities are held too; a single plane is left to the check for bands.
        assertThrows(IOException.class, () -> FileSegmentation.requireHeapForStack(IN, movie,
                FileSegmentation.OUTPUT_BYTES_PER_PIXEL_WITH_PROBABILITIES, need));
        FileSegmentation.requireHeapForStack(IN, new org.segmentcells.io.ImageFiles.Header(100_000, 100_000, 1, 1, 2),
                FileSegmentation.OUTPUT_BYTES_PER_PIXEL, 0);
    }
}
