package org.reluq.cli;

import java.io.PrintWriter;
import org.reluq.kernels.warmup.Preload;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code reluq} command: fits ReLUs with SGD on the planted Gaussian model. */
@Command(name = "reluq", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Fitting ReLUs via SGD and quantized SGD (Kalan, Soltanolkotabi, Avestimehr).",
        subcommands = {FitCommand.class, ReproduceCommand.class, BenchCommand.class, CompareEncodersCommand.class, ClusterCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 done, 1 the work failed (a diverged fit, an unwritable file, a failed benchmark),",
            "2 a bad option or value (one line on standard error names it)."})
public final class Reluq implements Runnable {

    /** Nanoseconds from the launch to the start of {@link #main} (-1 if unknown). */
    static long launchToMainNanos = -1;

    /** {@code System.nanoTime()} at the start of {@link #main}. */
    static long mainNanos = System.nanoTime();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code (2 for usage errors). */
    public static void main(final String[] args) {
        mainNanos = System.nanoTime();
        launchToMainNanos = ProcessClock.sinceLaunchNanos();
        // overlaps the kernels' one-time set-up with parsing the options
        Preload.start();
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int run(final String[] args, final PrintWriter out, final PrintWriter err) {
        System.setProperty("java.awt.headless", "true");
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            err.println("reluq: this JVM runs without the Vector API. Start it with "
                    + "--add-modules=jdk.incubator.vector (the ./reluq launcher does).");
            return 2;
        }
        final CommandLine cli = new CommandLine(new Reluq());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(Reluq::oneLine);
        return cli.execute(args);
    }

    /** A bad option or value: one line naming it and where to look, exit code 2; no usage dump. */
    private static int oneLine(final CommandLine.ParameterException e, final String[] args) {
        final CommandLine command = e.getCommandLine();
        final String name = command.getCommandSpec().qualifiedName();
        command.getErr().println(name + ": " + e.getMessage() + " (try '" + name + " --help')");
        return 2;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'reluq fit'");
    }
}
