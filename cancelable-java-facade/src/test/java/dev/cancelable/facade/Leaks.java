package dev.cancelable.facade;

import dev.cancelable.CancellationToken;
import java.lang.reflect.Method;

/**
 * Reads the core's own leak counters, which are internal to it: timers armed on the shared timer
 * thread, and callbacks registered on a token. Both must return to zero once operations end.
 */
final class Leaks {
    private Leaks() {
    }

    static int pendingSharedTimers() {
        try {
            Class<?> timers = Class.forName("dev.cancelable.internal.Timers");
            Object instance = timers.getField("INSTANCE").get(null);
            return (int) timers.getMethod("getPendingSharedTimers").invoke(instance);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the core's timer counter moved", e);
        }
    }

    static int registrations(CancellationToken token) {
        try {
            for (Method m : CancellationToken.class.getDeclaredMethods()) {
                if (m.getName().startsWith("getRegistrationCount")) {
                    return (int) m.invoke(token);
                }
            }
            throw new AssertionError("the core's token registration counter moved");
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
