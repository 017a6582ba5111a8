package org.reluq.cluster;

import io.aeron.Publication;
import io.aeron.Subscription;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.linalg.DenseOps;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.qsgd.GradientAggregator;
import org.reluq.kernels.sgd.ProgressListener;
import org.reluq.kernels.sgd.Stepper;
import org.reluq.kernels.sgd.TrainingLoop;
import org.reluq.kernels.sgd.TrainingResult;

/**
 * The master of a distributed run (docs/cluster-protocol.md): listens at its endpoint, admits K workers, sends them
 * the run, then drives the rounds with the in-process trainer's {@link TrainingLoop}: each round it (in the master
 * topology) sends w, collects the K GRADIENT frames, adds them in worker order with a {@link GradientAggregator}
 * and updates w exactly as {@code QsgdStepper} does, so the curve, the bytes and w are the in-process trainer's
 * bits. In allgather it only watches: the workers update their own w, and the master checks they agree. A worker
 * silent for the peer timeout, or late past the round deadline, ends the run with a {@link ClusterFailure} that
 * names it and carries the last {@link Checkpoint}.
 */
public final class ClusterMaster implements AutoCloseable {

    /** Rounds between the checkpoints of a stateful encoder's worker state (a stateless run checkpoints every round). */
    public static final int CHECKPOINT_EVERY = 256;

