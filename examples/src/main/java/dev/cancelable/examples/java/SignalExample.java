package dev.cancelable.examples.java;

import dev.cancelable.CanceledBySignalException;
import dev.cancelable.examples.support.DemoPace;
import dev.cancelable.examples.support.DemoSignals;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C (SIGINT) or {@code kill} (SIGTERM) cancels an operation instead of ending the process.
 * Press Ctrl-C while it runs; if you do not, it sends itself SIGTERM after a few seconds (at once
 * when the output is piped), which goes through the very same path. Once it ends, the previous
 * handlers are back.
 */
public final class SignalExample {
    private SignalExample() {
    }

    public static void main(String[] args) throws Exception {
        Duration patience = DemoPace.of(Duration.ofSeconds(3), Duration.ofMillis(300));
        System.out.println("backing up: press Ctrl-C to cancel (or wait " + patience.toMillis() + " ms for a SIGTERM)");
        DemoSignals.Pending user = DemoSignals.raiseOnceRunning("TERM", "backup", patience);   // stands in for the user
        try {
            // region readme:signal
            Operation backup = Cancelables.operation("backup").signals().build();   // INT and TERM by default
            AtomicInteger files = new AtomicInteger();
            try {
                backup.call(ctx -> {
                    while (true) {
                        ctx.sleep(Duration.ofMillis(100));
                        files.incrementAndGet();
                    }
                });
            } catch (CanceledBySignalException e) {
                System.out.println("backup canceled after " + files.get() + " files: " + e.getReason() + " - " + e.getMessage());
            }
            // endregion
        } finally {
            user.close();
        }
    }
}
