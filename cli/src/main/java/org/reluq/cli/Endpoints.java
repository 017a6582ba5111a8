package org.reluq.cli;

import java.util.regex.Pattern;
import picocli.CommandLine;

/** Checks of HOST:PORT options. */
final class Endpoints {

    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.\\-]{1,200}|\\[[0-9A-Fa-f:.%]{1,100}\\]):"
            + "([0-9]{1,5})");

    private Endpoints() {
    }

    /** Throws a usage error unless {@code value} is host:port with a port in 0..65535. */
    static void requireHostPort(final CommandLine command, final String option, final String value) {
        final var matcher = HOST_PORT.matcher(value);
        if (!matcher.matches() || Integer.parseInt(matcher.group(2)) > 65535) {
            throw new CommandLine.ParameterException(command, option + " " + value
                    + ": expected HOST:PORT, e.g. 10.0.0.1:40123");
        }
    }
}
