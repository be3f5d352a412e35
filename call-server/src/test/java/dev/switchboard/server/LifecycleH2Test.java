package dev.switchboard.server;

class LifecycleH2Test extends LifecycleTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
