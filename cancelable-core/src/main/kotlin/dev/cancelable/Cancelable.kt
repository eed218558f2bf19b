@file:JvmName("Operations")
@file:JvmMultifileClass

package dev.cancelable

import dev.cancelable.internal.TimeoutTexts
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.CancellationSource
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.SignalSource
import dev.cancelable.source.TimeoutSource
import dev.cancelable.source.TokenSource
import kotlinx.coroutines.DisposableHandle
import java.time.Clock
import java.time.Instant
import kotlin.coroutines.CoroutineContext
import kotlin.time.Duration

/**
 * An operation: a block of work that sources (a timeout, a token, a signal, a condition, or any-of /
 * all-of compositions) can cancel, with a live context (it is its own [OperationContext]), a parent
 * and children, progress callbacks, and a place in an [OperationRegistry] while it runs.
 *
 * Make one with the [Cancelable] factory, add callbacks, then [run] it once:
 * ```kotlin
 * val users = Cancelable(name = "fetch-users", timeout = 30.seconds)
 *     .onProgress { println(it.message) }
 *     .run {
 *         reportProgress("connecting")
 *         fetchUsers()                         // canceled after 30 s with CanceledByTimeoutException
 *     }
 * ```
 *
 * `run` opens one coroutine whose Job is a child of the caller's and whose context holds this
 * operation (see [currentOperation]); it behaves as `coroutineScope` does (see the README's
 * differences from kotlinx.coroutines). Canceled by its own sources, [cancel] or the registry, `run`
 * throws the typed [OperationCanceledException] for the reason; canceled because the caller was, the
 * caller's own cancellation propagates untouched and the reason is [CancellationReason.PARENT]. A
 * cancel requested before the block starts means the block never runs.
 *
 * An operation is one-shot, like a Job or Trio's cancel scope: it exists before it runs, so it can be
 * canceled early, named as the parent of others, or shared by several functions
 * ([withCancelable]). A function that makes a fresh one for each call is the reusable form.
 *
 * Thread-safety: every member may be called from any thread. Callbacks belong before `run`; those
 * added while it runs take effect for the events after they are added.
 */
public interface Cancelable : OperationContext, CoroutineContext.Element {

    /** What a stream or the block recorded as its partial result so far; the block may set it. */
    override var partialResult: Any?

    /**
     * Requests cancellation; non-suspending, callable from any thread, even before `run` (the block
     * then never runs). Returns true if this call was the first request, which decides reason and
     * message. With [propagateToChildren] (the default) every child operation is canceled with
     * reason PARENT; coroutines started inside the block are canceled by structured concurrency
     * either way.
     */
    public fun cancel(
        reason: CancellationReason = CancellationReason.MANUAL,
        message: String? = null,
        propagateToChildren: Boolean = true,
    ): Boolean

    /**
     * The earliest instant at which a timeout of this operation or of an ancestor fires, read from the
     * operation's clock; null when none applies. A timeout counts from the start of its operation, so
     * a pending operation reports only its ancestors'; a [shield] section reports none. This is what
     * to send downstream as a deadline: `Duration.between(clock.instant(), deadline)` is the time left.
     */
    public val deadline: Instant?

    /** Throws the pending [OperationCanceledException] if cancellation was requested; otherwise returns at once. */
    public fun throwIfCanceled()

    /**
     * Runs [handler] as soon as cancellation is requested, on the requesting thread (or at once if it
     * already was): the hook for resources an interrupt cannot stop, such as a socket to close or a
     * JDBC `Statement.cancel()`. Must be fast; failures are logged. Dispose the handle to remove it.
     */
    public fun onCancelRequested(handler: (OperationCanceledException) -> Unit): DisposableHandle

    /**
     * Runs [block] as this operation and returns its value.
     *
     * @throws OperationCanceledException (typed by reason) if the operation's own sources, [cancel]
     *   or the registry canceled it; the block's own exception (or a failed child's), unchanged, if
     *   it failed.
     * @throws IllegalStateException if the operation already ran or is running.
     */
    public suspend fun <T> run(block: suspend OperationScope.() -> T): T

    /**
     * Like [run], but returns null instead of throwing when this operation's own sources, [cancel] or
     * the registry canceled it (the reason stays recorded), as `withTimeoutOrNull` does. A caller's
     * cancellation, another operation's and the block's failures still propagate.
     */
    public suspend fun <T> runOrNull(block: suspend OperationScope.() -> T): T?

    /**
     * Runs [block] as this operation on the calling thread, blocking it: the form for code that is
     * not suspending (plain threads, executors, Android workers). A cancel interrupts the thread when
     * [interruptOnCancel] is true, and whatever the block then throws ends the operation canceled;
     * the block can also poll [throwIfCanceled] or register [onCancelRequested] hooks. Timeouts run on
     * a shared timer thread.
     *
     * If the calling thread is interrupted by someone else, that is a cancel request (reason MANUAL);
     * the thread's interrupt flag is set again before this throws.
     *
     * @throws OperationCanceledException (typed by reason) if canceled; the block's own exception,
     *   unchanged, if it failed.
     */
    public fun <T> callBlocking(interruptOnCancel: Boolean = true, block: (Cancelable) -> T): T

