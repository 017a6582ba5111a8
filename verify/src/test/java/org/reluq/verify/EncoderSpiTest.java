package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.ServiceLoader;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderProvider;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.memory.OffHeapVector;

/** The encoder SPI: ids per provider, encoders from headers, states owned by their callers, specs as identity. */
class EncoderSpiTest {

    private static final String[] SPECS = {"fp32", "qsgd:s=1,bucket=512,code=packed", "qsgd:s=4,bucket=none,code=elias",
        "qsgd:s=127,bucket=64,code=packed", "fp16", "bf16", "sign", "natural", "terngrad:bucket=2,clip=none",
        "topk:k=2", "randk:k=3", "qsgd:s=2,bucket=none,norm=max,dither=16,code=packed",
        "qsgd:s=7,bucket=512,levels=exp,code=rans"};

    @Test
    void everyProviderHasItsOwnIdAndItsEncodersWriteIt() {
        final Set<Integer> ids = new HashSet<>();
        for (final EncoderProvider provider : ServiceLoader.load(EncoderProvider.class)) {
            if (provider.id() == 0) {
                // a wrapper: its encoders send their inner encoder's frames
                assertEquals("ef", provider.name());
                assertEquals(org.reluq.kernels.encoder.SignEncoder.ID, Encoders.parse("ef(sign)").id());
                continue;
            }
            assertTrue(ids.add(provider.id()), provider.name() + " repeats id " + provider.id());
            // the sparse encoders have no default k
            final boolean sparse = provider.name().equals("topk") || provider.name().equals("randk");
            final Encoder encoder = Encoders.parse(provider.name() + (sparse ? ":k=3" : ""));
            assertEquals(provider.id(), encoder.id(), provider.name());
        }
        assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9), ids,
                "fp32, qsgd, fp16, bf16, sign, terngrad, natural, topk and randk are registered");
    }

    @Test
    void aFramesHeaderNamesTheEncoderThatWroteIt() {
        for (final String spec : SPECS) {
            final Encoder encoder = Encoders.parse(spec);
            final byte[] frame = TestData.frame(encoder, new float[] {1f, -2f, 0.5f, 3f, 0f}, 4, 5);
            final Encoder named = Encoders.forFrame(new UnsafeBuffer(frame), 0);
            assertEquals(encoder, named, spec);
            assertEquals(spec, named.spec());
        }
    }

    @Test
    void forFrameRefusesUnknownIdsAndParameters() {
        final byte[] frame = TestData.frame(Encoders.parse("qsgd:s=4,bucket=512,code=packed"), new float[] {1, 2, 3}, 1, 2);
        final byte[] unknown = frame.clone();
        unknown[5] = (byte) 200;
        assertMessage(unknown, "encoder id 200 is not one of the known");
        final byte[] code = frame.clone();
        code[20] = 9;
        assertMessage(code, "qsgd frame with code 9");
        final byte[] levels = frame.clone();
        levels[12] = 0;
        assertMessage(levels, "qsgd frame: ");
        final byte[] fp32 = TestData.frame(Encoders.parse("fp32"), new float[] {1, 2, 3}, 1, 2);
        fp32[16] = 1;
        assertMessage(fp32, "fp32 frame with levels 0, bucket 1");
        assertMessage(java.util.Arrays.copyOf(frame, 47), "lies outside a buffer of 47");
    }

    private static void assertMessage(final byte[] frame, final String expected) {
        final MalformedFrameException e = assertThrows(MalformedFrameException.class,
                () -> Encoders.forFrame(new UnsafeBuffer(frame), 0));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say '" + expected + "'");
    }

    @Test
    void equalSpecsAreEqualEncodersAndOthersAreNot() {
        for (final String spec : SPECS) {
            assertEquals(Encoders.parse(spec), Encoders.parse(spec), spec);
            assertEquals(Encoders.parse(spec), Encoders.parse(Encoders.parse(spec).spec()), spec);
        }
        assertEquals(Encoders.parse("qsgd:s=4"), Encoders.parse("qsgd:bucket=none,s=4,code=packed"));
        assertNotEquals(Encoders.parse("qsgd:s=4,code=packed"), Encoders.parse("qsgd:s=4,code=elias"));
        assertNotEquals(Encoders.parse("qsgd:s=4"), Encoders.parse("qsgd:s=5"));
        assertNotEquals(Encoders.parse("fp32"), Encoders.parse("qsgd:s=4"));
        assertEquals(Encoders.parse("ef(qsgd:s=4)"), Encoders.parse(" ef( qsgd:s=4,bucket=none ) "));
        assertEquals("ef(qsgd:s=4,bucket=none,code=packed)", Encoders.parse("ef(qsgd:s=4)").spec());
        assertNotEquals(Encoders.parse("ef(sign)"), Encoders.parse("sign"));
    }

    @Test
    void badWrapperSpecsAreNamed() {
        for (final String[] bad : new String[][] {{"ef(", "opens '('"}, {"ef()", "opens '('"}, {"ef(sign", "opens '('"},
            {"ef(ef(sign))", "nests error feedback"}, {"ef(nothing)", "unknown encoder 'nothing'"},
            {"ef", "ef wraps one encoder"}, {"ef:s=4", "ef wraps one encoder"}, {"qsgd(sign)", "unknown qsgd parameter"}}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Encoders.parse(bad[0]));
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
        }
    }

    @Test
    void aStateServesItsEncoderAndDimensionOnly() {
        final Encoder s4 = Encoders.parse("qsgd:s=4,bucket=512");
        final Encoder s8 = Encoders.parse("qsgd:s=8,bucket=512");
        try (OffHeapVector g = OffHeapVector.of(1f, 2f, 3f); EncoderState four = s4.newState(3);
             EncoderState wide = s4.newState(4); EncoderState equal = Encoders.parse(s4.spec()).newState(3)) {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[s4.maxFrameBytes(3)]);
            final IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                    () -> s8.encode(g, 1, 2, four, frame, 0));
            assertTrue(other.getMessage().contains("a state of qsgd:s=4,bucket=512,code=packed given to qsgd:s=8"),
                    other.getMessage());
            final IllegalArgumentException dimension = assertThrows(IllegalArgumentException.class,
                    () -> s4.encode(g, 1, 2, wide, frame, 0));
            assertTrue(dimension.getMessage().contains("state of dimension 4 given for dimension 3"),
                    dimension.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s4.encode(g, 1, 2, null, frame, 0));
            // an equal encoder's state is as good as its own
            final int bytes = s4.encode(g, 1, 2, equal, frame, 0);
            try (OffHeapVector out = OffHeapVector.allocate(3)) {
                s4.decode(frame, 0, bytes, four, out);
                assertTrue(out.get(2) > 0);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> s4.newState(0));
    }
}
