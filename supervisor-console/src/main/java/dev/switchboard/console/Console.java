package dev.switchboard.console;

import dev.switchboard.console.net.ApiException;
import dev.switchboard.console.net.LiveFeed;
import dev.switchboard.console.net.ServerApi;
import dev.switchboard.console.net.Simulator;
import dev.switchboard.console.state.AlertsViewModel;
import dev.switchboard.console.state.CallAction;
import dev.switchboard.console.state.CenterState;
import dev.switchboard.console.state.Format;
import dev.switchboard.console.state.PresenceAction;
import dev.switchboard.console.state.ReportsViewModel;
import dev.switchboard.console.state.TrafficViewModel;
import dev.switchboard.console.wire.AgentReportItem;
import dev.switchboard.console.wire.AgentStats;
import dev.switchboard.console.wire.Alert;
import dev.switchboard.console.wire.AlertsAcked;
import dev.switchboard.console.wire.Call;
import dev.switchboard.console.wire.IntervalReportItem;
import dev.switchboard.console.wire.QueueStats;
import dev.switchboard.console.wire.ServerInfo;
import dev.switchboard.console.wire.TodayFigures;
import dev.switchboard.console.wire.Traffic;

import java.time.Duration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A signed-in console: the state, the REST API and the live feed, and the actions the views call.
 * Network work runs on the HTTP client's and the socket's threads; every result reaches the state
 * through {@code ui} (the JavaFX thread).
 */
public final class Console implements AutoCloseable {

    /** Live calls read at start (the server pages by 200). */
    static final int MAX_LIVE_CALLS = 2_000;
    /** Recently ended calls read at start, so the Ended filter is not empty after a restart. */
    static final int RECENT_ENDED_CALLS = 100;
    /** Newest alerts of any state read at start, for the acknowledged list (who acknowledged them). */
    static final int RECENT_ALERTS = 50;

    private final ServerApi api;
    private final ServerInfo info;
    private final Executor ui;
    private final CenterState state = new CenterState();
    private final LiveFeed feed;
    private final Simulator simulator;
    private final TrafficViewModel traffic;
    /** Whether a {@code GET /api/traffic} is on its way (polls never pile up behind a slow server). */
    private boolean trafficAsked;
    /** Server clock minus local clock at sign-in: the ticking times follow the server's clock. */
    private final Duration clockOffset;

    public Console(ServerApi api, String key, ServerInfo info, Executor ui) {
        this.api = api;
        this.info = info;
        this.ui = ui;
        this.clockOffset = info.serverTime() == null ? Duration.ZERO : Duration.between(Instant.now(), info.serverTime());
        this.simulator = info.canPostEvents() ? new Simulator(api) : null;
        this.traffic = new TrafficViewModel(info.isAdmin());
        this.feed = new LiveFeed(api.socketUri(info), key, state, ui, this::loadSnapshot, this::checkLog);
    }

    public void start() {
        feed.start();
    }

    /**
     * Reads calls, open alerts (and the newest of any state, so the acknowledged list says who
     * acknowledged the last ones), queues, agents and the center's figures; pushes that came first
     * win (see {@link CenterState}). A server without {@code GET /api/center} (older than the
     * presence contract) still loads: the center's figures then wait for the {@code metrics} push.
     */
    void loadSnapshot() {
        CompletableFuture<List<Call>> live = api.calls("waiting,active,on_hold", MAX_LIVE_CALLS);
        CompletableFuture<List<Call>> ended = api.calls("ended", RECENT_ENDED_CALLS);
        CompletableFuture<List<Alert>> alerts = api.openAlerts();
        CompletableFuture<List<Alert>> recent = api.recentAlerts(RECENT_ALERTS);
        CompletableFuture<List<QueueStats>> queues = api.queues();
        CompletableFuture<List<AgentStats>> agents = api.agents();
        CompletableFuture<TodayFigures> center = api.center().exceptionally(failure -> null);
        CompletableFuture.allOf(live, ended, alerts, recent, queues, agents, center).whenComplete((ok, failure) -> ui.execute(() -> {
            if (failure != null) {
                state.notice("Could not load the current calls: " + ApiException.of(failure).getMessage());
                return;
            }
            List<Call> calls = new ArrayList<>(live.join());
            calls.addAll(ended.join());
            List<Alert> known = new ArrayList<>(recent.join());
            known.addAll(alerts.join());
            state.applySnapshot(calls, known, queues.join(), agents.join(), center.join());
        }));
        refreshTraffic();   // a run already on shows without opening its panel
    }

