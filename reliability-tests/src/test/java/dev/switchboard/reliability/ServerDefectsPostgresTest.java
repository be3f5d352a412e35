package dev.switchboard.reliability;

import dev.switchboard.server.TestServer;

class ServerDefectsPostgresTest extends ServerDefectsTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
