package dev.switchboard.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Secrets generated at first start and kept (owner-only) in the data directory. */
public final class Secrets {

    private Secrets() {
    }

    /** A secret and whether it was just created. */
    public record Kept(String value, Path file, boolean created) {
    }

    /** Reads {@code dataDir/name}, or creates it with a fresh random value prefixed {@code prefix}. */
    public static Kept kept(Path dataDir, String name, String prefix) throws IOException {
        Path file = dataDir.resolve(name);
        if (Files.exists(file)) {
            return new Kept(Files.readString(file).trim(), file, false);
        }
        Files.createDirectories(dataDir);
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String value = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.writeString(file, value + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        return new Kept(value, file, true);
    }
}
