package org.reluq.cluster;

/** Public access to the embedded drivers' directories, for the processes that start and stop workers. */
public final class DriverDirectories {

    private DriverDirectories() {
    }

    /** Removes the driver directories of processes that have ended (a killed worker's); returns how many. */
    public static int removeStale() {
        return DriverDirectory.removeStale();
    }
}
