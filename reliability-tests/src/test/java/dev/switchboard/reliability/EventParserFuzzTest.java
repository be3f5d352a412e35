package dev.switchboard.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.AgentRouter;
import dev.switchboard.core.CallEngine;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.QueueDirectory;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.rules.Thresholds;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.server.wire.EventParser;
import dev.switchboard.server.wire.IncomingEvent;
import dev.switchboard.server.wire.Wire;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's first steps on a request body, fuzzed: {@code Wire.JSON} parses the bytes (or
 * refuses them with a Jackson exception), {@link EventParser#parse} turns each event into an
 * {@link IncomingEvent} or a list of field errors, and the engine evaluates what was accepted,
 * exactly as {@code POST /api/events} does. Anything else thrown (an {@code ArithmeticException},
 * a {@code NullPointerException}, ...) would be a 500 on the wire.
 *
 * <p>In the normal test run (no {@code JAZZER_FUZZ}) Jazzer runs the seeds in
 * {@code src/test/resources/dev/switchboard/reliability/EventParserFuzzTestInputs/anyBodyIsParsedOrRefusedCleanly/}
 * as a regression test. To fuzz: {@code JAZZER_FUZZ=1 mvn -f reliability-tests/pom.xml test
 * -Dtest=EventParserFuzzTest} (findings land next to the seeds).
 */
class EventParserFuzzTest {

    private static final long NOW = Instant.parse("2026-11-24T10:00:00Z").toEpochMilli();

    @FuzzTest(maxDuration = "60s")
    void anyBodyIsParsedOrRefusedCleanly(byte[] body) {
        JsonNode root;
        try {
            root = Wire.JSON.readTree(body);
        } catch (IOException refused) {   // JacksonException: the server answers 400 malformed JSON
            return;
        }
        if (root == null) {
            return;
        }
        CallEngine engine = engine();
        if (root.isArray()) {
            root.forEach(item -> check(item, engine));
        } else {
            check(root, engine);
        }
    }

    private static void check(JsonNode node, CallEngine engine) {
        switch (EventParser.parse(node)) {
            case EventParser.Parsed.Invalid bad -> assertFalse(bad.errors().isEmpty(), "a refusal names what is wrong");
            case EventParser.Parsed.Ok ok -> {
                IncomingEvent in = ok.event();
                CallEvent e = in.event();
                validId(e.callId());
                validId(e.eventId());
                assertNotNull(e.type());
                // the data object is kept verbatim in the audit log: it must survive write + read
                assertEquals(in.data(), Wire.read(Wire.write(in.data())));
                engine.evaluate(e);   // must decide (accept or reject), never throw
            }
        }
    }

    private static void validId(String id) {
        assertNotNull(id);
        assertFalse(id.isBlank());
        assertTrue(id.length() <= EventParser.MAX_ID_LENGTH, id);
        assertTrue(id.chars().noneMatch(Character::isISOControl), id);
    }

    private static CallEngine engine() {
        return CallEngine.builder()
            .clock(new ManualClock(NOW))
            .thresholds(Thresholds.DEFAULTS)
            .queues(QueueDirectory.of(List.of(new QueueConfig("medical_spanish", List.of("ana_garcia")))))
            .router(AgentRouter.longestIdle())
            .build();
    }
}
