package dev.switchboard.server;

class ReportsH2Test extends ReportsTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