    /**
     * A resume found the server's log behind the console's. If the server still knows a call the
     * console knows, it only restarted (nothing is lost: its new events come after ours); if not,
     * it is a new database, and the console starts over.
     */
    void checkLog(long serverSeq) {
        String known = state.calls().rows().isEmpty() ? null : state.calls().rows().get(0).id();
        if (known == null) {
            state.reset(serverSeq);
            return;
        }
        api.call(known).whenComplete((call, failure) -> ui.execute(() -> {
            if (failure != null && ApiException.of(failure).status() == 404) {
                state.reset(serverSeq);
                state.notice("The server's event log was reset; reloaded the current calls");
                loadSnapshot();
            }
        }));
    }

    /** Shows {@code callId}'s history (or none), loading it over REST; live pushes extend it. */
    public void select(String callId) {
        state.select(callId);
        if (callId == null) {
            return;
        }
        api.history(callId).whenComplete((events, failure) -> ui.execute(() -> {
            if (failure != null) {
                state.historyFailed(callId, ApiException.of(failure).getMessage());
            } else {
                state.historyLoaded(callId, events);
            }
        }));
    }

    /**
     * Acknowledges one alert ({@code POST /api/alerts/{id}/ack}) with the note typed, if any; the
     * note is cleared once the server took it.
     */
    public void acknowledge(Alert alert) {
        AlertsViewModel alerts = state.alerts();
        AlertsViewModel.TypedNote note = alerts.typedNote();
        if (alert == null || !noteSendable(note)) {
            return;
        }
        api.ack(alert.id(), note.note()).whenComplete((acked, failure) -> ui.execute(() -> {
            if (failure != null) {
                state.notice("Could not acknowledge " + Format.flag(alert.kind()) + ": " + ApiException.of(failure).getMessage());
            } else {
                state.applyAlertAcked(acked);
                clearNote(note);
                state.notice("Acknowledged " + Format.flag(acked.kind()).toLowerCase(java.util.Locale.ROOT) + " on call " + acked.callId());
            }
        }));
    }

    /**
     * "Ack all": the open alerts shown now, by id, in one request ({@code POST /api/alerts/ack}), with
     * the note typed. By id rather than {@code {"all": true}} so an alert raised after the click is not
     * acknowledged unseen; the server takes up to {@link AlertsViewModel#MAX_BULK} at once.
     *
     * @return the server's reply (failed with an {@link ApiException} if refused), or {@code null} when nothing was sent
     */
    public CompletableFuture<AlertsAcked> acknowledgeAll() {
        AlertsViewModel alerts = state.alerts();
        AlertsViewModel.TypedNote note = alerts.typedNote();
        List<String> ids = alerts.bulkIds();
        if (ids.isEmpty() || alerts.ackingProperty().get() || !noteSendable(note)) {
            return null;
        }
        alerts.ackingProperty().set(true);
        CompletableFuture<AlertsAcked> done = api.ackAlerts(ids, note.note());
        done.whenComplete((reply, failure) -> ui.execute(() -> {
            alerts.ackingProperty().set(false);
            if (failure != null) {
                state.notice("Could not acknowledge the alerts: " + ApiException.of(failure).getMessage());
                return;
            }
            state.applyAlertsAcked(reply.alerts());
            clearNote(note);
            int left = alerts.open().size();
            state.notice("Acknowledged " + reply.acknowledged() + " alert" + (reply.acknowledged() == 1 ? "" : "s")
                + (left == 0 ? "" : "; " + left + " still open"));
        }));
        return done;
    }

    private boolean noteSendable(AlertsViewModel.TypedNote note) {
        if (note.problem() != null) {
            state.notice(note.problem() + ": shorten it to acknowledge");
            return false;
        }
        return true;
    }

    /** Clears the note once it was sent, unless the supervisor already typed another one. */
    private void clearNote(AlertsViewModel.TypedNote sent) {
        AlertsViewModel.TypedNote now = state.alerts().typedNote();
        if (java.util.Objects.equals(now.note(), sent.note())) {
            state.alerts().noteProperty().set("");
        }
    }

