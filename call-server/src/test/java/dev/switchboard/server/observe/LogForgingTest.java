package dev.switchboard.server.observe;

import dev.switchboard.server.LogCapture;
import dev.switchboard.server.TestServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A request cannot write a log line of its own choosing, nor a NUL (CWE-117). */
class LogForgingTest {

    @Test
    void escapeKeepsTextReadableAndEscapesWhatCouldForgeOrHideALine() {
        assertEquals("/api/calls/123", LogText.escape("/api/calls/123"));
        assertEquals("Lucía 📞 日本", LogText.escape("Lucía 📞 日本"));
        assertEquals("x\\nforged\\r\\tline", LogText.escape("x\nforged\r\tline"));
        assertEquals("a\\u0000b\\u001bc\\u007fd\\u0085e", LogText.escape("a\0b\u001bc\u007fd\u0085e"));
        assertEquals("bidi\\u202egnp.exe zero\\u200bwidth \\u2028\\u2029", LogText.escape("bidi\u202egnp.exe zero\u200bwidth \u2028\u2029"));
        assertEquals("lone \\ud800 and \\udc00", LogText.escape("lone \ud800 and \udc00"));
        assertEquals("typed \\\\n is not a newline", LogText.escape("typed \\n is not a newline"));
        assertEquals("null", LogText.escape(null));
    }

    @Test
    void aForgedLineOrANulInTheRequestPathIsEscapedInTheAccessLog() throws Exception {
        Logger access = Logger.getLogger("switchboard.access");
        Level before = access.getLevel();
        LogCapture capture = LogCapture.detached("switchboard.access");
        List<LogRecord> records = capture.records;
        try (TestServer server = TestServer.start(TestServer.Backend.H2)) {
            access.setLevel(Level.INFO);
            capture.attach();
            int port = Integer.parseInt(server.baseUrl().substring(server.baseUrl().lastIndexOf(':') + 1));
            // no key needed: the access log writes 401s too
            assertTrue(rawGet(port, "/api/calls/x%0Aforged-line%0D%0A2026-11-27T10:00:00.000%20INFO%20admin%20signed%20in")
                .startsWith("HTTP/1.1 401"));
            assertTrue(rawGet(port, "/api/calls/nul%00here").startsWith("HTTP/1.1 401"));
            long end = System.currentTimeMillis() + 5_000;
            while (records.size() < 2 && System.currentTimeMillis() < end) {
                Thread.sleep(10);
            }
        } finally {
            capture.close();
            access.setLevel(before);
        }
        assertTrue(records.size() >= 2, "access log records: " + records.size());
        for (LogRecord r : records) {
            String line = r.getMessage();
            assertFalse(line.contains("\n") || line.contains("\r"), "a request wrote a line break into the log: " + line);
            assertFalse(line.contains("\0"), "a request wrote a NUL into the log: " + line);
        }
        assertTrue(records.stream().anyMatch(r -> r.getMessage().startsWith(
                "GET /api/calls/x\\nforged-line\\r\\n2026-11-27T10:00:00.000 INFO admin signed in 401 ")),
            "the forged line is shown escaped, on the request's own line: " + messages(records));
        assertTrue(records.stream().anyMatch(r -> r.getMessage().startsWith("GET /api/calls/nul\\u0000here 401 ")
                && r.getMessage().endsWith(" call=nul\\u0000here")),
            "the NUL is shown escaped, in the path and the call id: " + messages(records));
    }

    private static List<String> messages(List<LogRecord> records) {
        return records.stream().map(LogRecord::getMessage).toList();
    }

    /** One GET with the path sent exactly as given (java.net.http would refuse or re-encode some); its status line. */
    private static String rawGet(int port, String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                statusLine.append((char) c);
            }
            return statusLine.toString();
        }
    }
}
