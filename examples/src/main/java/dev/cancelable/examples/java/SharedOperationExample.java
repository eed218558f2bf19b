package dev.cancelable.examples.java;

import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.facade.CancelableContext;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import java.time.Duration;

/** Several methods share one operation, and so one timeout budget. */
public final class SharedOperationExample {
    private SharedOperationExample() {
    }

    // region readme:shared
    static String loadUser() throws InterruptedException {
        CancelableContext request = Cancelables.requireCurrent();       // the operation this thread runs
        System.out.println("loadUser runs in " + request.getName());
        request.sleep(Duration.ofMillis(20));
        return "ada";
    }

    static int loadOrders() throws InterruptedException {
        CancelableContext request = Cancelables.requireCurrent();
        System.out.println("loadOrders runs in " + request.getName());
        request.sleep(Duration.ofSeconds(10));                          // the shared budget runs out here
        return 3;
    }
    // endregion

    public static void main(String[] args) throws Exception {
        // region readme:shared-run
        Operation request = Cancelables.operation("shared_context").timeout(Duration.ofMillis(300)).build();
        try {
            request.call(ctx -> {
                System.out.println("user: " + loadUser());
                System.out.println("orders: " + loadOrders());
                return null;
            });
        } catch (CanceledByTimeoutException e) {
            System.out.println(request.getName() + " canceled in loadOrders: " + e.getReason() + ", one budget for both functions");
        }
        // endregion
    }
}