    /**
     * Reports progress to this operation's progress callbacks and then to those of every ancestor,
     * each receiving a [ProgressReport] that names this operation, on this thread; from suspending and
     * blocking code alike. Does nothing once the operation has ended. Callback failures are logged,
     * never thrown.
     */
    public fun reportProgress(message: String, metadata: Map<String, Any?> = emptyMap())

    /** Sets one metadata entry; visible in the context and later snapshots. Returns this. */
    public fun putMetadata(key: String, value: Any?): Cancelable

    /** Runs [callback] when the operation starts running (status RUNNING). Returns this. */
    public fun onStart(callback: OperationCallback): Cancelable

    /** Runs [callback] for each progress report of this operation and of its descendants. Returns this. */
    public fun onProgress(callback: ProgressCallback): Cancelable

    /** Runs [callback] when the operation ends COMPLETED. Returns this. */
    public fun onCompleted(callback: OperationCallback): Cancelable

    /** Runs [callback] when the operation ends CANCELED (not when a cancel is requested: see [onCancelRequested]). Returns this. */
    public fun onCanceled(callback: OperationCallback): Cancelable

    /** Runs [callback] with the block's exception when the operation ends FAILED. Returns this. */
    public fun onFailed(callback: FailureCallback): Cancelable

    /**
     * Runs [callback] when the operation ends, whatever the outcome, after the outcome's own
     * callback: the one place for what every run must do at its end (read `status`). Returns this.
     */
    public fun onFinished(callback: OperationCallback): Cancelable

    /**
     * A new operation canceled by whichever comes first among the sources of this operation and of
     * [others] (the earliest deadline wins whatever the order, each token is watched once), and by a
     * direct `cancel()` of any of them; the reason is that of the source that fired. Named
     * `combined_<this name>`; the callbacks and metadata of all are carried over, each original's
     * once, in order.
     */
    public fun combine(vararg others: Cancelable): Cancelable

    /** The key of an operation in a coroutine context. */
    public companion object Key : CoroutineContext.Key<Cancelable> {
        /**
         * The operation running on the calling thread inside [callBlocking] or [interruptible], or
         * null. Suspending code uses [currentOperation], which also sees the coroutine context.
         */
        @JvmStatic
        public fun current(): Cancelable? = CurrentOperationThreadLocal.get()
    }
}

/**
 * A new operation, PENDING until it runs. Every argument is optional:
 *
 * @param name human-readable name; by default `timeout_<seconds>s` for a timeout alone (e.g.
 *   `timeout_2.5s`), `token_based`, `condition_based` or `signal_based` for a token, condition or signal
 *   alone, and `operation` otherwise.
 * @param timeout cancels with TIMEOUT once this has passed since the run started; zero or negative
 *   has already expired (the block never runs), [Duration.INFINITE] is no timeout.
 * @param token cancels with the token's reason and message when it is canceled (at once if it is).
 * @param sources any other sources: a [SignalSource], [ConditionSource], resource source, any-of or
 *   all-of composition, or your own.
 * @param parent explicit parent, across scopes; otherwise the operation running where `run` is called.
 * @param remoteParentId id of the operation this one works for in another process (a caller's
 *   operation, received with a gRPC or HTTP request): recorded as [OperationContext.parentId] while
 *   the operation has no parent in this process, so registries of several processes show one tree. It
 *   links nothing: a cancel reaches this operation through the transport, not through this id.
 * @param id id to use instead of a generated one; must not be blank.
 * @param metadata initial metadata.
 * @param registry registry to join while running ([OperationRegistry.global] by default), or null to
 *   stay out.
 * @param clock clock for timestamps; defaults to the registry's, or the system UTC clock.
 * @throws IllegalArgumentException if [id] or [remoteParentId] is blank.
 */
public fun Cancelable(
    name: String? = null,
    timeout: Duration? = null,
    token: CancellationToken? = null,
    sources: List<CancellationSource> = emptyList(),
    parent: Cancelable? = null,
    remoteParentId: String? = null,
    id: String? = null,
    metadata: Map<String, Any?> = emptyMap(),
    registry: OperationRegistry? = OperationRegistry.global,
    clock: Clock? = null,
): Cancelable {
    if (id != null) require(id.isNotBlank()) { "id must not be blank" }
    if (remoteParentId != null) require(remoteParentId.isNotBlank()) { "remoteParentId must not be blank" }
    val timed = timeout != null && timeout != Duration.INFINITE
    val alone = (if (timeout != null) 1 else 0) + (if (token != null) 1 else 0) + sources.size == 1
    val defaultName = when {
        name != null -> name
        !alone -> "operation"
        timeout != null -> TimeoutTexts.of(timeout).operationName
        token != null -> "token_based"
        sources[0] is ConditionSource -> "condition_based"
        sources[0] is SignalSource -> "signal_based"
        else -> "operation"
    }
    if (token == null && (sources.isEmpty() || !timed)) {
        // The common shapes (a timeout alone, the given sources alone, or nothing) without a list first.
        val only = if (timed) SourceList.timeoutAlone(timeout!!) else SourceList.of(sources)
        return newOperation(defaultName, id, parent, remoteParentId, metadata, registry, clock, only)
    }
    val all = ArrayList<CancellationSource>(sources.size + 2)
    if (timed) all.add(TimeoutSource(timeout!!))
    token?.let { all.add(TokenSource(it)) }
    all.addAll(sources)
    return newOperation(defaultName, id, parent, remoteParentId, metadata, registry, clock, SourceList.of(all))
}
