package dev.cancelable.benchmarks;

/**
 * One measured figure: a JMH score with its 99.9 % error, or a memory figure (error 0).
 *
 * @param score      average time per operation, or bytes
 * @param error      half-width of the confidence interval, in the unit of {@code score}; NaN if unknown
 * @param unit       {@code ns/op} or {@code B}
 * @param allocation bytes allocated per operation ({@code -prof gc}), or NaN when not profiled
 */
record Measurement(double score, double error, String unit, double allocation) {

    static Measurement bytes(double bytes) {
        return new Measurement(bytes, 0, "B", Double.NaN);
    }

    /** The score and its error as text, e.g. {@code 312 ± 9 ns}. */
    String format() {
        String value = Formats.number(score) + " " + shortUnit();
        return Double.isNaN(error) || error == 0 ? value : Formats.number(score) + " ± " + Formats.number(error) + " " + shortUnit();
    }

    String shortUnit() {
        return unit.equals("ns/op") ? "ns" : unit;
    }
}
