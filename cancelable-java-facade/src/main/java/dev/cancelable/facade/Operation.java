package dev.cancelable.facade;

import dev.cancelable.OperationCanceledException;
import dev.cancelable.CancellationToken;
import dev.cancelable.Cancelable;
import dev.cancelable.OperationContext;
import dev.cancelable.facade.internal.Bridge;
import dev.cancelable.facade.internal.DefaultExecutor;
import dev.cancelable.facade.internal.OperationTemplate;
import dev.cancelable.facade.internal.QueuedRuns;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.source.CancellationSource;
import dev.cancelable.source.ConditionSource;
import dev.cancelable.source.SignalSource;
import dev.cancelable.source.TimeoutSource;
import dev.cancelable.source.TokenSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * An immutable description of an operation (name, sources, parent, metadata, registry, callbacks,
 * interrupt policy) that runs tasks: blocking on the calling thread, asynchronously on an executor,
 * or around a {@code CompletionStage} from an asynchronous API. Each run is a new operation in the
 * core, with its own id (unless one was fixed), status, and place in the registry.
 *
 * <pre>{@code
 * Operation fetch = Cancelables.operation("fetch")
 *         .timeout(Duration.ofSeconds(5))
 *         .token(userStop)
 *         .onProgress(p -> log.info("{}", p.getMessage()))
 *         .build();
 *
 * String page = fetch.call(ctx -> blockingFetch(ctx));                  // blocks this thread
 * CompletableFuture<String> f = fetch.supplyAsync(ctx -> blockingFetch(ctx), executor);
 * f.cancel(true);                                                        // cancels that run (MANUAL)
 * CompletableFuture<HttpResponse<String>> r =
 *         fetch.compose(ctx -> http.sendAsync(request, BodyHandlers.ofString()));  // canceled with the run
 * }</pre>
 *
 * <p>Each run throws (or completes its future with) what its operation ended with: the task's value;
 * the task's own exception, unwrapped (status FAILED); or the typed {@link OperationCanceledException} of
 * the first source that fired (status CANCELED): {@code CanceledByTimeoutException},
 * {@code CanceledManuallyException}, {@code CanceledBySignalException}, {@code CanceledByConditionException},
 * {@code CanceledByParentException}.
 *
 * <p>Thread-safety: immutable; any number of threads may run it at once. With a fixed {@link
 * OperationBuilder#id(String) id}, runs must not overlap in the same registry.
 */
public final class Operation {
    final String name;
    final String id;
    final Duration timeout;
    final List<CancellationSource> sources;
    final CancelableContext parent;
    final Map<String, Object> metadata;
    final OperationRegistry registry;
    final List<Consumer<? super OperationContext>> onStart;
    final List<ProgressListener> onProgress;
    final List<Consumer<? super OperationContext>> onCompleted;
    final List<Consumer<? super OperationContext>> onCanceled;
    final List<BiConsumer<? super OperationContext, ? super Throwable>> onFailed;
    final List<Consumer<? super OperationContext>> onFinished;
    final boolean interruptOnCancel;
    final OperationTemplate template;

    Operation(OperationBuilder b) {
        name = b.name;
        id = b.id;
        timeout = b.timeout;
        List<CancellationSource> all = new ArrayList<>();
        if (b.timeoutSource != null) {
            all.add(b.timeoutSource);
        }
        all.addAll(b.sources);
        sources = List.copyOf(all);
        parent = b.parent;
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        registry = b.registry;
        onStart = List.copyOf(b.onStart);
        onProgress = List.copyOf(b.onProgress);
        onCompleted = List.copyOf(b.onCompleted);
        onCanceled = List.copyOf(b.onCanceled);
        onFailed = List.copyOf(b.onFailed);
        onFinished = List.copyOf(b.onFinished);
        interruptOnCancel = b.interruptOnCancel;
        template = new OperationTemplate(name, id, metadata, registry, sources,
                onStart, onProgress, onCompleted, onCanceled, onFailed, onFinished);
    }

    /**
     * The operation's name.
     *
     * @return the name
     */
    public String getName() {
        return name;
    }

    /**
     * The timeout, if one was set.
     *
     * @return the timeout, or empty
     */
    public Optional<Duration> getTimeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * A builder holding this operation's configuration, to derive a variant from it.
     *
     * @return a new builder
     */
    public OperationBuilder toBuilder() {
        return new OperationBuilder(this);
    }

    /**
     * Runs {@code task} as a new operation on the calling thread and returns its value. No thread is
     * started: timeouts fire on a shared timer thread; a cancel interrupts this thread (unless the
     * interrupt policy is off) without leaving the interrupt flag set afterwards.
     *
     * <p>If someone else interrupts this thread while the task runs, that is a cancel request (reason
     * MANUAL): the call throws {@code CanceledManuallyException} with the interrupt flag set again.
     *
     * @param task the work; receives the operation's context
     * @param <T> the task's value
     * @return the task's value
     * @param <E> what the task may throw
     * @throws OperationCanceledException (typed by reason) if the operation was canceled
     * @throws E the task's own exception, unwrapped
     */
    public <T, E extends Exception> T call(CancelableFunction<T, E> task) throws E {
        Objects.requireNonNull(task, "task");
        Cancelable op = template.newOperation(parent == null ? null : parent.operation());
        return callBlocking(op, interruptOnCancel, task);
    }

    /** Runs {@code task} as {@code op} on this thread; the task's exception, which the bridge rethrows as is, is {@code E}. */
    @SuppressWarnings("unchecked")
    private static <T, E extends Exception> T callBlocking(Cancelable op, boolean interruptOnCancel, CancelableFunction<T, E> task) throws E {
        try {
            return Bridge.callBlocking(op, interruptOnCancel, o -> task.apply(new CancelableContext(o, Thread.currentThread())));
        } catch (RuntimeException | Error unchecked) {
            throw unchecked;
        } catch (Exception checked) {
            throw (E) checked; // only the task throws checked exceptions: it is its E
        }
    }

    /**
     * Runs {@code task} as a new operation on {@link Cancelables#defaultExecutor()}; see
     * {@link #supplyAsync(CancelableFunction, Executor)}.
     *
     * @param task the work; receives the operation's context
     * @param <T> the task's value
     * @return a future wired both ways to the operation
     */
    public <T> CompletableFuture<T> supplyAsync(CancelableFunction<T, ?> task) {
        return supplyAsync(task, DefaultExecutor.INSTANCE);
    }

    /**
     * Runs {@code task} as a new operation on {@code executor}, blocking one of its threads as
     * {@link #call} blocks the caller's, and returns a future wired both ways to the operation:
     *
     * <ul>
     *   <li>{@code future.cancel(true)} cancels the operation with reason MANUAL (interrupting the
     *       task's thread unless the interrupt policy is off) and completes the future at once with the
     *       typed {@code CanceledManuallyException} (or the cancellation already under way, if a source was
     *       first); completing the future any other way (e.g. {@code orTimeout}) cancels the operation
     *       too, with reason TIMEOUT for a {@code TimeoutException} and MANUAL otherwise;
     *   <li>the future completes with what the operation ended with, once it has ended: the value,
     *       the task's own exception, or the typed cancellation (so {@code isCancelled()} is true and
     *       {@code get()} throws it, reason readable).
     * </ul>
     *
     * <p>The operation exists from this call on, with its id and its parent (unless a parent was set,
     * the operation the calling thread runs, if any, so canceling it cancels this run too, even while
     * the task still waits for a thread); its sources (the timeout included) count from when the task
     * starts on the executor. While the task waits, {@link dev.cancelable.facade.invocation.Invocations#requestCancel(OperationRegistry,
     * String)} finds it by its id, and a future canceled meanwhile means the task never runs (the
     * operation then leaves nothing behind). A cancel requested before the task starts, by any means,
     * means it never runs: the future holds the typed cancellation.
     *
     * <p>If {@code executor} rejects the task, the run is recorded at once, on the calling thread, as
     * an operation that started and failed: it ends FAILED with a {@link RejectedExecutionException}
     * naming the operation, its {@code onStart} and {@code onFailed} callbacks fire, the registry's
     * history keeps it (as a child of its parent, if any), and the future fails with that same
     * exception. The calling thread is never interrupted. A run whose sources have already canceled
     * it (a canceled token or parent) ends CANCELED instead, the future holding its typed cancellation
     * with the rejection attached as suppressed.
     *
     * @param task the work; receives the operation's context
     * @param executor runs the task
     * @param <T> the task's value
     * @return a future wired both ways to the operation
     */
    public <T> CompletableFuture<T> supplyAsync(CancelableFunction<T, ?> task, Executor executor) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(executor, "executor");
        Cancelable op = template.newOperation(parent != null ? parent.operation() : runningParent(Cancelable.current()));
        OperationFuture<T> future = new OperationFuture<>();
        future.attach(op);
        QueuedRuns.add(registry, op);
        try {
            executor.execute(() -> runOn(future, op, task));
        } catch (RejectedExecutionException e) {
            QueuedRuns.remove(registry, op);
            RejectedExecutionException rejected = new RejectedExecutionException(
                    "operation '" + name + "' did not start: its executor rejected the task", e);
            recordRejected(future, op, rejected);
        }
        return future;
    }

    /**
     * Runs the operation of a task its executor refused, here and at once, as a run that fails with
     * {@code rejected}, so that callbacks, registry and parent all see it end; settles the future with
     * what it ended with (a cancel that came first, with the rejection attached).
     */
    private static <T> void recordRejected(OperationFuture<T> future, Cancelable op, RejectedExecutionException rejected) {
        try {
            Bridge.callBlocking(op, false, o -> {
                throw rejected;
            });
        } catch (Throwable outcome) {
            if (outcome instanceof OperationCanceledException) {
                outcome.addSuppressed(rejected);
            }
            future.settleExceptionally(outcome);
        }
    }

    /**
     * Runs {@code task} as a new operation on {@link Cancelables#defaultExecutor()}; see
     * {@link #supplyAsync(CancelableFunction, Executor)}.
     *
     * @param task the work; receives the operation's context
     * @return a future completed with null, or as {@code supplyAsync} describes
     */
    public CompletableFuture<Void> runAsync(CancelableRunnable<?> task) {
        return runAsync(task, DefaultExecutor.INSTANCE);
    }

    /**
     * Runs {@code task} as a new operation on {@code executor}; see
     * {@link #supplyAsync(CancelableFunction, Executor)}.
     *
     * @param task the work; receives the operation's context
     * @param executor runs the task
     * @return a future completed with null, or as {@code supplyAsync} describes
     */
    public CompletableFuture<Void> runAsync(CancelableRunnable<?> task, Executor executor) {
        Objects.requireNonNull(task, "task");
        return supplyAsync(ctx -> {
            task.run(ctx);
            return null;
        }, executor);
    }

    /**
     * Runs a new operation around the {@code CompletionStage} that {@code task} starts (an HTTP
     * request, a driver's async query) and returns a future of its result. Canceling the operation (by
     * a source, the registry, a parent, or {@code cancel} on the returned future) cancels the stage's
     * {@code CompletableFuture}; the returned future then holds the typed cancellation.
     *
     * <p>{@code task} runs on the calling thread, inside the operation; no thread is blocked while the
     * stage is pending, and the operation ends on the thread that completes the stage (or fires the
     * cancel). There is no current operation on the stage's threads: use the context the task
     * receives. Unless a parent was set, the operation the calling thread runs (if any) becomes the
     * parent.
     *
     * @param task starts the asynchronous work and returns its stage (not null)
     * @param <T> the stage's value
     * @return a future wired both ways to the operation
     */
    public <T> CompletableFuture<T> compose(CancelableFunction<? extends CompletionStage<T>, ?> task) {
        Objects.requireNonNull(task, "task");
        Cancelable op = template.newOperation(parent != null ? parent.operation() : runningParent(Cancelable.current()));
        OperationFuture<T> future = new OperationFuture<>();
        future.attach(op);
        Bridge.runStage(op, o -> task.apply(new CancelableContext(o, null)), future::settle);
        return future;
    }

    private <T> void runOn(OperationFuture<T> future, Cancelable op, CancelableFunction<T, ?> task) {
        T value;
        try {
            if (future.isDone()) {
                return; // canceled (or completed by its holder) before it started: nothing to run
            }
            value = Bridge.callBlocking(op, interruptOnCancel, o -> task.apply(new CancelableContext(o, Thread.currentThread())));
        } catch (Throwable failure) {
            future.settleExceptionally(failure);
            return;
        } finally {
            QueuedRuns.remove(registry, op);
        }
        future.settle(value);
    }

    /** An implicit parent that has ended by now is no parent: the run simply has none. */
    private static Cancelable runningParent(Cancelable candidate) {
        return candidate == null || candidate.getStatus().isTerminal() ? null : candidate;
    }

    @Override
    public String toString() {
        return "Operation(name='" + name + "'" + (id != null ? ", id=" + id : "")
                + (timeout != null ? ", timeout=" + timeout : "") + ", sources=" + sources.size()
                + (registry == null ? ", unregistered" : "") + (interruptOnCancel ? "" : ", no interrupts") + ")";
    }

}
