package dev.cancelable.examples.java;

import dev.cancelable.CanceledByConditionException;
import dev.cancelable.facade.Cancelables;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** A polled condition cancels an operation once it holds: here, a backlog that grew too long. */
public final class ConditionExample {
    private ConditionExample() {
    }

    public static void main(String[] args) throws Exception {
        // region readme:condition
        AtomicInteger backlog = new AtomicInteger();
        try {
            Cancelables.operation("slow-consumer")
                    .condition(() -> backlog.get() >= 5, Duration.ofMillis(50), "backlog_full")
                    .build()
                    .call(ctx -> {
                        while (true) {
                            ctx.sleep(Duration.ofMillis(40));
                            backlog.incrementAndGet();                // the producer outpaces us
                        }
                    });
        } catch (CanceledByConditionException e) {
            System.out.println("slow-consumer canceled: " + e.getReason() + " - " + e.getMessage() + " (backlog " + backlog.get() + ")");
        }
        // endregion
    }
}
