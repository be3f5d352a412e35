package dev.switchboard.server;

class TrafficH2Test extends TrafficTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
