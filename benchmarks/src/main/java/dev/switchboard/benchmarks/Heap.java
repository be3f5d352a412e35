package dev.switchboard.benchmarks;

import com.sun.management.HotSpotDiagnosticMXBean;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Heap probes for the footprint mains: retained heap after GC, allocation, class histograms. */
final class Heap {

    private Heap() {
    }

    /** Heap in use after several full collections, in bytes. */
    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Bytes allocated by the current thread so far (HotSpot's per-thread TLAB accounting). */
    static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** The JVM settings that decide object sizes, for the report. */
    static String vmSummary() {
        HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        StringBuilder sb = new StringBuilder();
        sb.append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.vm.version"));
        for (String option : List.of("UseCompressedOops", "UseCompressedClassPointers", "UseCompactObjectHeaders",
            "ObjectAlignmentInBytes", "UseSerialGC", "UseG1GC", "UseParallelGC", "UseZGC", "MaxHeapSize")) {
            try {
                sb.append(", ").append(option).append('=').append(hs.getVMOption(option).getValue());
            } catch (IllegalArgumentException unknownOnThisVm) {
                // option absent on this JVM version
            }
        }
        return sb.toString();
    }

    /** A live-object class histogram (forces a full GC): class name to {instances, bytes}. */
    static Map<String, long[]> histogram() {
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Map<String, long[]> out = new HashMap<>();
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) {
                    out.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("class histogram unavailable", e);
        }
    }

    /** Prints the classes whose live bytes grew most between two histograms, per unit of {@code n}. */
    static void printGrowth(Map<String, long[]> before, Map<String, long[]> after, int n, String unit, int top) {
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long[] d = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
            total += d[1];
            grown.add(Map.entry(e.getKey(), d));
        }
        grown.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        System.out.printf(Locale.ROOT, "    %-62s %12s %14s %10s%n", "class (growth between histograms)", "instances",
            "bytes", "B/" + unit);
        for (int i = 0; i < Math.min(top, grown.size()); i++) {
            Map.Entry<String, long[]> e = grown.get(i);
            if (e.getValue()[1] <= 0) {
                break;
            }
            System.out.printf(Locale.ROOT, "    %-62s %12d %14d %10.1f%n", e.getKey(), e.getValue()[0], e.getValue()[1],
                (double) e.getValue()[1] / n);
        }
        System.out.printf(Locale.ROOT, "    %-62s %12s %14d %10.1f%n", "total (all classes)", "", total, (double) total / n);
    }
}
