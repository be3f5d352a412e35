package dev.switchboard.server;

class AlertsAtScalePostgresTest extends AlertsAtScaleTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