    /**
     * Sets an agent's presence: {@link PresenceAction#AVAILABLE} over the v1 route
     * ({@code POST /api/agents/{id}/available}), the others over {@code POST /api/agents/{id}/presence}.
     * The reply's agent is shown at once; the refusal's reason goes to the status bar.
     *
     * @param reason for {@link PresenceAction#NOT_READY}; ignored otherwise
     * @return the agent as the server has it now (failed with an {@link ApiException} if refused)
     */
    public CompletableFuture<AgentStats> setPresence(String agentId, PresenceAction action, String reason) {
        CompletableFuture<AgentStats> done = switch (action) {
            case AVAILABLE -> api.setAvailable(agentId);
            case NOT_READY -> api.setPresence(agentId, action.wire(), reason == null ? null : reason.trim());
            case LOG_OUT -> api.setPresence(agentId, action.wire(), null);
        };
        done.whenComplete((agent, failure) -> ui.execute(() -> {
            if (failure != null) {
                state.notice("Could not set " + agentId + " " + describe(action, reason) + ": "
                    + ApiException.of(failure).getMessage());
            } else {
                state.applyAgentReply(agent);
                state.notice(agentId + " is " + Format.presence(agent.presence(), agent.reason()).toLowerCase(java.util.Locale.ROOT));
            }
        }));
        return done;
    }

    private static String describe(PresenceAction action, String reason) {
        return switch (action) {
            case AVAILABLE -> "available";
            case NOT_READY -> "not ready" + (reason == null || reason.isBlank() ? "" : " (" + reason.trim() + ")");
            case LOG_OUT -> "logged out";
        };
    }

    /**
     * Loads the interval and agent reports for what the Reports view has picked (day, interval,
     * queue). A newer load replaces one still on its way.
     */
    public void loadReport() {
        ReportsViewModel reports = state.reports();
        ReportsViewModel.Request asked = reports.picked();
        long number = reports.begin();
        CompletableFuture<List<IntervalReportItem>> intervals =
            api.intervalReport(asked.day(), asked.interval().wire(), asked.queue());
        CompletableFuture<List<AgentReportItem>> agents = api.agentReport(asked.day());
        CompletableFuture.allOf(intervals, agents).whenComplete((ok, failure) -> ui.execute(() -> {
            if (failure != null) {
                ApiException e = ApiException.of(failure);
                reports.failed(number, e.status() == 404
                    ? "this server has no reports (GET /api/reports/intervals answered 404: a call-server before reports)"
                    : e.getMessage());
            } else {
                reports.loaded(number, asked, intervals.join(), agents.join(), target(asked.queue()));
            }
        }));
    }

    /** The service-level target of {@code queue}, or the center's (its lowest queue target) for all queues. */
    private Double target(String queue) {
        if (queue == null) {
            return state.metrics().centerProperty().get().slTarget();
        }
        QueueStats q = state.metrics().queue(queue);
        return q == null ? null : q.today().slTarget();
    }

    /**
     * Fetches a report in CSV ({@code format=csv}) for what is on screen and writes it to {@code file}
     * (off the JavaFX thread); the outcome goes to the status bar.
     *
     * @return the file once written
     */
    public CompletableFuture<Path> saveReportCsv(ReportsViewModel.Kind kind, Path file) {
        ReportsViewModel.Request shown = state.reports().shown();
        CompletableFuture<String> csv = kind == ReportsViewModel.Kind.AGENTS ? api.agentReportCsv(shown.day())
            : api.intervalReportCsv(shown.day(), shown.interval().wire(), shown.queue());
        CompletableFuture<Path> written = csv.thenApply(text -> ReportExport.write(file, text));
        written.whenComplete((path, failure) -> ui.execute(() -> state.notice(failure == null
            ? "Saved " + path.getFileName() + " (" + ReportExport.rows(csv.join()) + " rows)"
            : "Could not save the report: " + ReportExport.describe(failure))));
        return written;
    }

    // --- the server's traffic generator ---------------------------------------------------------

    /**
     * Asks the server for the traffic generator's status if it matters now
     * ({@link TrafficViewModel#shouldPoll}) and no answer is still on its way. Called on the FX
     * thread every {@link TrafficViewModel#POLL_EVERY}; the request itself runs on the HTTP client's threads.
     */
    public void pollTraffic() {
        if (traffic.shouldPoll()) {
            refreshTraffic();
        }
    }

