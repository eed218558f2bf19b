package dev.cancelable.internal

import dev.cancelable.CancelationException
import dev.cancelable.CancelationReason
import dev.cancelable.Cancelable
import dev.cancelable.ErrorCallback
import dev.cancelable.ManualCancelation
import dev.cancelable.OperationCallback
import dev.cancelable.OperationContext
import dev.cancelable.OperationScope
import dev.cancelable.OperationStatus
import dev.cancelable.ParentCancelation
import dev.cancelable.ProgressCallback
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.registry.OperationSnapshot
import dev.cancelable.registry.snapshotOf
import dev.cancelable.source.CancelationSource
import dev.cancelable.source.SourceScope
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.ensureActive
import java.lang.ref.WeakReference
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.util.Collections
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater
import kotlin.coroutines.CoroutineContext

/**
 * The one implementation of [Cancelable]. The same object is also the operation's live
 * [OperationContext] and the [SourceScope] its sources attach to, so running an operation allocates
 * nothing per role. (The [OperationScope] a block receives is the runner's frame.)
 *
 * | runState | status                     | meaning                                                     |
 * |----------|----------------------------|-------------------------------------------------------------|
 * | NEW      | PENDING                    | built; configurable; `cancel()` stores a request for later  |
 * | RUNNING  | RUNNING, SHIELDED          | inside `run`/`callBlocking`; sources attached; job or thread set |
 * | DONE     | COMPLETED, CANCELED, FAILED | ended; final snapshot cached; further cancels are refused  |
 *
 * Independently, [request] is the first-wins cancelation slot: null until a source, `cancel()`, the
 * registry or a parent fills it (then `isCanceled` is true and reason and message are decided), or
 * [FINISHED] once the operation ended without one. Whoever wins the slot then cascades to children,
 * runs the cancel-request hooks, and cancels the Job (suspend mode) or interrupts the thread
 * (blocking mode). The running code lives in [SuspendRunner] and [BlockingRunner], source
 * attachment in `SourceAttachments.kt`.
 */
