package dev.cancelable.benchmarks;

import java.util.Locale;

/** Number formatting for the results table: three significant figures at most. */
final class Formats {
    private Formats() {
    }

    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) return "n/a";
        double magnitude = Math.abs(value);
        if (magnitude >= 100) return String.format(Locale.ROOT, "%,.0f", value);
        if (magnitude >= 10) return String.format(Locale.ROOT, "%.1f", value);
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2fx", value);
    }
}
