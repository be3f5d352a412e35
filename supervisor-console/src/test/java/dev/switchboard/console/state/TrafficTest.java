package dev.switchboard.console.state;

import dev.switchboard.console.wire.Json;
import dev.switchboard.console.wire.Traffic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's traffic generator as the console reads and shows it, and when it asks again. */
class TrafficTest {

    private static final Instant T0 = Instant.parse("2026-12-07T15:10:00Z");

    private static final String RUNNING = """
        {"running": true, "calls_per_minute": 30, "duration": "PT10M", "started_at": "2026-12-07T15:10:00Z",
         "ends_at": "2026-12-07T15:20:00Z", "started_by": "maria.lopez", "stopped_at": null, "stop_reason": null,
         "calls_started": 42, "events_posted": 180, "events_refused": 2, "live_calls": 7}""";

    private static final String NEVER = """
        {"running": false, "calls_per_minute": null, "duration": null, "started_at": null, "ends_at": null,
         "started_by": null, "stopped_at": null, "stop_reason": null, "calls_started": 0, "events_posted": 0,
         "events_refused": 0, "live_calls": 0}""";

    @Test
    void aRunningGeneratorReadsWithItsRateItsEndAndWhatItPlayed() {
        Traffic t = Traffic.fromJson(Json.parse(RUNNING));
        assertTrue(t.running());
        assertEquals(30, t.callsPerMinute());
        assertEquals(Duration.ofMinutes(10), t.duration());
        assertEquals(Instant.parse("2026-12-07T15:20:00Z"), t.endsAt());
        assertEquals(7, t.liveCalls());

        assertEquals("Running: 30 calls a minute until " + Format.time(t.endsAt()) + " (4:00 left), started by maria.lopez",
            TrafficViewModel.summary(t, T0.plus(Duration.ofMinutes(6))));
        assertEquals("42 calls started · 7 live · 180 events posted · 2 refused", TrafficViewModel.counts(t));
    }

    @Test
    void aGeneratorNeverStartedHasNullsAndSaysSo() {
        Traffic t = Traffic.fromJson(Json.parse(NEVER));
        assertFalse(t.running());
        assertFalse(t.everRan());
        assertNull(t.callsPerMinute());
        assertNull(t.duration());
        assertEquals("Not started since the server started", TrafficViewModel.summary(t, T0));
    }

    @Test
    void aStoppedRunSaysWhyInWords() {
        Traffic t = Traffic.fromJson(Json.parse(RUNNING.replace("\"running\": true", "\"running\": false")
            .replace("\"stopped_at\": null", "\"stopped_at\": \"2026-12-07T15:20:00Z\"")
            .replace("\"stop_reason\": null", "\"stop_reason\": \"duration\"")));
        assertEquals("Stopped at " + Format.time(t.stoppedAt()) + ": its time was up (ran 30 calls a minute from "
            + Format.time(t.startedAt()) + ", started by maria.lopez)", TrafficViewModel.summary(t, T0));
        for (String[] reason : new String[][] {{"stopped", "stopped by an admin"}, {"shutdown", "the server shut down"},
            {"leadership_lost", "the node running it stopped leading the cluster"}, {"something_new", "something new"}}) {
            Traffic r = Traffic.fromJson(Json.parse(RUNNING.replace("\"running\": true", "\"running\": false")
                .replace("\"stop_reason\": null", "\"stop_reason\": \"" + reason[0] + "\"")));
            assertTrue(TrafficViewModel.summary(r, T0).startsWith("Stopped: " + reason[1]), TrafficViewModel.summary(r, T0));
        }
    }

    @Test
    void itIsAskedForWhileItsPanelIsShownOrItRunsAndNotWhenTheServerHasNone() {
        TrafficViewModel vm = new TrafficViewModel(true);
        assertFalse(vm.shouldPoll(), "hidden and not running: no requests");
        vm.shownProperty().set(true);
        assertTrue(vm.shouldPoll());
        vm.shownProperty().set(false);
        vm.apply(Traffic.fromJson(Json.parse(RUNNING)));
        assertTrue(vm.shouldPoll(), "a run on: its end shows even with the panel hidden");
        vm.apply(Traffic.fromJson(Json.parse(NEVER)));
        assertFalse(vm.shouldPoll());

        vm.shownProperty().set(true);
        vm.unavailable();
        assertFalse(vm.shouldPoll(), "a server before the generator answers 404: asked once");
        assertTrue(vm.problemProperty().get().contains("no traffic generator"));
    }

    @Test
    void aRunSeenStartingSetsThePicksToItsRateAndTimeOnce() {
        TrafficViewModel vm = new TrafficViewModel(true);
        vm.apply(Traffic.fromJson(Json.parse(RUNNING.replace("\"PT10M\"", "\"PT15M\""))));
        assertEquals(30, vm.callsPerMinuteProperty().get());
        assertEquals(15, vm.minutesProperty().get());

        vm.callsPerMinuteProperty().set(45);   // the admin is picking a new rate
        vm.apply(Traffic.fromJson(Json.parse(RUNNING)));
        assertEquals(45, vm.callsPerMinuteProperty().get(), "a poll of the same run leaves the picks alone");
    }

    @Test
    void theRateAndTimeAreCheckedAgainstTheServersLimitsBeforeTheyAreSent() {
        TrafficViewModel vm = new TrafficViewModel(true);
        assertNull(vm.check(), "the defaults: 10 calls a minute for 10 min");
        assertEquals(Duration.ofMinutes(10), vm.pickedDuration());
        vm.callsPerMinuteProperty().set(601);
        assertEquals("Calls a minute: 1 to 600", vm.check());
        vm.callsPerMinuteProperty().set(600);
        vm.minutesProperty().set(8 * 60 + 1);
        assertEquals("Duration: 1 min to 8 h", vm.check());
        vm.minutesProperty().set(8 * 60);
        assertNull(vm.check());
    }
}
