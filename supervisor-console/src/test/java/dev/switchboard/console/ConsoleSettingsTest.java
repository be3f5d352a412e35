package dev.switchboard.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleSettingsTest {

    @TempDir
    Path dir;

    @Test
    void aFirstRunOffersTheLocalServer() {
        ConsoleSettings s = ConsoleSettings.load(dir);
        assertEquals(ConsoleSettings.DEFAULT_URL, s.serverUrl());
        assertFalse(s.remembersKey());
    }

    @Test
    void theKeyIsKeptOnlyWhenAskedAndForgottenWhenNoLongerAsked() throws Exception {
        ConsoleSettings.save(dir, "http://10.0.0.5:8080", "secret-key-0123456789", true);
        assertEquals(new ConsoleSettings("http://10.0.0.5:8080", "secret-key-0123456789"), ConsoleSettings.load(dir));
        assertEquals(PosixFilePermissions.fromString("rw-------"),
            Files.getPosixFilePermissions(dir.resolve(ConsoleSettings.FILE)), "readable by its owner alone");

        ConsoleSettings.save(dir, "http://10.0.0.5:8080", "secret-key-0123456789", false);
        assertEquals(new ConsoleSettings("http://10.0.0.5:8080", ""), ConsoleSettings.load(dir));
        assertFalse(Files.readString(dir.resolve(ConsoleSettings.FILE)).contains("secret-key"));
        assertTrue(Files.list(dir).allMatch(p -> p.getFileName().toString().equals(ConsoleSettings.FILE)), "no temp files left");
    }
}
