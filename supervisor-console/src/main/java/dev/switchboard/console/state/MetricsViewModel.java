package dev.switchboard.console.state;

import dev.switchboard.console.wire.AgentStats;
import dev.switchboard.console.wire.Metrics;
import dev.switchboard.console.wire.QueueStats;
import dev.switchboard.console.wire.TodayFigures;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.chart.XYChart;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Queue, agent and center metrics as the server last pushed them, and the chart's history: calls waiting
 * per queue, one sample per {@code metrics} push (at most one a second), the last
 * {@link #CHART_SAMPLES} kept. FX-thread only.
 */
public final class MetricsViewModel {

    /** Two minutes at the server's pace of one push a second. */
    public static final int CHART_SAMPLES = 120;

    private final ObservableList<QueueStats> queues = FXCollections.observableArrayList();
    private final ObservableList<AgentStats> agents = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<TodayFigures> center = new ReadOnlyObjectWrapper<>(this, "center", TodayFigures.NONE);
    private final ObservableList<XYChart.Series<Number, Number>> waitingSeries = FXCollections.observableArrayList();
    private final Map<String, XYChart.Series<Number, Number>> seriesByQueue = new LinkedHashMap<>();
    private long sample;

    void apply(Metrics m) {
        setQueues(m.queues());
        replaceById(agents, m.agents(), AgentStats::id);
        if (m.center() != null) {
            center.set(m.center());
        }
        sample++;
        for (QueueStats q : m.queues()) {
            XYChart.Series<Number, Number> s = seriesByQueue.computeIfAbsent(q.id(), id -> {
                XYChart.Series<Number, Number> created = new XYChart.Series<>();
                created.setName(q.name());
                waitingSeries.add(created);
                return created;
            });
            if (!q.name().equals(s.getName())) {
                s.setName(q.name());   // renamed at runtime: the legend follows
            }
            ObservableList<XYChart.Data<Number, Number>> data = s.getData();
            data.add(new XYChart.Data<>(sample, q.waitingNow()));
            if (data.size() > CHART_SAMPLES) {
                data.remove(0, data.size() - CHART_SAMPLES);
            }
        }
    }

    void setQueues(List<QueueStats> q) {
        replaceById(queues, q, QueueStats::id);
    }

    void setAgents(List<AgentStats> a) {
        replaceById(agents, a, AgentStats::id);
    }

    void setCenter(TodayFigures figures) {
        center.set(figures);
    }

    /** A supervisor set {@code agentId} available at {@code at} (an {@code agent_available} entry). */
    void agentAvailable(String agentId, java.time.Instant at) {
        update(agentId, a -> a.madeAvailable(at));
    }

    /** {@code agentId}'s presence changed at {@code at} (an {@code agent_presence} entry). */
    void agentPresence(String agentId, String presence, String reason, java.time.Instant at) {
        update(agentId, a -> a.withPresence(presence, reason, at));
    }

    /** The server's reply to a presence change: the agent as it is now (a new agent is added). */
    void agentReplied(AgentStats agent) {
        for (int i = 0; i < agents.size(); i++) {
            if (agents.get(i).id().equals(agent.id())) {
                agents.set(i, agent);
                return;
            }
        }
        agents.add(agent);
    }

    private void update(String agentId, java.util.function.UnaryOperator<AgentStats> change) {
        for (int i = 0; i < agents.size(); i++) {
            AgentStats a = agents.get(i);
            if (a.id().equals(agentId)) {
                agents.set(i, change.apply(a));
                return;
            }
        }
        // an agent not seen yet: the next metrics push brings it
    }

    /** Replaces items in place where the id matches, so a table keeps its rows and selection. */
    private static <T> void replaceById(ObservableList<T> list, List<T> fresh, java.util.function.Function<T, String> id) {
        if (list.size() == fresh.size()) {
            boolean same = true;
            for (int i = 0; i < list.size() && same; i++) {
                same = id.apply(list.get(i)).equals(id.apply(fresh.get(i)));
            }
            if (same) {
                for (int i = 0; i < fresh.size(); i++) {
                    if (!list.get(i).equals(fresh.get(i))) {
                        list.set(i, fresh.get(i));
                    }
                }
                return;
            }
        }
        list.setAll(fresh);
    }

    /** The sample number of the latest push (the chart's x axis). */
    public long sample() {
        return sample;
    }

    public ObservableList<QueueStats> queues() {
        return queues;
    }

    public ObservableList<AgentStats> agents() {
        return agents;
    }

    /** Today's figures for the whole center ({@link TodayFigures#NONE} until the server sends them). */
    public ReadOnlyObjectProperty<TodayFigures> centerProperty() {
        return center.getReadOnlyProperty();
    }

    public AgentStats agent(String id) {
        return agents.stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
    }

    public ObservableList<XYChart.Series<Number, Number>> waitingSeries() {
        return waitingSeries;
    }

    public QueueStats queue(String id) {
        return queues.stream().filter(q -> q.id().equals(id)).findFirst().orElse(null);
    }
}
