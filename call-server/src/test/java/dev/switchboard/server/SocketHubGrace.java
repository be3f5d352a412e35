package dev.switchboard.server;

import dev.switchboard.server.realtime.SocketHub;

/** How long the server waits for a token before it drops a connection. */
final class SocketHubGrace {
    static final long MS = SocketHub.AUTH_GRACE_MS;

    private SocketHubGrace() {
    }
}
