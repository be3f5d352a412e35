package dev.switchboard.server;

class LifecyclePostgresTest extends LifecycleTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
