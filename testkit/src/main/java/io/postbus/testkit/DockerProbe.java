package io.postbus.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.testcontainers.DockerClientFactory;

/**
 * Tells whether a Docker daemon is usable, quickly and quietly. Asking Testcontainers on a machine
 * without Docker tries every strategy and logs a page of errors, so it is only asked when there is
 * some sign of Docker at all, and then with a time limit.
 */
final class DockerProbe {
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(20);

    private DockerProbe() {
    }

    static boolean available() {
        if (!anySignOfDocker()) {
            return false;
        }
        CompletableFuture<Boolean> answer = CompletableFuture.supplyAsync(
                () -> DockerClientFactory.instance().isDockerAvailable(), DockerProbe::runOnDaemonThread);
        try {
            return answer.get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The places Testcontainers looks first: DOCKER_HOST, its own config file, and the usual sockets. */
    static boolean anySignOfDocker() {
        String dockerHost = System.getenv("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            return true;
        }
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> candidates = new ArrayList<>(List.of(
                home.resolve(".testcontainers.properties"),
                Path.of("/var/run/docker.sock"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock"),
                home.resolve(".colima/default/docker.sock"),
                home.resolve(".rd/docker.sock")));
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            candidates.add(Path.of(runtimeDir, "docker.sock"));
            candidates.add(Path.of(runtimeDir, "podman", "podman.sock"));
        }
        return candidates.stream().anyMatch(Files::exists);
    }

    private static void runOnDaemonThread(Runnable task) {
        Thread thread = new Thread(task, "postbus-docker-probe");
        thread.setDaemon(true);
        thread.start();
    }
}
