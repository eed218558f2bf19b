package dev.cancelable.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders one run as Markdown: the budget table (baseline, ours, ratio, budget, verdict), every
 * measurement, and the run's settings; and writes it into RESULTS.md between two markers, keeping
 * whatever is written around them (the notes on misses) from one run to the next.
 */
final class ResultsReport {
    static final String BEGIN = "<!-- BEGIN GENERATED: rewritten by benchmarks/run; edit outside these markers -->";
    static final String END = "<!-- END GENERATED -->";

    private ResultsReport() {
    }

    /** The budget table alone, as printed at the end of a run. */
    static String budgetTable(Map<String, Measurement> measured) {
        StringBuilder out = new StringBuilder();
        out.append("| budget row | baseline | baseline value | ours | ours value | ratio (ours / baseline) | ratio per fork | budget | verdict |\n");
        out.append("|---|---|---:|---|---:|---:|---:|---|---|\n");
        for (BudgetTable.Row row : BudgetTable.ROWS) {
            Measurement base = row.baseline() == null ? null : measured.get(row.baseline());
            Measurement ours = row.ours() == null ? null : measured.get(row.ours());
            out.append("| ").append(row.what())
                    .append(" | ").append(row.baselineLabel())
                    .append(" | ").append(base == null ? (row.baseline() == null ? "—" : "not run") : base.format())
                    .append(" | ").append(row.oursLabel())
                    .append(" | ").append(ours == null ? (row.pending() != null ? "pending" : "not run") : ours.format())
                    .append(" | ").append(ratioText(base, ours))
                    .append(" | ").append(forkRatios(base, ours))
                    .append(" | ").append(row.budgetText())
                    .append(" | ").append(verdict(row, base, ours))
                    .append(" |\n");
        }
        return out.toString();
    }

    static String render(Map<String, Measurement> measured, RunInfo info) {
        StringBuilder out = new StringBuilder();
        out.append(BEGIN).append("\n\n");
        out.append("Run of ").append(info.date()).append(" on ").append(info.jdk()).append(", ")
                .append(info.cores()).append(" cores (").append(info.cpu()).append(", ").append(info.os()).append(").\n");
        out.append("Load average ").append(info.loadBefore()).append(" at start, ").append(info.loadAfter())
                .append(" at end (the machine is shared; see the noise note below).\n\n");
        out.append("JMH ").append(info.jmhVersion()).append(": ").append(info.jmhSettings()).append(".\n");
        out.append("Command: `").append(info.command()).append("`.\n\n");

        out.append("### Budget\n\n");
        out.append(budgetTable(measured));
        out.append("\nValues are medians of the measurement iterations ± a robust standard deviation "
                + "(1.4826 × median absolute deviation) over every fork's iterations, so one iteration slowed "
                + "by another process does not move them; ratios are ours / baseline from this one run, ± the "
                + "propagated deviation, and \"within error\" marks a verdict that two deviations either way "
                + "would change. \"Ratio per fork\" divides each fork's median by the baseline's fork of the "
                + "same number: the JIT settles differently from one JVM to the next, and this is how far one "
                + "fork alone could have misled. JMH's own means are in the next table.");
        if (BudgetTable.ROWS.stream().anyMatch(row -> row.pending() != null)) {
            out.append(" Pending rows wait for the code they measure; their baseline is measured already.");
        }
        out.append("\n\n");

        out.append("### Every measurement\n\n");
        out.append("| measurement | median ± deviation | median per fork | JMH mean ± 99.9 % | allocated per op |\n|---|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Measurement> entry : new TreeMap<>(measured).entrySet()) {
            Measurement m = entry.getValue();
            out.append("| `").append(entry.getKey()).append("` | ").append(m.format()).append(" | ")
                    .append(m.formatForks()).append(" | ")
                    .append(m.formatMean()).append(" | ")
                    .append(Double.isNaN(m.allocation()) ? "—" : Formats.number(m.allocation()) + " B")
                    .append(" |\n");
        }
        out.append("\nMemory figures are heap differences over " + Formats.number(MemoryFootprint.LIVE)
                + " instances in a separate JVM (serial collector, fixed heap, median of " + MemoryFootprint.ROUNDS + "): live operations are each suspended inside "
                + "`run` in their own coroutine, minus the same number of bare suspended coroutines; history "
                + "entries are a full ring of finished operations, slot included. `memory.historyEntryJol` "
                + "is JOL's object-graph size of that ring minus an empty one, as a cross-check.\n\n");
        out.append(END).append("\n");
        return out.toString();
    }

    /** Writes {@code generated} into {@code file}, replacing the previous generated block and keeping the rest. */
    static void write(Path file, String generated, String heading) throws IOException {
        String existing = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        String content;
        int begin = existing == null ? -1 : existing.indexOf(BEGIN);
        int end = existing == null ? -1 : existing.indexOf(END);
        if (begin >= 0 && end > begin) {
            content = existing.substring(0, begin) + generated + existing.substring(end + END.length() + 1);
        } else {
            content = heading + "\n\n" + generated + "\n## Notes on misses\n\nNone recorded yet.\n";
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String ratioText(Measurement base, Measurement ours) {
        if (base == null || ours == null) return "—";
        double ratio = ours.score() / base.score();
        double error = ratioError(base, ours);
        return Double.isNaN(error) || error == 0 ? Formats.ratio(ratio) : Formats.ratio(ratio) + " ± " + Formats.number(error);
    }

    /** Fork i of ours over fork i of the baseline, for each fork both have: how far one fork could mislead. */
    private static String forkRatios(Measurement base, Measurement ours) {
        if (base == null || ours == null) return "—";
        int forks = Math.min(base.forks().size(), ours.forks().size());
        if (forks < 2) return "—";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < forks; i++) {
            out.append(i == 0 ? "" : " / ").append(Formats.ratio(ours.forks().get(i) / base.forks().get(i)));
        }
        return out.toString();
    }

    private static double ratioError(Measurement base, Measurement ours) {
        double ratio = ours.score() / base.score();
        double relativeBase = base.spread() / base.score();
        double relativeOurs = ours.spread() / ours.score();
        return ratio * Math.sqrt(relativeBase * relativeBase + relativeOurs * relativeOurs);
    }

    private static String verdict(BudgetTable.Row row, Measurement base, Measurement ours) {
        if (row.pending() != null && ours == null) return "pending: " + row.pending();
        if (ours == null || (base == null && row.kind() != BudgetTable.Kind.BYTES_AT_MOST)) return "not run";
        switch (row.kind()) {
            case REFERENCE:
                return "info";
            case BYTES_AT_MOST:
                return ours.score() <= row.limit() ? "**pass**" : "**miss**";
            default:
                double limit = row.kind() == BudgetTable.Kind.FASTER_THAN ? 1.0 : row.limit();
                double ratio = ours.score() / base.score();
                double error = ratioError(base, ours);
                boolean pass = row.kind() == BudgetTable.Kind.FASTER_THAN ? ratio < limit : ratio <= limit;
                boolean unsettled = !Double.isNaN(error) && ratio - 2 * error <= limit && limit <= ratio + 2 * error;
                return (pass ? "**pass**" : "**miss**") + (unsettled ? " (within error)" : "");
        }
    }

    /** What the header says about the run. */
    record RunInfo(String date, String jdk, int cores, String cpu, String os, String loadBefore, String loadAfter,
                   String jmhVersion, String jmhSettings, String command) {
    }
}
