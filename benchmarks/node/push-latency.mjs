// POST-to-push latency: N Socket.io v4 subscribers (socket.io-client from web-dashboard's
// node_modules) measure receipt time minus each call_event's committed timestamp.
//   NODE_PATH=web-dashboard/node_modules node benchmarks/node/push-latency.mjs \
//     http://127.0.0.1:8081 <key> <subscribers> <seconds> [batch|single]
// batch (the default): subscribe {batch: true} and take call_events arrays; single: one call_event each.
// Run a load (wrk or LoadGenerator) at the same time; only 127.0.0.1 targets.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { io } = require("socket.io-client");

const [url, key, n = "100", seconds = "30", mode = "batch"] = process.argv.slice(2);
const batch = mode !== "single";
if (!/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url)) throw new Error("127.0.0.1 only");
const latencies = [];
const counts = new Array(+n).fill(0);
let measuring = false;
let subscribed = 0;
const sockets = [];
for (let i = 0; i < +n; i++) {
  const s = io(url, { auth: { token: key }, transports: ["websocket"], forceNew: true });
  const arrived = (p) => {
    if (!measuring) return;
    counts[i]++;
    latencies.push(Date.now() - Date.parse(p.event.timestamp));
  };
  s.on("connect", () => s.emit("subscribe", { batch }));
  s.on("subscribed", () => { subscribed++; });
  s.on("call_event", arrived);
  s.on("call_events", (list) => list.forEach(arrived));
  sockets.push(s);
}
const t0 = Date.now();
while (subscribed < +n && Date.now() - t0 < 30000) await new Promise((r) => setTimeout(r, 50));
console.log(`subscribed ${subscribed}/${n} (${batch ? "batch" : "single"}) in ${Date.now() - t0} ms; measuring ${seconds} s`);
measuring = true;
await new Promise((r) => setTimeout(r, +seconds * 1000));
measuring = false;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] : 0;
console.log(`pushes ${latencies.length} (per subscriber min ${Math.min(...counts)} max ${Math.max(...counts)})`);
console.log(`POST-to-push latency ms: p50=${pct(50)} p90=${pct(90)} p99=${pct(99)} max=${latencies.at(-1) ?? 0}`);
sockets.forEach((s) => s.close());
process.exit(0);
