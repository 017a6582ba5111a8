package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.simd.Vectorization;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * The frame handling every encoder shares: encoding checks the dimension, the state and the buffer's capacity,
 * lets the encoder write its payload, then writes the header and the CRC; decoding reads and checks the header
 * and the CRC ({@link Frame#read}), that the frame is this encoder's with these parameters for the output's
 * dimension, and hands the encoder its payload only. An encoder is then its payload format:
 * {@link #maxPayloadBytes}, {@link #encodePayload} and {@link #decodePayload}, and its header words
 * ({@link #levelsField}, {@link #bucketField}, {@link #codeField}; zero unless overridden).
 *
 * @param <S> the encoder's state type
 */
public abstract class FramedEncoder<S extends FramedEncoder.State> implements Encoder {

    /**
     * The base of a framed encoder's states: the encoder that made it (an equal encoder may use it) and the
     * dimension.
     */
    public abstract static class State implements EncoderState {

        private final Encoder maker;
        private final int dimension;

        /**
         * @param maker     the encoder whose {@link #newState} made this state
         * @param dimension the dimension it serves
         */
        protected State(final Encoder maker, final int dimension) {
            this.maker = maker;
            this.dimension = dimension;
        }

        @Override
        public final int dimension() {
            return dimension;
        }
    }

    /** The state of an encoder that needs no memory of its own: it records the encoder and the dimension. */
    public static final class EmptyState extends State {

        /**
         * @param maker     the encoder whose {@link #newState} made this state
         * @param dimension the dimension it serves
         */
        public EmptyState(final Encoder maker, final int dimension) {
            super(maker, dimension);
        }

        @Override
        public void close() {
            // nothing to free
        }
    }

    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private static final ValueLayout.OfInt LE_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final Class<S> stateType;

    /** @param stateType the class of this encoder's states, to check the one a caller passes */
    protected FramedEncoder(final Class<S> stateType) {
        this.stateType = stateType;
    }

    /** The header's levels word (0, the default, if the encoder has none). */
    protected int levelsField() {
        return 0;
    }

    /** The header's bucket word (0, the default, if none). */
    protected int bucketField() {
        return 0;
    }

    /** The header's code byte (0, the default, if none). */
    protected int codeField() {
        return 0;
    }

    /** The largest payload a vector of dimension d can encode to. */
    protected abstract long maxPayloadBytes(int d);

    /** A new state for dimension d (the dimension is already checked against the frame limit). */
    protected abstract S createState(int d);

    /**
     * Writes g's payload into {@code payload} ({@link #maxPayloadBytes} bytes), spreading the work over the pool
     * when one is given.
     *
     * @return the payload's length in bytes
     * @throws IllegalArgumentException if an entry of g is not finite (or g cannot be encoded), naming it
     */
    protected abstract int encodePayload(OffHeapVector g, long seed, long stream, S state, MemorySegment payload,
                                         KernelPool pool);

    /**
     * {@code acc += scale * decoded} for a payload whose header is checked: this encoder's, for acc's dimension.
     *
     * @throws MalformedFrameException naming what in the payload is wrong
     */
    protected abstract void decodePayload(Frame.Header header, MemorySegment payload, float scale, S state,
                                          OffHeapVector acc);

    /**
     * Adds a payload's symbols and verbatim bits to the tally (the header's are added already), for a payload
     * {@link #decodePayload} has just accepted with the same state, so it need not check it again and may read
     * what decoding left in the state.
     */
    protected abstract void tallyPayload(Frame.Header header, MemorySegment payload, S state, SymbolTally tally);

    /** Counts the n int32 values (native order) at the start of {@code values} as symbols of the stream. */
    protected static void tallyInts(final SymbolTally.Stream stream, final MemorySegment values, final int n) {
        for (int j = 0; j < n; j++) {
            stream.add(values.getAtIndex(ValueLayout.JAVA_INT, j));
        }
    }

    /**
     * Tallies n little-endian float32s from byte {@code at}: their 9 sign and exponent bits as a stream, the 23
     * fraction bits verbatim.
     */
    protected static void tallyFloats(final MemorySegment payload, final long at, final int n,
                                      final SymbolTally tally) {
        final SymbolTally.Stream exponents = tally.stream("float32 sign and exponent");
        for (int i = 0; i < n; i++) {
            exponents.add(payload.get(LE_INT, at + 4L * i) >>> 23);
        }
        tally.verbatim(23.0 * n);
    }

    /** The error for gradient entry j, x not finite: frames carry finite gradients only. */
    protected static IllegalArgumentException notFinite(final int j, final float x) {
        return new IllegalArgumentException("gradient entry " + j + " = " + x
                + " is not finite: frames carry finite gradients only");
    }

    /**
     * Refuses a payload that is not exactly {@code bytes} long, as {@code "NAME payload of N bytes, dimension d
     * needs M"}.
     */
    protected static void requirePayloadBytes(final MemorySegment payload, final long bytes, final String name,
                                              final int d) {
        if (payload.byteSize() != bytes) {
            throw new MalformedFrameException(name + " payload of " + payload.byteSize() + " bytes, dimension " + d
                    + " needs " + bytes);
        }
    }

    /**
     * The index of the first of the {@code d} little-endian floats of s that is NaN or infinite, or -1: on vectors
     * where the path has them, so a gradient or payload is checked at memory speed.
     */
    protected static int firstNonFinite(final MemorySegment s, final int d) {
        int j = 0;
        if (KernelFamily.QUANTIZE.vector() && Vectorization.MASKS_AND_CONVERSIONS) {
            j = EncoderVectors.finitePrefix(s, d);
        }
        for (; j < d; j++) {
            if (!Float.isFinite(s.get(LE_FLOAT, 4L * j))) {
                return j;
            }
        }
        return -1;
    }

    @Override
    public final int maxFrameBytes(final int d) {
        return Math.toIntExact(Frame.HEADER_BYTES + maxPayloadBytes(Frame.requireDimension(d)));
    }

    @Override
    public final S newState(final int d) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension " + d + " is not positive");
        }
        return createState(Frame.requireDimension(d));
    }

    @Override
    public final int encode(final OffHeapVector g, final long seed, final long stream, final EncoderState state,
                            final MutableDirectBuffer dst, final int offset) {
        return encode(g, seed, stream, state, dst, offset, null);
    }

    @Override
    public final int encode(final OffHeapVector g, final long seed, final long stream, final EncoderState state,
                            final MutableDirectBuffer dst, final int offset, final KernelPool pool) {
        final int d = Frame.requireDimension(g.length());
        final S own = own(state, d);
        final long capacity = maxPayloadBytes(d);
        Frame.requireCapacity(dst, offset, Frame.HEADER_BYTES + capacity);
        final MemorySegment payload = BufferSegments.of(dst).asSlice(offset + Frame.HEADER_BYTES, capacity);
        final int payloadBytes = encodePayload(g, seed, stream, own, payload, pool);
        Frame.writeHeader(dst, offset, new Frame.Header(id(), d, levelsField(), bucketField(), codeField(), seed,
                stream, payloadBytes));
        return Frame.seal(dst, offset, payloadBytes);
    }

    @Override
    public final void decodeAccumulate(final DirectBuffer src, final int offset, final int length, final float scale,
                                       final EncoderState state, final OffHeapVector acc) {
        final S own = own(state, acc.length());
        final Frame.Header header = Frame.read(src, offset, length);
        Frame.expect(header, id(), levelsField(), bucketField(), codeField(), acc.length());
        if (header.payloadBytes() > maxPayloadBytes(acc.length())) {
            throw new MalformedFrameException("payload of " + header.payloadBytes() + " bytes exceeds the "
                    + maxPayloadBytes(acc.length()) + " that " + spec() + " writes at dimension " + acc.length());
        }
        decodePayload(header, BufferSegments.of(src).asSlice(offset + Frame.HEADER_BYTES, header.payloadBytes()),
                scale, own, acc);
    }

    @Override
    public final void tally(final DirectBuffer src, final int offset, final int length, final EncoderState state,
                            final OffHeapVector out, final SymbolTally tally) {
        decode(src, offset, length, state, out);
        final Frame.Header header = Frame.read(src, offset, length);
        tally.frame();
        tally.verbatim(8.0 * Frame.HEADER_BYTES);
        tallyPayload(header, BufferSegments.of(src).asSlice(offset + Frame.HEADER_BYTES, header.payloadBytes()),
                own(state, out.length()), tally);
    }

    /** The caller's state as this encoder's type, for dimension d. */
    private S own(final EncoderState state, final int d) {
        if (!stateType.isInstance(state) || !((State) state).maker.equals(this)) {
            throw new IllegalArgumentException((state instanceof State other ? "a state of " + other.maker.spec()
                    : "state " + state) + " given to " + spec() + " (get one from its newState)");
        }
        if (state.dimension() != d) {
            throw new IllegalArgumentException("state of dimension " + state.dimension() + " given for dimension "
                    + d);
        }
        return stateType.cast(state);
    }

    @Override
    public String toString() {
        return spec();
    }
}
