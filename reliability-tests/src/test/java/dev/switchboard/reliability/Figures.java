package dev.switchboard.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The figures a run measured ("requests tried vs 5xx", "acknowledged vs found"): printed to the
 * test output and appended to {@code target/reliability-figures.md}, from which
 * {@code docs/reliability.md} quotes them.
 */
final class Figures {

    private static final Path FILE = Path.of(System.getProperty("figures.file", "target/reliability-figures.md"));

    private Figures() {
    }

    static synchronized void record(String suite, String line) {
        String text = "- " + Instant.now() + " **" + suite + "**: " + line;
        System.out.println("FIGURE " + suite + ": " + line);
        try {
            Files.createDirectories(FILE.toAbsolutePath().getParent());
            Files.writeString(FILE, text + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
