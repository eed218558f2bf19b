package dev.cancelable

import dev.cancelable.internal.CancelableImpl
import dev.cancelable.internal.CurrentOperationThreadLocal
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.CancelationSource
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.SignalSource
import dev.cancelable.source.TimeoutSource
import dev.cancelable.source.TokenSource
import kotlinx.coroutines.DisposableHandle
import java.time.Clock
import kotlin.coroutines.CoroutineContext
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds

/**
 * An operation: a block of work that sources (a timeout, a token, a signal, a condition, or any-of /
 * all-of compositions) can cancel, with a live [context], a parent and children, progress callbacks,
 * and a place in an [OperationRegistry] while it runs.
 *
 * Build it, configure it, then [run] it once:
 * ```kotlin
 * val users = Cancelable.withTimeout(30.seconds, name = "fetch-users")
 *     .onProgress { _, message, _ -> println(message) }
 *     .run {
 *         reportProgress("connecting")
 *         fetchUsers()                         // canceled after 30 s with TimeoutCancelation
 *     }
 * ```
 *
 * `run` opens one coroutine whose Job is a child of the caller's and whose context holds this
 * operation (see [currentOperation]). Canceled by its own sources, [cancel] or the registry, `run`
 * throws the typed [CancelationException] for the reason; canceled because the caller was, the
 * caller's own cancelation propagates untouched and the reason is [CancelationReason.PARENT].
 *
 * Thread-safety: every member may be called from any thread. Configuration (`addSource`, `on*`)
 * belongs before `run`; callbacks added while running take effect for events after they are added.
 * An operation runs at most once.
 */
public interface Cancelable : CoroutineContext.Element {
    /** Unique id. */
    public val id: String

    /** Human-readable name. */
    public val name: String

    /** The live context: status, timings, reason, metadata, hierarchy. */
    public val context: OperationContext

    /** Shortcut for `context.status`. */
    public val status: OperationStatus get() = context.status

    /** True as soon as cancelation was requested, before the block has reacted to it. */
    public val isCanceled: Boolean get() = context.isCanceled

    /** The parent operation, or null. */
    public val parent: Cancelable?

    /** The registry this operation joins while it runs, or null if it opted out. */
    public val registry: OperationRegistry?

    /** The partial result recorded so far (streams record theirs here). */
    public var partialResult: Any?

    /** Adds [source]; returns this operation. Must be called before [run]. */
    public fun addSource(source: CancelationSource): Cancelable

    /**
     * A new operation canceled by whichever comes first among the sources of this operation and of
     * [others] (the earliest deadline wins whatever the order, each token is watched once), and by a
     * direct `cancel()` of any of them; the reason is that of the source that fired. Named
     * `combined_<this name>`; callbacks and metadata of all are carried over in order. With no
     * [others], it is such a combination of this operation alone (what `Cancelable.combine(op)` gives):
     * the composition is never empty, since it holds this operation.
     */
    public fun combine(vararg others: Cancelable): Cancelable

    /** Runs [callback] when the operation starts running (status RUNNING). Returns this. */
    public fun onStart(callback: OperationCallback): Cancelable

    /** Runs [callback] for each progress report of this operation and of its descendants. Returns this. */
    public fun onProgress(callback: ProgressCallback): Cancelable

    /** Runs [callback] when the operation completes (status COMPLETED). Returns this. */
    public fun onComplete(callback: OperationCallback): Cancelable

    /** Runs [callback] when the operation ends canceled (status CANCELED). Returns this. */
    public fun onCancel(callback: OperationCallback): Cancelable

    /** Runs [callback] with the block's exception when the operation fails (status FAILED). Returns this. */
    public fun onError(callback: ErrorCallback): Cancelable

    /** Sets one metadata entry; visible in the context and later snapshots. Returns this. */
    public fun putMetadata(key: String, value: Any?): Cancelable

    /** Sets several metadata entries at once. Returns this. */
    public fun updateMetadata(values: Map<String, Any?>): Cancelable

