package dev.cancelable.examples.java;

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
        sample(Duration.ofMillis(10), Duration.ofMillis(250));    // items first, time last
        sample(Duration.ofMillis(40), Duration.ofMillis(100));    // time first, items last
    }

    // region readme:all-of
    /** Samples one item every {@code itemEvery} until it has run for {@code minimum} and has ten items, whichever comes last. */
    static void sample(Duration itemEvery, Duration minimum) throws InterruptedException {
        long started = System.nanoTime();
        AtomicInteger sampled = new AtomicInteger();
        Operation sampler = Cancelables.operation("sampler")
                .source(new AllOfSource(
                        new TimeoutSource(minimum),                                        // at least this long
                        new ConditionSource(() -> sampled.get() >= 10, Duration.ofMillis(10), "ten_samples")))  // and ten samples
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
    }
    // endregion
}
