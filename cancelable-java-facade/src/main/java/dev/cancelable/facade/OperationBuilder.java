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
public final class OperationBuilder {
    String name;
    String id;
    Duration timeout;
    TimeoutSource timeoutSource;
    final List<CancellationSource> sources = new ArrayList<>();
    CancelableContext parent;
    final Map<String, Object> metadata = new LinkedHashMap<>();
    OperationRegistry registry = OperationRegistry.getGlobal();
    final List<Consumer<? super OperationContext>> onStart = new ArrayList<>();
    final List<ProgressListener> onProgress = new ArrayList<>();
    final List<Consumer<? super OperationContext>> onCompleted = new ArrayList<>();
    final List<Consumer<? super OperationContext>> onCanceled = new ArrayList<>();
    final List<BiConsumer<? super OperationContext, ? super Throwable>> onFailed = new ArrayList<>();
    final List<Consumer<? super OperationContext>> onFinished = new ArrayList<>();
    boolean interruptOnCancel = true;

    OperationBuilder(String name) {
        this.name = requireName(name);
    }

    OperationBuilder(Operation operation) {
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
    public OperationBuilder name(String name) {
        this.name = requireName(name);
        return this;
    }

    /**
     * Fixes the id of every run instead of generating a fresh one per run.
     *
     * @param id the id; not blank
     * @return this builder
     */
    public OperationBuilder id(String id) {
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
    public OperationBuilder timeout(Duration timeout) {
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
    public OperationBuilder token(CancellationToken token) {
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
    public OperationBuilder condition(BooleanSupplier condition, Duration checkInterval) {
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
    public OperationBuilder condition(BooleanSupplier condition, Duration checkInterval, String conditionName) {
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
    public OperationBuilder signals(String... signals) {
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
    public OperationBuilder source(CancellationSource source) {
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
    public OperationBuilder parent(CancelableContext parent) {
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
    public OperationBuilder metadata(String key, Object value) {
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
    public OperationBuilder metadata(Map<String, ?> metadata) {
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
    public OperationBuilder registry(OperationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /**
     * Runs join no registry: they are never listed, nor canceled through one.
     *
     * @return this builder
     */
    public OperationBuilder noRegistry() {
        this.registry = null;
        return this;
    }

    /**
     * Calls {@code callback} when a run starts (status RUNNING), on the run's thread.
     *
     * @param callback fast, should not throw (failures are logged)
     * @return this builder
     */
    public OperationBuilder onStart(Consumer<? super OperationContext> callback) {
        onStart.add(Objects.requireNonNull(callback, "callback"));
        return this;
    }

    /**
     * Calls {@code listener} for each progress report of a run and of its descendants.
     *
     * @param listener fast, should not throw (failures are logged)
     * @return this builder
     */
    public OperationBuilder onProgress(ProgressListener listener) {
        onProgress.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Calls {@code callback} when a run completes (status COMPLETED).
     *
     * @param callback fast, should not throw (failures are logged)
     * @return this builder
     */
    public OperationBuilder onCompleted(Consumer<? super OperationContext> callback) {
        onCompleted.add(Objects.requireNonNull(callback, "callback"));
        return this;
    }

    /**
     * Calls {@code callback} when a run ends canceled (status CANCELED), with reason and message set.
     *
     * @param callback fast, should not throw (failures are logged)
     * @return this builder
     */
    public OperationBuilder onCanceled(Consumer<? super OperationContext> callback) {
        onCanceled.add(Objects.requireNonNull(callback, "callback"));
        return this;
    }

    /**
     * Calls {@code callback} with the task's exception when a run fails (status FAILED).
     *
     * @param callback fast, should not throw (failures are logged)
     * @return this builder
     */
    public OperationBuilder onFailed(BiConsumer<? super OperationContext, ? super Throwable> callback) {
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
    public OperationBuilder onFinished(Consumer<? super OperationContext> callback) {
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
    public OperationBuilder interruptOnCancel(boolean interruptOnCancel) {
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
