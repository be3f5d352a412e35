package dev.switchboard.server.realtime;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BareConnectTest {

    private static String rewrite(String packets) {
        ByteBuf in = Unpooled.copiedBuffer(packets, StandardCharsets.UTF_8);
        ByteBuf out = BareConnect.withEmptyAuth(in);
        try {
            return out == null ? null : out.toString(StandardCharsets.UTF_8);
        } finally {
            in.release();
            if (out != null) {
                out.release();
            }
        }
    }

    @Test
    void aConnectWithoutAuthIsGivenAnEmptyOne() {
        assertEquals("40{}", rewrite("40"));
        // a polling body: packets separated by 0x1e, only the bare CONNECT changes
        assertEquals("40{}\u001e42[\"subscribe\",{}]", rewrite("40\u001e42[\"subscribe\",{}]"));
        assertEquals("3\u001e40{}", rewrite("3\u001e40"));
    }

    @Test
    void everythingElsePassesUntouched() {
        assertNull(rewrite("40{\"token\":\"k\"}"));
        assertNull(rewrite("40/admin,"));
        assertNull(rewrite("42[\"40\"]"));
        assertNull(rewrite("3"));
        assertNull(rewrite(""));
        assertNull(rewrite("4"));
        assertNull(rewrite("400"));
    }
}
