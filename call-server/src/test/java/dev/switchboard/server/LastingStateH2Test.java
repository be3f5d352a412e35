package dev.switchboard.server;

class LastingStateH2Test extends LastingStateTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
