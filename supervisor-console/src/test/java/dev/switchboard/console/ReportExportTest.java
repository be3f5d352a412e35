package dev.switchboard.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing a CSV report to the file a supervisor chose. */
class ReportExportTest {

    private static final String CSV = "agent_id,offered,not_ready_by_reason\nana,9,lunch=1800.0;training=600.0\nluis,3,\n";

    @TempDir
    Path dir;

    @Test
    void theServersCsvIsWrittenAsItCameAndReplacesAnOlderFile() throws Exception {
        Path file = dir.resolve("switchboard-agents-2026-12-02.csv");
        Files.writeString(file, "an older report that is much longer than the new one\n".repeat(20));

        assertEquals(file, ReportExport.write(file, CSV));

        assertEquals(CSV, Files.readString(file));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file left beside it");
        }
        assertEquals(2, ReportExport.rows(CSV), "data rows, without the header");
        assertEquals(0, ReportExport.rows("start,end\n"));
    }

    @Test
    void aFileThatCannotBeWrittenSaysWhere() {
        Path nowhere = dir.resolve("no-such-dir").resolve("r.csv");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ReportExport.write(nowhere, CSV));
        assertTrue(e.getMessage().contains("no-such-dir"), e.getMessage());
        assertTrue(ReportExport.describe(new java.util.concurrent.CompletionException(e)).contains("cannot write"));
    }
}
