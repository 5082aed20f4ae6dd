package org.segmentcells.io;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.segmentcells.img.FloatPlane;
import org.segmentcells.img.LabelPlane;
import org.segmentcells.img.LabelType;

/**
 * Reads and writes image files through ImageJ 1.x's file classes, without any GUI. Every write goes to
 * a temporary file in the target folder and is then renamed, so an interrupted run never leaves a
 * truncated file under the final name.
 */
public final class ImageFiles {

    private ImageFiles() {
    }

    /** Reads a single-plane 8-, 16- or 32-bit grayscale image as floats. */
    public static FloatPlane readPlane(Path file) throws IOException {
        return readPlane(file, null);
    }

    /**
     * Reads a single-plane image as floats; a colour image is read through {@code channel}, and refused
     * if it is null.
     */
    public static FloatPlane readPlane(Path file, org.segmentcells.img.Channel channel) throws IOException {
        Planes planes = readPlanes(file, channel, 0);
        if (planes.count() != 1) {
            throw new IOException(planesRefused(file, planes.count()));
        }
        return planes.plane(0);
    }

    /**
     * The planes of one image file: one for a 2D image, several for a stack or time-lapse (Z and T of a
     * one-channel hyperstack, in file order), each read as floats only when asked for, so a long stack costs
     * its file's own type in memory, not floats.
     */
    public static final class Planes {
        private final ImagePlus imp;
        private final org.segmentcells.img.Channel channel;
        private final int nuclearChannel;

        private Planes(ImagePlus imp, org.segmentcells.img.Channel channel, int nuclearChannel) {
            this.imp = imp;
            this.channel = channel;
            this.nuclearChannel = nuclearChannel;
        }

        /** The channel these planes are of a file of several (1-based); 0 for a file of one channel. */
        public int nuclearChannel() {
            return nuclearChannel;
        }

        public int count() {
            return imp.getStackSize();
        }

        public int width() {
            return imp.getWidth();
        }

        public int height() {
            return imp.getHeight();
        }

        /** The channel a colour image is read through; null for a gray one. */
        public org.segmentcells.img.Channel channelRead() {
            return channel != null && isColour(imp) ? channel : null;
        }

        /** Plane {@code i} (0-based) as floats ({@link ImageFiles#plane}). */
        public FloatPlane plane(int i) {
            return ImageFiles.plane(imp, i, channel);
        }
    }

    /**
     * Plane {@code i} (0-based) of an image as floats: its calibrated values (e.g. signed 16-bit), or for a
     * colour image the {@code channel} chosen (null: its gray values), as every front end reads a plane.
     */
    public static FloatPlane plane(ImagePlus imp, int i, org.segmentcells.img.Channel channel) {
        ImageProcessor ip = imp.getStack().getProcessor(i + 1);
        if (channel != null && isColour(imp)) {
            ImageProcessor rgb = ip.convertToColorProcessor();
            return channel.extract(rgb.getWidth(), rgb.getHeight(), (int[]) rgb.getPixels());
        }
        // Stack processors lack the image's calibration table; pass it, so that planes read alike.
        ip.setCalibrationTable(imp.getCalibration().getCTable());
        return new FloatPlane(ip.getWidth(), ip.getHeight(), (float[]) ip.convertToFloatProcessor().getPixels());
    }

    /**
     * Opens {@code file}'s planes ({@link Planes}); a colour image is read through {@code channel}, and refused
     * if it is null. Of an image of several channels (a multi-channel hyperstack) only the planes of
     * {@code nuclearChannel} (1-based) are read, over Z and T; without one (0) it is refused, since which
     * channel holds the nuclei cannot be guessed.
     */
    public static Planes readPlanes(Path file, org.segmentcells.img.Channel channel, int nuclearChannel)
            throws IOException {
        ImagePlus imp = open(file);
        if (!(channel != null && isColour(imp))) {
            checkGray(imp, file);
        }
        requireNuclearChannel(file, imp.getNChannels(), nuclearChannel);
        return new Planes(nuclearChannel(imp, nuclearChannel), channel, imp.getNChannels() > 1 ? nuclearChannel : 0);
    }

