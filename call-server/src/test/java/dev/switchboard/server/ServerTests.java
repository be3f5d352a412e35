package dev.switchboard.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

/** A test class with one real server for all its tests, on the backend its subclass names. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerTests {

    TestServer server;

    abstract TestServer.Backend backend();

    /** Extra settings (environment variable names) for this class's server. */
    Map<String, String> settings() {
        return Map.of();
    }

    @BeforeAll
    void start() {
        server = TestServer.start(backend(), settings());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }
}
