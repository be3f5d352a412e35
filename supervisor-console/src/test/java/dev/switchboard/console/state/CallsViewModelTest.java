package dev.switchboard.console.state;

import dev.switchboard.console.wire.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.switchboard.console.state.Calls.T0;
import static dev.switchboard.console.state.Calls.active;
import static dev.switchboard.console.state.Calls.ended;
import static dev.switchboard.console.state.Calls.ringing;
import static dev.switchboard.console.state.Calls.waiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The calls table's filters, order and ticking clock. */
class CallsViewModelTest {

    private final CallsViewModel vm = new CallsViewModel();

    @BeforeEach
    void someCalls() {
        vm.upsert(waiting("w1", "medical_spanish"), 1);
        vm.upsert(ringing("r1", "legal_french", "chloe"), 2);
        vm.upsert(active("a1", "medical_spanish", "ana"), 3);
        vm.upsert(active("a2", "medical_english", "emma"), 4);
        vm.upsert(ended("e1", "medical_spanish", "ana", T0.plusSeconds(100)), 5);
    }

    private List<String> visible() {
        return vm.visibleRows().stream().map(CallRow::id).toList();
    }

    @Test
    void liveCallsAreShownByDefaultWaitingFirstTiesById() {
        assertEquals(List.of("r1", "w1", "a1", "a2"), visible());
    }

    @Test
    void statusFilterNarrowsToOneStatus() {
        vm.statusProperty().set(StatusFilter.ACTIVE);
        assertEquals(List.of("a1", "a2"), visible());
        vm.statusProperty().set(StatusFilter.ENDED);
        assertEquals(List.of("e1"), visible());
        vm.statusProperty().set(StatusFilter.ALL);
        assertEquals(5, visible().size());
    }

    @Test
    void queueAndAgentFiltersCombine() {
        vm.statusProperty().set(StatusFilter.ALL);
        vm.queueProperty().set("medical_spanish");
        assertEquals(List.of("w1", "a1", "e1"), visible());
        vm.agentProperty().set("ana");
        assertEquals(List.of("a1", "e1"), visible());
    }

    @Test
    void searchMatchesIdsQueuesAgentsAndFlagsIgnoringCase() {
        vm.searchProperty().set("EMMA");
        assertEquals(List.of("a2"), visible());
        vm.searchProperty().set("french");
        assertEquals(List.of("r1"), visible());
        vm.statusProperty().set(StatusFilter.ALL);
        vm.searchProperty().set("survey");
        assertEquals(List.of("e1"), visible());
    }

    @Test
    void aCallThatChangesStatusMovesInAndOutOfTheFilterInPlace() {
        vm.statusProperty().set(StatusFilter.WAITING);
        assertEquals(List.of("r1", "w1"), visible());
        CallRow row = vm.row("w1");

        vm.upsert(active("w1", "medical_spanish", "luis"), 6);

        assertEquals(List.of("r1"), visible());
        vm.statusProperty().set(StatusFilter.ACTIVE);
        assertTrue(visible().contains("w1"));
        assertEquals(row, vm.row("w1"));
    }

    @Test
    void clearFiltersShowsTheLiveCallsAgain() {
        vm.statusProperty().set(StatusFilter.ENDED);
        vm.queueProperty().set("legal_french");
        vm.searchProperty().set("zzz");
        vm.clearFilters();
        assertEquals(List.of("r1", "w1", "a1", "a2"), visible());
    }

    @Test
    void countsFollowEveryUpsert() {
        assertEquals(2, vm.waitingProperty().get());
        assertEquals(2, vm.activeProperty().get());
        vm.upsert(ended("w1", "medical_spanish", null, T0.plusSeconds(40)), 7);
        assertEquals(1, vm.waitingProperty().get());
    }

    @Test
    void theWaitTicksWhileWaitingAndTheTalkTimeOnceAnswered() {
        vm.nowProperty().set(T0.plusSeconds(75));
        assertEquals("1:15", vm.row("w1").elapsedProperty().get(), "waiting since T0");
        assertEquals("1:03", vm.row("a1").elapsedProperty().get(), "answered at T0+12");
        assertEquals("1:00", vm.row("e1").elapsedProperty().get(), "an ended call shows its duration");
        vm.nowProperty().set(T0.plusSeconds(76));
        assertEquals("1:16", vm.row("w1").elapsedProperty().get());
    }

    @Test
    void filterOptionsListEveryQueueAndAgentSeenOnceSorted() {
        assertEquals(List.of("legal_french", "medical_english", "medical_spanish"), vm.queueOptions());
        assertEquals(List.of("ana", "chloe", "emma"), vm.agentOptions());
    }

    @Test
    void onlyTheNewestEndedCallsAreKept() {
        for (int i = 0; i < CallsViewModel.MAX_ENDED_ROWS + 5; i++) {
            vm.upsert(ended("old" + i, "q", null, T0.plusSeconds(1000 + i)), 10 + i);
        }
        long ended = vm.rows().stream().filter(r -> !r.call().isLive()).count();
        assertEquals(CallsViewModel.MAX_ENDED_ROWS, ended);
        assertEquals(null, vm.row("e1"), "the oldest ended call went first");
        assertEquals(4, vm.rows().stream().filter(r -> r.call().isLive()).count(), "live calls are all kept");
    }

    @Test
    void formatReadsLikeAClock() {
        assertEquals("0:07", Format.clock(Duration.ofSeconds(7)));
        assertEquals("1:02:03", Format.clock(Duration.ofSeconds(3723)));
        assertEquals("SLA breach", Format.flag("sla_breach"));
        assertEquals("On hold", Format.words("on_hold"));
        Call c = waiting("x", "q");
        assertEquals(Duration.ZERO, c.elapsed(T0.minusSeconds(5)), "a skewed clock never shows negative times");
    }
}
