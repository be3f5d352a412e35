package dev.switchboard.server;

class UsersH2Test extends UsersTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
