package dev.cancelable.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the whole suite once, measures memory, checks every ratio against the budget, prints the
 * table and writes {@code benchmarks/RESULTS.md}. Started by {@code benchmarks/run}.
 *
 * <p>Arguments are JMH's own ({@code -f 2}, {@code -prof jfr}, a regex selecting benchmarks, ...),
 * plus {@code --results <file>} to write elsewhere and {@code --no-memory} to skip the memory
 * figures. Without {@code -prof}, the GC profiler runs to report bytes allocated per operation.
 * Another JMH run on the machine holds a lock; this waits for it instead of failing.
 */
public final class BudgetRun {
    private static final LockWait LOCK_WAIT = new LockWait(30_000, 60);

    private BudgetRun() {
    }

    public static void main(String[] args) throws Exception {
        Path results = Paths.get("benchmarks", "RESULTS.md");
        boolean memory = true;
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Paths.get(args[++i]);
                case "--no-memory" -> memory = false;
                default -> jmhArgs.add(args[i]);
            }
        }
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(jmhArgs.toArray(new String[0]));
        } catch (CommandLineOptionException e) {
            System.err.println("benchmarks: " + e.getMessage());
            System.exit(2);
            return;
        }
        ChainedOptionsBuilder builder = new OptionsBuilder().parent(cli);
        if (cli.getIncludes().isEmpty()) builder.include(BudgetRun.class.getPackageName() + "\\..*Benchmark\\..*");
        if (cli.getProfilers().isEmpty()) builder.addProfiler(GCProfiler.class);
        Options options = builder.build();

        String loadBefore = loadAverage();
        Map<String, Measurement> measured = new LinkedHashMap<>();
        Collection<RunResult> runs = runJmh(options);
        BenchmarkParams params = null;
        for (RunResult run : runs) {
            params = run.getParams();
            measured.put(key(run.getParams()), measurement(run));
        }
        if (memory) measured.putAll(measureMemory());

        List<String> profilers = new ArrayList<>();
        options.getProfilers().forEach(profiler -> profilers.add(profiler.getKlass().substring(profiler.getKlass().lastIndexOf('.') + 1)));
        ReportInfo info = new ReportInfo(loadBefore, loadAverage(), params, profilers, String.join(" ", args));
        String generated = ResultsReport.render(measured, info.toRunInfo());
        ResultsReport.write(results, generated, "# Benchmark results");
        System.out.println();
        System.out.println(ResultsReport.budgetTable(measured));
        System.out.println("Written to " + results.toAbsolutePath().normalize());
    }

    /** Runs JMH, waiting while another JMH run on this machine holds its lock. */
    private static Collection<RunResult> runJmh(Options options) throws RunnerException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return new Runner(options).run();
            } catch (RunnerException e) {
                boolean locked = String.valueOf(e.getMessage()).contains("JMH lock");
                if (!locked || attempt >= LOCK_WAIT.attempts()) throw e;
                System.out.println("Another JMH run holds the lock; retrying in " + LOCK_WAIT.millis() / 1000 + " s");
                Thread.sleep(LOCK_WAIT.millis());
            }
        }
    }

    /** {@code Class.method}, plus {@code :param=value} for parameterized benchmarks. */
    private static String key(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        String[] parts = benchmark.split("\\.");
        StringBuilder key = new StringBuilder(parts[parts.length - 2]).append('.').append(parts[parts.length - 1]);
        for (String name : params.getParamsKeys()) key.append(':').append(name).append('=').append(params.getParam(name));
        return key.toString();
    }

    private static Measurement measurement(RunResult run) {
        Result<?> primary = run.getPrimaryResult();
        double allocation = Double.NaN;
        for (Map.Entry<String, Result> secondary : run.getSecondaryResults().entrySet()) {
            if (secondary.getKey().endsWith("gc.alloc.rate.norm")) allocation = secondary.getValue().getScore();
        }
        List<List<Double>> perFork = new ArrayList<>();
        for (BenchmarkResult fork : run.getBenchmarkResults()) {
            List<Double> iterations = new ArrayList<>();
            for (IterationResult iteration : fork.getIterationResults()) iterations.add(iteration.getPrimaryResult().getScore());
            perFork.add(iterations);
        }
        return Measurement.ofForks(perFork, primary.getScoreUnit(), primary.getScore(), primary.getScoreError(), allocation);
    }

    /** Runs {@link MemoryFootprint} in its own JVM (serial collector, fixed heap) and reads its figures. */
    private static Map<String, Measurement> measureMemory() throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-XX:+UseSerialGC", "-Xms1g", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), MemoryFootprint.class.getName());
        System.out.println("# Memory: " + String.join(" ", command.subList(1, 4)) + " " + MemoryFootprint.class.getSimpleName());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, Measurement> figures = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println(line);
                int equals = line.indexOf('=');
                if (line.startsWith("memory.") && equals > 0) {
                    figures.put(line.substring(0, equals), Measurement.bytes(Double.parseDouble(line.substring(equals + 1))));
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0) throw new IllegalStateException("memory measurement failed with exit code " + exit);
        return figures;
    }

    private static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
    }

    private static String cpuModel() {
        Path cpuinfo = Paths.get("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) return System.getProperty("os.arch");
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException ignored) {
            // fall through to the architecture
        }
        return System.getProperty("os.arch");
    }

    private record LockWait(long millis, int attempts) {
    }

    private record ReportInfo(String loadBefore, String loadAfter, BenchmarkParams params, List<String> profilers,
                              String arguments) {
        ResultsReport.RunInfo toRunInfo() {
            String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
            String jdk = "JDK " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name")
                    + ", " + System.getProperty("java.vendor") + ")";
            String os = System.getProperty("os.name") + " " + System.getProperty("os.arch");
            String settings;
            String version = "n/a";
            if (params == null) {
                settings = "no benchmark ran";
            } else {
                version = params.getJmhVersion();
                settings = String.format(Locale.ROOT, "%d fork(s), %d × %s warmup, %d × %s measurement, %s, JVM options %s",
                        params.getForks(), params.getWarmup().getCount(), params.getWarmup().getTime(),
                        params.getMeasurement().getCount(), params.getMeasurement().getTime(), params.getMode().longLabel(),
                        String.join(" ", params.getJvmArgs()))
                        + (profilers.isEmpty() ? "" : ", profilers " + String.join(" ", profilers));
            }
            String command = "benchmarks/run" + (arguments.isEmpty() ? "" : " " + arguments);
            return new ResultsReport.RunInfo(date, jdk, Runtime.getRuntime().availableProcessors(), cpuModel(), os,
                    loadBefore, loadAfter, version, settings, command);
        }
    }
}
