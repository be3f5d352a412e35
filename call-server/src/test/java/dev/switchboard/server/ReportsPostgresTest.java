package dev.switchboard.server;

class ReportsPostgresTest extends ReportsTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
