package org.reluq.cluster;

import io.aeron.Publication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Stray traffic aimed at a master, to show it is rejected and counted and changes nothing: random UDP datagrams
 * (which Aeron itself must refuse), and well-formed cluster messages of another run, or with a corrupt CRC, sent
 * through a real Aeron publication (which reach reluq's own checks). {@code reluq cluster stray} and the tests use
 * it.
 */
public final class ForeignTraffic {

    /**
     * What was sent.
     *
     * @param datagrams     random datagrams
     * @param versionZero   of those, the ones Aeron's frame check passes (8 bytes or more, version byte 0): Aeron
     *                      drops them by type or session without counting them as invalid
     * @param foreignFrames messages with another run's id
     * @param corruptFrames messages whose CRC does not match
     */
    public record Sent(int datagrams, int versionZero, int foreignFrames, int corruptFrames) {
    }

    /** Aeron's shortest frame header: length (4), version (1), flags (1), type (2). */
    private static final int AERON_MIN_HEADER = 8;
    private static final int AERON_VERSION_OFFSET = 4;

    private ForeignTraffic() {
    }

    /**
     * Sends {@code datagrams} random datagrams (1 to 1400 bytes) and {@code frames} messages, half of another run
     * and half with a bad CRC, to the master at {@code endpoint}.
     */
    public static Sent send(final String endpoint, final int datagrams, final int frames, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final int colon = endpoint.lastIndexOf(':');
        final InetSocketAddress target = new InetSocketAddress(endpoint.substring(0, colon),
                Integer.parseInt(endpoint.substring(colon + 1)));
        int versionZero = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            final byte[] bytes = new byte[1400];
            for (int i = 0; i < datagrams; i++) {
                random.nextBytes(bytes);
                final int length = 1 + random.nextInt(bytes.length);
                if (length >= AERON_MIN_HEADER && bytes[AERON_VERSION_OFFSET] == 0) {
                    versionZero++;
                }
                socket.send(new DatagramPacket(bytes, length, target));
                if (i % 64 == 63) {
                    Thread.sleep(1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send datagrams to " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sent(0, 0, 0, 0);
        }
        int foreign = 0;
        int corrupt = 0;
        try (AeronNode node = new AeronNode(NetworkSettings.defaults())) {
            final Publication publication = node.sendTo(endpoint);
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (!publication.isConnected() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            final UnsafeBuffer body = new UnsafeBuffer(new byte[256]);
            final UnsafeBuffer header = new UnsafeBuffer(new byte[Message.HEADER_BYTES]);
            for (int i = 0; i < frames; i++) {
                random.nextBytes(body.byteArray());
                final boolean corruptOne = i % 2 == 1;
                Message.writeHeader(header, MessageType.GRADIENT, random.nextInt(4), random.nextLong() | 1, i, 0, 1,
                        body.capacity(), body.capacity());
                final int crc = Message.crc(header, 0, body, 0, body.capacity());
                header.putInt(Message.CRC_OFFSET, corruptOne ? ~crc : crc, Message.LE);
                while (publication.offer(header, 0, Message.HEADER_BYTES, body, 0, body.capacity()) < 0) {
                    if (System.nanoTime() > deadline + 20_000_000_000L) {
                        return new Sent(datagrams, versionZero, foreign, corrupt);
                    }
                    Thread.onSpinWait();
                }
                if (corruptOne) {
                    corrupt++;
                } else {
                    foreign++;
                }
            }
            // let the driver put the last frames on the wire before it closes
            final long flush = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < flush) {
                Thread.onSpinWait();
            }
        }
        return new Sent(datagrams, versionZero, foreign, corrupt);
    }
}
