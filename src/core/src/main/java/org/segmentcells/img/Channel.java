package org.segmentcells.img;

import java.util.Locale;

import org.segmentcells.setting.Setting;

/**
 * Which grayscale plane to take from an RGB image ({@code --channel} on the command line, {@code channel}
 * in macros). Opt-in: without it RGB input is refused, since a colour image is usually an overlay or a
 * screenshot rather than the raw nuclear stain.
 */
public enum Channel {
    /** Rec. 601 luma, 0.299 R + 0.587 G + 0.114 B. */
    LUMINANCE, RED, GREEN, BLUE;

    /** Name as typed by users. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "none" (or null/blank) means no channel: RGB images are refused. */
    public static Channel parse(String s) {
        if (s == null || s.isBlank() || s.strip().equalsIgnoreCase("none")) {
            return null;
        }
        for (Channel c : values()) {
            if (c.id().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException(Setting.CHANNEL.mention() + " must be luminance, red, green or blue, got '" + s
                + "'");
    }

    /** One plane from packed 0xRRGGBB pixels. */
    public FloatPlane extract(int width, int height, int[] rgb) {
        float[] out = new float[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            int r = (rgb[i] >> 16) & 0xff;
            int g = (rgb[i] >> 8) & 0xff;
            int b = rgb[i] & 0xff;
            out[i] = switch (this) {
                case LUMINANCE -> 0.299f * r + 0.587f * g + 0.114f * b;
                case RED -> r;
                case GREEN -> g;
                case BLUE -> b;
            };
        }
        return new FloatPlane(width, height, out);
    }
}
