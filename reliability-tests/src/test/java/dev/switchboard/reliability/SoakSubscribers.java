package dev.switchboard.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The soak's Socket.io subscribers: {@code src/test/node/soak-subscribers.mjs}, N clients of the
 * official socket.io-client (the web dashboard's library) in one Node process, driven over
 * stdin/stdout. Node rather than io.socket in this JVM: socket.io-client-java parses every message
 * of every client on one shared event thread, and 50 of them next to the load generator took about
 * 500 of the ~1,100 pushes a second each (measured), so the soak measured the test, not the server.
 */
final class SoakSubscribers implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One subscriber's final account. */
    record Account(long distinct, boolean complete, long duplicates, long outOfOrder, long disconnects) {
    }

    /** Push latency (arrival minus the event's timestamp) of subscriber 0 since the last status. */
    record Latency(long p50, long p99, long max, long n) {
    }

    /** Entries received per subscriber, and the latency since the last status. */
    record Status(long[] counts, Latency latency) {
    }

    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    private SoakSubscribers(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the Node process and waits until every subscriber is subscribed. */
    static SoakSubscribers start(String socketUrl, String key, int subscribers, boolean batch) throws IOException {
        Path script = Path.of(System.getProperty("soak.script", "src/test/node/soak-subscribers.mjs")).toAbsolutePath();
        Path modules = Path.of(System.getProperty("soak.nodePath", "../web-dashboard/node_modules")).toAbsolutePath();
        if (!Files.isDirectory(modules.resolve("socket.io-client"))) {
            throw new IllegalStateException("socket.io-client not found under " + modules + ": build web-dashboard first (./mvnw install)");
        }
        ProcessBuilder pb = new ProcessBuilder(List.of("node", script.toString(), socketUrl, key,
            Integer.toString(subscribers), Boolean.toString(batch)));
        pb.environment().put("NODE_PATH", modules.toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        SoakSubscribers s = new SoakSubscribers(pb.start());
        JsonNode ready = s.read();
        if (ready.path("ready").asInt() != subscribers) {
            s.close();
            throw new IllegalStateException("only " + ready.path("ready").asInt() + " of " + subscribers + " subscribers ready");
        }
        return s;
    }

    synchronized Status status() throws IOException {
        JsonNode r = ask("status");
        long[] counts = new long[r.path("counts").size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = r.path("counts").get(i).asLong();
        }
        JsonNode l = r.path("latency");
        return new Status(counts, new Latency(l.path("p50").asLong(), l.path("p99").asLong(), l.path("max").asLong(),
            l.path("n").asLong()));
    }

    /** Each subscriber's account against the audit log's {@code rows} entries (seqs 1..rows). */
    synchronized List<Account> report(long rows) throws IOException {
        List<Account> accounts = new ArrayList<>();
        for (JsonNode a : ask("report " + rows).path("subscribers")) {
            accounts.add(new Account(a.path("distinct").asLong(), a.path("complete").asBoolean(), a.path("duplicates").asLong(),
                a.path("outOfOrder").asLong(), a.path("disconnects").asLong()));
        }
        return accounts;
    }

    private JsonNode ask(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
        return read();
    }

    private JsonNode read() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the subscribers' Node process ended (exit " + (process.isAlive() ? "?" : process.exitValue()) + ")");
        }
        return JSON.readTree(line);
    }

    @Override
    public void close() {
        try {
            in.write("quit\n");
            in.flush();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroyForcibly();
        }
    }
}