    /**
     * Runs [block] as this operation and returns its value.
     *
     * @throws CancelationException (typed by reason) if the operation's own sources, [cancel] or the
     *   registry canceled it; the block's own exception, unchanged, if it failed.
     * @throws IllegalStateException if the operation already ran or is running.
     */
    public suspend fun <T> run(block: suspend OperationScope.() -> T): T

    /**
     * Like [run], but returns null instead of throwing when the operation's own sources, [cancel]
     * or the registry canceled it (the reason stays recorded). A caller's cancelation and the
     * block's failures still propagate.
     */
    public suspend fun <T> runOrNull(block: suspend OperationScope.() -> T): T?

    /**
     * Runs [block] as this operation on the calling thread, blocking it: the form for code that is
     * not suspending (plain threads, executors, Android workers). A cancel interrupts the thread when
     * [interruptOnCancel] is true; the block can also poll [checkCancelation] or register
     * [invokeOnCancelRequest] hooks. Timeouts run on a shared timer thread.
     *
     * If the calling thread is interrupted by someone else, that is a cancel request (reason
     * MANUAL); the thread's interrupt flag is set again before this throws.
     *
     * @throws CancelationException (typed by reason) if canceled; the block's own exception,
     *   unchanged, if it failed.
     */
    public fun <T> callBlocking(interruptOnCancel: Boolean = true, block: (Cancelable) -> T): T

    /**
     * Reports progress to this operation's progress callbacks and then to those of every ancestor,
     * each receiving this operation's id. Does nothing once the operation has ended. Callback
     * failures are logged, never thrown.
     */
    public suspend fun reportProgress(message: String, metadata: Map<String, Any?> = emptyMap())

    /** [reportProgress] for non-suspending code; waits for suspending callbacks to finish. */
    public fun reportProgressBlocking(message: String, metadata: Map<String, Any?> = emptyMap())

    /** Throws the pending [CancelationException] if cancelation was requested; otherwise returns at once. */
    public fun checkCancelation()

    /**
     * Requests cancelation; non-suspending, callable from any thread, even before `run` (the
     * operation is then canceled at its first suspension). Returns true if this call was the first
     * request, which decides reason and message. With [propagateToChildren] (the default) every
     * child operation linked through `parent` is canceled with reason PARENT; coroutines started
     * inside this operation's block are canceled by structured concurrency either way.
     */
    public fun cancel(
        reason: CancelationReason = CancelationReason.MANUAL,
        message: String? = null,
        propagateToChildren: Boolean = true,
    ): Boolean

    /**
     * Runs [block] to completion even if this operation is canceled meanwhile; a pending
     * cancelation then lands right after the block. The section shows in the registry as a child
     * operation with status SHIELDED and `shielded = true` in its metadata.
     *
     * @throws IllegalStateException if this operation has already ended.
     */
    public suspend fun <T> shield(block: suspend OperationScope.() -> T): T

    /**
     * Runs [handler] as soon as cancelation is requested, on the requesting thread (or at once if
     * it already was): the hook for resources an interrupt cannot stop, such as a socket to close
     * or a JDBC `Statement.cancel()`. Must be fast; failures are logged. Dispose the handle to remove it.
     */
    public fun invokeOnCancelRequest(handler: (CancelationException) -> Unit): DisposableHandle

