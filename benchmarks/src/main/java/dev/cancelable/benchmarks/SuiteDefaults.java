package dev.cancelable.benchmarks;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * JMH settings every benchmark class inherits: average time in nanoseconds per operation, three forks
 * with a fixed heap (the JIT settles differently from one JVM to the next: reruns of one fork of the
 * timeout rows differed by up to 1.5x, so a verdict needs the median over several), short iterations
 * so the whole suite stays within about fifteen minutes on two cores. Five warmup seconds, because
 * the scope and timer benchmarks were still getting faster after three.
 * {@link BudgetRun} uses these unless its command line overrides them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = SuiteDefaults.FORKS, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = SuiteDefaults.WARMUP_ITERATIONS, time = SuiteDefaults.WARMUP_SECONDS)
@Measurement(iterations = SuiteDefaults.MEASUREMENT_ITERATIONS, time = SuiteDefaults.MEASUREMENT_SECONDS)
public abstract class SuiteDefaults {
    static final int FORKS = 3;
    static final int WARMUP_ITERATIONS = 5;
    static final int WARMUP_SECONDS = 1;
    static final int MEASUREMENT_ITERATIONS = 5;
    static final int MEASUREMENT_SECONDS = 1;
}
