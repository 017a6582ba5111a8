package org.reluq.cluster;

import io.aeron.Publication;
import io.aeron.Subscription;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.linalg.DenseOps;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.qsgd.BatchShares;
import org.reluq.kernels.qsgd.GradientAggregator;
import org.reluq.kernels.qsgd.GradientWorker;
import org.reluq.kernels.sgd.BatchSampler;
import org.reluq.kernels.warmup.TrainingWarmup;

/**
 * A worker process of a distributed run (docs/cluster-protocol.md): says HELLO to its master until it is
 * welcomed, derives the data and the mini-batches from the run's seed, and each round computes and encodes the
 * gradient of its share with a {@link GradientWorker} (the in-process trainer's, unchanged) and sends the frame: to
 * the master, which answers with the next w, or in allgather to every peer and the master, adding the K frames in
 * worker order with a {@link GradientAggregator} itself. Ends when the master says STOP; a master silent for the
 * peer timeout, or an ABORT, ends it with a {@link ClusterFailure}.
 */
public final class ClusterWorker implements AutoCloseable {

    private static final long HELLO_REPEAT_NANOS = 200_000_000L;
    private static final int JOIN_BODY_BYTES = 1 << 16;

    private final String master;
    private final NetworkSettings net;
    private final int dataThreads;
    private final Interruption interruption;
    private final AeronNode node;
    private final Subscription subscription;
    private final String endpoint;
    private final Publication toMaster;
    private final Inbox inbox;
    private final long nonce = new SecureRandom().nextLong();
    private final PeerClocks masterClock = new PeerClocks(1);
    private final Arena arena = Arena.ofShared();
    private Welcome welcome;
    private int index = -1;
    private int workers;
    private long runId;
    private int carriedBytes;
    private boolean stopped;
    private String abort;
    private long expectedModel = -1;
    private OffHeapVector w;
    private boolean haveModel;
    private boolean haveState;
    private GradientWorker gradientWorker;
    private long round;
    private boolean[] havePeer;
    private DirectBuffer[] peerBodies;
    private GradientBody.Fields[] peerFields;
    private int peersReceived;

