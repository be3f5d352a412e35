package dev.switchboard.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The queues that exist (a port): the host's configuration, a database, a PBX. */
public interface QueueDirectory {

    Optional<QueueConfig> find(String queueId);

    Collection<QueueConfig> all();

    default boolean exists(String queueId) {
        return find(queueId).isPresent();
    }

    /** A fixed directory of the given queues. */
    static QueueDirectory of(List<QueueConfig> queues) {
        Map<String, QueueConfig> byId = new LinkedHashMap<>();
        for (QueueConfig q : queues) {
            if (byId.putIfAbsent(q.id(), q) != null) {
                throw new IllegalArgumentException("queue '" + q.id() + "' is configured twice");
            }
        }
        List<QueueConfig> all = List.copyOf(byId.values());
        return new QueueDirectory() {
            @Override
            public Optional<QueueConfig> find(String queueId) {
                return Optional.ofNullable(byId.get(queueId));
            }

            @Override
            public Collection<QueueConfig> all() {
                return all;
            }
        };
    }
}
