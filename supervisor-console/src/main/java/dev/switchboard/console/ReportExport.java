package dev.switchboard.console;

import dev.switchboard.console.net.ApiException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writing a report the server rendered in CSV to a file the supervisor chose. The text is written
 * as the server sent it (its header row names the JSON fields), to a temporary file beside the
 * target that then replaces it: a failed write never leaves half a report where the old one was.
 */
public final class ReportExport {

    private ReportExport() {
    }

    /**
     * Writes {@code csv} to {@code file} (UTF-8), replacing what was there.
     *
     * @return {@code file}
     * @throws UncheckedIOException if it cannot be written
     */
    public static Path write(Path file, String csv) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
            Files.writeString(temp, csv, StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write failed already; that is what the supervisor is told
                }
            }
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The data rows of a CSV text (its lines after the header). */
    public static long rows(String csv) {
        return Math.max(0, csv.lines().filter(l -> !l.isBlank()).count() - 1);
    }

    /** A failed save for people: the server's refusal, or what the file system said. */
    static String describe(Throwable failure) {
        Throwable c = failure;
        while (c != null) {
            if (c instanceof UncheckedIOException io) {
                return io.getMessage();
            }
            c = c.getCause();
        }
        return ApiException.of(failure).getMessage();
    }
}
