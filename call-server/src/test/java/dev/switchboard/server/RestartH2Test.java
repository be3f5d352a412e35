package dev.switchboard.server;

class RestartH2Test extends RestartTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
