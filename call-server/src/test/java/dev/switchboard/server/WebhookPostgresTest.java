package dev.switchboard.server;

class WebhookPostgresTest extends WebhookTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
