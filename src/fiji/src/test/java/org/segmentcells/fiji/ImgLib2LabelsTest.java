package org.segmentcells.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;

import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.IntegerType;

import org.junit.jupiter.api.Test;

/** Label stacks reach scripts plane by plane, wrapped: no second copy of the labels, any number of planes. */
class ImgLib2LabelsTest {

    @SuppressWarnings("unchecked")
    private static long at(Img<?> img, long... pos) {
        RandomAccess<? extends IntegerType<?>> ra = ((Img<? extends IntegerType<?>>) img).randomAccess();
        ra.setPosition(pos);
        return ra.get().getIntegerLong();
    }

    @Test
    void sixteenBitPlanesAreWrappedAndThirtyTwoBitOnesKeepTheirIds() {
        ImageStack s = new ImageStack(4, 3);
        for (int z = 0; z < 2; z++) {
            ShortProcessor p = new ShortProcessor(4, 3);
            p.set(1, 2, 60000 + z);
            s.addSlice(p);
        }
        Img<?> labels = ImgLib2Images.labels(new ImagePlus("l", s), new long[] {4, 3, 2});
        assertEquals(60001, at(labels, 1, 2, 1), "unsigned, in its plane");
        s.getProcessor(2).set(3, 0, 7);
        assertEquals(7, at(labels, 3, 0, 1), "the plane itself, not a copy");

        ImageStack f = new ImageStack(4, 3);
        f.addSlice(new FloatProcessor(4, 3));
        FloatProcessor big = new FloatProcessor(4, 3);
        big.setf(2, 1, 70000);
        f.addSlice(big);
        Img<?> ints = ImgLib2Images.labels(new ImagePlus("l", f), new long[] {4, 3, 2});
        assertEquals(70000, at(ints, 2, 1, 1), "past 65535: 32-bit");
        assertEquals(0, at(ints, 2, 1, 0));
    }
}