    /** The key of the operation in a coroutine context, and the factories. */
    public companion object Key : CoroutineContext.Key<Cancelable> {

        /**
         * An operation canceled with [CancelationReason.TIMEOUT] when [timeout] has passed since it
         * started running. Default name `timeout_<seconds>s`, e.g. `timeout_2.5s`.
         *
         * As in kotlinx's `withTimeout`, a zero or negative [timeout] has already expired: the block
         * never runs and `run` throws [TimeoutCancelation] (`runOrNull` returns null). An infinite one
         * ([Duration.INFINITE]) means no timeout: the operation gets no timeout source at all.
         */
        public fun withTimeout(
            timeout: Duration,
            name: String? = null,
            operationId: String? = null,
            parent: Cancelable? = null,
            metadata: Map<String, Any?> = emptyMap(),
            registry: OperationRegistry? = OperationRegistry.global,
        ): Cancelable {
            val source = TimeoutSource(timeout)
            val op = Cancelable(name ?: source.texts.operationName, operationId, parent, metadata, registry)
            return if (timeout == Duration.INFINITE) op else op.addSource(source)
        }

        /** An operation canceled when [token] is, with the token's reason and message. Default name `token_based`. */
        public fun withToken(
            token: CancelationToken,
            name: String? = null,
            operationId: String? = null,
            parent: Cancelable? = null,
            metadata: Map<String, Any?> = emptyMap(),
            registry: OperationRegistry? = OperationRegistry.global,
        ): Cancelable = Cancelable(name ?: "token_based", operationId, parent, metadata, registry)
            .addSource(TokenSource(token))

        /**
         * An operation canceled with [CancelationReason.SIGNAL] when the process receives one of
         * [signals] (names like `"INT"`, `"TERM"`, `"USR2"`; none means INT and TERM). Default name
         * `signal_based`.
         *
         * @throws IllegalArgumentException for an unknown signal name.
         * @throws UnsupportedOperationException where the platform has no signal API (Android).
         */
        public fun withSignal(
            vararg signals: String,
            name: String? = null,
            operationId: String? = null,
            parent: Cancelable? = null,
            metadata: Map<String, Any?> = emptyMap(),
            registry: OperationRegistry? = OperationRegistry.global,
        ): Cancelable {
            val source = SignalSource(*signals)
            return Cancelable(name ?: "signal_based", operationId, parent, metadata, registry).addSource(source)
        }

        /**
         * An operation canceled with [CancelationReason.CONDITION] once [condition] (plain or
         * suspending) returns true, checked at start and then every [checkInterval]: on the
         * operation's dispatcher, or on `Dispatchers.IO` when [blocking] (see [ConditionSource]).
         * Default name `condition_based`.
         *
         * @throws IllegalArgumentException if [checkInterval] is zero, negative or infinite.
         */
        public fun withCondition(
            condition: suspend () -> Boolean,
            checkInterval: Duration = 100.milliseconds,
            conditionName: String = "condition",
            name: String? = null,
            operationId: String? = null,
            parent: Cancelable? = null,
            metadata: Map<String, Any?> = emptyMap(),
            registry: OperationRegistry? = OperationRegistry.global,
            blocking: Boolean = false,
        ): Cancelable {
            val source = ConditionSource(condition, checkInterval, conditionName, blocking)
            return Cancelable(name ?: "condition_based", operationId, parent, metadata, registry).addSource(source)
        }

        /**
         * Combines [cancelables] as [Cancelable.combine] does: `combine(a, b, c)` is `a.combine(b, c)`.
         *
         * @throws IllegalArgumentException if [cancelables] is empty.
         */
        public fun combine(vararg cancelables: Cancelable): Cancelable {
            require(cancelables.isNotEmpty()) { "At least one cancelable must be provided (cancelables is empty)" }
            val first = cancelables.first()
            return first.combine(*cancelables.copyOfRange(1, cancelables.size))
        }

        /**
         * The operation running on the calling thread inside [callBlocking] or `runInterruptible`,
         * or null. Suspending code should use [currentOperation], which also sees the coroutine context.
         */
        @JvmStatic
        public fun current(): Cancelable? = CurrentOperationThreadLocal.get()
    }
}

/**
 * A new operation with no source: it ends when its block does, or when canceled by [Cancelable.cancel],
 * its parent or the registry. Add sources with [Cancelable.addSource].
 *
 * @param name human-readable name; defaults to `operation`.
 * @param operationId id to use instead of a generated one; must not be blank.
 * @param parent explicit parent, across scopes; otherwise the operation running where `run` is called.
 * @param metadata initial metadata.
 * @param registry registry to join while running ([OperationRegistry.global] by default), or null to stay out.
 * @param clock clock for timestamps; defaults to the registry's, or the system UTC clock.
 */
public fun Cancelable(
    name: String? = null,
    operationId: String? = null,
    parent: Cancelable? = null,
    metadata: Map<String, Any?> = emptyMap(),
    registry: OperationRegistry? = OperationRegistry.global,
    clock: Clock? = null,
): Cancelable = CancelableImpl.create(name, operationId, parent, metadata, registry, clock)
