package dev.switchboard.server;

class TrafficPostgresTest extends TrafficTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
