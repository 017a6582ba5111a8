package org.reluq.cli;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
    public Integer call() throws InterruptedException {
        final MediaDriver driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir.toString())
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true).threadingMode(ThreadingMode.SHARED)
                .termBufferSparseFile(true));
        // the signal's shutdown hook closes the driver (removing DIR) and the JVM exits with 130 or 143; returning
        // from here instead would call System.exit inside the shutdown, which blocks
        Runtime.getRuntime().addShutdownHook(new Thread(driver::close, "reluq-driver-shutdown"));
        System.out.println("driver     running in " + driver.aeronDirectoryName() + "; SIGINT or SIGTERM stops it");
        new CountDownLatch(1).await();
        return 0;
    }
}