internal class CancelableImpl private constructor(
    override val id: String,
    override val name: String,
    initialMetadata: Map<String, Any?>,
    override val registry: OperationRegistry?,
    internal val clock: Clock,
    override val isShielded: Boolean,
) : Cancelable, OperationContext, SourceScope {

    internal class Request(val cancelation: CancelationException, val sourceName: String?)

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
    @Volatile private var parentOp: CancelableImpl? = null
    /** Running children strongly; children linked at construction and not yet running, weakly. */
    @Volatile private var children: MutableSet<Any>? = null
    @Volatile private var weakLink: WeakReference<CancelableImpl>? = null
    @Volatile private var cancelHandlers: HandlerList<(CancelationException) -> Unit>? = null
    @Volatile internal var sources: Array<CancelationSource> = NO_SOURCES
        private set
    @Volatile internal var handles: Array<DisposableHandle?>? = null
    @Volatile internal var pollers: CoroutineScope? = null
    @Volatile private var finalSnapshot: OperationSnapshot? = null
    @Volatile private var childMessage: String? = null
    /** Levels of parents above this operation when it started running (0 for a root). */
    internal var depth: Int = 0
        private set

    /** The coroutine's context while running in suspend mode; null in blocking mode and outside runs. */
    @Volatile internal var runContext: CoroutineContext? = null
    @Volatile internal var job: Job? = null
    @Volatile internal var blockingCall: BlockingCall? = null

    @Volatile private var callbackLists: OperationCallbacks? = null
    /** For an operation made by [combine]: the operations whose callbacks it carries, and how many of each kind. */
    private var combinedFrom: List<CancelableImpl>? = null
    private var carriedCallbacks: IntArray? = null

    /** The callbacks added so far; one shared empty set until the first is added, as most operations add none. */
    internal val callbacks: OperationCallbacks get() = callbackLists ?: OperationCallbacks.EMPTY

    private fun writableCallbacks(): OperationCallbacks =
        callbackLists ?: synchronized(this) { callbackLists ?: OperationCallbacks().also { callbackLists = it } }

    // ---- identity and context -------------------------------------------------------------------

    override val key: CoroutineContext.Key<*> get() = Cancelable
    override val context: OperationContext get() = this
    override val operation: Cancelable get() = this
    override val parent: Cancelable? get() = parentOp
    override val parentId: String? get() = parentOp?.id

    private val liveRequest: Request? get() = request.takeUnless { it === FINISHED }
    override val isCanceled: Boolean get() = liveRequest != null
    override val cancelReason: CancelationReason? get() = liveRequest?.cancelation?.reason
    override val cancelMessage: String? get() = liveRequest?.cancelation?.message
    override val canceledBy: String? get() = liveRequest?.sourceName
    override val metadata: Map<String, Any?> get() = meta
    override val childIds: Set<String>
        get() = children?.mapNotNullTo(LinkedHashSet()) { childOf(it)?.id }?.let(Collections::unmodifiableSet) ?: emptySet()
    override val duration: Duration?
        get() {
            val start = startTime ?: return null
            return Duration.between(start, endTime ?: clock.instant())
        }

    /** The cancelation a finished or running operation holds, for the runners. */
    internal val pendingCancelation: CancelationException? get() = liveRequest?.cancelation
    internal val isDone: Boolean get() = runState == DONE

    override fun snapshot(): OperationSnapshot = finalSnapshot ?: snapshotOf(this)

    override fun toString(): String = "Cancelable(name='$name', id=$id, status=$status)"

    // ---- configuration ---------------------------------------------------------------------------

    override fun addSource(source: CancelationSource): Cancelable {
        synchronized(this) {
            check(runState == NEW) { "addSource must be called before run: operation '$name' ($id) has already started" }
            sources = Sources.plus(sources, source)
        }
        return this
    }

    override fun combine(vararg others: Cancelable): Cancelable {
        val all = listOf<Cancelable>(this) + others
        val merged = LinkedHashMap<String, Any?>()
        all.forEach { merged.putAll(it.context.metadata) }
        merged["combined"] = true
        merged["sources"] = all.map { it.id }
        val combined = create("combined_$name", null, parentOp, merged, registry, clock)
        for (op in all.distinct()) {
            if (op is CancelableImpl) op.sources.forEach { combined.addSource(it) }
            combined.addSource(LinkedOperationSource(op))
        }
        // Each original's callbacks once, in order, however deeply combinations were combined again:
        // a combination contributes those it carries (already flat) and then its own.
        val contributors = LinkedHashSet<CancelableImpl>()
        for (op in all) if (op is CancelableImpl) {
            op.combinedFrom?.let { contributors.addAll(it) }
            contributors.add(op)
        }
        contributors.forEach { combined.writableCallbacks().addAll(it.ownCallbacks()) }
        combined.combinedFrom = contributors.toList()
        combined.carriedCallbacks = combined.callbacks.counts()
        return combined
    }

    /** The callbacks added to this operation itself, without those a combination carries from others. */
    private fun ownCallbacks(): OperationCallbacks = carriedCallbacks?.let { callbacks.after(it) } ?: callbacks

    override fun onStart(callback: OperationCallback): Cancelable = apply { writableCallbacks().addStart(callback) }
    override fun onProgress(callback: ProgressCallback): Cancelable = apply { writableCallbacks().addProgress(callback) }
    override fun onComplete(callback: OperationCallback): Cancelable = apply { writableCallbacks().addComplete(callback) }
    override fun onCancel(callback: OperationCallback): Cancelable = apply { writableCallbacks().addCancel(callback) }
    override fun onError(callback: ErrorCallback): Cancelable = apply { writableCallbacks().addError(callback) }

    override fun putMetadata(key: String, value: Any?): Cancelable = updateMetadata(mapOf(key to value))

    override fun updateMetadata(values: Map<String, Any?>): Cancelable {
        if (values.isEmpty()) return this
        synchronized(this) { meta = immutableCopy(LinkedHashMap(meta).apply { putAll(values) }) }
        return this
    }

    // ---- running (the runners do the work) -------------------------------------------------------

    override suspend fun <T> run(block: suspend OperationScope.() -> T): T = SuspendRunner.run(this, block)

    override suspend fun <T> runOrNull(block: suspend OperationScope.() -> T): T? = try {
        run(block)
    } catch (e: CancelationException) {
        if (e.operation === this && e === pendingCancelation && e.reason != CancelationReason.PARENT) null else throw e
    }

    override fun <T> callBlocking(interruptOnCancel: Boolean, block: (Cancelable) -> T): T =
        BlockingRunner.call(this, interruptOnCancel, block)

    override suspend fun <T> shield(block: suspend OperationScope.() -> T): T {
        check(!isDone) { "operation '$name' ($id) has already ended; shield runs inside its run" }
        val section = CancelableImpl(Ids.next(), "${name}_shield", mapOf("shielded" to true), registry, clock, isShielded = true)
        section.linkParent(this)
        return SuspendRunner.shield(section, block)
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
    internal fun begin(implicitParent: Cancelable?, runningStatus: OperationStatus) {
        val linkedHere = parentOp == null && implicitParent != null && implicitParent !== this
        if (linkedHere) linkParent(implicitParent) else if (weakLink != null) parentOp?.holdStrongly(this)
        parentOp?.let { depth = it.depth + 1 }
        startTime = clock.instant()
        status = runningStatus
        try {
            registry?.started(this)
        } catch (e: Throwable) {
            status = OperationStatus.PENDING
            startTime = null
            if (linkedHere) parentOp?.removeChild(this).also { parentOp = null }
            runState = NEW
            throw e
        }
        if (log.isDebugEnabled) log.debug("operation {} '{}' started", id, name)
    }

    /** Records the final status; afterwards the operation refuses cancel requests. */
    internal fun end(finalStatus: OperationStatus, failure: Throwable?) {
        if (request == null) REQUEST.compareAndSet(this, null, FINISHED)
        if (failure != null) error = failure.toString()
        endTime = clock.instant()
        status = finalStatus
        runState = DONE
        // The run is over: a finished Job or thread must not make later checks (a wrapper or a
        // stream used after the end) fail, nor be kept reachable. (Each is set in one mode only;
        // a volatile write of what is already there would still cost a fence.)
        if (job != null) job = null
        if (runContext != null) runContext = null
        if (blockingCall != null) blockingCall = null
        parentOp?.removeChild(this)
        cancelHandlers?.close()
    }

    /** After the terminal callbacks: freezes the snapshot and leaves the registry. */
    internal fun release() {
        val snapshot = snapshotOf(this)
        finalSnapshot = snapshot
        if (children != null) children = null
        registry?.finished(this, snapshot)
        if (log.isDebugEnabled) {
            log.debug("operation {} '{}' ended {} {}", id, name, status, cancelReason ?: "")
        }
    }

    /** Refuses cancel requests from now on; returns the one already made, if any. */
    internal fun closeCancelRequests(): CancelationException? =
        if (REQUEST.compareAndSet(this, null, FINISHED)) null else pendingCancelation

    /**
     * Records a cancelation decided at exit (the caller was canceled, or the block let one escape);
     * [link] makes it name this operation, unless it already names one.
     */
    internal fun recordExitCancelation(cancelation: CancelationException, link: Boolean) {
        if (REQUEST.compareAndSet(this, null, Request(cancelation, null)) && link && cancelation.operation == null) {
            cancelation.operation = this
        }
    }

    internal fun parentCancelation(): ParentCancelation {
        val parent = parentOp
        return if (parent != null) ParentCancelation(parent.messageForChildren(), parent.id, id)
        else ParentCancelation("Operation canceled: the calling coroutine was canceled", null, id)
    }

    // ---- sources ---------------------------------------------------------------------------------

    override fun fire(source: CancelationSource, reason: CancelationReason, message: String?): Boolean {
        if (request != null) return false
        return fire(cancelationFor(reason, message, id, parentId), source.name)
    }

    override fun fire(source: CancelationSource, cancelation: CancelationException): Boolean =
        fire(cancelation, source.name)

    override fun invokeAfter(delay: kotlin.time.Duration, action: Runnable): DisposableHandle =
        Timers.schedule(runContext, delay, action)

    override val coroutineScope: CoroutineScope
        get() = pollers ?: synchronized(this) { pollers ?: newPollerScope(this).also { pollers = it } }

    // ---- cancelation -----------------------------------------------------------------------------

    override fun cancel(reason: CancelationReason, message: String?, propagateToChildren: Boolean): Boolean {
        if (request != null) return false
        return fire(cancelationFor(reason, message, id, parentId), null, propagateToChildren)
    }

    override fun checkCancelation() {
        // The flag before the request: a cancel records its request before it interrupts, so a flag
        // seen set while no request is there was set by someone else, never by our own cancel.
        val call = blockingCall
        val interrupted = call != null && call.thread === Thread.currentThread() && call.thread.isInterrupted
        val pending = request
        if (pending != null && pending !== FINISHED) throw pending.cancelation
        if (interrupted) {
            call.interruptedByOthers = true
            fireInterrupted()
            throw request!!.cancelation
        }
        job?.ensureActive()
    }

    /** A cancel request (MANUAL) made by an interrupt of the running thread from someone else. */
    internal fun fireInterrupted(): Boolean = fire(ManualCancelation("Operation canceled: thread interrupted", id), null)

    /**
     * The first-wins entry point: everything that cancels this operation comes through here. With
     * [cancelJob] false the request is recorded and the hooks run, but the Job is left to an
     * ancestor's cancel that follows at once (see [fireFromParent]).
     */
    internal fun fire(
        cancelation: CancelationException,
        sourceName: String?,
        propagate: Boolean = true,
        cancelJob: Boolean = true,
    ): Boolean {
        val request = Request(cancelation, sourceName)
        if (!REQUEST.compareAndSet(this, null, request)) return false
        // A ready-made exception a custom source fired keeps the operation it was first fired for.
        if (cancelation.operation == null) cancelation.operation = this
        if (log.isDebugEnabled) log.debug("operation {} '{}' cancel requested: {} {}", id, name, cancelation.reason, cancelation.message)
        // Read once: the children skipped below rely on this very Job being canceled after them.
        val ownJob = job
        if (propagate) children?.forEach { entry -> childOf(entry)?.let { if (!it.isShielded) it.fireFromParent(this, ownJob) } }
        runCancelHandlers(cancelation)
        if (cancelJob) ownJob?.cancel(cancelation)
        blockingCall?.interrupt()
        return true
    }

    override fun invokeOnCancelRequest(handler: (CancelationException) -> Unit): DisposableHandle {
        val current = request
        if (current === FINISHED) return NoHandle
        if (current != null) {
            runCancelHandler(handler, current.cancelation)
            return NoHandle
        }
        val list = cancelHandlers ?: synchronized(this) { cancelHandlers ?: HandlerList<(CancelationException) -> Unit>().also { cancelHandlers = it } }
        val handle = list.add(handler)
        if (handle == null) {
            pendingCancelation?.let { runCancelHandler(handler, it) }
            return NoHandle
        }
        // A cancel that came between the first read and the add may have missed the new list.
        pendingCancelation?.let { runCancelHandlers(it) }
        return handle
    }

    private fun runCancelHandlers(cancelation: CancelationException) {
        val list = cancelHandlers ?: return
        for (handler in list.close()) runCancelHandler(handler, cancelation)
    }

    private fun runCancelHandler(handler: (CancelationException) -> Unit, cancelation: CancelationException) {
        try {
            handler(cancelation)
        } catch (e: Throwable) {
            e.rethrowIfFatal()
            log.warn("cancel-request hook of operation {} failed", id, e)
        }
    }

    // ---- hierarchy -------------------------------------------------------------------------------

    /**
     * Links to [candidate] as parent. A link made at construction ([weakly]) does not keep this
     * operation alive until it starts running; then the parent holds it until it ends.
     */
    internal fun linkParent(candidate: Cancelable, weakly: Boolean = false) {
        if (candidate === this) return
        if (candidate !is CancelableImpl) {
            log.warn("operation {} '{}' cannot link to parent {} of unknown type {}; it runs without a parent", id, name, candidate.id, candidate.javaClass.name)
            return
        }
        if (candidate.isDone) {
            log.warn("operation {} '{}' cannot link to parent {} which has already ended; it runs without a parent", id, name, candidate.id)
            return
        }
        parentOp = candidate
        if (weakly) {
            val link = WeakReference(this)
            weakLink = link
            candidate.addChild(this, link)
        } else {
            candidate.addChild(this, this)
        }
    }

    private fun addChild(child: CancelableImpl, entry: Any) {
        val set = children ?: synchronized(this) {
            children ?: Collections.newSetFromMap(ConcurrentHashMap<Any, Boolean>()).also { children = it }
        }
        set.add(entry)
        if (liveRequest != null && !child.isShielded) child.fireFromParent(this, null)
    }

    private fun holdStrongly(child: CancelableImpl) {
        val link = child.weakLink ?: return
        child.weakLink = null
        children?.remove(link)
        addChild(child, child)
    }

    private fun removeChild(child: CancelableImpl) {
        val set = children ?: return
        set.remove(child)
        child.weakLink?.let { set.remove(it) }
    }

    /**
     * The parent's cascade. A child running in a coroutine whose Job descends from [parentJob] (the
     * usual nesting: `run` or `launch` inside the parent's block) only records its request and runs
     * its hooks here: the parent cancels [parentJob] right after its cascade, and structured
     * concurrency then cancels the child's Job within that same call, so canceling it here too would
     * only cancel it twice. Children linked across scopes, not yet running, or blocking are canceled
     * here in full.
     */
    private fun fireFromParent(parent: CancelableImpl, parentJob: Job?) {
        if (request != null) return
        fire(ParentCancelation(parent.messageForChildren(), parent.id, id), null, cancelJob = !jobDescendsFrom(parentJob))
    }

    /** True if this operation's Job is a strict descendant of [ancestor]; walked only when a cancel cascades. */
    @OptIn(ExperimentalCoroutinesApi::class)
    private fun jobDescendsFrom(ancestor: Job?): Boolean {
        if (ancestor == null) return false
        var current: Job = job ?: return false
        while (true) {
            current = current.parent ?: return false
            if (current === ancestor) return true
        }
    }

    /** The message of the cancelation this operation's cancel hands each child: built once, not once per child. */
    private fun messageForChildren(): String =
        childMessage ?: parentMessage(this).also { childMessage = it }

    // ---- progress --------------------------------------------------------------------------------

    override suspend fun reportProgress(message: String, metadata: Map<String, Any?>) {
        if (runState == DONE) return
        var op: CancelableImpl? = this
        while (op != null) {
            val callbacks = op.callbacks.progress
            if (callbacks.isNotEmpty() && op.runState != DONE) OperationCallbacks.runProgress(callbacks, id, message, metadata)
            op = op.parentOp
        }
        registry?.progressed(this, message, metadata)
    }

    override fun reportProgressBlocking(message: String, metadata: Map<String, Any?>) {
        if (runState == DONE) return
        callSuspendBlocking(this) { reportProgress(message, metadata) }
    }

    internal companion object {
        private const val NEW = 0
        private const val RUNNING = 1
        private const val DONE = 2

        internal val log = logger("operation")
        private val NO_SOURCES = emptyArray<CancelationSource>()
        private val NoHandle = DisposableHandle { }
        private val FINISHED = Request(ManualCancelation("finished"), null)

        private val REQUEST = AtomicReferenceFieldUpdater.newUpdater(CancelableImpl::class.java, Request::class.java, "request")
        private val RUN_STATE = AtomicIntegerFieldUpdater.newUpdater(CancelableImpl::class.java, "runState")

        fun create(
            name: String?,
            operationId: String?,
            parent: Cancelable?,
            metadata: Map<String, Any?>,
            registry: OperationRegistry?,
            clock: Clock?,
        ): CancelableImpl {
            if (operationId != null) require(operationId.isNotBlank()) { "operationId must not be blank" }
            val op = CancelableImpl(operationId ?: Ids.next(), name ?: "operation", metadata, registry, clock ?: registry?.clock ?: Clock.systemUTC(), false)
            if (parent != null) op.linkParent(parent, weakly = true)
            return op
        }

        @Suppress("UNCHECKED_CAST")
        private fun childOf(entry: Any): CancelableImpl? = entry as? CancelableImpl ?: (entry as WeakReference<CancelableImpl>).get()

        private fun parentMessage(parent: CancelableImpl) = "Operation canceled: parent '${parent.name}' (${parent.id}) was canceled"

        private fun immutableCopy(map: Map<String, Any?>): Map<String, Any?> =
            if (map.isEmpty()) emptyMap() else Collections.unmodifiableMap(LinkedHashMap(map))
    }
}
