package dev.switchboard.server;

class LastingStatePostgresTest extends LastingStateTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
