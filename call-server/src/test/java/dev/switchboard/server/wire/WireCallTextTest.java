package dev.switchboard.server.wire;

import dev.switchboard.core.CallEngine;
import dev.switchboard.core.Decision;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.QueueDirectory;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.AgentRouter;
import dev.switchboard.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The call written straight to text ({@link Wire#callText}) is the call's tree ({@link Wire#call}) serialized. */
class WireCallTextTest {

    @Test
    void callTextIsTheTreeSerialized() {
        ManualClock clock = new ManualClock(1_700_000_000_123L);
        CallEngine engine = CallEngine.builder()
            .clock(clock)
            .router(AgentRouter.longestIdle())
            .queues(QueueDirectory.of(List.of(new QueueConfig("medical_spanish", List.of("ana", "bea")),
                new QueueConfig("legal_french", List.of("hugo")))))
            .build();
        List<Call> seen = new ArrayList<>();
        String[][] script = {
            {"a", "call_initiated", "{\"type\":\"voice\",\"queue_id\":\"medical_spanish\"}"},
            {"a", "call_routed", "{\"agent_id\":\"ana\"}"},
            {"a", "call_answered", "{}"},
            {"a", "call_hold", "{}"},
            {"a", "call_resumed", "{}"},
            {"a", "call_transferred", "{\"queue_id\":\"legal_french\"}"},
            {"a", "call_ended", "{\"end_reason\":\"completed\"}"},
            {"b", "call_initiated", "{\"type\":\"video\",\"queue_id\":\"medical_spanish\"}"},
            {"b", "call_ended", "{\"end_reason\":\"abandoned\"}"},
            {"c", "call_initiated", "{\"type\":\"voice\",\"queue_id\":\"legal_french\"}"},
            {"c", "call_routed", "{\"agent_id\":\"hugo\"}"},
            {"c", "call_answered", "{}"},
            {"c", "call_ended", "{\"end_reason\":\"completed\",\"duration\":3}"},
        };
        int n = 0;
        for (String[] step : script) {
            clock.advanceMs(1_234 + 7L * n);
            engine.advance();
            String json = "{\"event_id\":\"e" + n++ + "\",\"type\":\"" + step[1] + "\",\"call_id\":\"" + step[0]
                + "\",\"data\":" + step[2] + "}";
            var parsed = assertInstanceOf(EventParser.Parsed.Ok.class, EventParser.parse(Wire.read(json)));
            Decision d = engine.handle(parsed.event().event());
            assertInstanceOf(Decision.Accepted.class, d, json);
            seen.add(engine.call(step[0]).orElseThrow());
        }
        assertTrue(seen.stream().anyMatch(c -> !c.flags().isEmpty()), "a call with flags is among them");
        for (Call c : seen) {
            assertEquals(Wire.write(Wire.call(c)), Wire.callText(c));
        }
    }
}