    /** {@code GET /api/traffic} now (unless one is on its way). */
    public void refreshTraffic() {
        if (trafficAsked) {
            return;
        }
        trafficAsked = true;
        api.traffic().whenComplete((t, failure) -> ui.execute(() -> {
            trafficAsked = false;
            if (failure == null) {
                traffic.apply(t);
            } else if (ApiException.of(failure).status() == 404) {
                traffic.unavailable();
            } else {
                traffic.failed("Could not read the traffic generator: " + ApiException.of(failure).getMessage());
            }
        }));
    }

    /**
     * Starts the server's traffic generator at the picked rate for the picked time, or changes the
     * running one (its new end is that time from now). Admins only; the server says why if not.
     *
     * @return the generator as the server has it after (failed if refused), or {@code null} when the pick is invalid
     */
    public CompletableFuture<Traffic> startTraffic() {
        String problem = traffic.check();
        if (problem != null) {
            traffic.failed(problem);
            return null;
        }
        boolean wasRunning = traffic.statusProperty().get().running();
        int rate = traffic.callsPerMinuteProperty().get();
        Duration length = traffic.pickedDuration();
        return trafficAction(api.startTraffic(rate, length), t -> (wasRunning ? "Traffic changed: " : "Traffic started: ")
            + rate + " calls a minute for " + Format.span(length));
    }

    /** Stops the server's traffic generator; the server ends the calls it was playing. */
    public CompletableFuture<Traffic> stopTraffic() {
        return trafficAction(api.stopTraffic(), t -> "Traffic stopped after " + t.callsStarted() + " calls");
    }

    private CompletableFuture<Traffic> trafficAction(CompletableFuture<Traffic> done, java.util.function.Function<Traffic, String> said) {
        traffic.setBusy(true);
        done.whenComplete((t, failure) -> ui.execute(() -> {
            traffic.setBusy(false);
            if (failure != null) {
                traffic.failed(ApiException.of(failure).getMessage());
            } else {
                traffic.apply(t);
                state.notice(said.apply(t));
            }
        }));
        return done;
    }

    public TrafficViewModel traffic() {
        return traffic;
    }

    /** Whether this key may post events (the simulator actions). */
    public boolean canSimulate() {
        return simulator != null;
    }

    /**
     * Runs a simulator action on a call.
     *
     * @param target the agent for {@link CallAction#ROUTE}; for {@link CallAction#TRANSFER} a queue
     *               id, or an agent id prefixed {@code agent:}; ignored otherwise
     */
    public void simulate(CallAction action, String callId, String target) {
        if (simulator == null) {
            state.notice("This key may not post events: the simulator needs an admin key");
            return;
        }
        CompletableFuture<Call> done = switch (action) {
            case ROUTE -> simulator.route(callId, target);
            case ANSWER -> simulator.answer(callId);
            case HOLD -> simulator.hold(callId);
            case RESUME -> simulator.resume(callId);
            case TRANSFER -> target != null && target.startsWith("agent:")
                ? simulator.transferToAgent(callId, target.substring("agent:".length()))
                : simulator.transferToQueue(callId, target);
            case END -> simulator.end(callId, "completed");
        };
        report(done, action.label().replace("…", "") + " " + callId);
    }

    public void newCall(String queueId, String type) {
        if (simulator == null) {
            state.notice("This key may not post events: the simulator needs an admin key");
            return;
        }
        String id = Simulator.newCallId();
        report(simulator.newCall(id, queueId, type), "New " + type + " call " + id + " in " + state.queueNames().name(queueId));
    }

    private void report(CompletableFuture<Call> done, String what) {
        done.whenComplete((call, failure) -> ui.execute(() -> {
            if (failure != null) {
                state.notice(what + " refused: " + ApiException.of(failure).getMessage());
            } else {
                state.applyActionReply(call);
                state.notice(what + ": done");
            }
        }));
    }

    /** The server's clock, as best known here. */
    public Instant now() {
        return Instant.now().plus(clockOffset);
    }

    public CenterState state() {
        return state;
    }

    public ServerInfo info() {
        return info;
    }

    public ServerApi api() {
        return api;
    }

    @Override
    public void close() {
        feed.close();
    }
}
