package dev.cancelable

import dev.cancelable.internal.HandlerList
import dev.cancelable.internal.Ids
import dev.cancelable.internal.Timers
import dev.cancelable.internal.logger
import dev.cancelable.internal.rethrowIfFatal
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.registry.OperationSnapshot
import dev.cancelable.registry.snapshotOf
import dev.cancelable.source.CancellationSource
import dev.cancelable.source.SourceScope
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.ensureActive
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.util.Collections
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater
import kotlin.coroutines.CoroutineContext

/**
 * The one implementation of [Cancelable], and the owner of its run: every change of an operation's
 * state happens here; the runners ([runSuspending], [runOnThread]) drive a run through these members,
 * and `OperationRun.kt` decides its outcome. The same object is also the [SourceScope] its sources
 * attach to, so a run allocates nothing per role. Hierarchy and callbacks live in [OperationFamily]
 * and [OperationCallbacks].
 *
 * | runState | status                      | meaning                                                     |
 * |----------|-----------------------------|-------------------------------------------------------------|
 * | NEW      | PENDING                     | made; `cancel()` stores a request the run then honours      |
 * | RUNNING  | RUNNING, SHIELDED           | inside a run; sources attached; job or thread set           |
 * | DONE     | COMPLETED, CANCELED, FAILED | ended; final snapshot cached; further cancels are refused   |
 *
 * Independently, [request] is the first-wins cancellation slot: null until a source, `cancel()`, the
 * registry or a parent fills it (then `isCanceled` is true and reason and message are decided), or
 * [FINISHED] once the operation ended without one. Whoever wins the slot then cascades to children,
 * runs the cancel-request hooks, and cancels the Job (suspend runs) or interrupts the thread
 * (blocking runs).
 */
