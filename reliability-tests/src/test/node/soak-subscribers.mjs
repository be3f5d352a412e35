// The soak's Socket.io subscribers: N clients of socket.io-client 4.8 (the library the web dashboard
// uses, from web-dashboard's node_modules) in one Node process, each subscribed to every queue. Each
// keeps a bitmap of the audit-log seqs it was pushed, so SoakTest can check "every entry exactly once,
// in order" for every subscriber, and the push latency (arrival minus the event's timestamp).
//
//   NODE_PATH=web-dashboard/node_modules node soak-subscribers.mjs <socket url> <key> <subscribers> <batch>
//
// stdin, one command a line; each answer is one JSON line on stdout:
//   status          {"counts": [distinct seqs per subscriber], "latency": {p50, p99, max, n} since the last status}
//   report <rows>   per subscriber: distinct, complete (has each of 1..rows), duplicates, outOfOrder, disconnects
//   quit
// Only 127.0.0.1 is allowed as a target.
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const require = createRequire(import.meta.url);
const { io } = require("socket.io-client");

const [url, key, n = "50", batchArg = "true"] = process.argv.slice(2);
if (!/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url ?? "")) {
  throw new Error("soak subscribers connect to 127.0.0.1 only");
}
const batch = batchArg === "true";

class Subscriber {
  constructor(index) {
    this.index = index;
    this.seen = new Uint8Array(1 << 20);
    this.distinct = 0;
    this.duplicates = 0;
    this.outOfOrder = 0;
    this.last = 0;
    this.disconnects = 0;
    this.ready = false;
    this.socket = io(url, {
      auth: { token: key },
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
    });
    this.socket.on("connect", () => this.socket.emit("subscribe", { batch }));
    this.socket.on("subscribed", () => { this.ready = true; });
    this.socket.on("disconnect", () => { this.disconnects++; });
    this.socket.on("call_event", (p) => this.push(p));
    this.socket.on("call_events", (list) => list.forEach((p) => this.push(p)));
  }

  push(p) {
    const seq = p.seq;
    if (!Number.isInteger(seq) || seq <= 0) {
      this.duplicates++;
      return;
    }
    while (seq >= this.seen.length) {
      const bigger = new Uint8Array(this.seen.length * 2);
      bigger.set(this.seen);
      this.seen = bigger;
    }
    if (this.seen[seq]) {
      this.duplicates++;
      return;
    }
    this.seen[seq] = 1;
    this.distinct++;
    if (seq < this.last) this.outOfOrder++;
    this.last = seq;
    if (this.index === 0) latencies.push(Date.now() - Date.parse(p.event.timestamp));
  }

  report(rows) {
    let complete = this.distinct === rows;
    for (let s = 1; complete && s <= rows; s++) complete = this.seen[s] === 1;
    return {
      distinct: this.distinct, complete, duplicates: this.duplicates,
      outOfOrder: this.outOfOrder, disconnects: this.disconnects,
    };
  }
}

let latencies = [];
const subscribers = Array.from({ length: +n }, (_, i) => new Subscriber(i));

function latencySummary() {
  const l = latencies.sort((a, b) => a - b);
  latencies = [];
  const pct = (p) => (l.length ? l[Math.min(l.length - 1, Math.ceil((p / 100) * l.length) - 1)] : 0);
  return { p50: pct(50), p99: pct(99), max: l.length ? l[l.length - 1] : 0, n: l.length };
}

const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const started = Date.now();
const readyCheck = setInterval(() => {
  const ready = subscribers.filter((s) => s.ready).length;
  if (ready === subscribers.length || Date.now() - started > 60_000) {
    clearInterval(readyCheck);
    say({ ready });
  }
}, 50);

createInterface({ input: process.stdin }).on("line", (line) => {
  const [command, arg] = line.trim().split(/\s+/);
  if (command === "status") {
    say({ counts: subscribers.map((s) => s.distinct), latency: latencySummary() });
  } else if (command === "report") {
    say({ subscribers: subscribers.map((s) => s.report(+arg)) });
  } else if (command === "quit") {
    subscribers.forEach((s) => s.socket.close());
    process.exit(0);
  }
}).on("close", () => process.exit(0));
