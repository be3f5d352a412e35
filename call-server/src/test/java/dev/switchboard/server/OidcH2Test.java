package dev.switchboard.server;

class OidcH2Test extends OidcTests {
    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }
}
