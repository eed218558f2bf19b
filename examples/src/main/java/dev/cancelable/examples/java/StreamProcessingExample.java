package dev.cancelable.examples.java;

import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.examples.support.ProgressBars;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;

/**
 * A stream under an operation: progress every N items on a progress bar, and the partial result
 * when it is cut short. Blocking code iterates and checks the operation per item, which is what the
 * Kotlin {@code flow.cancelable()} does for a {@code Flow}.
 */
public final class StreamProcessingExample {
    private StreamProcessingExample() {
    }

    /** An endless sensor: one reading every 5 ms. */
    static Iterator<Integer> readings() {
        return IntStream.iterate(0, i -> i + 1).peek(i -> sleepQuietly(Duration.ofMillis(5))).iterator();
    }

    // region readme:stream
    /** Stores {@code readings} for half a second, moving {@code bar} every 10 of them, then closes it and prints what went through. */
    static void ingest(Iterator<Integer> readings, ProgressBar bar) {
        Deque<Integer> lastItems = new ArrayDeque<>();
        long[] count = {0};
        Operation ingest = Cancelables.operation("ingest-readings")
                .timeout(Duration.ofMillis(500))
                .onProgress(report -> bar.stepTo(((Number) report.getMetadata().get("count")).longValue()))
                .build();
        try (bar) {
            try {
                ingest.call(ctx -> {
                    while (readings.hasNext()) {
                        ctx.throwIfCanceled();                              // a cancel stops the stream between items
                        lastItems.addLast(readings.next());
                        if (lastItems.size() > 3) {
                            lastItems.removeFirst();
                        }
                        if (++count[0] % 10 == 0) {
                            ctx.reportProgress("Processed " + count[0] + " items", Map.of("count", count[0]));
                        }
                    }
                    return null;
                });
            } catch (CanceledByTimeoutException e) {
                bar.setExtraMessage("cut by " + e.getReason());
            }
        }
        System.out.println("ingest-readings canceled: " + count[0] + " readings, completed=false, last " + lastItems);
    }
    // endregion

    public static void main(String[] args) throws Exception {
        ingest(readings(), ProgressBars.open("ingest", 100));

        List<Integer> batches = new ArrayList<>();
        Cancelables.operation("load-rows").build().call(ctx -> {
            List<Integer> batch = new ArrayList<>();
            for (int row = 1; row <= 120; row++) {
                ctx.throwIfCanceled();
                batch.add(row);
                if (batch.size() == 25 || row == 120) {
                    batches.add(batch.size());
                    ctx.reportProgress("Processed chunk of " + batch.size() + " items");
                    batch = new ArrayList<>();
                }
            }
            return null;
        });
        System.out.println("load-rows completed: batches " + batches + ", 120 rows");
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
