package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.function.ObjIntConsumer;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reluq.kernels.codec.BitReader;
import org.reluq.kernels.codec.BitWriter;
import org.reluq.kernels.codec.EliasCodes;
import org.reluq.kernels.codec.MalformedFrameException;

/**
 * The gamma, delta and omega coders write exactly the bits of {@link ReferenceElias}'s definitions for
 * every n from 1 to 10^6, for Integer.MAX_VALUE and for random ints, and read them back; streams that end
 * early or hold values beyond 31 bits are rejected.
 */
class EliasCodesTest {

    /** One code: its writer, reader, length and reference. */
    enum Code {
        GAMMA(EliasCodes::writeGamma, EliasCodes::readGamma, EliasCodes::gammaLength, ReferenceElias::gamma),
        DELTA(EliasCodes::writeDelta, EliasCodes::readDelta, EliasCodes::deltaLength, ReferenceElias::delta),
        OMEGA(EliasCodes::writeOmega, EliasCodes::readOmega, EliasCodes::omegaLength, ReferenceElias::omega);

        final ObjIntConsumer<BitWriter> write;
        final ToIntFunction<BitReader> read;
        final IntUnaryOperator length;
        final Function<Long, String> reference;

        Code(final ObjIntConsumer<BitWriter> write, final ToIntFunction<BitReader> read, final IntUnaryOperator length,
             final Function<Long, String> reference) {
            this.write = write;
            this.read = read;
            this.length = length;
            this.reference = reference;
        }
    }

    private static int[] numbers() {
        final SplittableRandom random = new SplittableRandom(8);
        return IntStream.concat(IntStream.rangeClosed(1, 1_000_000),
                IntStream.concat(IntStream.of(Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 1 << 30, (1 << 30) - 1),
                        IntStream.generate(() -> 1 + random.nextInt(Integer.MAX_VALUE)).limit(10_000))).toArray();
    }

    @ParameterizedTest
    @EnumSource(Code.class)
    void codesMatchTheirDefinitionsAndDecode(final Code code) {
        final int[] numbers = numbers();
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment stream = arena.allocate(8L * numbers.length + 16);
            final BitWriter writer = new BitWriter().reset(stream, 0, stream.byteSize());
            for (final int n : numbers) {
                code.write.accept(writer, n);
            }
            final long bytes = writer.finish();
            final BitReader bits = new BitReader().reset(stream, 0, bytes);
            final BitReader values = new BitReader().reset(stream, 0, bytes);
            for (final int n : numbers) {
                final String expected = code.reference.apply((long) n);
                assertEquals(expected.length(), code.length.applyAsInt(n), "length of " + n);
                final StringBuilder actual = new StringBuilder();
                for (int i = 0; i < expected.length(); i++) {
                    actual.append(bits.read(1));
                }
                assertEquals(expected, actual.toString(), code + " of " + n);
                assertEquals(n, code.read.applyAsInt(values), "decoded " + code + " of " + n);
            }
            assertTrue(values.remaining() < 8, "only the last byte's padding is left");
        }
    }

    @ParameterizedTest
    @EnumSource(Code.class)
    void streamsThatEndEarlyAreRejected(final Code code) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment stream = arena.allocate(16);
            for (final int n : new int[] {2, 1000, 123_456_789, Integer.MAX_VALUE}) {
                stream.fill((byte) 0);
                final BitWriter writer = new BitWriter().reset(stream, 0, 16);
                code.write.accept(writer, n);
                final long bits = writer.bitsWritten();
                writer.finish();
                // cut the stream one byte before the code's last bit
                final long cut = (bits - 1) / 8;
                assertThrows(MalformedFrameException.class,
                        () -> code.read.applyAsInt(new BitReader().reset(stream, 0, cut)), code + " of " + n);
            }
        }
    }

    @Test
    void valuesBeyond31BitsAreRejected() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment stream = arena.allocate(16);
            // 31 zeros then a 1: a gamma code of a 32-bit number
            stream.fill((byte) 0);
            stream.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 3, (byte) 1);
            assertThrows(MalformedFrameException.class, () -> EliasCodes.readGamma(new BitReader().reset(stream, 0, 16)));
            // omega groups that keep growing: 1 11 1111 11111111 ... never a 0
            stream.fill((byte) 0xFF);
            assertThrows(MalformedFrameException.class, () -> EliasCodes.readOmega(new BitReader().reset(stream, 0, 16)));
        }
    }

    @Test
    void nonPositiveNumbersAreNamed() {
        try (Arena arena = Arena.ofConfined()) {
            final BitWriter writer = new BitWriter().reset(arena.allocate(8), 0, 8);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> EliasCodes.writeOmega(writer, 0))
                    .getMessage().contains("got 0"));
            assertThrows(IllegalArgumentException.class, () -> EliasCodes.writeGamma(writer, -5));
        }
    }
}
