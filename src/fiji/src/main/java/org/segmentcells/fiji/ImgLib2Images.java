package org.segmentcells.fiji;

import ij.ImagePlus;
import ij.ImageStack;
import ij.VirtualStack;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import java.util.ArrayList;
import java.util.List;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * ImgLib2 images in and out of the runners. An n-dimensional input is planes of its first two dimensions
 * (X, Y; the others, in order, number the planes), read one plane at a time when the runner asks for it,
 * so segmenting a stack never copies more than one plane of the input. Views with any origin work: plane
 * pixel (0, 0) is the interval's minimum. Outputs start at the origin and have the input's dimensions.
 */
final class ImgLib2Images {

    private ImgLib2Images() {
    }

    /**
     * The planes of {@code image}'s nuclear channel (1-based), or the image itself for 0: its third dimension
     * is read as channels, the order Fiji gives a Dataset's axes (X, Y, Channel, Z, Time). The labels then
     * have the other dimensions.
     */
    static <T extends RealType<?>> RandomAccessibleInterval<T> nuclearChannel(RandomAccessibleInterval<T> image,
            int channel) {
        if (channel <= 0 || image == null) {
            return image;
        }
        long channels = image.numDimensions() > 2 ? image.dimension(2) : 1;
        if (channel == 1 && image.numDimensions() == 2) {
            return image; // one plane: its only channel
        }
        if (channel > channels) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "nuclear_channel %d: the image's"
                    + " third dimension, read as its channels, has %d (1 to %d)", channel, channels, channels));
        }
        return Views.hyperSlice(image, 2, image.min(2) + channel - 1);
    }

    /** The input as an ImageJ image whose planes are converted to floats on demand. */
    static ImagePlus planes(RandomAccessibleInterval<? extends RealType<?>> image, String title) {
        if (image == null) {
            throw new IllegalArgumentException("no image to segment");
        }
        if (image.numDimensions() < 2) {
            throw new IllegalArgumentException("an image to segment needs two dimensions (X and Y), this one has "
                    + image.numDimensions());
        }
        if (image.dimension(0) > Integer.MAX_VALUE / 4 || image.dimension(1) > Integer.MAX_VALUE / 4
                || image.dimension(0) * image.dimension(1) > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("a plane of " + image.dimension(0) + " x " + image.dimension(1)
                    + " pixels is too large to segment in memory; segment the file in bands (Segment Image Files)");
        }
        long n = 1;
        for (int d = 2; d < image.numDimensions(); d++) {
            n *= image.dimension(d);
        }
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cannot segment " + n + " planes");
        }
        return new ImagePlus(title, new PlaneStack(image, (int) n));
    }

    /**
     * Planes of {@code image}, each read into a float array when asked for (an ImageJ virtual stack). Reads
     * through one RandomAccess per plane, row by row.
     */
    private static final class PlaneStack extends VirtualStack {
        private final RandomAccessibleInterval<? extends RealType<?>> image;
        private final int planes;

        PlaneStack(RandomAccessibleInterval<? extends RealType<?>> image, int planes) {
            super((int) image.dimension(0), (int) image.dimension(1), planes);
            this.image = image;
            this.planes = planes;
        }

        @Override
        public ImageProcessor getProcessor(int n) {
            int w = getWidth();
            int h = getHeight();
            float[] px = new float[w * h];
            long[] pos = new long[image.numDimensions()];
            image.min(pos);
            long rest = n - 1;
            for (int d = 2; d < pos.length; d++) {
                pos[d] += rest % image.dimension(d);
                rest /= image.dimension(d);
            }
            RandomAccess<? extends RealType<?>> ra = image.randomAccess();
            long x0 = pos[0];
            for (int y = 0; y < h; y++) {
                pos[0] = x0;
                pos[1] = image.min(1) + y;
                ra.setPosition(pos);
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = ra.get().getRealFloat();
                    ra.fwd(0);
                }
            }
            return new FloatProcessor(w, h, px);
        }

        @Override
        public int getSize() {
            return planes;
        }

        @Override
        public String getSliceLabel(int n) {
            return null;
        }

        @Override
        public int getBitDepth() {
            return 32;
        }
    }

    /**
     * A label image as an ImgLib2 image with {@code dims}: 16-bit unsigned when every plane is, else 32-bit
     * integers (past 65535 nuclei in a plane). Planes are wrapped, not copied into one array: a time-lapse past
     * 2^31 pixels fits, and the heap holds 16-bit labels once.
     */
    static Img<?> labels(ImagePlus labels, long[] dims) {
        ImageStack s = labels.getStack();
        int n = s.getSize();
        int px = s.getWidth() * s.getHeight();
        if (labels.getBitDepth() == 16) {
            List<ShortArray> planes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                planes.add(new ShortArray((short[]) s.getPixels(i + 1)));
            }
            PlanarImg<UnsignedShortType, ShortArray> img = new PlanarImg<>(planes, dims, new Fraction());
            img.setLinkedType(new UnsignedShortType(img));
            return img;
        }
        List<IntArray> planes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ImageProcessor ip = s.getProcessor(i + 1);
            int[] plane = new int[px];
            for (int j = 0; j < px; j++) {
                // Float planes hold integers exactly (below 2^24); 16-bit planes beside them are unsigned.
                plane[j] = ip instanceof ShortProcessor ? ip.get(j) : (int) ip.getf(j);
            }
            planes.add(new IntArray(plane));
        }
        PlanarImg<IntType, IntArray> img = new PlanarImg<>(planes, dims, new Fraction());
        img.setLinkedType(new IntType(img));
        return img;
    }

    /**
     * Probability maps (background, nucleus, contour for each input plane, as the runner stacks them) as
     * one float image of X, Y, class, then the input's other dimensions; its planes wrapped, as the labels'.
     */
    static Img<?> probabilities(ImagePlus probabilities, long[] dims) {
        long[] out = new long[dims.length + 1];
        out[0] = dims[0];
        out[1] = dims[1];
        out[2] = 3;
        System.arraycopy(dims, 2, out, 3, dims.length - 2);
        ImageStack s = probabilities.getStack();
        List<FloatArray> planes = new ArrayList<>(s.getSize());
        for (int i = 0; i < s.getSize(); i++) {
            planes.add(new FloatArray((float[]) s.getPixels(i + 1)));
        }
        PlanarImg<FloatType, FloatArray> img = new PlanarImg<>(planes, out, new Fraction());
        img.setLinkedType(new FloatType(img));
        return img;
    }
}
