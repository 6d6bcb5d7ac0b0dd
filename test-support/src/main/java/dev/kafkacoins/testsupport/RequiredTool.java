package dev.kafkacoins.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A program or file a check needs and the build does not bring: {@code kubectl}, {@code shellcheck}, Chromium, the
 * image tars. Missing, the check fails in CI ({@code CI=true}, which CI runners set), because a check that quietly
 * does not run there proves nothing; on a developer's machine it is skipped, with the same message, which names
 * what is missing and how to get it.
 *
 * <pre>{@code Path shellcheck = RequiredTool.onPath("shellcheck", "Debian: apt-get install shellcheck").path();}</pre>
 */
public final class RequiredTool {

    private final String name;
    private final String install;
    private final Optional<Path> found;
    private final boolean inCi;

    private RequiredTool(String name, String install, Optional<Path> found, Map<String, String> environment) {
        this.name = name;
        this.install = install;
        this.found = found;
        this.inCi = "true".equalsIgnoreCase(environment.getOrDefault("CI", ""));
    }

    /** An executable named {@code name} in a folder of the PATH. */
    public static RequiredTool onPath(String name, String install) {
        return onPath(name, install, System.getenv());
    }

    static RequiredTool onPath(String name, String install, Map<String, String> environment) {
        Optional<Path> found = Arrays.stream(environment.getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(folder -> !folder.isEmpty()).map(folder -> Path.of(folder, name))
                .filter(Files::isExecutable).findFirst();
        return new RequiredTool(name, install, found, environment);
    }

    /**
     * Something that is there or not, found by the caller (such as the image tars a build leaves): {@code what}
     * names it in the message.
     */
    public static void require(boolean present, String what, String install) {
        require(present, what, install, System.getenv());
    }

    static void require(boolean present, String what, String install, Map<String, String> environment) {
        new RequiredTool(what, install, present ? Optional.of(Path.of("")) : Optional.empty(), environment).path();
    }

    /** Where it is; missing, a failure in CI and a skip elsewhere. */
    public Path path() {
        if (found.isPresent()) {
            return found.get();
        }
        String message = "missing " + name + ": " + install;
        if (inCi) {
            throw new AssertionError(message + " (CI=true: a check that cannot run fails)");
        }
        return Assumptions.abort(message + " (skipped outside CI; with CI=true this fails)");
    }
}
