package dev.switchboard.server;

class RestartPostgresTest extends RestartTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
