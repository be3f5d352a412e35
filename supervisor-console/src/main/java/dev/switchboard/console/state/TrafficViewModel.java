package dev.switchboard.console.state;

import dev.switchboard.console.wire.Traffic;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;

import java.time.Duration;
import java.time.Instant;

/**
 * The server's traffic generator as the console shows it ({@code GET /api/traffic}): its status,
 * the rate and duration an admin picks to start or change it, and whether it is worth asking the
 * server again. There is no push for it: the console asks every {@link #POLL_EVERY} while the
 * panel is shown or the generator runs ({@link #shouldPoll}), so a run started elsewhere, or one
 * that ended by itself, shows within two seconds. FX-thread only.
 */
public final class TrafficViewModel {

    /** The server's limits and defaults for {@code POST /api/traffic}. */
    public static final int MIN_RATE = 1;
    public static final int MAX_RATE = 600;
    public static final int DEFAULT_RATE = 10;
    /** The panel picks whole minutes: the server takes PT1S to PT8H. */
    public static final int MIN_MINUTES = 1;
    public static final int MAX_MINUTES = 8 * 60;
    public static final int DEFAULT_MINUTES = 10;
    /** How often the status is asked for while it matters: often enough to follow a run, one small GET. */
    public static final Duration POLL_EVERY = Duration.ofSeconds(2);

    private final ReadOnlyObjectWrapper<Traffic> status = new ReadOnlyObjectWrapper<>(this, "status", Traffic.UNKNOWN);
    private final IntegerProperty callsPerMinute = new SimpleIntegerProperty(this, "callsPerMinute", DEFAULT_RATE);
    private final IntegerProperty minutes = new SimpleIntegerProperty(this, "minutes", DEFAULT_MINUTES);
    private final BooleanProperty shown = new SimpleBooleanProperty(this, "shown");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(this, "available", true);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final boolean canControl;

    /** @param canControl whether this user may start and stop it (admins); others see it read-only */
    public TrafficViewModel(boolean canControl) {
        this.canControl = canControl;
    }

    /** The server's answer (to a GET, a start or a stop); a run seen starting sets the picks to its rate and time. */
    public void apply(Traffic t) {
        if (t.running() && !status.get().running() && t.callsPerMinute() != null) {
            // a run seen starting (here or elsewhere): the picks show it, so Apply changes it from there
            callsPerMinute.set(t.callsPerMinute());
            if (t.duration() != null) {
                minutes.set((int) Math.max(MIN_MINUTES, Math.min(MAX_MINUTES, t.duration().toMinutes())));
            }
        }
        status.set(t);
        available.set(true);
        problem.set("");
    }

    /** A refusal or a failure to reach the server, in the supervisor's words. */
    public void failed(String message) {
        problem.set(message == null ? "" : message);
    }

    /** The server has no {@code /api/traffic} (older than the generator): nothing to poll or offer. */
    public void unavailable() {
        available.set(false);
        problem.set("This server has no traffic generator (a call-server before it)");
    }

    /** Whether to ask the server now: the panel is shown, or a run is on (its end shows even elsewhere). */
    public boolean shouldPoll() {
        return available.get() && (shown.get() || status.get().running());
    }

    /** Why the picked rate or duration cannot be sent, or {@code null}: the server's own limits. */
    public String check() {
        if (callsPerMinute.get() < MIN_RATE || callsPerMinute.get() > MAX_RATE) {
            return "Calls a minute: " + MIN_RATE + " to " + MAX_RATE;
        }
        if (minutes.get() < MIN_MINUTES || minutes.get() > MAX_MINUTES) {
            return "Duration: " + MIN_MINUTES + " min to " + MAX_MINUTES / 60 + " h";
        }
        return null;
    }

    public Duration pickedDuration() {
        return Duration.ofMinutes(minutes.get());
    }

    /**
     * What the generator does, in one line: "Running: 30 calls a minute until 15:20:00 (4:59 left),
     * started by admin", "Stopped at 15:20:00: its time was up", "Not started since the server started".
     */
    public static String summary(Traffic t, Instant now) {
        if (t.running()) {
            String left = t.endsAt() == null ? "" : " until " + Format.time(t.endsAt())
                + " (" + Format.clock(Duration.between(now, t.endsAt())) + " left)";
            return "Running: " + rate(t.callsPerMinute()) + left + (t.startedBy() == null ? "" : ", started by " + t.startedBy());
        }
        if (!t.everRan()) {
            return "Not started since the server started";
        }
        return "Stopped" + (t.stoppedAt() == null ? "" : " at " + Format.time(t.stoppedAt())) + ": " + why(t.stopReason())
            + " (ran " + rate(t.callsPerMinute()) + " from " + Format.time(t.startedAt())
            + (t.startedBy() == null ? "" : ", started by " + t.startedBy()) + ")";
    }

    /** What it has played: "42 calls started · 7 live · 180 events posted · 2 refused". */
    public static String counts(Traffic t) {
        return t.callsStarted() + " call" + (t.callsStarted() == 1 ? "" : "s") + " started · " + t.liveCalls() + " live · "
            + t.eventsPosted() + " events posted · " + t.eventsRefused() + " refused";
    }

    private static String rate(Integer perMinute) {
        return perMinute == null ? "?" : perMinute + (perMinute == 1 ? " call a minute" : " calls a minute");
    }

    private static String why(String stopReason) {
        return switch (stopReason == null ? "" : stopReason) {
            case "duration" -> "its time was up";
            case "stopped" -> "stopped by an admin";
            case "shutdown" -> "the server shut down";
            case "leadership_lost" -> "the node running it stopped leading the cluster";
            default -> stopReason == null ? "stopped" : Format.words(stopReason).toLowerCase(java.util.Locale.ROOT);
        };
    }

    public ReadOnlyObjectProperty<Traffic> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public IntegerProperty callsPerMinuteProperty() {
        return callsPerMinute;
    }

    public IntegerProperty minutesProperty() {
        return minutes;
    }

    /** Whether the panel is on screen (bound from the view). */
    public BooleanProperty shownProperty() {
        return shown;
    }

    /** A start or stop on its way (the buttons wait for it). */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public void setBusy(boolean b) {
        busy.set(b);
    }

    /** Whether the server has a traffic generator. */
    public ReadOnlyBooleanProperty availableProperty() {
        return available.getReadOnlyProperty();
    }

    /** The last refusal or failure, empty when the last answer was good. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public boolean canControl() {
        return canControl;
    }
}
