package dev.cancelable

import dev.cancelable.internal.HandlerList
import dev.cancelable.internal.Ids
import dev.cancelable.internal.Timers
import dev.cancelable.internal.logger
import dev.cancelable.internal.rethrowIfFatal
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.CancellationSource
import dev.cancelable.source.SourceScope
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.Job
import kotlinx.coroutines.cancel
import kotlinx.coroutines.ensureActive
import java.time.Clock
import java.time.Instant
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
internal class CancelableImpl(
    id: String,
    name: String,
    initialMetadata: Map<String, Any?>,
    internal val registry: OperationRegistry?,
    clock: Clock,
    override val isShielded: Boolean,
    internal val sources: Array<CancellationSource>,
) : OperationRecord(id, name, initialMetadata, clock), SourceScope {

    /** A cancel recorded for this operation; [requested] is false for one only noted when the block let it escape. */
    private class Request(val cancellation: OperationCanceledException, val sourceName: String?, val requested: Boolean)

    @Volatile private var request: Request? = null
    @Volatile private var runState: Int = NEW

    @Volatile private var cancelHandlers: HandlerList<(OperationCanceledException) -> Unit>? = null
    /** What the attached sources armed: one source's handle alone (the common case), or an array of them. */
    @Volatile private var handles: Any? = null
    @Volatile private var pollers: CoroutineScope? = null

    /** The coroutine's context while a suspend run is inside its scope; null otherwise. */
    @Volatile private var runContext: CoroutineContext? = null
    @Volatile internal var job: Job? = null
        private set
    @Volatile internal var blockingCall: BlockingCall? = null
        private set

    /** The block has returned; the scope may still wait for coroutines it launched. */
    @Volatile internal var blockReturned = false

    /**
     * A cancel requested after the block returned found no coroutine it launched still running, so
     * the work had completed. Asked only then: listing a Job's children costs more than a run's own
     * bookkeeping.
     */
    @Volatile internal var canceledWithoutChildren = false

    /** Made when the operation first has a relative: most operations have none, and allocate nothing for it. */
    @Volatile private var familyState: OperationFamily? = null

    /** Parent, children, depth, the cascade. */
    internal val family: OperationFamily
        get() = familyState ?: synchronized(this) { familyState ?: OperationFamily(this).also { familyState = it } }

    /** The parent, or null; reads without making a family. */
    internal val parentOp: CancelableImpl? get() = familyState?.parent

    /** The id of the caller's operation in another process, if it was made with one. */
    internal val remoteParentId: String? get() = familyState?.remoteParentId

    /** Levels of parents above this operation when it started running. */
    internal val depth: Int get() = familyState?.depth ?: 0

    // ---- identity and context -------------------------------------------------------------------

    override val key: CoroutineContext.Key<*> get() = Cancelable

    private val liveRequest: Request? get() = request.takeUnless { it === FINISHED }
    override val isCanceled: Boolean get() = liveRequest != null
    override val cancelReason: CancellationReason? get() = liveRequest?.cancellation?.reason
    override val cancelMessage: String? get() = liveRequest?.cancellation?.message
    override val canceledBy: String? get() = liveRequest?.sourceName
    override val parentId: String? get() = familyState?.parentId
    override val childIds: Set<String> get() = familyState?.childIds() ?: emptySet()

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

    // ---- configuration ---------------------------------------------------------------------------

    override fun combine(vararg others: Cancelable): Cancelable = combination(this, others)

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
        stampStart()
        status = if (isShielded) OperationStatus.SHIELDED else OperationStatus.RUNNING
        try {
            registry?.started(this)
        } catch (e: Throwable) {
            status = OperationStatus.PENDING
            clearStart()
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
        if (list.size == 1) {
            handles = attach(list[0])
            return
        }
        val attached = arrayOfNulls<DisposableHandle>(list.size)
        handles = attached
        for (i in list.indices) attached[i] = attach(list[i])
    }

    private fun attach(source: CancellationSource): DisposableHandle? = try {
        source.attach(this)
    } catch (e: Throwable) {
        e.rethrowIfFatal()
        log.warn("source {} of operation {} failed to attach; the operation runs without it", source, id, e)
        null
    }

    /** Releases everything the sources armed; a source that fails to dispose is logged. */
    internal fun detachSources() {
        when (val attached = handles) {
            null -> {}
            is DisposableHandle -> {
                handles = null
                dispose(attached)
            }
            else -> {
                handles = null
                for (handle in attached as Array<*>) dispose(handle as DisposableHandle?)
            }
        }
        pollers?.cancel()
    }

    private fun dispose(handle: DisposableHandle?) {
        try {
            handle?.dispose()
        } catch (e: Throwable) {
            e.rethrowIfFatal()
            log.warn("a source of operation {} failed to dispose", id, e)
        }
    }

    /** Records the final status; afterwards the operation refuses cancel requests. */
    internal fun end(finalStatus: OperationStatus, failure: Throwable?) {
        if (request == null) REQUEST.compareAndSet(this, null, FINISHED)
        if (failure != null) error = failure.toString()
        stampEnd()
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

    /** After the terminal callbacks: from now on nothing recorded changes; leaves the registry. */
    internal fun release() {
        released = true
        familyState?.released()
        registry?.finished(this)
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

    /** The scope sources poll in (see [pollerScope]); made when a source first asks, canceled when the operation ends. */
    override val coroutineScope: CoroutineScope
        get() = pollers ?: synchronized(this) {
            pollers ?: pollerScope(runContext, this).also { if (isDone) it.cancel(); pollers = it }
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
        if (blockReturned) canceledWithoutChildren = ownJob == null || ownJob.children.none()
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

    override fun reportProgress(message: String, metadata: Map<String, Any?>) = OperationCallbacks.report(this, message, metadata)

    internal companion object {
        private const val NEW = 0
        private const val RUNNING = 1
        private const val DONE = 2

        internal val log = logger("operation")
        private val NoHandle = DisposableHandle { }
        private val FINISHED = Request(CanceledManuallyException("finished"), null, requested = false)

        private val REQUEST = AtomicReferenceFieldUpdater.newUpdater(CancelableImpl::class.java, Request::class.java, "request")
        private val RUN_STATE = AtomicIntegerFieldUpdater.newUpdater(CancelableImpl::class.java, "runState")
    }
}
