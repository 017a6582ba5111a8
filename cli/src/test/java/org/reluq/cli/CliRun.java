package org.reluq.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of the {@code reluq} command line in this JVM, with what it printed.
 *
 * @param code the exit code
 * @param out  standard output
 * @param err  standard error
 */
record CliRun(int code, String out, String err) {

    /** Runs {@code reluq args...}. */
    static CliRun of(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = Reluq.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }
}
