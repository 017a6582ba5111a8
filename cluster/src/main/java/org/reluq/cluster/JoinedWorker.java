package org.reluq.cluster;

/**
 * A worker process as the master knows it.
 *
 * @param index    its worker number k
 * @param nonce    the random id it chose for its HELLO
 * @param pid      its process id
 * @param host     its host name
 * @param endpoint where it listens (host:port)
 */
record JoinedWorker(int index, long nonce, long pid, String host, String endpoint) {

    /** How messages name it: {@code worker 2 (pid 4711 on host, 10.0.0.2:40123)}. */
    String describe() {
        return "worker " + index + " (pid " + pid + " on " + host + ", " + endpoint + ")";
    }
}
