package dev.cancelable.benchmarks;

import io.ktor.server.testing.TestApplication;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One Ktor request through a route with the {@code CancelableCalls} plugin (the call runs as an
 * operation of the global registry) against the same route without it, on Ktor's in-memory test
 * engine. The cost of the plugin is the ratio {@code withPlugin / plainRoute}.
 */
@State(Scope.Benchmark)
public class KtorPluginBenchmark extends SuiteDefaults {
    private TestApplication app;

    @Setup
    public void start() {
        app = KtorRequests.start();
    }

    @TearDown
    public void stop() {
        KtorRequests.stop(app);
    }

    @Benchmark
    @OperationsPerInvocation(KtorRequests.OPS)
    public long plainRoute() {
        return KtorRequests.requests(app, "/plain", KtorRequests.OPS);
    }

    @Benchmark
    @OperationsPerInvocation(KtorRequests.OPS)
    public long withPlugin() {
        return KtorRequests.requests(app, "/operation", KtorRequests.OPS);
    }
}
