package org.reluq.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code reluq} command: fits ReLUs with SGD on the planted Gaussian model. */
@Command(name = "reluq", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Fitting ReLUs via SGD and quantized SGD (Kalan, Soltanolkotabi, Avestimehr).",
        subcommands = {FitCommand.class, ReproduceCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Reluq implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code (2 for usage errors). */
    public static void main(final String[] args) {
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
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'reluq fit'");
    }
}
