package dev.cancelable.facade.invocation;

import dev.cancelable.Cancelable;
import dev.cancelable.facade.CancelableFunction;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import dev.cancelable.facade.internal.QueuedRuns;
import dev.cancelable.facade.internal.Sleeper;
import dev.cancelable.registry.OperationRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The per-invocation model of lab-automation servers (labthings-fastapi): a blocking action runs
 * with an invocation id in its thread's context, and a client may ask it to stop through a
 * <em>resettable</em> cancel request.
 *
 * <pre>{@code
 * // the action, on its worker thread (any task run by Operation.call, supplyAsync or runAsync)
 * for (Position p : positions) {
 *     try {
 *         Invocations.sleep(Duration.ofMillis(200));   // raises once if a cancel was requested
 *     } catch (InvocationCanceledException e) {
 *         stage.park();                               // handle it and carry on, or rethrow
 *     }
 *     log.info("invocation {} at {}", Invocations.currentId(), p);
 * }
 *
 * // the server, on a request thread
 * Invocations.requestCancel(invocationId);
 *
 * // a test of the action without a server
 * Invocations.withFakeId(ctx -> { action.run(); return null; });
 * }</pre>
 *
 * <p><b>Built on the operation model.</b> An invocation is an operation running on a thread: its id
 * is the operation's id, and {@link #currentId()} is the id of the operation the calling thread runs.
 * A cancel request is found through the registry the operation runs in and lives as long as the
 * operation.
 *
 * <p><b>Resettable, not latched.</b> An operation's cancel is latched: once requested it stays
 * requested, every later check throws, and the operation ends CANCELED (unless its task catches the
 * exception and returns, and even then the reason stays recorded). An invocation's cancel request is
 * an event: {@link #raiseIfCancelRequested()} and {@link #sleep(Duration)} raise
 * {@link InvocationCanceledException} exactly once per request and reset it, so an action may catch
 * it and carry on; the next check passes until the next request. Two requests before the action looks
 * count as one. A request does not interrupt the thread: the action sees it at its next check or
 * sleep. The operation's own cancellation (timeout, token, {@code future.cancel}) still applies and
 * wins: {@link #sleep(Duration)} throws it too.
 *
 * <p>Thread-safety: all methods are thread-safe.
 */
public final class Invocations {
    /** Resettable requests by operation; weak keys, so a finished operation's request goes with it. */
    private static final Map<Cancelable, InvocationCancelRequest> REQUESTS =
            Collections.synchronizedMap(new WeakHashMap<>());

    private static final Operation FAKE = Cancelables.operation("fake_invocation").build();

    private Invocations() {
    }

    /**
     * The id of the invocation the calling thread runs: the id of its current operation.
     *
     * @return the invocation id
     * @throws NoInvocationContextException outside any invocation
     */
    public static String currentId() {
        Cancelable operation = Cancelable.current();
        if (operation == null) {
            throw new NoInvocationContextException("There is no invocation id on thread '"
                    + Thread.currentThread().getName() + "': it exists only inside a task run by Operation.call, "
                    + "supplyAsync or runAsync, or inside Invocations.withFakeId");
        }
        return operation.getId();
    }

    /**
     * Requests cancellation of the invocation {@code invocationId} running in the global registry.
     *
     * @param invocationId the invocation's id
     * @return true if such an invocation runs or waits to (its request is now pending), false if none does
     */
    public static boolean requestCancel(String invocationId) {
        return requestCancel(OperationRegistry.getGlobal(), invocationId);
    }

    /**
     * Requests cancellation of the invocation {@code invocationId} in {@code registry}, running or
     * started with {@code supplyAsync}/{@code runAsync} and still waiting for a thread of its executor
     * (as in labthings, the request exists from the start). The action sees it once, at its next
     * {@link #raiseIfCancelRequested()} or {@link #sleep(Duration)}.
     *
     * @param registry where the invocation's operation runs
     * @param invocationId the invocation's id
     * @return true if such an invocation runs or waits to (its request is now pending), false if none does
     */
    public static boolean requestCancel(OperationRegistry registry, String invocationId) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(invocationId, "invocationId");
        Cancelable operation = registry.get(invocationId);
        if (operation == null) {
            operation = QueuedRuns.find(registry, invocationId);
        }
        if (operation == null) {
            return false;
        }
        requestFor(operation).request("Invocation " + invocationId + " was canceled on request");
        return true;
    }

    /**
     * True if a cancel request of the current invocation is pending; false outside any invocation.
     * Never throws and never resets the request.
     *
     * @return whether a request is pending
     */
    public static boolean isCancelRequested() {
        Cancelable operation = Cancelable.current();
        InvocationCancelRequest request = operation == null ? null : REQUESTS.get(operation);
        return request != null && request.isRequested();
    }

    /**
     * Raises {@link InvocationCanceledException} if a cancel request of the current invocation is
     * pending, and resets it; does nothing outside any invocation.
     *
     * @throws InvocationCanceledException once per request
     */
    public static void raiseIfCancelRequested() {
        Cancelable operation = Cancelable.current();
        InvocationCancelRequest request = operation == null ? null : REQUESTS.get(operation);
        if (request != null) {
            request.raiseIfRequested(operation);
        }
    }

    /**
     * Sleeps like {@code Thread.sleep}, but inside an invocation wakes at a cancel request (raised
     * once, then reset) or at the operation's own cancellation. Outside any invocation it is a plain
     * sleep.
     *
     * @param duration how long to sleep; not negative
     * @throws InvocationCanceledException when a cancel request arrives (once per request)
     * @throws dev.cancelable.OperationCanceledException when the operation itself is canceled
     * @throws InterruptedException outside an invocation, if the thread is interrupted
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public static void sleep(Duration duration) throws InterruptedException {
        long nanos = Sleeper.nanos(duration);
        Cancelable operation = Cancelable.current();
        if (operation == null) {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return;
        }
        Sleeper.sleep(operation, Thread.currentThread(), nanos, requestFor(operation));
    }

    /**
     * Runs {@code block} as an invocation under a fresh fake id, on this thread, and restores the
     * previous invocation (if any) afterwards: a test helper for action code. The invocation is an
     * operation named {@code fake_invocation} in the global registry, so {@link #requestCancel(String)}
     * reaches it.
     *
     * @param block the code to run; {@code context.getId()} is the fake id
     * @param <T> what the block returns
     * @param <E> what the block may throw
     * @return the block's value
     * @throws E whatever the block throws, unwrapped
     */
    public static <T, E extends Exception> T withFakeId(CancelableFunction<T, E> block) throws E {
        Objects.requireNonNull(block, "block");
        return FAKE.call(block);
    }

    private static InvocationCancelRequest requestFor(Cancelable operation) {
        return REQUESTS.computeIfAbsent(operation, key -> new InvocationCancelRequest());
    }
}
