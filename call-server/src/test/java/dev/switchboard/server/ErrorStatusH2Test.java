package dev.switchboard.server;

class ErrorStatusH2Test extends ErrorStatusTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
