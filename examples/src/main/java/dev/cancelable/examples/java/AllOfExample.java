package dev.cancelable.examples.java;

import static dev.cancelable.examples.support.Scale.scaled;

import dev.cancelable.OperationCanceledException;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import dev.cancelable.source.AllOfSource;
import dev.cancelable.source.ConditionSource;
import dev.cancelable.source.TimeoutSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** All-of: cancel only once every source has fired; here "at least this long AND at least ten items". */
public final class AllOfExample {
    private AllOfExample() {
    }

    public static void main(String[] args) throws Exception {
        sample(scaled(Duration.ofMillis(20)), scaled(Duration.ofSeconds(1)));     // items first, time last
        sample(scaled(Duration.ofMillis(100)), scaled(Duration.ofMillis(200)));   // time first, items last
    }

    private static void sample(Duration itemEvery, Duration minimum) throws Exception {
        long started = System.nanoTime();
        // region readme:all-of
        AtomicInteger sampled = new AtomicInteger();
        Operation sampler = Cancelables.operation("sampler")
                .source(new AllOfSource(
                        new TimeoutSource(minimum),                                        // at least this long
                        new ConditionSource(() -> sampled.get() >= 10, scaled(Duration.ofMillis(10)), "ten_samples")))  // and ten samples
                .build();
        try {
            sampler.call(ctx -> {
                while (true) {
                    ctx.sleep(itemEvery);
                    sampled.incrementAndGet();
                }
            });
        } catch (OperationCanceledException e) {
            System.out.println("sampler stopped with " + sampled.get() + " samples after " + (System.nanoTime() - started) / 1_000_000
                    + " ms (minimum " + minimum.toMillis() + " ms): " + e.getReason() + " - " + e.getMessage());
        }
        // endregion
    }
}
