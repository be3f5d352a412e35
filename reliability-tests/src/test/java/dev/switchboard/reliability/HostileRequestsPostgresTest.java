package dev.switchboard.reliability;

import dev.switchboard.server.TestServer;

class HostileRequestsPostgresTest extends HostileRequestsTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
