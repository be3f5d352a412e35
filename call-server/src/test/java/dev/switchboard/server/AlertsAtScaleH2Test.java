package dev.switchboard.server;

class AlertsAtScaleH2Test extends AlertsAtScaleTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
