package dev.switchboard.server;

class PresenceAndQueuesH2Test extends PresenceAndQueuesTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
