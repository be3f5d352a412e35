package dev.switchboard.server;

class RealtimeH2Test extends RealtimeTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
