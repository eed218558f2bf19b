package dev.cancelable.examples.java;

import static dev.cancelable.examples.support.Scale.scaled;

import dev.cancelable.CanceledBySignalException;
import dev.cancelable.examples.support.DemoSignals;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C (SIGINT) or {@code kill} (SIGTERM) cancels an operation instead of ending the process.
 * Press Ctrl-C while it runs; if you do not, it sends itself SIGTERM after a few seconds, which goes
 * through the very same path. Once it ends, the previous handlers are back.
 */
public final class SignalExample {
    private SignalExample() {
    }

    public static void main(String[] args) throws Exception {
        Duration patience = scaled(Duration.ofSeconds(3));
        System.out.println("backing up: press Ctrl-C to cancel (or wait " + patience.toMillis() + " ms for a SIGTERM)");
        // region readme:signal
        Operation backup = Cancelables.operation("backup").signals().build();   // INT and TERM by default
        AtomicInteger files = new AtomicInteger();
        try {
            backup.call(ctx -> {
                DemoSignals.Raiser user = DemoSignals.raiseLater("TERM", patience, () -> !ctx.isCanceled());  // stands in for the user
                try {
                    while (true) {
                        ctx.sleep(scaled(Duration.ofMillis(100)));
                        files.incrementAndGet();
                    }
                } finally {
                    user.close();
                }
            });
        } catch (CanceledBySignalException e) {
            System.out.println("backup canceled after " + files.get() + " files: " + e.getReason() + " - " + e.getMessage());
        }
        // endregion
    }
}