    private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:%]{1,200}:[0-9]{1,5}");
    private static final long WELCOME_REPEAT_NANOS = 250_000_000L;

    private final RunSpec spec;
    private final NetworkSettings net;
    private final Checkpoint resume;
    private final Interruption interruption;
    private final Encoder encoder;
    private final int k;
    private final long runId;
    private final long startRound;
    private final int carriedBytes;
    private final AeronNode node;
    private final Subscription subscription;
    private final Publication broadcast;
    private final Outbox outbox;
    private final Inbox inbox;
    private final String endpoint;
    private final JoinedWorker[] workers;
    private final PeerClocks clocks;
    private final Arena arena = Arena.ofShared();
    private final UnsafeBuffer scratch;
    private int joined;
    private final boolean[] ready;
    private int readyCount;
    private final int[] readyCrc;
    private final OffHeapVector w0;
    private boolean running;
    private long round;
    private final boolean[] received;
    private final DirectBuffer[] bodies;
    private final GradientBody.Fields[] fields;
    private int receivedCount;
    private long messageBytes;
    private final RoundTimes times = new RoundTimes();
    private Heartbeat heartbeat;
    private int byes;

    /**
     * Binds the master's endpoint and starts its driver; {@link #run} then admits the workers.
     *
     * @param bind         host:port to listen at (port 0: any free one; see {@link #endpoint})
     * @param resume       the checkpoint to resume from, or null for a fresh run
     * @param interruption the process's SIGINT/SIGTERM flag
     */
    public ClusterMaster(final RunSpec spec, final String bind, final NetworkSettings net, final Checkpoint resume,
                         final Interruption interruption) {
        this.spec = spec;
        this.net = net;
        this.resume = resume;
        this.interruption = interruption;
        this.encoder = spec.parsedEncoder();
        this.k = spec.workers();
        this.startRound = resume == null ? 0 : resume.round();
        final long id = new SecureRandom().nextLong();
        this.runId = id == 0 ? 1 : id;
        this.carriedBytes = spec.carriedBytes();
        this.workers = new JoinedWorker[k];
        this.clocks = new PeerClocks(k);
        this.ready = new boolean[k];
        this.readyCrc = new int[k];
        this.received = new boolean[k];
        this.bodies = new DirectBuffer[k];
        this.fields = new GradientBody.Fields[k];
        final int bodyBytes = Math.max(GradientBody.FIXED_BYTES + carriedBytes + encoder.maxFrameBytes(spec.d()),
                spec.d() * Float.BYTES);
        final MemorySegment memory = arena.allocate(Math.max(bodyBytes, 4096), 64);
        this.scratch = new UnsafeBuffer(memory.address(), (int) memory.byteSize());
        this.w0 = OffHeapVector.allocate(spec.d());
        this.node = new AeronNode(net);
        try {
            this.subscription = node.listen(bind);
            this.endpoint = awaitBound(subscription, net, interruption);
            this.broadcast = node.sendToMany();
            this.outbox = new Outbox(broadcast, Message.MASTER, runId, net.peerTimeoutNanos());
            this.inbox = new Inbox(subscription, new Receiver(), runId, k, bodyBytes);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** Waits until Aeron has bound a subscription; returns its address host:port. */
    static String awaitBound(final Subscription subscription, final NetworkSettings net,
                             final Interruption interruption) {
        final long deadline = System.nanoTime() + net.joinTimeoutNanos();
        final IdleStrategy idle = Pacing.newIdleStrategy();
        while (true) {
            final List<String> addresses = AeronNode.boundAddresses(subscription);
            if (!addresses.isEmpty()) {
                return addresses.getFirst();
            }
            interruption.check();
            if (System.nanoTime() > deadline) {
                throw new ClusterFailure("cannot bind " + subscription.channel(), 1);
            }
            idle.idle();
        }
    }

    /** The endpoint (host:port) workers connect to. */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Admits K workers, runs the rounds and stops the workers.
     *
     * @throws ClusterFailure naming the worker at fault if one dies, stalls or breaks the protocol, or if the
     *                        process is interrupted; it carries the checkpoint to resume from
     */
    public ClusterOutcome run(final ProgressListener progress) {
        final long invalidBefore = node.invalidPackets();
        final long receivedBefore = node.driverBytesReceived();
        final long sentBefore = node.driverBytesSent();
        final long retransmittedBefore = node.retransmittedBytes();
        try {
            final long joinStart = System.nanoTime();
            join();
            final long joinNanos = System.nanoTime() - joinStart;
            final long budget = spec.sgd().maxIterations() - startRound;
            final TrainingResult loop = TrainingLoop.run(Rounds::new, (int) Math.max(1, budget),
                    spec.sgd().targetError(), progress);
            final long stopStart = System.nanoTime();
            stopWorkers(MessageType.STOP, new byte[0]);
            final long stopNanos = System.nanoTime() - stopStart;
            final TrainingResult result = resume == null ? loop : splice(resume, loop);
            final List<String> names = new ArrayList<>();
            for (final JoinedWorker worker : workers) {
                names.add(worker.describe());
            }
            return new ClusterOutcome(result, times, inbox.rejections(), node.invalidPackets() - invalidBefore,
                    messageBytes, node.driverBytesReceived() - receivedBefore, node.driverBytesSent() - sentBefore,
                    node.retransmittedBytes() - retransmittedBefore, names, runId, joinNanos,
                    stopNanos);
        } catch (RuntimeException e) {
            stopWorkers(MessageType.ABORT, String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
            throw e;
        }
    }

    private void join() {
        final long deadline = System.nanoTime() + net.joinTimeoutNanos();
        final IdleStrategy idle = Pacing.newIdleStrategy();
        while (joined < k) {
            if (inbox.poll(64) == 0) {
                idle.idle();
            }
            interruption.check();
            if (System.nanoTime() > deadline) {
                throw new ClusterFailure(String.format("only %d of %d workers joined within %.0f s at %s", joined, k,
                        net.joinTimeoutNanos() / 1e9, endpoint), ClusterFailure.PEER_LOST);
            }
        }
        heartbeat = new Heartbeat(broadcast, Message.MASTER, runId, net.heartbeatNanos(), "reluq-master-heartbeat");
        final int welcomeBytes = writeWelcome();
        clocks.resetAll();
        long lastWelcome = 0;
        while (readyCount < k) {
            if (System.nanoTime() - lastWelcome > WELCOME_REPEAT_NANOS) {
                outbox.send(MessageType.WELCOME, startRound, scratch, 0, welcomeBytes);
                lastWelcome = System.nanoTime();
            }
            if (inbox.poll(64) == 0) {
                idle.idle();
            }
            checkLiveness("while joining", deadline);
        }
        for (int i = 1; i < k; i++) {
            if (resume == null && readyCrc[i] != readyCrc[0]) {
                throw new ClusterFailure(workers[i].describe() + " derived another w0 than worker 0 (CRC32C 0x"
                        + Integer.toHexString(readyCrc[i]) + " against 0x" + Integer.toHexString(readyCrc[0])
                        + "): different reluq builds or data", ClusterFailure.PEER_LOST);
            }
        }
        if (resume != null) {
            w0.copyFrom(resume.weights());
            if (carriedBytes > 0) {
                for (int i = 0; i < k; i++) {
                    scratch.putInt(0, i, Message.LE);
                    Bodies.putFloats(scratch, 4, resume.carried()[i]);
                    outbox.send(MessageType.STATE, startRound, scratch, 0, 4 + carriedBytes);
                }
            }
        }
        running = true;
        round = startRound;
        if (spec.topology() == Topology.ALLGATHER) {
            outbox.send(MessageType.MODEL, startRound, scratch, 0, Bodies.putVector(scratch, 0, w0));
        }
    }

    private int writeWelcome() {
        scratch.putLong(0, runId, Message.LE);
        final int specBytes = spec.write(scratch, 10);
        scratch.putShort(8, (short) specBytes, Message.LE);
        int at = 10 + specBytes;
        scratch.putInt(at, k, Message.LE);
        scratch.putLong(at + 4, startRound, Message.LE);
        scratch.putInt(at + 12, CHECKPOINT_EVERY | (resume != null ? Welcome.RESUMED : 0), Message.LE);
        scratch.putLong(at + 16, net.heartbeatNanos(), Message.LE);
        scratch.putLong(at + 24, net.peerTimeoutNanos(), Message.LE);
        at += 32;
        for (final JoinedWorker worker : workers) {
            scratch.putLong(at, worker.nonce(), Message.LE);
            at += 8;
            at += Bodies.putString(scratch, at, worker.endpoint());
        }
        return at;
    }

    private void checkLiveness(final String phase, final long deadline) {
        interruption.check();
        final int silent = clocks.firstSilent(net.peerTimeoutNanos());
        if (silent >= 0) {
            throw new ClusterFailure(String.format("%s is dead or stalled: silent for %.1f s %s (peer timeout %.1f s)",
                    workers[silent].describe(), clocks.silence(silent) / 1e9, phase, net.peerTimeoutNanos() / 1e9),
                    ClusterFailure.PEER_LOST);
        }
        if (System.nanoTime() > deadline) {
            for (int i = 0; i < k; i++) {
                if (running ? !received[i] : !ready[i]) {
                    throw new ClusterFailure(String.format("%s is alive but sent nothing %s within the deadline",
                            workers[i].describe(), phase), ClusterFailure.PEER_LOST);
                }
            }
        }
    }

    /** Tells the workers the run is over (or failed), then waits briefly for their BYE. */
    private void stopWorkers(final MessageType type, final byte[] message) {
        if (heartbeat != null) {
            heartbeat.close();
        }
        try {
            final int bytes = Math.min(message.length, scratch.capacity());
            scratch.putBytes(0, message, 0, bytes);
            outbox.send(type, round, scratch, 0, bytes);
        } catch (ClusterFailure ignored) {
            // no worker is listening any more: nothing to tell
        }
        final long deadline = System.nanoTime() + Math.min(net.peerTimeoutNanos(), 3_000_000_000L);
        final IdleStrategy idle = Pacing.newIdleStrategy();
        while (byes < joined && System.nanoTime() < deadline) {
            inbox.poll(64);
            idle.idle();
        }
    }

    private static TrainingResult splice(final Checkpoint from, final TrainingResult loop) {
        final int r = (int) from.round();
        final int total = r + loop.iterations();
        final float[] error = Arrays.copyOf(from.relativeError(), total + 1);
        System.arraycopy(loop.relativeError(), 1, error, r + 1, loop.iterations());
        final float[] loss = Arrays.copyOf(from.loss(), total);
        System.arraycopy(loop.loss(), 0, loss, r, loop.iterations());
        final long[] bytes = Arrays.copyOf(from.wireBytes(), total + 1);
        System.arraycopy(loop.wireBytes(), 1, bytes, r + 1, loop.iterations());
        return new TrainingResult(total, loop.stopReason(), error, loss, bytes, loop.weights(), loop.initNanos(),
                loop.loopNanos(), loop.fastestStretchNanos());
    }

    /** The master's side of the messages. */
    private final class Receiver implements Inbox.Receiver {

        @Override
        public Admission admit(final MessageType type, final int sender, final long messageRound,
                               final int totalBytes) {
            if (type == MessageType.HELLO) {
                return sender == Message.UNASSIGNED ? Admission.TAKE : Admission.UNEXPECTED;
            }
            if (sender >= k) {
                return Admission.UNEXPECTED;
            }
            clocks.heard(sender);
            return switch (type) {
                case HEARTBEAT -> Admission.TAKE;
                case BYE -> Admission.TAKE;
                case READY -> running || ready[sender] ? Admission.STALE : Admission.TAKE;
                case GRADIENT -> !running || messageRound > round ? Admission.HOLD
                        : messageRound < round || received[sender] ? Admission.STALE : Admission.TAKE;
                default -> Admission.UNEXPECTED;
            };
        }

        @Override
        public void onMessage(final MessageType type, final int sender, final long messageRound,
                              final DirectBuffer body, final int offset, final int length) {
            messageBytes += Message.HEADER_BYTES + length;
            switch (type) {
                case HELLO -> hello(body, offset, length);
                case READY -> ready(sender, body, offset, length);
                case GRADIENT -> gradient(sender, body, offset, length);
                case BYE -> byes++;
                default -> { }
            }
        }

        private void hello(final DirectBuffer body, final int offset, final int length) {
            final long nonce;
            final long pid;
            final String host;
            final String address;
            try {
                if (length < 16) {
                    throw new IllegalArgumentException("short HELLO");
                }
                nonce = body.getLong(offset, Message.LE);
                pid = body.getLong(offset + 8, Message.LE);
                host = Bodies.getString(body, offset + 16, offset + length);
                address = Bodies.getString(body, offset + 17 + host.length(), offset + length);
            } catch (IllegalArgumentException e) {
                inbox.rejections().count(Rejection.BAD_BODY);
                return;
            }
            for (int i = 0; i < joined; i++) {
                if (workers[i].nonce() == nonce) {
                    return;
                }
            }
            if (joined == k || !ENDPOINT.matcher(address).matches()) {
                inbox.rejections().count(Rejection.BAD_SENDER);
                return;
            }
            workers[joined] = new JoinedWorker(joined, nonce, pid, host, address);
            broadcast.addDestination(AeronNode.destination(address));
            joined++;
        }

        private void ready(final int sender, final DirectBuffer body, final int offset, final int length) {
            if (length != (resume == null ? spec.d() * Float.BYTES : 0)) {
                inbox.rejections().count(Rejection.BAD_BODY);
                return;
            }
            if (resume == null) {
                readyCrc[sender] = Bodies.checksum(body, offset, length);
                if (sender == 0) {
                    Bodies.getVector(body, offset, w0);
                }
            }
            ready[sender] = true;
            readyCount++;
        }

        private void gradient(final int sender, final DirectBuffer body, final int offset, final int length) {
            try {
                fields[sender] = GradientBody.read(body, offset, length, carriedBytes);
            } catch (IllegalArgumentException e) {
                inbox.rejections().count(Rejection.BAD_BODY);
                throw new ClusterFailure(workers[sender].describe() + " sent a bad gradient for round " + round + ": "
                        + e.getMessage(), ClusterFailure.PEER_LOST);
            }
            // the body (at offset 0 of this worker's buffer) stays valid: admit() holds the worker's next
            // gradient until the round is done
            bodies[sender] = body;
            received[sender] = true;
            receivedCount++;
        }
    }

    /** One round per step, driven by the training loop. */
    private final class Rounds implements Stepper {

        private final GradientAggregator aggregator = new GradientAggregator(spec.d(), encoder);
        private final OffHeapVector w = OffHeapVector.allocate(spec.d());
        private final OffHeapVector wStar = PlantedModel.truth(spec.d(), spec.norm(), spec.sgd().seed());
        private final double truthNorm = Math.sqrt(DenseOps.normSquared(wStar));
        private final CurveLog curve;
        private final IdleStrategy idle = Pacing.newIdleStrategy();
        private double distanceSquared;
        private long wireBytes;
        private long snapshotRound;
        private float[] snapshotWeights;
        private double snapshotDistance;
        private float[][] snapshotStates;

        Rounds() {
            w.copyFrom(w0);
            if (resume == null) {
                distanceSquared = DenseOps.distanceSquared(w, wStar);
                curve = new CurveLog(new float[1], new float[0], new long[1]);
            } else {
                distanceSquared = resume.distanceSquared();
                wireBytes = resume.wireBytes()[(int) startRound];
                curve = new CurveLog(resume.relativeError(), resume.loss(), resume.wireBytes());
                snapshotStates = resume.carried();
            }
            curve.start((float) relativeError(), wireBytes);
            snapshotRound = startRound;
            snapshotWeights = w.toArray();
            snapshotDistance = distanceSquared;
            if (snapshotStates == null) {
                snapshotStates = new float[k][carriedBytes / Float.BYTES];
            }
        }

        @Override
        public double step() {
            final long start = System.nanoTime();
            heartbeat.round(round);
            if (spec.topology() == Topology.MASTER) {
                outbox.send(MessageType.MODEL, round, scratch, 0, Bodies.putVector(scratch, 0, w));
            }
            await();
            final long decodeStart = System.nanoTime();
            final double loss;
            try {
                loss = aggregate();
            } catch (MalformedFrameException e) {
                inbox.rejections().count(Rejection.BAD_BODY);
                throw failure("a worker sent a frame its encoder refuses in round " + round + ": " + e.getMessage());
            }
            GradientBody.Fields slowest = fields[0];
            for (final GradientBody.Fields f : fields) {
                if (f.computeNanos() + f.encodeNanos() > slowest.computeNanos() + slowest.encodeNanos()) {
                    slowest = f;
                }
            }
            final long end = System.nanoTime();
            times.record(end - start, slowest.computeNanos(), slowest.encodeNanos(), end - decodeStart);
            curve.add((float) loss, (float) relativeError(), wireBytes);
            Arrays.fill(received, false);
            receivedCount = 0;
            round++;
            return loss;
        }

        private void await() {
            clocks.resetAll();
            final long deadline = System.nanoTime() + net.roundDeadlineNanos();
            while (receivedCount < k) {
                if (inbox.poll(64) == 0) {
                    idle.idle();
                }
                try {
                    checkLiveness("in round " + round, deadline);
                } catch (ClusterFailure e) {
                    throw failure(e.getMessage(), e.exitCode());
                }
            }
        }

        /** As QsgdStepper: frames in worker order; a non-finite gradient stops the round with w unchanged. */
        private double aggregate() {
            final int checksum = spec.topology() == Topology.ALLGATHER ? Bodies.checksum(w) : 0;
            final boolean snapshot = carriedBytes > 0 && round % CHECKPOINT_EVERY == 0 && round != snapshotRound;
            aggregator.begin();
            double squares = 0;
            for (int i = 0; i < k; i++) {
                final GradientBody.Fields f = fields[i];
                if (spec.topology() == Topology.ALLGATHER && f.weightsCrc() != checksum) {
                    throw failure(workers[i].describe() + " holds another w than the master in round " + round);
                }
                if (carriedBytes > 0 && f.hasState() != (round % CHECKPOINT_EVERY == 0)) {
                    throw failure(workers[i].describe() + " sent state out of turn in round " + round);
                }
            }
            if (snapshot) {
                final float[][] states = new float[k][];
                for (int i = 0; i < k; i++) {
                    states[i] = new float[carriedBytes / Float.BYTES];
                    Bodies.getFloats(bodies[i], GradientBody.FIXED_BYTES, states[i]);
                }
                snapshotStates = states;
                snapshotRound = round;
                snapshotWeights = w.toArray();
                snapshotDistance = distanceSquared;
            }
            for (int i = 0; i < k; i++) {
                final GradientBody.Fields f = fields[i];
                if (!f.finite()) {
                    return Double.NaN;
                }
                aggregator.add(bodies[i], f.frameOffset(), f.frameBytes());
                wireBytes += f.frameBytes();
                squares += f.squares();
            }
            distanceSquared = DenseOps.axpyThenDistanceSquared(w, -spec.sgd().step(), aggregator.gradient(), wStar);
            return 0.5 * squares / spec.sgd().batchSize();
        }

        private ClusterFailure failure(final String message) {
            return failure(message, ClusterFailure.PEER_LOST);
        }

        /** A failure carrying the latest checkpoint: this round's start, or a stateful run's last snapshot. */
        private ClusterFailure failure(final String message, final int exitCode) {
            final Checkpoint checkpoint;
            if (carriedBytes == 0) {
                checkpoint = new Checkpoint(spec, round, w.toArray(), distanceSquared, curve.errors(round),
                        curve.losses(round), curve.bytes(round), new float[k][0]);
            } else {
                checkpoint = new Checkpoint(spec, snapshotRound, snapshotWeights, snapshotDistance,
                        curve.errors(snapshotRound), curve.losses(snapshotRound), curve.bytes(snapshotRound),
                        snapshotStates);
            }
            return new ClusterFailure(message, exitCode, checkpoint);
        }

        @Override
        public double relativeError() {
            return Math.sqrt(distanceSquared) / truthNorm;
        }

        @Override
        public long wireBytes() {
            return wireBytes;
        }

        @Override
        public OffHeapVector weights() {
            return w;
        }

        @Override
        public void close() {
            aggregator.close();
            w.close();
            wStar.close();
        }
    }

    /** Stops the heartbeat, closes the driver (removing its directory) and frees the buffers. */
    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.close();
        }
        inbox.close();
        node.close();
        w0.close();
        arena.close();
    }
}