    /**
     * The planes of channel {@code c} (1-based) of an image of several channels, over Z and T, as a one-channel
     * hyperstack with the same title and calibration (the planes are shared, not copied); an image of one
     * channel as it is.
     */
    public static ImagePlus nuclearChannel(ImagePlus input, int c) {
        if (input.getNChannels() == 1) {
            return input;
        }
        ImageStack in = input.getStack();
        int[] index = new int[input.getNSlices() * input.getNFrames()];
        int k = 0;
        for (int t = 1; t <= input.getNFrames(); t++) {
            for (int z = 1; z <= input.getNSlices(); z++) {
                index[k++] = input.getStackIndex(c, z, t);
            }
        }
        ImageStack out;
        if (in.isVirtual()) {
            // Read a plane when asked, as the virtual stack does: a time-lapse bigger than the heap stays on disk.
            out = new ij.VirtualStack(in.getWidth(), in.getHeight(), index.length) {
                @Override
                public ImageProcessor getProcessor(int n) {
                    return in.getProcessor(index[n - 1]);
                }

                @Override
                public String getSliceLabel(int n) {
                    return in.getSliceLabel(index[n - 1]);
                }

                @Override
                public int getBitDepth() {
                    return in.getBitDepth();
                }
            };
        } else {
            out = new ImageStack(in.getWidth(), in.getHeight());
            for (int i : index) {
                out.addSlice(in.getSliceLabel(i), in.getProcessor(i));
            }
        }
        ImagePlus imp = new ImagePlus(input.getTitle(), out);
        imp.setDimensions(1, input.getNSlices(), input.getNFrames());
        imp.setOpenAsHyperStack(true);
        imp.setCalibration(input.getCalibration().copy());
        return imp;
    }

    /** Refuses a file of several channels without a {@code nuclearChannel} among them (1 to {@code channels}). */
    private static void requireNuclearChannel(Path file, int channels, int nuclearChannel) throws IOException {
        if (channels > 1 && nuclearChannel == 0) {
            throw new IOException(file + ": has " + channels + " channels; give the "
                    + org.segmentcells.setting.Setting.NUCLEAR_CHANNEL.mention() + " (1 to " + channels
                    + ") that holds the nuclear stain");
        }
        // A file of one channel is segmented as it is (a folder may mix them with hyperstacks); the run warns.
        if (channels > 1 && (nuclearChannel < 1 || nuclearChannel > channels)) {
            throw new IOException(file + ": has " + channels + " channels, so "
                    + org.segmentcells.setting.Setting.NUCLEAR_CHANNEL.is(nuclearChannel) + " is not one of them");
        }
    }

    private static boolean isColour(ImagePlus imp) {
        return imp.getBitDepth() == 24 || imp.getType() == ImagePlus.COLOR_256;
    }

    private static String planesRefused(Path file, int planes) {
        return file + ": has " + planes + " planes; one plane is needed here (save each plane as its own file)";
    }

    /** Reads an instance label image (8/16-bit, or 32-bit float holding integers). */
    public static LabelPlane readLabels(Path file) throws IOException {
        ImagePlus imp = open(file);
        checkLabelsGray(imp, file);
        if (imp.getStackSize() != 1) {
            throw new IOException(planesRefused(file, imp.getStackSize()));
        }
        return labelPlane(imp.getProcessor(), signedOffset(imp), file);
    }

    /** Reads the planes of an instance label image or stack ({@link #writeLabels(List, Path)} writes them). */
    public static List<LabelPlane> readLabelPlanes(Path file) throws IOException {
        ImagePlus imp = open(file);
        checkLabelsGray(imp, file);
        List<LabelPlane> out = new java.util.ArrayList<>(imp.getStackSize());
        for (int i = 1; i <= imp.getStackSize(); i++) {
            out.add(labelPlane(imp.getStack().getProcessor(i), signedOffset(imp), file));
        }
        return out;
    }

    /**
     * What ImageJ added to a signed 16-bit file's values to store them unsigned (32768), undone for labels
     * (a label image written as int16, e.g. by numpy, would otherwise read as background 32768).
     */
    private static int signedOffset(ImagePlus imp) {
        return imp.getCalibration().isSigned16Bit() ? 32768 : 0;
    }

    private static LabelPlane labelPlane(ImageProcessor ip, int offset, Path file) throws IOException {
        int w = ip.getWidth();
        int h = ip.getHeight();
        int[] out = new int[w * h];
        for (int i = 0; i < out.length; i++) {
            float v = ip.getf(i) - offset;
            if (v < 0 || v != Math.rint(v) || Float.isNaN(v)) {
                throw new IOException(file + ": not a label image (pixel value " + v
                        + " is not a non-negative integer)");
            }
            if (v >= org.segmentcells.img.LabelType.FLOAT_EXACT_LIMIT) {
                // Floats past 2^24 cannot keep neighbouring ids apart: two nuclei would silently become one.
                throw new IOException(file + ": label " + v + " is past " + (org.segmentcells.img.LabelType.FLOAT_EXACT_LIMIT
                        - 1) + ", the largest a label image keeps exactly");
            }
            out[i] = (int) v;
        }
        return new LabelPlane(w, h, out);
    }

