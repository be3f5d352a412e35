package dev.switchboard.core;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallEvent.CallAnswered;
import dev.switchboard.core.call.CallEvent.CallEnded;
import dev.switchboard.core.call.CallEvent.CallInitiated;
import dev.switchboard.core.call.CallEvent.CallRouted;
import dev.switchboard.core.call.CallType;
import dev.switchboard.core.rules.Effect;
import dev.switchboard.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the embedding example of call-core/README.md, and checks the README shows this very code. */
class EmbeddingExampleTest {

    @Test
    void theReadmeExampleRuns() {
        List<Effect> effects = new ArrayList<>();
        // README:begin
        var clock = new ManualClock(Instant.parse("2026-11-24T10:00:00Z"));
        var engine = CallEngine.builder()
            .clock(clock)                                        // or Clock.system()
            .queues(QueueDirectory.of(List.of(
                new QueueConfig("medical_spanish", List.of("ana", "bea")))))
            .listener(effects::add)                              // alerts, surveys, re-routes...
            .build();

        engine.handle(new CallInitiated("e1", "123", null, CallType.VIDEO, "medical_spanish"));
        engine.handle(new CallRouted("e2", "123", null, "ana", null));
        clock.advance(Duration.ofSeconds(15));
        engine.advance();                      // ana did not answer in 15 s: re-routed to bea
        clock.advance(Duration.ofSeconds(5));
        engine.handle(new CallAnswered("e3", "123", null, null));
        clock.advance(Duration.ofSeconds(95));
        engine.handle(new CallEnded("e4", "123", null, "completed", null));  // survey requested

        Call call = engine.call("123").orElseThrow();   // ended; bea answered after 20 s
        // README:end

        assertEquals("bea", call.agentId());
        assertEquals(20_000, call.waitMs());
        assertEquals(95_000, call.durationMs());
        assertTrue(effects.stream().anyMatch(e -> e instanceof Effect.AlertRaised a
            && a.alert().kind().wireName().equals("ring_no_answer")));
        assertTrue(effects.stream().anyMatch(e -> e instanceof Effect.SurveyRequested));
    }

    @Test
    void theReadmeShowsThisExample() throws IOException {
        List<String> source = Files.readAllLines(Path.of("src/test/java/dev/switchboard/core/EmbeddingExampleTest.java"));
        String block = source.subList(indexOf(source, "// README:begin") + 1, indexOf(source, "// README:end")).stream()
            .map(String::strip).collect(Collectors.joining("\n"));
        String readme = Files.readAllLines(Path.of("README.md")).stream().map(String::strip)
            .collect(Collectors.joining("\n"));
        assertTrue(readme.contains(block), "call-core/README.md must show the example exactly as tested:\n" + block);
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("marker not found: " + marker);
    }
}
