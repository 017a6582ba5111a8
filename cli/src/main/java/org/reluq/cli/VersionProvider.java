package org.reluq.cli;

import org.reluq.kernels.simd.Species;
import picocli.CommandLine;

/** {@code reluq --version}: the version, the JVM and the vector species the kernels run with. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        final String version = Reluq.class.getPackage().getImplementationVersion();
        return new String[] {
            "reluq " + (version == null ? "(development build)" : version),
            "JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version(),
            "vectors: " + Species.describe(),
        };
    }
}
