package org.segmentcells.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import org.junit.jupiter.api.Test;
import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.img.Channel;
import org.segmentcells.model.SegmentSettings;

class ScaleTest {

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    /**
     * A Spark task carries the image settings to its executor as they are: auto stays auto (compared by
     * identity throughout), a factor its factor, and every other setting its value.
     */
    @Test
    void imageSettingsSurviveSerialisationWithAutoStillAuto() throws Exception {
        FileSegmentation.ImageSettings s = FileSegmentation.ImageSettings.DEFAULT.withChannel(Channel.BLUE)
                .withNuclearChannel(2).withScalePerPlane(true)
                .withSegment(SegmentSettings.MODEL.withScale(Scale.AUTO).withMinSize(12).withSeedThreshold(0.7).withTile(512));
        FileSegmentation.ImageSettings back = roundTrip(s);
        assertEquals(s, back);
        assertSame(Scale.AUTO, back.segment().scale());
        assertSame(Scale.ONE, roundTrip(Scale.parse("1")));
        Scale half = roundTrip(Scale.parse("0.5"));
        assertEquals(0.5, half.factor());
        assertEquals(SegmentSettings.MODEL.withDiameter(60.0), roundTrip(SegmentSettings.MODEL.withDiameter(60.0)));
    }
}
