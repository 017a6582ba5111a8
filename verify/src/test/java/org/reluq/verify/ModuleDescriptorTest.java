package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderProvider;

/**
 * The kernels' module descriptor: the Vector API only as a static dependency (so the module resolves without it),
 * the internal helpers not exported, and the encoder providers declared for the module path.
 */
class ModuleDescriptorTest {

    @Test
    void theVectorApiIsOptionalAndTheInternalsAreNotExported() throws IOException, URISyntaxException {
        // the kernels' own descriptor, not the first module-info.class on the class path
        final Path location = Path.of(Encoder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final ModuleDescriptor module;
        if (Files.isDirectory(location)) {
            try (InputStream in = Files.newInputStream(location.resolve("module-info.class"))) {
                module = ModuleDescriptor.read(in);
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                final JarEntry entry = jar.getJarEntry("module-info.class");
                assertNotNull(entry, location + " has a module-info.class");
                try (InputStream in = jar.getInputStream(entry)) {
                    module = ModuleDescriptor.read(in);
                }
            }
        }
        assertEquals("org.reluq.kernels", module.name());
        final ModuleDescriptor.Requires vector = module.requires().stream()
                .filter(r -> r.name().equals("jdk.incubator.vector")).findFirst().orElseThrow();
        assertEquals(Set.of(ModuleDescriptor.Requires.Modifier.STATIC), vector.modifiers());
        final Set<String> exported = module.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertTrue(exported.contains("org.reluq.kernels.encoder"), exported.toString());
        assertFalse(exported.contains("org.reluq.kernels.internal"), exported.toString());
        assertTrue(module.uses().contains("org.reluq.kernels.encoder.EncoderProvider"));
        // the module path's providers are the class path's, so neither list can forget an encoder
        final Set<String> services = ServiceLoader.load(EncoderProvider.class).stream()
                .map(p -> p.type().getName()).collect(Collectors.toSet());
        assertEquals(services, Set.copyOf(module.provides().iterator().next().providers()), module.provides().toString());
    }
}
