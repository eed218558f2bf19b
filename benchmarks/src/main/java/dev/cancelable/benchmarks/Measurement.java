package dev.cancelable.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * One measured figure. For a benchmark: the median of its measurement iterations with a robust
 * spread (1.4826 × the median absolute deviation, which estimates one standard deviation and is
 * not thrown off by an iteration that another process on the machine slowed down), next to JMH's
 * own mean and 99.9 % error. For a memory figure: bytes, exact.
 *
 * @param score      median time per operation, or bytes
 * @param spread     robust standard deviation, in the unit of {@code score}; 0 for bytes
 * @param unit       {@code ns/op} or {@code B}
 * @param mean       JMH's mean score (NaN for bytes)
 * @param meanError  JMH's 99.9 % error of the mean (NaN for bytes)
 * @param allocation bytes allocated per operation ({@code -prof gc}), or NaN when not profiled
 * @param forks      the median of each fork's iterations, in fork order (empty for bytes): the JIT
 *                   settles differently from one JVM to the next, which one fork cannot show
 */
record Measurement(double score, double spread, String unit, double mean, double meanError, double allocation,
                   List<Double> forks) {

    static Measurement bytes(double bytes) {
        return new Measurement(bytes, 0, "B", Double.NaN, Double.NaN, Double.NaN, List.of());
    }

    /** From the iteration scores of each fork ({@code perFork.get(i)} holds fork i's). */
    static Measurement ofForks(List<List<Double>> perFork, String unit, double mean, double meanError, double allocation) {
        double[] sorted = perFork.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).sorted().toArray();
        double median = median(sorted);
        double[] deviations = Arrays.stream(sorted).map(s -> Math.abs(s - median)).sorted().toArray();
        List<Double> forks = perFork.stream()
                .map(scores -> median(scores.stream().mapToDouble(Double::doubleValue).sorted().toArray()))
                .toList();
        return new Measurement(median, 1.4826 * median(deviations), unit, mean, meanError, allocation, forks);
    }

    /** Each fork's median as text, e.g. {@code 310 / 322 / 305}, or a dash for one fork or none. */
    String formatForks() {
        if (forks.size() < 2) return "—";
        StringBuilder out = new StringBuilder();
        for (double fork : forks) out.append(out.length() == 0 ? "" : " / ").append(Formats.number(fork));
        return out.toString();
    }

    private static double median(double[] sorted) {
        if (sorted.length == 0) return Double.NaN;
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The median and its spread as text, e.g. {@code 312 ± 9 ns}. */
    String format() {
        return spread == 0 || Double.isNaN(spread)
                ? Formats.number(score) + " " + shortUnit()
                : Formats.number(score) + " ± " + Formats.number(spread) + " " + shortUnit();
    }

    /** JMH's mean and 99.9 % error as text, or a dash. */
    String formatMean() {
        return Double.isNaN(mean) ? "—" : Formats.number(mean) + " ± " + Formats.number(meanError) + " " + shortUnit();
    }

    String shortUnit() {
        return unit.equals("ns/op") ? "ns" : unit;
    }
}
