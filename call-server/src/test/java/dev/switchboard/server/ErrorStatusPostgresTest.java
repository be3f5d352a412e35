package dev.switchboard.server;

class ErrorStatusPostgresTest extends ErrorStatusTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
