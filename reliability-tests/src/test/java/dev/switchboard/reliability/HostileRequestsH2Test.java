package dev.switchboard.reliability;

import dev.switchboard.server.TestServer;

class HostileRequestsH2Test extends HostileRequestsTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
