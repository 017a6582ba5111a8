package org.reluq.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.reluq.kernels.simd.Vectorization;
import picocli.CommandLine;

/** {@code reluq --version}: the version and git commit it was built from, the JVM and the vector species. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        final Properties build = build();
        return new String[] {
            "reluq " + build.getProperty("version", "(unknown version)") + " (commit "
                    + build.getProperty("commit", "unknown") + ", built " + build.getProperty("built", "?") + ")",
            "JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version(),
            "vectors: " + Vectorization.describe(),
        };
    }

    /** The build's {@code org/reluq/cli/build.properties}: version, commit, build time. */
    static Properties build() {
        final Properties build = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            // an empty set: the version line says unknown
        }
        return build;
    }
}
