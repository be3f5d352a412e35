package dev.switchboard.server;

class PresenceAndQueuesPostgresTest extends PresenceAndQueuesTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