internal class CancelableImpl private constructor(
    override val id: String,
    override val name: String,
    initialMetadata: Map<String, Any?>,
    internal val registry: OperationRegistry?,
    internal val clock: Clock,
    override val isShielded: Boolean,
    private val sources: Array<CancellationSource>,
) : Cancelable, SourceScope {

    /** A cancel recorded for this operation; [requested] is false for one only noted when the block let it escape. */
    private class Request(val cancellation: OperationCanceledException, val sourceName: String?, val requested: Boolean)

    @Volatile private var request: Request? = null
    @Volatile private var runState: Int = NEW

    @Volatile override var status: OperationStatus = OperationStatus.PENDING
        private set
    @Volatile override var startTime: Instant? = null
        private set
    @Volatile override var endTime: Instant? = null
        private set
    @Volatile override var error: String? = null
        private set
    @Volatile override var partialResult: Any? = null
    @Volatile private var meta: Map<String, Any?> = immutableCopy(initialMetadata)
    @Volatile private var finalSnapshot: OperationSnapshot? = null
    @Volatile private var cancelHandlers: HandlerList<(OperationCanceledException) -> Unit>? = null
    @Volatile private var handles: Array<DisposableHandle?>? = null
    @Volatile private var pollers: CoroutineScope? = null

    /** The coroutine's context while a suspend run is inside its scope; null otherwise. */
    @Volatile private var runContext: CoroutineContext? = null
    @Volatile internal var job: Job? = null
        private set
    @Volatile internal var blockingCall: BlockingCall? = null
        private set

    /** Made when the operation first has a relative: most operations have none, and allocate nothing for it. */
    @Volatile private var familyState: OperationFamily? = null

    /** Made when the first callback is added: most operations have none. */
    @Volatile internal var callbackHolder: OperationCallbacks.Holder? = null
        private set

    /** Parent, children, depth, the cascade. */
    internal val family: OperationFamily
        get() = familyState ?: synchronized(this) { familyState ?: OperationFamily(this).also { familyState = it } }

    /** The parent, or null; reads without making a family. */
    internal val parentOp: CancelableImpl? get() = familyState?.parent

    /** Levels of parents above this operation when it started running. */
    internal val depth: Int get() = familyState?.depth ?: 0

    /** Every callback to run, a combination's carried ones first. */
    internal val callbacks: OperationCallbacks get() = callbackHolder?.all ?: OperationCallbacks.EMPTY

    private fun writableCallbacks(): OperationCallbacks.Holder =
        callbackHolder ?: synchronized(this) { callbackHolder ?: OperationCallbacks.Holder().also { callbackHolder = it } }

    // ---- identity and context -------------------------------------------------------------------

    override val key: CoroutineContext.Key<*> get() = Cancelable

    private val liveRequest: Request? get() = request.takeUnless { it === FINISHED }
    override val isCanceled: Boolean get() = liveRequest != null
    override val cancelReason: CancellationReason? get() = liveRequest?.cancellation?.reason
    override val cancelMessage: String? get() = liveRequest?.cancellation?.message
    override val canceledBy: String? get() = liveRequest?.sourceName
    override val metadata: Map<String, Any?> get() = meta
    override val parentId: String? get() = familyState?.parentId
    override val childIds: Set<String> get() = familyState?.childIds() ?: emptySet()
    override val duration: Duration?
        get() {
            val start = startTime ?: return null
            return Duration.between(start, endTime ?: clock.instant())
        }

    override val deadline: Instant?
        get() {
            if (isShielded) return null
            var earliest = parentOp?.deadline
            val start = startTime ?: return earliest
            for (source in sources) {
                val own = source.deadlineFrom(start) ?: continue
                if (earliest == null || own < earliest) earliest = own
            }
            return earliest
        }

    /** The cancellation this operation holds (requested, or noted at exit), for the runners. */
    internal val pendingCancellation: OperationCanceledException? get() = liveRequest?.cancellation

    /** The cancellation requested of this operation through its sources, `cancel()`, a registry or a parent. */
    internal val requestedCancellation: OperationCanceledException?
        get() = liveRequest?.takeIf { it.requested }?.cancellation

    internal val isDone: Boolean get() = runState == DONE

    override fun snapshot(): OperationSnapshot = finalSnapshot ?: snapshotOf(this)

    override fun toString(): String = "Cancelable(name='$name', id=$id, status=$status)"

    // ---- configuration ---------------------------------------------------------------------------

    override fun combine(vararg others: Cancelable): Cancelable {
        val all = listOf<Cancelable>(this) + others
        val merged = LinkedHashMap<String, Any?>()
        all.forEach { merged.putAll(it.metadata) }
        merged["combined"] = true
        merged["sources"] = all.map { it.id }
        var combinedSources = SourceList.NONE
        for (op in all.distinct()) {
            if (op is CancelableImpl) op.sources.forEach { combinedSources = SourceList.plus(combinedSources, it) }
            combinedSources = SourceList.plus(combinedSources, LinkedOperationSource(op))
        }
        val combined = CancelableImpl(Ids.next(), "combined_$name", merged, registry, clock, false, combinedSources)
        parentOp?.let { combined.family.linkParent(it, weakly = true) }
        familyState?.remoteParentId?.let { combined.family.remoteParentId = it }
        combined.writableCallbacks().carry(all.filterIsInstance<CancelableImpl>())
        return combined
    }

    override fun onStart(callback: OperationCallback): Cancelable = apply { writableCallbacks().add { it.plusStart(callback) } }
    override fun onProgress(callback: ProgressCallback): Cancelable = apply { writableCallbacks().add { it.plusProgress(callback) } }
    override fun onCompleted(callback: OperationCallback): Cancelable = apply { writableCallbacks().add { it.plusCompleted(callback) } }
    override fun onCanceled(callback: OperationCallback): Cancelable = apply { writableCallbacks().add { it.plusCanceled(callback) } }
    override fun onFailed(callback: FailureCallback): Cancelable = apply { writableCallbacks().add { it.plusFailed(callback) } }
    override fun onFinished(callback: OperationCallback): Cancelable = apply { writableCallbacks().add { it.plusFinished(callback) } }

    override fun putMetadata(key: String, value: Any?): Cancelable {
        synchronized(this) { meta = immutableCopy(LinkedHashMap(meta).apply { put(key, value) }) }
        return this
    }

    // ---- running ---------------------------------------------------------------------------------

    override suspend fun <T> run(block: suspend OperationScope.() -> T): T = runSuspending(this, block)

    override suspend fun <T> runOrNull(block: suspend OperationScope.() -> T): T? = try {
        run(block)
    } catch (e: OperationCanceledException) {
        if (e === requestedCancellation && e.reason != CancellationReason.PARENT) null else throw e
    }

    override fun <T> callBlocking(interruptOnCancel: Boolean, block: (Cancelable) -> T): T = runOnThread(this, interruptOnCancel, block)

    /** A shield section of this running operation: a child that cancels of its parent cannot reach. */
    internal fun newShield(): CancelableImpl {
        check(!isDone) { "operation '$name' ($id) has already ended; shield runs inside its run" }
        val section = CancelableImpl(Ids.next(), "${name}_shield", mapOf("shielded" to true), registry, clock, true, SourceList.NONE)
        section.family.linkParent(this)
        return section
    }

    /** Moves NEW to RUNNING, or explains why this operation cannot run. */
    internal fun claimRun() {
        if (RUN_STATE.compareAndSet(this, NEW, RUNNING)) return
        throw IllegalStateException(
            if (runState == DONE) "operation '$name' ($id) has already run; an operation runs once"
            else "operation '$name' ($id) is already running",
        )
    }

    /** Enters the RUNNING status: links an implicit parent, stamps the start, joins the registry. */
    internal fun begin(implicitParent: Cancelable?) {
        val linkedHere = if (implicitParent != null || familyState != null) family.enter(implicitParent) else false
        startTime = clock.instant()
        status = if (isShielded) OperationStatus.SHIELDED else OperationStatus.RUNNING
        try {
            registry?.started(this)
        } catch (e: Throwable) {
            status = OperationStatus.PENDING
            startTime = null
            if (linkedHere) family.leave(linkedHere)
            runState = NEW
            throw e
        }
        if (log.isDebugEnabled) log.debug("operation {} '{}' started", id, name)
    }

    /** Inside a suspend run's scope: the context sources arm their timers on, and the Job a cancel cancels. */
    internal fun enterScope(context: CoroutineContext) {
        runContext = context
        job = context[Job]
    }

    /** On the thread of a blocking run: the call a cancel interrupts. */
    internal fun enterThread(call: BlockingCall) {
        blockingCall = call
    }

    /**
     * Attaches every source. One that fails to attach is logged and skipped: the operation still runs,
     * and still ends with its real status.
     */
    internal fun attachSources() {
        val list = sources
        if (list.isEmpty()) return
        val attached = arrayOfNulls<DisposableHandle>(list.size)
        handles = attached
        for (i in list.indices) {
            attached[i] = try {
                list[i].attach(this)
            } catch (e: Throwable) {
                e.rethrowIfFatal()
                log.warn("source {} of operation {} failed to attach; the operation runs without it", list[i], id, e)
                null
            }
        }
    }

    /** Releases everything the sources armed; a source that fails to dispose is logged. */
    internal fun detachSources() {
        handles?.let { attached ->
            handles = null
            for (handle in attached) {
                try {
                    handle?.dispose()
                } catch (e: Throwable) {
                    e.rethrowIfFatal()
                    log.warn("a source of operation {} failed to dispose", id, e)
                }
            }
        }
        pollers?.cancel()
    }

    /** Records the final status; afterwards the operation refuses cancel requests. */
    internal fun end(finalStatus: OperationStatus, failure: Throwable?) {
        if (request == null) REQUEST.compareAndSet(this, null, FINISHED)
        if (failure != null) error = failure.toString()
        endTime = clock.instant()
        status = finalStatus
        runState = DONE
        // A finished Job or thread must not make later checks fail, nor be kept reachable. (Each is
        // set in one mode only; a volatile write of what is already there would still cost a fence.)
        if (job != null) job = null
        if (runContext != null) runContext = null
        if (blockingCall != null) blockingCall = null
        familyState?.ended()
        cancelHandlers?.close()
    }

    /** After the terminal callbacks: freezes the snapshot and leaves the registry. */
    internal fun release() {
        val snapshot = snapshotOf(this)
        finalSnapshot = snapshot
        familyState?.released()
        registry?.finished(this, snapshot)
        if (log.isDebugEnabled) log.debug("operation {} '{}' ended {} {}", id, name, status, cancelReason ?: "")
    }

    /** Refuses cancel requests from now on; returns the one already made, if any. */
    internal fun closeCancelRequests(): OperationCanceledException? =
        if (REQUEST.compareAndSet(this, null, FINISHED)) null else pendingCancellation

    /** Records a cancellation decided at exit (the caller was canceled, or the block let one escape). */
    internal fun recordExitCancellation(cancellation: OperationCanceledException) {
        REQUEST.compareAndSet(this, null, Request(cancellation, null, requested = false))
    }

    // ---- sources ---------------------------------------------------------------------------------

    override val operation: Cancelable get() = this

    override fun fire(source: CancellationSource, reason: CancellationReason, message: String?): Boolean {
        if (request != null) return false
        return fire(cancellationFor(reason, message, this, parentId), source.name)
    }

    override fun fire(source: CancellationSource, cancellation: OperationCanceledException): Boolean =
        fire(cancellation, source.name)

    override fun invokeAfter(delay: kotlin.time.Duration, action: Runnable): DisposableHandle =
        Timers.schedule(runContext, delay, action)

    /**
     * The scope sources poll in: on the operation's dispatcher (so virtual time drives it), or, in
     * blocking runs, on `Dispatchers.Default`. It is not a child of the operation's Job (the scope must
     * be able to finish while a poller still waits), it is canceled when the operation ends, and a
     * poller's failure is logged, never propagated to the operation.
     */
    override val coroutineScope: CoroutineScope
        get() = pollers ?: synchronized(this) { pollers ?: newPollerScope().also { pollers = it } }

    private fun newPollerScope(): CoroutineScope {
        val context = runContext
        val scope = if (context != null) CoroutineScope(context.minusKey(Job) + SupervisorJob() + PollerFailures)
        else CoroutineScope(Dispatchers.Default + this + SupervisorJob() + PollerFailures)
        if (isDone) scope.cancel()
        return scope
    }

    // ---- cancellation ----------------------------------------------------------------------------

    override fun cancel(reason: CancellationReason, message: String?, propagateToChildren: Boolean): Boolean {
        if (request != null) return false
        return fire(cancellationFor(reason, message, this, parentId), null, propagateToChildren)
    }

    override fun throwIfCanceled() {
        // The flag before the request: a cancel records its request before it interrupts, so a flag
        // seen set while no request is there was set by someone else, never by our own cancel.
        val call = blockingCall
        val interrupted = call != null && call.thread === Thread.currentThread() && call.thread.isInterrupted
        val pending = request
        if (pending != null && pending !== FINISHED) throw pending.cancellation
        if (interrupted) {
            call.interruptedByOthers = true
            fireInterrupted()
            throw request!!.cancellation
        }
        job?.ensureActive()
    }

    /** A cancel request (MANUAL) made by an interrupt of the running thread from someone else. */
    internal fun fireInterrupted(): Boolean =
        fire(CanceledManuallyException("Operation canceled: thread interrupted", this), null)

    /**
     * The first-wins entry point: everything that cancels this operation comes through here. With
     * [cancelJob] false the request is recorded and the hooks run, but the Job is left to an
     * ancestor's cancel that follows at once (see [OperationFamily.cascade]).
     */
    internal fun fire(
        cancellation: OperationCanceledException,
        sourceName: String?,
        propagate: Boolean = true,
        cancelJob: Boolean = true,
    ): Boolean {
        if (!REQUEST.compareAndSet(this, null, Request(cancellation, sourceName, requested = true))) return false
        if (log.isDebugEnabled) log.debug("operation {} '{}' cancel requested: {} {}", id, name, cancellation.reason, cancellation.message)
        // Read once: the children skipped below rely on this very Job being canceled after them.
        val ownJob = job
        if (propagate) familyState?.cascade(ownJob)
        runCancelHandlers(cancellation)
        if (cancelJob) ownJob?.cancel(cancellation)
        blockingCall?.interrupt()
        return true
    }

    override fun onCancelRequested(handler: (OperationCanceledException) -> Unit): DisposableHandle {
        val current = request
        if (current === FINISHED) return NoHandle
        if (current != null) {
            runCancelHandler(handler, current.cancellation)
            return NoHandle
        }
        val list = cancelHandlers ?: synchronized(this) { cancelHandlers ?: HandlerList<(OperationCanceledException) -> Unit>().also { cancelHandlers = it } }
        val handle = list.add(handler)
        if (handle == null) {
            pendingCancellation?.let { runCancelHandler(handler, it) }
            return NoHandle
        }
        // A cancel that came between the first read and the add may have missed the new list.
        pendingCancellation?.let { runCancelHandlers(it) }
        return handle
    }

    private fun runCancelHandlers(cancellation: OperationCanceledException) {
        val list = cancelHandlers ?: return
        for (handler in list.close()) runCancelHandler(handler, cancellation)
    }

    private fun runCancelHandler(handler: (OperationCanceledException) -> Unit, cancellation: OperationCanceledException) {
        try {
            handler(cancellation)
        } catch (e: Throwable) {
            e.rethrowIfFatal()
            log.warn("cancel-request hook of operation {} failed", id, e)
        }
    }

    // ---- progress --------------------------------------------------------------------------------

    override fun reportProgress(message: String, metadata: Map<String, Any?>) {
        if (runState == DONE) return
        var report: ProgressReport? = null
        var op: CancelableImpl? = this
        while (op != null) {
            val listeners = op.callbacks.progress
            if (listeners.isNotEmpty() && op.runState != DONE) {
                val r = report ?: ProgressReport(this, message, metadata).also { report = it }
                OperationCallbacks.runProgress(listeners, id, r)
            }
            op = op.parentOp
        }
        registry?.progressed(this, message, metadata)
    }

    internal companion object {
        private const val NEW = 0
        private const val RUNNING = 1
        private const val DONE = 2

        internal val log = logger("operation")
        private val NoHandle = DisposableHandle { }
        private val FINISHED = Request(CanceledManuallyException("finished"), null, requested = false)
        private val PollerFailures = CoroutineExceptionHandler { _, e -> log.warn("a source's coroutine failed", e) }

        private val REQUEST = AtomicReferenceFieldUpdater.newUpdater(CancelableImpl::class.java, Request::class.java, "request")
        private val RUN_STATE = AtomicIntegerFieldUpdater.newUpdater(CancelableImpl::class.java, "runState")

        fun create(
            name: String,
            id: String?,
            parent: Cancelable?,
            remoteParentId: String?,
            metadata: Map<String, Any?>,
            registry: OperationRegistry?,
            clock: Clock?,
            sources: Array<CancellationSource>,
        ): CancelableImpl {
            val op = CancelableImpl(id ?: Ids.next(), name, metadata, registry, clock ?: registry?.clock ?: Clock.systemUTC(), false, sources)
            if (parent != null) op.family.linkParent(parent, weakly = true)
            if (remoteParentId != null) op.family.remoteParentId = remoteParentId
            return op
        }

        private fun immutableCopy(map: Map<String, Any?>): Map<String, Any?> =
            if (map.isEmpty()) emptyMap() else Collections.unmodifiableMap(LinkedHashMap(map))
    }
}
