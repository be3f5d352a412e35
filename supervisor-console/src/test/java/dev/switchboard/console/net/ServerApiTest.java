package dev.switchboard.console.net;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The requests the console builds (reports, bulk acknowledgement, traffic generator), and how a refusal reads. */
class ServerApiTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 2);

    @Test
    void reportRequestsNameTheDayTheIntervalAndTheQueue() {
        assertEquals("/api/reports/intervals?from=2026-12-02&interval=PT15M&queue=medical_spanish",
            ServerApi.intervalReportPath(DAY, "PT15M", "medical_spanish", false));
        assertEquals("/api/reports/intervals?from=2026-12-02&interval=P1D&format=csv",
            ServerApi.intervalReportPath(DAY, "P1D", null, true));
        assertEquals("/api/reports/agents?from=2026-12-02", ServerApi.agentReportPath(DAY, false));
        assertEquals("/api/reports/agents?from=2026-12-02&format=csv", ServerApi.agentReportPath(DAY, true));
    }

    @Test
    void ackAllIsOneRequestNamingTheAlertsByIdWithTheNoteWhenThereIsOne() {
        assertEquals("{\"ids\":[\"c1:sla_breach\",\"c2:hold_exceeded\"],\"note\":\"end of shift\"}",
            dev.switchboard.console.wire.Json.write(ServerApi.bulkAckBody(java.util.List.of("c1:sla_breach", "c2:hold_exceeded"), "end of shift")));
        assertEquals("{\"ids\":[\"c1:sla_breach\"]}",
            dev.switchboard.console.wire.Json.write(ServerApi.bulkAckBody(java.util.List.of("c1:sla_breach"), null)),
            "no note, no field (the server refuses unknown or empty ones alike)");
    }

    @Test
    void startingTheTrafficGeneratorSendsTheRateAndAnIsoDuration() {
        assertEquals("{\"calls_per_minute\":30,\"duration\":\"PT15M\"}",
            dev.switchboard.console.wire.Json.write(ServerApi.trafficBody(30, java.time.Duration.ofMinutes(15))));
        assertEquals("{\"calls_per_minute\":1,\"duration\":\"PT8H\"}",
            dev.switchboard.console.wire.Json.write(ServerApi.trafficBody(1, java.time.Duration.ofHours(8))));
    }

    @Test
    void aBadRequestReadsAsItsDetailWithTheParameterItNames() {
        assertEquals("invalid report request (interval: must be PT15M, PT30M, PT1H or P1D)", ServerApi.problemDetail(400, """
            {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "invalid report request",
             "errors": [{"field": "interval", "message": "must be PT15M, PT30M, PT1H or P1D"}]}"""));
        assertEquals("unknown parameter 'foo'", ServerApi.problemDetail(400, """
            {"status": 400, "detail": "unknown parameter 'foo'", "errors": [{"field": "foo", "message": "unknown parameter 'foo'"}]}"""),
            "what the detail already says is not repeated");
        assertEquals("from: required", ServerApi.problemDetail(400, "{\"errors\": [{\"field\": \"from\", \"message\": \"required\"}]}"));
        assertEquals("the server answered 502", ServerApi.problemDetail(502, "<html>bad gateway</html>"));
    }
}
