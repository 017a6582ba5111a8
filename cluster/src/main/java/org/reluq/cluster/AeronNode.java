package org.reluq.cluster;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.status.SystemCounterDescriptor;
import java.nio.file.Path;
import java.util.List;
import org.agrona.concurrent.status.CountersReader;

/**
 * One process's Aeron: an embedded media driver in its own directory ({@link DriverDirectory}; SHARED threading,
 * one thread, as small hosts want) or a standalone driver's directory, and the client. Closing it closes the client
 * and the driver and removes the embedded driver's directory.
 */
final class AeronNode implements AutoCloseable {

    /** The one stream id of every cluster channel; processes are told apart by endpoint. */
    static final int STREAM = 0x5251;

    private final NetworkSettings settings;
    private final MediaDriver driver;
    private final Path directory;
    private final Aeron aeron;

    AeronNode(final NetworkSettings settings) {
        this.settings = settings;
        DriverDirectory.removeStale();
        if (settings.externalDriver() == null) {
            directory = DriverDirectory.forProcess(ProcessHandle.current().pid());
            final MediaDriver.Context context = new MediaDriver.Context()
                    .aeronDirectoryName(directory.toString())
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(Pacing.newIdleStrategy())
                    .termBufferSparseFile(true)
                    .publicationTermBufferLength(settings.termBytes())
                    .mtuLength(settings.mtuBytes())
                    .initialWindowLength(settings.windowBytes())
                    .socketRcvbufLength(settings.socketBufferBytes())
                    .socketSndbufLength(settings.socketBufferBytes())
                    .warnIfDirectoryExists(false);
            driver = MediaDriver.launchEmbedded(context);
        } else {
            directory = settings.externalDriver();
            driver = null;
        }
        try {
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(directory.toString()));
        } catch (RuntimeException e) {
            if (driver != null) {
                driver.close();
                DriverDirectory.delete(directory);
            }
            throw e;
        }
    }

    /** A subscription at {@code endpoint} (host:port, port 0 for any free one). */
    Subscription listen(final String endpoint) {
        return aeron.addSubscription("aeron:udp?endpoint=" + endpoint + "|rcv-wnd=" + settings.windowBytes()
                + sockets(), STREAM);
    }

    /**
     * A publication to one endpoint. Concurrent (Aeron's {@code Publication}, not an exclusive one): the heartbeat
     * thread offers on it beside the sending thread, which an exclusive publication does not allow.
     */
    Publication sendTo(final String endpoint) {
        return aeron.addPublication("aeron:udp?endpoint=" + endpoint + "|term-length=" + settings.termBytes()
                + "|mtu=" + settings.mtuBytes() + sockets(), STREAM);
    }

    /**
     * A multi-destination publication whose destinations the caller adds ({@link #destination}); the slowest
     * receiver sets the pace (min flow control). Concurrent, as {@link #sendTo}.
     */
    Publication sendToMany() {
        return aeron.addPublication("aeron:udp?control-mode=manual|fc=min|term-length=" + settings.termBytes()
                + "|mtu=" + settings.mtuBytes() + sockets(), STREAM);
    }

    /** The socket buffers as channel parameters, so a standalone driver with its own defaults uses ours too. */
    private String sockets() {
        return "|so-rcvbuf=" + settings.socketBufferBytes() + "|so-sndbuf=" + settings.socketBufferBytes();
    }

    /** The channel that adds {@code endpoint} to a multi-destination publication. */
    static String destination(final String endpoint) {
        return "aeron:udp?endpoint=" + endpoint;
    }

    /** The driver's count of datagrams it could not parse as Aeron frames (stray or random packets). */
    long invalidPackets() {
        return systemCounter(SystemCounterDescriptor.INVALID_PACKETS.id());
    }

    /** Bytes the driver has sent, Aeron headers and retransmits included. */
    long driverBytesSent() {
        return systemCounter(SystemCounterDescriptor.BYTES_SENT.id());
    }

    /** Bytes the driver has received. */
    long driverBytesReceived() {
        return systemCounter(SystemCounterDescriptor.BYTES_RECEIVED.id());
    }

    /** Bytes the driver retransmitted after losses. */
    long retransmittedBytes() {
        return systemCounter(SystemCounterDescriptor.RETRANSMITTED_BYTES.id());
    }

    private long systemCounter(final int descriptorId) {
        final CountersReader counters = aeron.countersReader();
        final long[] value = {-1};
        counters.forEach((counterId, typeId, keyBuffer, label) -> {
            if (typeId == AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID && keyBuffer.getInt(0) == descriptorId) {
                value[0] = counters.getCounterValue(counterId);
            }
        });
        return value[0];
    }

    /** The addresses a subscription is bound to (host:port), once bound. */
    static List<String> boundAddresses(final Subscription subscription) {
        return subscription.localSocketAddresses();
    }

    /** Closes the client, then the embedded driver, and removes its directory. */
    @Override
    public void close() {
        aeron.close();
        if (driver != null) {
            driver.close();
            DriverDirectory.delete(directory);
        }
    }
}
