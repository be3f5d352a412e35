package dev.switchboard.reliability;

import dev.switchboard.server.TestServer;

class ServerDefectsH2Test extends ServerDefectsTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
