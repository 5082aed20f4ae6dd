package org.segmentcells.fiji.plugin;

import net.imglib2.img.Img;

/**
 * What segmenting an ImgLib2 image made ({@link SegmentCellsService}). Images start at the origin and have
 * the input's dimensions: X, Y, then the input's others (planes).
 *
 * @param labels        the label image: {@code UnsignedShortType}, or {@code IntType} where a plane has
 *                      more than 65535 nuclei; 0 is background, nuclei are numbered from 1 in each plane
 * @param probabilities background, nucleus and contour probabilities as {@code FloatType} (X, Y, class,
 *                      then the input's other dimensions), or null unless asked for
 * @param counts        nuclei per plane
 * @param scale         the scale used, as the label image's Info records it (e.g. "0.34 (auto, nuclei 58 px)")
 */
public record ImgSegmentation(Img<?> labels, Img<?> probabilities, int[] counts, String scale) {

    /** Nuclei in all planes. */
    public int total() {
        int t = 0;
        for (int c : counts) {
            t += c;
        }
        return t;
    }
}
