package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * {@code GET /api/info}: who the key is and where the Socket.io endpoint listens. Any valid key
 * may ask, so the console signs in with it.
 *
 * @param role       {@code supervisor}, {@code admin} or {@code ingest}
 * @param serverTime the server's clock when it answered (the console's ticking times follow it)
 */
public record ServerInfo(String role, int socketPort, Instant serverTime, String version) {

    public static ServerInfo fromJson(JsonNode n) {
        return new ServerInfo(Json.text(n, "role"), n.path("socket_port").asInt(0), Json.instant(n, "server_time"),
            Json.text(n, "version"));
    }

    /** Supervisors and admins may watch (Socket.io refuses an ingest-only key). */
    public boolean canSupervise() {
        return "supervisor".equals(role) || "admin".equals(role);
    }

    /** Only admins may start and stop the server's traffic generator. */
    public boolean isAdmin() {
        return "admin".equals(role);
    }

    /** Admins and ingest keys may post events, so the simulator actions are theirs. */
    public boolean canPostEvents() {
        return "admin".equals(role) || "ingest".equals(role);
    }
}