    /** An RGB image: {@code width} × {@code height} packed 0xRRGGBB ints, row by row. */
    public record Rgb(int width, int height, int[] pixels) {
    }

    /**
     * Reads an RGB image, or returns null when the file is not RGB (used to accept the paper's RGB
     * annotations next to label images).
     */
    public static Rgb readRgbOrNull(Path file) throws IOException {
        ImagePlus imp = open(file);
        try {
            if (imp.getBitDepth() != 24) {
                return null;
            }
            if (imp.getStackSize() != 1) {
                throw new IOException(file + ": has " + imp.getStackSize() + " planes; expected one RGB annotation");
            }
            int[] px = (int[]) imp.getProcessor().getPixels();
            int[] out = new int[px.length];
            for (int i = 0; i < px.length; i++) {
                out[i] = px[i] & 0xFFFFFF;
            }
            return new Rgb(imp.getWidth(), imp.getHeight(), out);
        } finally {
            imp.close();
        }
    }

    static ImagePlus open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new IOException(file + ": not readable");
        }
        checkReadable(file);
        ImagePlus imp;
        try {
            imp = isGrayWithAlpha(file) ? grayOfGrayWithAlpha(file)
                    : new Opener().openImage(file.toAbsolutePath().toString());
        } catch (RuntimeException e) {
            throw new IOException(file + ": cannot be read as an image (" + e + ")", e);
        }
        if (imp == null) {
            throw new IOException(file + ": not a readable image (unknown format or corrupt)");
        }
        return imp;
    }

    /**
     * Cheap check that a file is an image this tool can read, from its header only (no pixels decoded):
     * TIFFs are parsed and must hold all the pixel data their header promises (ImageJ would otherwise
     * read a truncated TIFF with zeros where the data is missing), PNG/JPEG/BMP headers go through
     * javax.imageio, and a file named like an image must start like one.
     */
    public static void checkReadable(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        long size = Files.size(file);
        byte[] magic = new byte[4];
        try (var in = Files.newInputStream(file)) {
            if (in.readNBytes(magic, 0, 4) < 4) {
                throw new IOException(file + ": not an image (" + size + " bytes)");
            }
        }
        boolean tiff = (magic[0] == 'I' && magic[1] == 'I' && magic[2] == 42) || (magic[0] == 'M' && magic[1] == 'M'
                && magic[3] == 42);
        boolean bigTiff = (magic[0] == 'I' && magic[1] == 'I' && magic[2] == 43) || (magic[0] == 'M' && magic[1] == 'M'
                && magic[3] == 43);
        if (bigTiff) {
            throw new IOException(file + ": a BigTIFF, which Segment Cells cannot read yet; save it as a classic TIFF"
                    + " (under 4 GB; larger slides in parts)");
        }
        if (tiff) {
            checkTiff(file, size);
        } else if (isImageIoFormat(magic)) {
            checkImageIo(file);
        } else if (pnmKind(magic) > 0) {
            checkPnm(file, pnmKind(magic));
        } else {
            // Not a TIFF, PNG, JPEG, BMP or PGM: ImageJ's opener would read a text file of numbers as an image.
            throw new IOException(file + ": not an image" + (isImageName(file.getFileName().toString())
                    ? " (its content is not in the format its name says)" : " (TIFF, PNG, JPEG, BMP or PGM)"));
        }
    }

    /**
     * A PBM, PGM or PPM whose header is whole and whose pixels are all there: ImageJ's reader fills what
     * is missing with zeros, which would pass for an empty image.
     *
     * @param kind 1–3 for pixels as text, 4–6 for bytes (bitmap, gray, colour)
     */
    private static void checkPnm(Path file, int kind) throws IOException {
        long[] read = {0}; // bytes of header read, for the binary kinds' pixel count
        try (var in = new java.io.FilterInputStream(new java.io.BufferedInputStream(Files.newInputStream(file))) {
            @Override
            public int read() throws IOException {
                int c = super.read();
                read[0] += c >= 0 ? 1 : 0;
                return c;
            }
        }) {
            long[] header = pnmHeader(in, file, kind);
            read[0] += 2; // the magic, skipped rather than read
            long width = header[0];
            long height = header[1];
            long max = header[2];
            long samples = width * height * (kind == 3 || kind == 6 ? 3 : 1);
            long have;
            long need;
            if (kind == 1) {
                // A text bitmap may write its 0s and 1s without spaces between them.
                need = samples;
                have = 0;
                for (int c = in.read(); c != -1 && have < need; c = in.read()) {
                    have += c == '0' || c == '1' ? 1 : 0;
                }
            } else if (kind <= 3) {
                need = samples;
                have = 0;
                while (have < need && pnmNumber(in, null) >= 0) {
                    have++;
                }
            } else {
                need = kind == 4 ? (width + 7) / 8 * height : samples * (max > 255 ? 2 : 1);
                have = Files.size(file) - read[0];
            }
            if (have < need) {
                throw new IOException(file + ": cut off (" + have + " of its " + need + (kind <= 3 ? " pixel values" : " bytes of pixels") + ")");
            }
        }
    }

    /** A PBM, PGM or PPM's kind from its magic ({@code P1}–{@code P6}: 1–6), 0 for any other file. */
    private static int pnmKind(byte[] magic) {
        return magic[0] == 'P' && magic[1] >= '1' && magic[1] <= '6' ? magic[1] - '0' : 0;
    }

    /** A PNM's width, height and maximum value, read from {@code in} at the file's start; checked. */
    private static long[] pnmHeader(java.io.InputStream in, Path file, int kind) throws IOException {
        in.skipNBytes(2);
        long width = pnmNumber(in, file);
        long height = pnmNumber(in, file);
        long max = kind == 1 || kind == 4 ? 1 : pnmNumber(in, file);
        if (width < 1 || height < 1 || max < 1 || max > 65535) {
            throw new IOException(file + ": corrupt image header (" + width + "x" + height + ", maximum " + max + ")");
        }
        return new long[] {width, height, max};
    }

    /**
     * The next number of a PNM header or text body, after whitespace and # comments; -1 at the end of the
     * file when {@code file} is null (a body), an IOException naming {@code file} otherwise (a header).
     */
    private static long pnmNumber(java.io.InputStream in, Path file) throws IOException {
        int c = in.read();
        while (c == '#' || Character.isWhitespace(c)) {
            if (c == '#') {
                while (c != '\n' && c != '\r' && c != -1) {
                    c = in.read();
                }
            }
            c = in.read();
        }
        if (c < '0' || c > '9') {
            if (file == null) {
                return -1;
            }
            throw new IOException(file + ": corrupt image header");
        }
        long v = 0;
        while (c >= '0' && c <= '9') {
            v = Math.min(v * 10 + (c - '0'), Integer.MAX_VALUE);
            c = in.read();
        }
        return v;
    }

    /** The Info a TIFF's ImageJ metadata holds (how labels were made, say), or null. */
    public static String infoOf(Path tiff) throws IOException {
        ij.io.FileInfo[] infos = tiffInfo(tiff);
        return infos != null && infos.length > 0 ? infos[0].info : null;
    }

    /** ImageJ's reading of a TIFF's header: one FileInfo per IFD (may be null). */
    static ij.io.FileInfo[] tiffInfo(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        return new ij.io.TiffDecoder(abs.getParent().toString() + java.io.File.separator,
                abs.getFileName().toString()).getTiffInfo();
    }

    /** Where uncompressed planes stored one after another from the IFD's offset end. */
    private static long contiguousEnd(ij.io.FileInfo fi) {
        long plane = (long) fi.width * fi.height * fi.getBytesPerPixel();
        int n = Math.max(1, fi.nImages);
        return fi.getOffset() + plane * n + (long) fi.gapBetweenImages * (n - 1);
    }

    private static void checkTiff(Path file, long size) throws IOException {
        ij.io.FileInfo[] infos;
        try {
            infos = tiffInfo(file);
        } catch (IOException | RuntimeException e) {
            // ImageJ's reasons for a valid TIFF it does not read: said as what to do, on one line.
            String why = String.valueOf(e.getMessage());
            if (why.contains("tiled")) {
                throw new IOException(file + ": a tiled TIFF, which Segment Cells cannot read; save it in strips"
                        + " (as ImageJ's File › Save As › Tiff does, after opening it with Bio-Formats)", e);
            }
            if (why.contains("Unsupported BitsPerSample")) {
                throw new IOException(file + ": " + why.replaceAll("(?s).*Unsupported BitsPerSample: *(\\d+).*", "$1")
                        + "-bit samples, which Segment Cells cannot read; save it as 8-, 16- or 32-bit", e);
            }
            throw new IOException(file + ": corrupt TIFF header (" + why.replace('\n', ' ') + ")", e);
        }
        if (infos == null || infos.length == 0) {
            throw new IOException(file + ": corrupt TIFF (no image in it)");
        }
        for (ij.io.FileInfo fi : infos) {
            if (fi.width <= 0 || fi.height <= 0) {
                throw new IOException(file + ": corrupt TIFF (size " + fi.width + "×" + fi.height + ")");
            }
            long end;
            if (fi.stripOffsets != null && fi.stripLengths != null && fi.stripOffsets.length > 0
                    && fi.stripOffsets.length == fi.stripLengths.length) {
                end = 0;
                for (int i = 0; i < fi.stripOffsets.length; i++) {
                    end = Math.max(end, (fi.stripOffsets[i] & 0xffffffffL) + (fi.stripLengths[i] & 0xffffffffL));
                }
                if (fi.nImages > 1 && fi.compression <= ij.io.FileInfo.COMPRESSION_NONE) {
                    // An ImageJ stack: the first IFD stands for all planes, stored one after another.
                    end = Math.max(end, contiguousEnd(fi));
                }
            } else if (fi.compression <= ij.io.FileInfo.COMPRESSION_NONE) {
                end = contiguousEnd(fi);
            } else {
                continue;
            }
            if (end > size) {
                throw new IOException(file + ": truncated TIFF (" + size + " bytes, its header needs " + end + ")");
            }
        }
    }

    private static boolean isPng(byte[] m) {
        return (m[0] & 0xff) == 0x89 && m[1] == 'P' && m[2] == 'N' && m[3] == 'G';
    }

    private static boolean isImageIoFormat(byte[] m) {
        boolean png = isPng(m);
        boolean jpeg = (m[0] & 0xff) == 0xff && (m[1] & 0xff) == 0xd8;
        boolean bmp = m[0] == 'B' && m[1] == 'M';
        return png || jpeg || bmp;
    }

    private static void checkImageIo(Path file) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(file.toFile())) {
            var readers = javax.imageio.ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(file + ": not an image in a format Segment Cells can read");
            }
            javax.imageio.ImageReader r = readers.next();
            try {
                r.setInput(in);
                if (r.getWidth(0) <= 0 || r.getHeight(0) <= 0) {
                    throw new IOException(file + ": corrupt image header");
                }
                r.getRawImageType(0); // reads the metadata too, and throws where a cut-off PNG lacks it
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw corruptHeader(file, e);
        }
    }

    /** {@code e}, an image reader's failure on {@code file}, as one line that names the file. */
    private static IOException corruptHeader(Path file, Exception e) {
        if (e instanceof IOException io && e.getMessage() != null && e.getMessage().contains(file.getFileName().toString())) {
            return io;
        }
        return new IOException(file + ": corrupt image header" + (e.getMessage() != null ? " (" + e.getMessage() + ")" : ""),
                e);
    }

    /**
     * What a file's header says about its pixels: the size of a plane, how many planes of each channel (a
     * stack or time-lapse), how many channels, and the bytes of a pixel as stored (0 when the header does not
     * say).
     */
    public record Header(int width, int height, int planes, int channels, int bytesPerPixel) {
        /** The pixels of one channel, over all its planes. */
        public long pixels() {
            return (long) width * height * planes;
        }
    }

    /**
     * {@link #checkReadable}, plus what the header says about colour and channels, so a batch refuses an RGB
     * file (unless a {@code channel} is given) or one of several channels among its inputs before any work
     * rather than when it reaches that file. Indexed-colour files are left to the reader, which knows whether
     * their palette is gray. Returns the header's {@link Header}, or null for a format whose header is not read.
     */
    public static Header checkInput(Path file, org.segmentcells.img.Channel channel, int nuclearChannel)
            throws IOException {
        checkReadable(file);
        byte[] magic = new byte[4];
        try (var in = Files.newInputStream(file)) {
            in.readNBytes(magic, 0, 4);
        }
        boolean colour;
        Header header;
        if ((magic[0] == 'I' && magic[1] == 'I') || (magic[0] == 'M' && magic[1] == 'M')) {
            ij.io.FileInfo[] infos = tiffInfo(file);
            int planes = 0;
            for (ij.io.FileInfo fi : infos) {
                planes += Math.max(1, fi.nImages);
            }
            ij.io.FileInfo first = infos[0];
            int t = first.fileType;
            colour = t == ij.io.FileInfo.RGB || t == ij.io.FileInfo.RGB_PLANAR || t == ij.io.FileInfo.BGR
                    || t == ij.io.FileInfo.ARGB || t == ij.io.FileInfo.BARG || t == ij.io.FileInfo.ABGR
                    || t == ij.io.FileInfo.CMYK;
            // ImageJ reads 16-bit RGB as three 16-bit channels, as a 16-bit PPM: a channel is chosen by number.
            boolean rgb48 = t == ij.io.FileInfo.RGB48 || t == ij.io.FileInfo.RGB48_PLANAR;
            int channels = colour ? 1 : rgb48 ? 3 : channels(file, first.description, planes);
            if (rgb48) {
                planes *= 3;
            }
            requireNuclearChannel(file, channels, nuclearChannel);
            header = new Header(first.width, first.height, planes / channels, channels, rgb48 ? 2 : first.getBytesPerPixel());
        } else if (isImageIoFormat(magic)) {
            colour = imageIoBands(file) >= 3; // gray with alpha is read as gray (grayOfGrayWithAlpha)
            header = null;
        } else if (pnmKind(magic) > 0) {
            int kind = pnmKind(magic);
            long[] h;
            try (var in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
                h = pnmHeader(in, file, kind);
            }
            // ImageJ reads an 8-bit PPM as RGB, a 16-bit one as three 16-bit channels.
            boolean ppm = kind == 3 || kind == 6;
            colour = ppm && h[2] <= 255;
            int channels = ppm && !colour ? 3 : 1;
            requireNuclearChannel(file, channels, nuclearChannel);
            header = new Header((int) h[0], (int) h[1], 1, channels, h[2] > 255 ? 2 : 1);
        } else {
            return null;
        }
        if (colour && channel == null) {
            throw new IOException(colourRefused(file));
        }
        return header;
    }

    /**
     * The channels an ImageJ TIFF's description states ({@code channels=2}), 1 when it states none; a count
     * that does not divide the planes the file holds is a corrupt description.
     */
    private static int channels(Path file, String description, int planes) throws IOException {
        if (description == null) {
            return 1;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^channels=(\\d+)").matcher(description);
        if (!m.find()) {
            return 1;
        }
        long c;
        try {
            c = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            c = Long.MAX_VALUE;
        }
        if (c < 1 || c > planes || planes % c != 0) {
            throw new IOException(file + ": corrupt TIFF description (channels=" + m.group(1) + " for " + planes
                    + " planes)");
        }
        return (int) c;
    }

    /** A PNG of gray with an alpha channel (2 bands), from its header. */
    private static boolean isGrayWithAlpha(Path file) throws IOException {
        byte[] magic = new byte[4];
        try (var in = Files.newInputStream(file)) {
            in.readNBytes(magic, 0, 4);
        }
        return isPng(magic) && imageIoBands(file) == 2;
    }

    /**
     * A gray PNG with an alpha channel as its gray values (8- or 16-bit), the alpha left out. Why: ImageJ opens
     * one as RGB, through a gamma curve (a nucleus of mean 27 read as 91), so its values and nuclei were not the
     * same file's without the alpha.
     */
    private static ImagePlus grayOfGrayWithAlpha(Path file) throws IOException {
        java.awt.image.BufferedImage b;
        try {
            b = javax.imageio.ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": cannot be read as an image (" + e.getMessage() + ")", e);
        }
        if (b == null) {
            throw new IOException(file + ": not a readable image (unknown format or corrupt)");
        }
        java.awt.image.Raster r = b.getRaster();
        int w = r.getWidth();
        int h = r.getHeight();
        int[] v = r.getSamples(0, 0, w, h, 0, (int[]) null);
        ImageProcessor ip;
        if (r.getSampleModel().getSampleSize(0) > 8) {
            short[] px = new short[v.length];
            for (int i = 0; i < v.length; i++) {
                px[i] = (short) v[i];
            }
            ip = new ij.process.ShortProcessor(w, h, px, null);
        } else {
            byte[] px = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                px[i] = (byte) v[i];
            }
            ip = new ij.process.ByteProcessor(w, h, px);
        }
        return new ImagePlus(file.getFileName().toString(), ip);
    }

    /** Colour bands of the first image (gray and gray+alpha give 1 and 2), from the header. */
    private static int imageIoBands(Path file) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(file.toFile())) {
            javax.imageio.ImageReader r = javax.imageio.ImageIO.getImageReaders(in).next();
            try {
                r.setInput(in);
                javax.imageio.ImageTypeSpecifier t = r.getRawImageType(0);
                if (t == null || t.getColorModel() instanceof java.awt.image.IndexColorModel) {
                    return 1;
                }
                return t.getNumBands();
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw corruptHeader(file, e);
        }
    }

    /** A label image in colour: no channel of it holds labels, so the advice is the label format. */
    private static void checkLabelsGray(ImagePlus imp, Path file) throws IOException {
        if (isColour(imp)) {
            throw new IOException(file + ": colour image; a label image is single-channel grayscale (8, 16 or"
                    + " 32-bit), 0 for background and k for nucleus k");
        }
    }

    private static void checkGray(ImagePlus imp, Path file) throws IOException {
        if (isColour(imp)) {
            throw new IOException(colourRefused(file));
        }
    }

    private static String colourRefused(Path file) {
        return file + ": colour image; Segment Cells needs a single-channel 8-, 16- or 32-bit grayscale image"
                + " (or give a " + org.segmentcells.setting.Setting.CHANNEL.mention() + ": luminance, red, green or blue)";
    }

    /** Writes labels as a 16-bit TIFF, or 32-bit float when an id exceeds 65535 (exact to 2^24). */
    public static void writeLabels(LabelPlane labels, Path file) throws IOException {
        writeLabels(List.of(labels), file);
    }

    /**
     * Writes the label planes of a stack (one per input plane) as one TIFF: 16-bit, or 32-bit float for all
     * planes when an id of any exceeds 65535 (exact to 2^24).
     */
    public static void writeLabels(List<LabelPlane> planes, Path file) throws IOException {
        writeLabels(planes, file, null);
    }

    /**
     * {@link #writeLabels(List, Path)}, laid out as the stack {@code like} the labels were segmented from: its Z
     * and T (so a time-lapse's labels are a time-lapse, as TrackMate reads them) and its pixel size and frame
     * interval. Null, or a 2D image, adds nothing.
     */
    public static void writeLabels(List<LabelPlane> planes, Path file, Planes like) throws IOException {
        writeLabels(planes, file, like, null);
    }

    /**
     * {@link #writeLabels(List, Path, Planes)}, recording in the file's Info the image they were segmented from
     * (null: none), which a re-run checks before it keeps them.
     */
    public static void writeLabels(List<LabelPlane> planes, Path file, Planes like, SourceImage source)
            throws IOException {
        writeLabels(planes, file, like, source, "");
    }

    /** As above, with {@code info}'s lines (how the labels were made) before the source's in the Info. */
    public static void writeLabels(List<LabelPlane> planes, Path file, Planes like, SourceImage source, String info)
            throws IOException {
        int max = 0;
        for (LabelPlane l : planes) {
            max = Math.max(max, l.maxLabel());
        }
        LabelType type;
        try {
            type = LabelType.forMaxLabel(max);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        LabelPlane first = planes.get(0);
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (LabelPlane labels : planes) {
            stack.addSlice(null, labelProcessor(labels, type));
        }
        ImagePlus imp = new ImagePlus(stem(file), stack);
        imp.getProcessor().resetMinAndMax();
        layOut(imp, like, 1);
        String text = (info == null ? "" : info) + (source != null ? source.line() : "");
        if (!text.isEmpty()) {
            imp.setProperty("Info", text);
        }
        writeTiff(imp, file);
    }

    /** A label plane as an ImageJ processor of {@code type}: 16-bit, or 32-bit float (exact to 2^24). */
    public static ImageProcessor labelProcessor(LabelPlane labels, LabelType type) {
        int[] d = labels.data();
        if (type == LabelType.GRAY16) {
            short[] s = new short[d.length];
            for (int i = 0; i < d.length; i++) {
                s[i] = (short) d[i];
            }
            return new ShortProcessor(labels.width(), labels.height(), s, null);
        }
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = d[i];
        }
        return new FloatProcessor(labels.width(), labels.height(), f);
    }

    /**
     * {@link #copyLayout} of the image {@code like}: a 2D image's too, for its pixel size (outputs are measured
     * in microns as their input is).
     */
    private static void layOut(ImagePlus out, Planes like, int perPlane) {
        if (like != null) {
            copyLayout(like.imp, out, perPlane);
        }
    }

    /**
     * Gives {@code out} (the outputs of {@code input}: {@code perPlane} planes for each of its planes, which
     * follow one another, ImageJ's channel-fastest order) the same C/Z/T layout, with channels times
     * {@code perPlane}, and the same spatial and time calibration, not the value calibration: its pixels are
     * ids or probabilities now, not calibrated intensities.
     */
    public static void copyLayout(ImagePlus input, ImagePlus out, int perPlane) {
        int c = input.getNChannels() * perPlane;
        int z = input.getNSlices();
        int t = input.getNFrames();
        if (c * z * t == out.getStackSize()) {
            out.setDimensions(c, z, t);
            out.setOpenAsHyperStack(input.isHyperStack() || perPlane > 1);
        }
        ij.measure.Calibration cal = input.getCalibration().copy();
        cal.disableDensityCalibration();
        cal.setValueUnit("");
        out.setCalibration(cal);
    }

    /** Writes float planes (for example class probabilities) as one 32-bit TIFF stack. */
    public static void writeStack(List<FloatPlane> planes, List<String> sliceLabels, Path file)
            throws IOException {
        writeStack(planes, sliceLabels, file, null, 1);
    }

    /**
     * {@link #writeStack(List, List, Path)}, {@code perPlane} planes (as channels) for each plane of the stack
     * {@code like}, laid out as it is ({@link #writeLabels(List, Path, Planes)}).
     */
    public static void writeStack(List<FloatPlane> planes, List<String> sliceLabels, Path file, Planes like,
            int perPlane) throws IOException {
        writeStack(planes, sliceLabels, file, like, perPlane, null);
    }

    /** As above, with {@code info} (null for none) as the image's Info. */
    public static void writeStack(List<FloatPlane> planes, List<String> sliceLabels, Path file, Planes like,
            int perPlane, String info) throws IOException {
        FloatPlane first = planes.get(0);
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (int i = 0; i < planes.size(); i++) {
            FloatPlane p = planes.get(i);
            stack.addSlice(sliceLabels.get(i), new FloatProcessor(p.width(), p.height(), p.data()));
        }
        ImagePlus imp = new ImagePlus(stem(file), stack);
        layOut(imp, like, perPlane);
        if (info != null) {
            imp.setProperty("Info", info);
        }
        writeTiff(imp, file);
    }

    /** Writes a 16-bit grayscale TIFF from integer pixels in [0, 65535]. */
    public static void write16(int width, int height, int[] px, Path file) throws IOException {
        short[] s = new short[px.length];
        for (int i = 0; i < px.length; i++) {
            s[i] = (short) Math.max(0, Math.min(65535, px[i]));
        }
        ShortProcessor ip = new ShortProcessor(width, height, s, null);
        ip.resetMinAndMax();
        writeTiff(new ImagePlus(stem(file), ip), file);
    }

    private static void writeTiff(ImagePlus imp, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = AtomicFiles.tempSibling(file);
        try {
            // FileSaver keeps its IOException to itself: creating the file first gives the reason (a name too
            // long, no permission, a read-only disk) where it would only say that it failed.
            Files.createFile(tmp);
            boolean ok = imp.getStackSize() > 1
                    ? new FileSaver(imp).saveAsTiffStack(tmp.toString())
                    : new FileSaver(imp).saveAsTiff(tmp.toString());
            if (!ok) {
                throw new IOException(file + ": could not be written");
            }
            AtomicFiles.moveIntoPlace(tmp, file);
        } finally {
            AtomicFiles.discard(tmp);
        }
    }

    /**
     * The image files directly in {@code dir} by stem, in file-name order. Two files of one stem
     * ({@code a.tif} and {@code a.png}) are refused: either could be meant, so pairing by stem would guess.
     *
     * @param what the folder's role, for messages ("images", "labels", ...)
     */
    public static java.util.Map<String, Path> imagesByStem(Path dir, String what) throws IOException {
        java.util.Map<String, Path> byStem = new java.util.LinkedHashMap<>();
        for (var e : allImagesByStem(dir, what).entrySet()) {
            byStem.put(e.getKey(), oneOf(e.getValue(), what));
        }
        return byStem;
    }

    /** Every image file directly in {@code dir}, by stem, in file-name order: one stem may have several. */
    public static java.util.Map<String, List<Path>> allImagesByStem(Path dir, String what) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": " + what + " folder " + (Files.exists(dir) ? "expected, not a file" : "does not exist"));
        }
        java.util.Map<String, List<Path>> byStem = new java.util.LinkedHashMap<>();
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                if (Files.isRegularFile(f) && isImageName(f.getFileName().toString())) {
                    byStem.computeIfAbsent(stem(f), k -> new java.util.ArrayList<>()).add(f);
                }
            }
        }
        return byStem;
    }

    /** The one file of a stem; two are refused, since either could be meant. */
    public static Path oneOf(List<Path> files, String what) throws IOException {
        if (files.size() > 1) {
            throw new IOException(files.get(1) + ": same stem as " + files.get(0).getFileName() + " in the " + what
                    + " folder; cannot tell which to use");
        }
        return files.get(0);
    }

    /** File name without its extension. */
    public static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** True for file names this tool reads as images. */
    public static boolean isImageName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".tif") || n.endsWith(".tiff") || n.endsWith(".png")
                || n.endsWith(".pgm") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp"));
    }
}
