package org.reluq.cli;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reluq cluster driver}: a standalone Aeron media driver that cluster processes share with --driver DIR. */
@Command(name = "driver", mixinStandardHelpOptions = true,
        description = {"Run an Aeron media driver in DIR until SIGINT or SIGTERM (then remove DIR); cluster processes",
            "on this host use it with --driver DIR instead of embedding their own."})
final class ClusterDriverCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "The driver's directory.")
    Path dir;

    @Override
    public Integer call() {
        final MediaDriver.Context context = new MediaDriver.Context().aeronDirectoryName(dir.toString())
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true).threadingMode(ThreadingMode.SHARED)
                .termBufferSparseFile(true);
        try (MediaDriver driver = MediaDriver.launch(context)) {
            System.out.println("driver     running in " + driver.aeronDirectoryName() + "; SIGINT or SIGTERM stops it");
            new ShutdownSignalBarrier().await();
        }
        return 0;
    }
}
