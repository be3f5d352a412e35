package dev.switchboard.server;

class UsersPostgresTest extends UsersTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
