package dev.switchboard.server;

class WebhookH2Test extends WebhookTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
