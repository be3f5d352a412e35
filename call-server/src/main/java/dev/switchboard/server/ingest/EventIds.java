package dev.switchboard.server.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The duplicate check's memory: the event ids clients sent for each live call, and for the
 * {@link #RECENT_ENDED_CALLS} calls that ended last (a retried {@code call_ended} is the usual
 * resend). An id found here is a resend for sure; an id of a call found here but not among its
 * ids is surely new; anything else is asked of the database. The memory is as large as the live
 * calls, which are in memory anyway; it is part of a snapshot, so a start from one keeps it whole.
 *
 * <p>Thread safe (one lock: the map).
 */
final class EventIds {

    /** Ended calls whose event ids stay in memory. */
    static final int RECENT_ENDED_CALLS = 10_000;

    private final Map<String, Set<String>> live = new HashMap<>();
    private final Map<String, Set<String>> ended = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > RECENT_ENDED_CALLS;
        }
    };

    /** Whether {@code eventId} is surely new: its call's ids are known here and it is not among them. */
    boolean isNew(String callId, String eventId) {
        synchronized (live) {
            Set<String> ids = idsOf(callId);
            return ids != null && !ids.contains(eventId);
        }
    }

    /**
     * Records an accepted external event id of a call.
     *
     * @param first  the event created the call (so no other id of it can exist)
     * @param ended  the call is ended after it: its ids move to the bounded memory of ended calls
     */
    void remember(String callId, String eventId, boolean first, boolean ended) {
        synchronized (live) {
            Set<String> ids = idsOf(callId);
            if (ids == null) {
                if (!first) {
                    return;   // ids from before are unknown here: the database stays the judge
                }
                ids = new HashSet<>(8);
                live.put(callId, ids);
            }
            ids.add(eventId);
            if (ended) {
                callEnded(callId);
            }
        }
    }

    /** The call ended (by an event or the system): its ids move to the memory of ended calls. */
    void callEnded(String callId) {
        synchronized (live) {
            Set<String> ids = live.remove(callId);
            if (ids != null) {
                ended.put(callId, ids);
            }
        }
    }

    /** The ids of the live calls, copied (for a snapshot). */
    Map<String, List<String>> exportLive() {
        synchronized (live) {
            Map<String, List<String>> out = new HashMap<>(live.size() * 2);
            live.forEach((call, ids) -> out.put(call, new ArrayList<>(ids)));
            return out;
        }
    }

    /** Takes over the live calls' ids of a snapshot. */
    void restore(Map<String, List<String>> liveIds) {
        synchronized (live) {
            liveIds.forEach((call, ids) -> live.put(call, new HashSet<>(ids)));
        }
    }

    private Set<String> idsOf(String callId) {
        Set<String> ids = live.get(callId);
        return ids != null ? ids : ended.get(callId);
    }
}
