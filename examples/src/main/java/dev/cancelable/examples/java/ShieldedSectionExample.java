package dev.cancelable.examples.java;

import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import java.time.Duration;

/**
 * A critical section that runs to its end although the operation is canceled meanwhile.
 *
 * <p>Blocking code is canceled cooperatively: with {@code interruptOnCancel(false)} nothing
 * interrupts the thread, so a section that neither checks nor sleeps through its context is
 * shielded by construction, and the pending cancellation lands at the next {@code throwIfCanceled()}.
 * (The Kotlin API has {@code shield {}}, which also shows the section in the registry.)
 */
public final class ShieldedSectionExample {
    private ShieldedSectionExample() {
    }

    public static void main(String[] args) throws Exception {
        // region readme:shield
        Operation checkout = Cancelables.operation("checkout")
                .timeout(Duration.ofMillis(100))
                .interruptOnCancel(false)                          // cancel never interrupts the section below
                .build();
        try {
            checkout.call(ctx -> {
                System.out.println("charging card");
                Thread.sleep(400);                                 // the timeout fires meanwhile
                System.out.println("card charged and order written");
                ctx.throwIfCanceled();                             // the pending cancellation lands here
                System.out.println("never printed");
                return null;
            });
        } catch (CanceledByTimeoutException e) {
            System.out.println(checkout.getName() + " canceled after the critical section: " + e.getReason());
        }
        // endregion
    }
}
