package org.segmentcells.fiji;

import ij.process.LUT;

import java.awt.Color;
import java.util.Random;

/**
 * A glasbey-style lookup table for label images: 0 is black, every other entry a saturated, bright colour.
 * Hues step by the golden ratio so neighbouring ids differ strongly; saturation and brightness are
 * jittered by a fixed seed, so the same id always gets the same colour.
 */
final class LabelLut {

    private LabelLut() {
    }

    static LUT create() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        Random random = new Random(0x5E9CE11L);
        double hue = 0.1;
        for (int i = 1; i < 256; i++) {
            hue = (hue + 0.6180339887498949) % 1.0;
            float s = 0.55f + 0.45f * random.nextFloat();
            float v = 0.75f + 0.25f * random.nextFloat();
            int rgb = Color.HSBtoRGB((float) hue, s, v);
            r[i] = (byte) (rgb >> 16);
            g[i] = (byte) (rgb >> 8);
            b[i] = (byte) rgb;
        }
        return new LUT(r, g, b);
    }
}
