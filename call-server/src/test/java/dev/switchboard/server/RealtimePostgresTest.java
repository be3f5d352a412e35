package dev.switchboard.server;

class RealtimePostgresTest extends RealtimeTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