    /**
     * Starts the driver and listens on {@code bindHost} (any free port).
     *
     * @param master      the master's host:port
     * @param bindHost    the address to listen at, reachable by the master (and, in allgather, by the peers)
     * @param dataThreads threads that generate the data
     */
    public ClusterWorker(final String master, final String bindHost, final NetworkSettings net, final int dataThreads,
                         final Interruption interruption) {
        this.master = master;
        this.net = net;
        this.dataThreads = dataThreads;
        this.interruption = interruption;
        this.node = new AeronNode(net);
        try {
            this.subscription = node.listen(bindHost + ":0");
            this.endpoint = ClusterMaster.awaitBound(subscription, net, interruption);
            this.toMaster = node.sendTo(master);
            this.inbox = new Inbox(subscription, new Receiver(), 0, 0, JOIN_BODY_BYTES);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** Where this worker listens (host:port). */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Joins, runs every round and returns when the master says STOP.
     *
     * @throws ClusterFailure if the master goes silent or aborts, or the process is interrupted
     */
    public void run() {
        join();
        final RunSpec spec = welcome.spec();
        final Encoder encoder = spec.parsedEncoder();
        final boolean allgather = spec.topology() == Topology.ALLGATHER;
        final List<Publication> publications = new ArrayList<>(List.of(toMaster));
        if (allgather) {
            for (int i = 0; i < workers; i++) {
                if (i != index) {
                    publications.add(node.sendTo(welcome.endpoints()[i]));
                }
            }
        }
        TrainingWarmup.start(spec.n(), spec.d(), spec.sgd().batchSize());
        final Fanout outbox = new Fanout(publications, index, runId, net.peerTimeoutNanos());
        try (Heartbeat heartbeat = new Heartbeat(toMaster, index, runId, net.heartbeatNanos(),
                "reluq-worker-heartbeat");
             PlantedModel model = PlantedModel.generate(spec.n(), spec.d(), spec.norm(), spec.sgd().seed(),
                     dataThreads);
             GradientWorker worker = new GradientWorker(index, spec.d(), encoder);
             OffHeapVector weights = OffHeapVector.allocate(spec.d());
             GradientAggregator aggregator = allgather ? new GradientAggregator(spec.d(), encoder) : null) {
            this.w = weights;
            this.gradientWorker = worker;
            final int maxFrame = encoder.maxFrameBytes(spec.d());
            final int bodyBytes = Math.max(GradientBody.FIXED_BYTES + carriedBytes + maxFrame,
                    spec.d() * Float.BYTES);
            inbox.expect(runId, workers, Math.max(bodyBytes, JOIN_BODY_BYTES));
            final MemorySegment memory = arena.allocate(bodyBytes, 64);
            final UnsafeBuffer send = new UnsafeBuffer(memory.address(), (int) memory.byteSize());
            try (OffHeapVector scratch = OffHeapVector.allocate(spec.d())) {
                spec.sgd().init().write(model, spec.sgd().seed(), w, scratch);
            }
            awaitImages(allgather ? workers : 1, outbox);
            final boolean fresh = !welcome.resumed();
            outbox.sendToMaster(MessageType.READY, welcome.startRound(), send, 0,
                    fresh ? Bodies.putVector(send, 0, w) : 0);
            final BatchSampler sampler = new BatchSampler(spec.n(), spec.sgd().batchSize(), spec.sgd().sampling(),
                    spec.sgd().seed());
            final int[] rows = new int[spec.sgd().batchSize()];
            for (long r = 0; r < welcome.startRound(); r++) {
                sampler.next(rows);
            }
            if (!fresh && carriedBytes > 0) {
                awaitUntil(() -> haveState, "the master's STATE");
            }
            round = welcome.startRound();
            final Rounds rounds = new Rounds(spec, model, worker, sampler, rows, outbox, send, heartbeat, aggregator);
            rounds.run(fresh);
            outbox.sendToMaster(MessageType.BYE, round, send, 0, 0);
        }
    }

    private void join() {
        final Outbox hello = new Outbox(toMaster, Message.UNASSIGNED, 0, net.peerTimeoutNanos());
        final MemorySegment memory = arena.allocate(1024, 64);
        final UnsafeBuffer body = new UnsafeBuffer(memory.address(), (int) memory.byteSize());
        body.putLong(0, nonce, Message.LE);
        body.putLong(8, ProcessHandle.current().pid(), Message.LE);
        int length = 16 + Bodies.putString(body, 16, hostName());
        length += Bodies.putString(body, length, endpoint);
        final long deadline = System.nanoTime() + net.joinTimeoutNanos();
        final IdleStrategy idle = Pacing.newIdleStrategy();
        long last = 0;
        while (index < 0) {
            if (System.nanoTime() - last > HELLO_REPEAT_NANOS) {
                hello.trySend(MessageType.HELLO, 0, body, 0, length);
                last = System.nanoTime();
            }
            if (inbox.poll(16) == 0) {
                idle.idle();
            }
            interruption.check();
            if (abort != null) {
                throw new ClusterFailure("the master at " + master + " turned this worker away: " + abort,
                        ClusterFailure.PEER_LOST);
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterFailure(String.format("no master answered at %s within %.0f s", master,
                        net.joinTimeoutNanos() / 1e9), ClusterFailure.MASTER_LOST);
            }
        }
    }

    private static String hostName() {
        try {
            final String name = InetAddress.getLocalHost().getHostName();
            return name.length() > Bodies.MAX_STRING_BYTES ? name.substring(0, Bodies.MAX_STRING_BYTES) : name;
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    /** Waits until the subscription sees {@code images} senders and the publication a receiver. */
    private void awaitImages(final int images, final Fanout outbox) {
        awaitUntil(() -> subscription.imageCount() >= images && outbox.connected(),
                "the master's and the peers' links");
    }

    private void awaitUntil(final BooleanSupplier condition, final String what) {
        masterClock.resetAll();
        final IdleStrategy idle = Pacing.newIdleStrategy();
        while (!condition.getAsBoolean()) {
            if (inbox.poll(64) == 0) {
                idle.idle();
            }
            checkMaster("waiting for " + what);
        }
    }

    private void checkMaster(final String phase) {
        interruption.check();
        if (abort != null) {
            throw new ClusterFailure("the master aborted the run: " + abort, ClusterFailure.PEER_LOST);
        }
        if (masterClock.firstSilent(welcome == null ? net.peerTimeoutNanos() : welcome.peerTimeoutNanos()) >= 0) {
            throw new ClusterFailure(String.format("the master at %s went silent for %.1f s %s", master,
                    masterClock.silence(0) / 1e9, phase), ClusterFailure.MASTER_LOST);
        }
    }

    /** The rounds, in either topology. */
    private final class Rounds {

        private final RunSpec spec;
        private final PlantedModel model;
        private final GradientWorker worker;
        private final BatchSampler sampler;
        private final int[] rows;
        private final Fanout outbox;
        private final UnsafeBuffer send;
        private final Heartbeat heartbeat;
        private final GradientAggregator aggregator;
        private final int from;
        private final int count;
        private final float scale;

        Rounds(final RunSpec spec, final PlantedModel model, final GradientWorker worker, final BatchSampler sampler,
               final int[] rows, final Fanout outbox, final UnsafeBuffer send, final Heartbeat heartbeat,
               final GradientAggregator aggregator) {
            this.spec = spec;
            this.model = model;
            this.worker = worker;
            this.sampler = sampler;
            this.rows = rows;
            this.outbox = outbox;
            this.send = send;
            this.heartbeat = heartbeat;
            this.aggregator = aggregator;
            final int m = spec.sgd().batchSize();
            this.from = BatchShares.start(index, workers, m);
            this.count = BatchShares.start(index + 1, workers, m) - from;
            this.scale = 1f / m;
        }

        void run(final boolean fresh) {
            if (aggregator == null) {
                while (true) {
                    expectedModel = round;
                    awaitUntil(() -> haveModel || stopped, "round " + round + "'s w");
                    if (stopped) {
                        return;
                    }
                    haveModel = false;
                    compute();
                    round++;
                }
            }
            expectedModel = round;
            awaitUntil(() -> haveModel || stopped, "the first w");
            haveModel = false;
            final double truthNorm = Math.sqrt(DenseOps.normSquared(model.wStar()));
            boolean stop = fresh && (float) (Math.sqrt(DenseOps.distanceSquared(w, model.wStar())) / truthNorm)
                    <= spec.sgd().targetError();
            while (!stop && !stopped && round < spec.sgd().maxIterations()) {
                compute();
                awaitUntil(() -> peersReceived == workers - 1 || stopped, "round " + round + "'s frames");
                if (stopped) {
                    return;
                }
                aggregator.begin();
                double squares = 0;
                boolean finite = true;
                for (int i = 0; i < workers && finite; i++) {
                    final GradientBody.Fields f = i == index ? null : peerFields[i];
                    finite = f == null ? ownFinite : f.finite();
                    if (!finite) {
                        break;
                    }
                    if (f == null) {
                        aggregator.add(worker.frame(), 0, worker.frameLength());
                        squares += worker.squaredResiduals();
                    } else {
                        aggregator.add(peerBodies[i], f.frameOffset(), f.frameBytes());
                        squares += f.squares();
                    }
                }
                Arrays.fill(havePeer, false);
                peersReceived = 0;
                round++;
                if (!finite) {
                    break;
                }
                final double distance = DenseOps.axpyThenDistanceSquared(w, -spec.sgd().step(),
                        aggregator.gradient(), model.wStar());
                final double loss = 0.5 * squares / spec.sgd().batchSize();
                final double error = Math.sqrt(distance) / truthNorm;
                stop = !Double.isFinite(loss) || !Double.isFinite(error) || error <= spec.sgd().targetError();
            }
            awaitUntil(() -> stopped, "the master's STOP");
        }

        private boolean ownFinite;

        /** This round's gradient and frame, sent. */
        private void compute() {
            heartbeat.round(round);
            sampler.next(rows);
            final boolean withState = carriedBytes > 0 && round % welcome.checkpointEvery() == 0;
            if (withState) {
                int at = GradientBody.FIXED_BYTES;
                for (final OffHeapVector v : worker.state().carried()) {
                    at += Bodies.putVector(send, at, v);
                }
            }
            final int checksum = aggregator != null ? Bodies.checksum(w) : 0;
            final long start = System.nanoTime();
            ownFinite = worker.work(model.x(), model.y(), w, rows, from, count, scale, spec.sgd().seed(),
                    GradientWorker.ditherStream(round, index, workers));
            final long encodeNanos = worker.encodeNanos();
            final long computeNanos = System.nanoTime() - start - encodeNanos;
            final int stateBytes = withState ? carriedBytes : 0;
            final int frameBytes = ownFinite ? worker.frameLength() : 0;
            GradientBody.writeFixed(send, worker.squaredResiduals(), computeNanos, encodeNanos, checksum,
                    (ownFinite ? GradientBody.FINITE : 0) | (withState ? GradientBody.HAS_STATE : 0), stateBytes,
                    frameBytes);
            if (frameBytes > 0) {
                send.putBytes(GradientBody.FIXED_BYTES + stateBytes, worker.frame(), 0, frameBytes);
            }
            outbox.send(MessageType.GRADIENT, round, send, 0, GradientBody.FIXED_BYTES + stateBytes + frameBytes);
        }
    }

    /** The worker's side of the messages. */
    private final class Receiver implements Inbox.Receiver {

        @Override
        public Admission admit(final MessageType type, final int sender, final long messageRound,
                               final int totalBytes) {
            if (sender == Message.MASTER) {
                masterClock.heard(0);
                return switch (type) {
                    case WELCOME -> welcome == null ? Admission.TAKE : Admission.IGNORE;
                    case HEARTBEAT, STOP, ABORT -> Admission.TAKE;
                    case STATE -> gradientWorker == null ? Admission.HOLD
                            : !haveState && messageRound == welcome.startRound() ? Admission.TAKE : Admission.STALE;
                    case MODEL -> w == null || haveModel || messageRound > expectedModel ? Admission.HOLD
                            : messageRound == expectedModel ? Admission.TAKE : Admission.STALE;
                    default -> Admission.UNEXPECTED;
                };
            }
            if (welcome == null || sender >= workers || sender == index) {
                return Admission.UNEXPECTED;
            }
            return switch (type) {
                case READY, HEARTBEAT -> Admission.IGNORE;
                case GRADIENT -> havePeer == null || messageRound > round || havePeer[sender] ? Admission.HOLD
                        : messageRound < round ? Admission.STALE : Admission.TAKE;
                default -> Admission.UNEXPECTED;
            };
        }

        @Override
        public void onMessage(final MessageType type, final int sender, final long messageRound,
                              final DirectBuffer body, final int offset, final int length) {
            switch (type) {
                case WELCOME -> welcome(body, offset, length);
                case STOP -> stopped = true;
                case ABORT -> abort = length == 0 ? "no reason given"
                        : body.getStringWithoutLengthUtf8(offset, Math.min(length, 1000));
                case STATE -> state(body, offset, length);
                case MODEL -> model(body, offset, length);
                case GRADIENT -> peer(sender, body, offset, length);
                default -> { }
            }
        }

        private void welcome(final DirectBuffer body, final int offset, final int length) {
            final Welcome parsed;
            try {
                parsed = Welcome.read(body, offset, length);
            } catch (IllegalArgumentException e) {
                inbox.rejections().count(Rejection.BAD_BODY);
                return;
            }
            final int position = parsed.indexOf(nonce);
            if (position < 0) {
                return;
            }
            welcome = parsed;
            index = position;
            workers = parsed.spec().workers();
            runId = parsed.runId();
            carriedBytes = parsed.spec().carriedBytes();
            havePeer = new boolean[workers];
            peerBodies = new DirectBuffer[workers];
            peerFields = new GradientBody.Fields[workers];
        }

        private void state(final DirectBuffer body, final int offset, final int length) {
            if (length != 4 + carriedBytes) {
                inbox.rejections().count(Rejection.BAD_BODY);
                return;
            }
            if (body.getInt(offset, Message.LE) != index) {
                return;
            }
            int at = offset + 4;
            for (final OffHeapVector v : gradientWorker.state().carried()) {
                Bodies.getVector(body, at, v);
                at += v.length() * Float.BYTES;
            }
            haveState = true;
        }

        private void model(final DirectBuffer body, final int offset, final int length) {
            if (length != w.length() * Float.BYTES) {
                inbox.rejections().count(Rejection.BAD_BODY);
                return;
            }
            Bodies.getVector(body, offset, w);
            haveModel = true;
        }

        private void peer(final int sender, final DirectBuffer body, final int offset, final int length) {
            try {
                peerFields[sender] = GradientBody.read(body, offset, length, carriedBytes);
            } catch (IllegalArgumentException e) {
                inbox.rejections().count(Rejection.BAD_BODY);
                throw new ClusterFailure("worker " + sender + " sent a bad gradient: " + e.getMessage(),
                        ClusterFailure.PEER_LOST);
            }
            peerBodies[sender] = body;
            havePeer[sender] = true;
            peersReceived++;
        }
    }

    /** Closes the driver (removing its directory) and frees the buffers. */
    @Override
    public void close() {
        inbox.close();
        node.close();
        arena.close();
    }
}
