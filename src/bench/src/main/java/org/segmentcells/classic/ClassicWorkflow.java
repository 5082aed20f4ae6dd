package org.segmentcells.classic;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import ij.plugin.filter.EDM;
import ij.plugin.filter.ParticleAnalyzer;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;

import java.nio.file.Path;

import org.segmentcells.img.LabelPlane;

/**
 * The classic ImageJ 1.x nucleus workflow, run through ImageJ itself (headless, no windows), as the
 * reference row of the benchmarks: Otsu threshold, Convert to Mask, Fill Holes, Watershed, Analyze
 * Particles (size &gt;= 50 px, Count Masks). Like io/, this is one of the few core classes that use
 * ImageJ 1.x, and only its non-GUI parts.
 */
public final class ClassicWorkflow {

    public static final int MIN_SIZE = 50;

    private ClassicWorkflow() {
    }

    /** Fill Holes: background not 4-connected to the image border becomes foreground (255). */
    static void fillHoles(ByteProcessor mask) {
        int w = mask.getWidth();
        int h = mask.getHeight();
        byte[] px = (byte[]) mask.getPixels();
        boolean[] outside = new boolean[w * h];
        int[] queue = new int[w * h];
        int head = 0;
        int tail = 0;
        for (int x = 0; x < w; x++) {
            for (int y : new int[] {0, h - 1}) {
                int i = y * w + x;
                if (px[i] == 0 && !outside[i]) {
                    outside[i] = true;
                    queue[tail++] = i;
                }
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x : new int[] {0, w - 1}) {
                int i = y * w + x;
                if (px[i] == 0 && !outside[i]) {
                    outside[i] = true;
                    queue[tail++] = i;
                }
            }
        }
        while (head < tail) {
            int i = queue[head++];
            int x = i % w;
            int y = i / w;
            int[] nb = {x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1};
            for (int j : nb) {
                if (j >= 0 && px[j] == 0 && !outside[j]) {
                    outside[j] = true;
                    queue[tail++] = j;
                }
            }
        }
        for (int i = 0; i < px.length; i++) {
            if (!outside[i]) {
                px[i] = (byte) 255;
            }
        }
    }

    /** Segments one image file; the file is only read. */
    public static LabelPlane segment(Path image) {
        ImagePlus imp = IJ.openImage(image.toAbsolutePath().toString());
        if (imp == null) {
            throw new IllegalArgumentException(image + ": cannot be opened by ImageJ");
        }
        return segment(imp, image.toString());
    }

    /** Segments a plane in memory (as a 32-bit image: Otsu on its own histogram). */
    public static LabelPlane segment(org.segmentcells.img.FloatPlane plane) {
        return segment(new ImagePlus("plane", new ij.process.FloatProcessor(plane.width(), plane.height(),
                plane.data().clone())), "plane");
    }

    private static LabelPlane segment(ImagePlus imp, String image) {
        try {
            // IJ.run needs ImageJ's menus, which do not exist headless, so call the same operations
            // on the processor: Otsu (dark background) -> mask, fill holes, EDM watershed.
            ImageProcessor ip = imp.getProcessor();
            ip.setAutoThreshold("Otsu dark");
            ByteProcessor mask = ip.createMask();
            fillHoles(mask);
            new EDM().toWatershed(mask);
            mask.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
            imp.setProcessor(mask);
            ResultsTable rt = new ResultsTable();
            ParticleAnalyzer pa = new ParticleAnalyzer(ParticleAnalyzer.SHOW_ROI_MASKS, 0, rt, MIN_SIZE,
                    Double.POSITIVE_INFINITY);
            pa.setHideOutputImage(true);
            if (!pa.analyze(imp)) {
                throw new IllegalStateException(image + ": Analyze Particles failed");
            }
            ImagePlus counts = pa.getOutputImage();
            ImageProcessor cp = counts.getProcessor();
            int[] labels = new int[cp.getWidth() * cp.getHeight()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (int) cp.getf(i);
            }
            counts.close();
            return new LabelPlane(cp.getWidth(), cp.getHeight(), labels);
        } finally {
            imp.close();
        }
    }
}
