package dev.switchboard.server;

class OidcPostgresTest extends OidcTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.POSTGRES;
    }
}
