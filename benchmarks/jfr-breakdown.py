#!/usr/bin/env python3
"""Sums a JFR recording's execution samples by what they were doing: each sample goes to the
first category found walking its stack from the leaf (benchmarks/profile-ingest.sh ... jfr).

    python3 benchmarks/jfr-breakdown.py /tmp/prof.jfr      (needs the JDK's jfr on PATH)
"""
import sys, re, collections, subprocess
out = subprocess.run(["jfr","print","--events","jdk.ExecutionSample","--stack-depth","128",sys.argv[1]],capture_output=True,text=True).stdout
samples = out.split("jdk.ExecutionSample")
cats = [(k, re.compile(p)) for k,p in [
 ("store.commit", r"Store\.commit"), ("seen/callExists db", r"Store\.(seen|callExists)"),
 ("entries.prepare", r"Entries\.prepare"), ("push/socket", r"SocketHub|socketio"),
 ("accesslog", r"AccessLog"), ("parse request", r"JsonBody|EventParser"),
 ("engine", r"CallEngine|core\.rules"), ("reply write", r"ServerResponse\.send|Http1ServerResponse"),
 ("events service", r"EventsService"), ("ingestor", r"Ingestor"), ("helidon http", r"helidon\.webserver|helidon\.http"),
 ("netty",r"io\.netty"), ("pgjdbc",r"org\.postgresql"), ("hikari",r"hikari")]]
c = collections.Counter(); n=0
for s in samples[1:]:
    n+=1
    lines = [l for l in s.split("\n") if "line:" in l]
    cat="other"
    for l in lines:
        hit = next((k for k,p in cats if p.search(l)), None)
        if hit: cat=hit; break
    c[cat]+=1
for k,v in c.most_common(): print(f"{k:22} {v:5} {100*v/n:5.1f}%")
print("total",n)
