package dev.switchboard.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * What the console remembers between runs, in {@code ~/.switchboard/console.properties}: the last
 * server address, and the key only when the supervisor ticked "remember key" (the file is then
 * readable by its owner alone).
 *
 * @param serverUrl the last address signed in to, or {@code ""}
 * @param key       the remembered key, or {@code ""}
 */
public record ConsoleSettings(String serverUrl, String key) {

    public static final String FILE = "console.properties";
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    /** {@code ~/.switchboard}, or the {@code switchboard.home} system property when set. */
    public static Path defaultDir() {
        String override = System.getProperty("switchboard.home");
        return override != null ? Path.of(override) : Path.of(System.getProperty("user.home"), ".switchboard");
    }

    public static ConsoleSettings load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new ConsoleSettings(DEFAULT_URL, "");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            return new ConsoleSettings(DEFAULT_URL, "");
        }
        return new ConsoleSettings(p.getProperty("server.url", DEFAULT_URL), p.getProperty("api.key", ""));
    }

    public boolean remembersKey() {
        return !key.isEmpty();
    }

    /** Saves the address, and the key only if {@code rememberKey}; a key saved before is then forgotten. */
    public static ConsoleSettings save(Path dir, String serverUrl, String key, boolean rememberKey) {
        Properties p = new Properties();
        p.setProperty("server.url", serverUrl);
        if (rememberKey) {
            p.setProperty("api.key", key);
        }
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "console", ".tmp");
            restrictToOwner(tmp);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "Switchboard supervisor console");
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the console's settings in " + dir, e);
        }
        return new ConsoleSettings(serverUrl, rememberKey ? key : "");
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user's profile directory is private already
        }
    }
}
