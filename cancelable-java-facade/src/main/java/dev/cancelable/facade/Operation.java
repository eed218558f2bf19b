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
 * Builder#id(String) id}, runs must not overlap in the same registry.
 */
public final class Operation {
    private final String name;
    private final String id;
    private final Duration timeout;
    private final List<CancellationSource> sources;
    private final CancelableContext parent;
    private final Map<String, Object> metadata;
    private final OperationRegistry registry;
    private final List<Consumer<? super OperationContext>> onStart;
    private final List<ProgressListener> onProgress;
    private final List<Consumer<? super OperationContext>> onCompleted;
    private final List<Consumer<? super OperationContext>> onCanceled;
    private final List<BiConsumer<? super OperationContext, ? super Throwable>> onFailed;
    private final List<Consumer<? super OperationContext>> onFinished;
    private final boolean interruptOnCancel;
    private final OperationTemplate template;

    private Operation(Builder b) {
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
    public Builder toBuilder() {
        return new Builder(this);
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

    /**
     * Builds an {@link Operation}. Every setter validates its argument at once: null arguments throw
     * {@link NullPointerException} and bad durations {@link IllegalArgumentException}, both naming the
     * parameter, so nothing half-configured is ever built or registered.
     *
     * <pre>{@code
     * Operation op = Cancelables.operation("import")
     *         .timeout(Duration.ofMinutes(2))
     *         .condition(() -> disk.freeRatio() < 0.05, Duration.ofSeconds(1), "disk_full")
     *         .metadata("user", userId)
     *         .onCanceled(ctx -> log.warn("import stopped: {}", ctx.getCancelMessage()))
     *         .build();
     * }</pre>
     *
     * <p>Thread-safety: not thread-safe; build on one thread, then share the immutable operation.
     */
    public static final class Builder {
        private String name;
        private String id;
        private Duration timeout;
        private TimeoutSource timeoutSource;
        private final List<CancellationSource> sources = new ArrayList<>();
        private CancelableContext parent;
        private final Map<String, Object> metadata = new LinkedHashMap<>();
        private OperationRegistry registry = OperationRegistry.getGlobal();
        private final List<Consumer<? super OperationContext>> onStart = new ArrayList<>();
        private final List<ProgressListener> onProgress = new ArrayList<>();
        private final List<Consumer<? super OperationContext>> onCompleted = new ArrayList<>();
        private final List<Consumer<? super OperationContext>> onCanceled = new ArrayList<>();
        private final List<BiConsumer<? super OperationContext, ? super Throwable>> onFailed = new ArrayList<>();
        private final List<Consumer<? super OperationContext>> onFinished = new ArrayList<>();
        private boolean interruptOnCancel = true;

        Builder(String name) {
            this.name = requireName(name);
        }

        private Builder(Operation operation) {
            name = operation.name;
            id = operation.id;
            timeout = operation.timeout;
            List<CancellationSource> rest = operation.sources;
            if (timeout != null) {
                timeoutSource = (TimeoutSource) rest.get(0);
                rest = rest.subList(1, rest.size());
            }
            sources.addAll(rest);
            parent = operation.parent;
            metadata.putAll(operation.metadata);
            registry = operation.registry;
            onStart.addAll(operation.onStart);
            onProgress.addAll(operation.onProgress);
            onCompleted.addAll(operation.onCompleted);
            onCanceled.addAll(operation.onCanceled);
            onFailed.addAll(operation.onFailed);
            onFinished.addAll(operation.onFinished);
            interruptOnCancel = operation.interruptOnCancel;
        }

        /**
         * Sets the name (default {@code operation}), used in logs, snapshots and registry searches.
         *
         * @param name the name; not blank
         * @return this builder
         */
        public Builder name(String name) {
            this.name = requireName(name);
            return this;
        }

        /**
         * Fixes the id of every run instead of generating a fresh one per run.
         *
         * @param id the id; not blank
         * @return this builder
         */
        public Builder id(String id) {
            Objects.requireNonNull(id, "id");
            if (id.codePoints().allMatch(Character::isWhitespace)) {   // String.isBlank is API 33 on Android
                throw new IllegalArgumentException("id must not be blank");
            }
            this.id = id;
            return this;
        }

        /**
         * Cancels each run with reason TIMEOUT once {@code timeout} has passed since it started
         * running. Setting it again replaces it.
         *
         * @param timeout how long a run may take; zero or negative has already expired (the task never
         *     runs and the run ends with {@code CanceledByTimeoutException}), and one too long to represent
         *     (about 146 years or more) never fires, as with kotlinx's {@code withTimeout}
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            this.timeoutSource = new TimeoutSource(timeout);
            this.timeout = timeout;
            return this;
        }

        /**
         * Cancels each run when {@code token} is canceled, with the token's reason and message (at once
         * if it already is). May be called for several tokens: any of them cancels.
         *
         * @param token the token to watch
         * @return this builder
         */
        public Builder token(CancellationToken token) {
            Objects.requireNonNull(token, "token");
            sources.add(new TokenSource(token));
            return this;
        }

        /**
         * Cancels each run with reason CONDITION once {@code condition} returns true; see
         * {@link #condition(BooleanSupplier, Duration, String)}.
         *
         * @param condition the condition; thread-safe, may block
         * @param checkInterval time between two checks; positive
         * @return this builder
         */
        public Builder condition(BooleanSupplier condition, Duration checkInterval) {
            return condition(condition, checkInterval, "condition");
        }

        /**
         * Cancels each run with reason CONDITION once {@code condition} returns true, checked when the
         * run starts and then every {@code checkInterval} on a thread of {@code Dispatchers.IO} (so it
         * may block, and must be thread-safe). A condition that throws counts as false and is checked
         * again later; its first failure is logged at WARN, later ones sparingly. The message names it:
         * {@code Condition 'disk_full' met after 3 checks}.
         *
         * @param condition the condition; thread-safe, may block
         * @param checkInterval time between two checks; positive
         * @param conditionName name used in the message and in logs
         * @return this builder
         */
        public Builder condition(BooleanSupplier condition, Duration checkInterval, String conditionName) {
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(checkInterval, "checkInterval");
            Objects.requireNonNull(conditionName, "conditionName");
            sources.add(new ConditionSource(condition, checkInterval, conditionName));
            return this;
        }

        /**
         * Cancels each run with reason SIGNAL when the process receives one of {@code signals}
         * ({@code "INT"}, {@code "TERM"}, {@code "USR2"}, ...; none means INT and TERM). While a run
         * watches a signal, the signal no longer ends the process.
         *
         * @param signals signal names, with or without the {@code SIG} prefix
         * @return this builder
         * @throws IllegalArgumentException for a signal this platform does not know
         * @throws UnsupportedOperationException where the JDK has no signal API (Android)
         */
        public Builder signals(String... signals) {
            Objects.requireNonNull(signals, "signals");
            for (int i = 0; i < signals.length; i++) {
                Objects.requireNonNull(signals[i], "signals[" + i + "]");
            }
            sources.add(new SignalSource(signals));
            return this;
        }

        /**
         * Adds any other source: a composition such as
         * {@code new AnyOfSource(new TimeoutSource(d), new TokenSource(t))}, or a custom one.
         *
         * @param source the source; shareable between runs
         * @return this builder
         */
        public Builder source(CancellationSource source) {
            Objects.requireNonNull(source, "source");
            sources.add(source);
            return this;
        }

        /**
         * Makes each run a child of {@code parent}: canceling the parent cancels the run (reason
         * PARENT), never the other way round, and the run's progress reaches the parent's listeners.
         * Without it, a run's parent is the operation running on the thread that starts it, if any.
         *
         * @param parent a running operation, e.g. the context a task received
         * @return this builder
         */
        public Builder parent(CancelableContext parent) {
            this.parent = Objects.requireNonNull(parent, "parent");
            return this;
        }

        /**
         * Adds one metadata entry, readable from contexts and snapshots.
         *
         * @param key the entry's key
         * @param value its value
         * @return this builder
         */
        public Builder metadata(String key, Object value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            metadata.put(key, value);
            return this;
        }

        /**
         * Adds every entry of {@code metadata}.
         *
         * @param metadata entries to add; no null keys or values
         * @return this builder
         */
        public Builder metadata(Map<String, ?> metadata) {
            Objects.requireNonNull(metadata, "metadata");
            metadata.forEach(this::metadata);
            return this;
        }

        /**
         * Runs join {@code registry} instead of the global one.
         *
         * @param registry where runs are listed while they run and remembered after
         * @return this builder
         */
        public Builder registry(OperationRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Runs join no registry: they are never listed, nor canceled through one.
         *
         * @return this builder
         */
        public Builder noRegistry() {
            this.registry = null;
            return this;
        }

        /**
         * Calls {@code callback} when a run starts (status RUNNING), on the run's thread.
         *
         * @param callback fast, should not throw (failures are logged)
         * @return this builder
         */
        public Builder onStart(Consumer<? super OperationContext> callback) {
            onStart.add(Objects.requireNonNull(callback, "callback"));
            return this;
        }

        /**
         * Calls {@code listener} for each progress report of a run and of its descendants.
         *
         * @param listener fast, should not throw (failures are logged)
         * @return this builder
         */
        public Builder onProgress(ProgressListener listener) {
            onProgress.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Calls {@code callback} when a run completes (status COMPLETED).
         *
         * @param callback fast, should not throw (failures are logged)
         * @return this builder
         */
        public Builder onCompleted(Consumer<? super OperationContext> callback) {
            onCompleted.add(Objects.requireNonNull(callback, "callback"));
            return this;
        }

        /**
         * Calls {@code callback} when a run ends canceled (status CANCELED), with reason and message set.
         *
         * @param callback fast, should not throw (failures are logged)
         * @return this builder
         */
        public Builder onCanceled(Consumer<? super OperationContext> callback) {
            onCanceled.add(Objects.requireNonNull(callback, "callback"));
            return this;
        }

        /**
         * Calls {@code callback} with the task's exception when a run fails (status FAILED).
         *
         * @param callback fast, should not throw (failures are logged)
         * @return this builder
         */
        public Builder onFailed(BiConsumer<? super OperationContext, ? super Throwable> callback) {
            onFailed.add(Objects.requireNonNull(callback, "callback"));
            return this;
        }

        /**
         * Calls {@code callback} when a run ends, whatever the outcome (COMPLETED, CANCELED or FAILED),
         * after the outcome's own callback: the one place for what every run must do at its end.
         *
         * @param callback fast, should not throw (failures are logged); reads {@code getStatus()}
         * @return this builder
         */
        public Builder onFinished(Consumer<? super OperationContext> callback) {
            onFinished.add(Objects.requireNonNull(callback, "callback"));
            return this;
        }

        /**
         * Whether a cancel interrupts the thread running the task (default true). Off, the task learns
         * of the cancel only through its context: {@code throwIfCanceled()}, {@code sleep()},
         * {@code onCancelRequested} hooks.
         *
         * @param interruptOnCancel the policy
         * @return this builder
         */
        public Builder interruptOnCancel(boolean interruptOnCancel) {
            this.interruptOnCancel = interruptOnCancel;
            return this;
        }

        /**
         * Builds the immutable operation.
         *
         * @return the operation
         */
        public Operation build() {
            return new Operation(this);
        }

        private static String requireName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.codePoints().allMatch(Character::isWhitespace)) {   // String.isBlank is API 33 on Android
                throw new IllegalArgumentException("name must not be blank");
            }
            return name;
        }
    }
}
