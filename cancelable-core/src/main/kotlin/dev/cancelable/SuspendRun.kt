package dev.cancelable

import dev.cancelable.internal.Mdc
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.intrinsics.COROUTINE_SUSPENDED
import kotlin.coroutines.intrinsics.startCoroutineUninterceptedOrReturn
import kotlin.coroutines.jvm.internal.CoroutineStackFrame

/**
 * Runs an operation as one coroutine: `withContext(operation)`, whose Job is a child of the caller's
 * and whose context holds the operation. Sources attach inside it, on its dispatcher's clock, and are
 * disposed once the scope has finished, so they also cover the coroutines the block launched. A cancel
 * requested before the block starts means it never runs. A block that returned is COMPLETED, even if it
 * caught a cancellation or one landed just after; but a cancellation that lands while coroutines the block
 * launched still run cancels them and ends the operation CANCELED; otherwise [classifyExit] decides.
 *
 * Nested operations nest stack frames, so a level costs as few as it can: [runSuspending] is inlined
 * into the operation's `run`, and the scope's block is the run's [Frame] itself rather than a suspend lambda
 * around it (one frame where a lambda takes three). Every [TRAMPOLINE_DEPTH] levels of nesting, a level
 * yields to its dispatcher before its block and after it, which starts a fresh stack in both directions:
 * however deep operations nest, the stack never overflows inside kotlinx's completion machinery (where an
 * overflow would leave a scope waiting forever).
 */
internal suspend inline fun <T> runSuspending(op: CancelableImpl, noinline block: suspend OperationScope.() -> T): T {
    op.claimRun()
    val caller = currentCoroutineContext()
    op.begin(caller[Cancelable])
    val frame = Frame(op, block)
    val value = try {
        withContext(runContextFor(op), frame.asScopeBlock())
    } catch (e: Throwable) {
        // Sources stay attached until the scope has finished, coroutines the block launched included.
        op.detachSources()
        if (frame.returned && e is CancellationException && (frame.caughtCancellation || op.canceledWithoutChildren)) {
            // The block returned its value having handled the cancellation, or with nothing left
            // running for a later one to interrupt: the work completed. (A cancel that reached the
            // scope after the block returned some other way, its caller's, came while the scope waited
            // for coroutines the block launched: the only time the scope is there to be canceled.)
            if (!finishedWithoutCallbacks(op, OperationStatus.COMPLETED, null)) finishOperation(op, OperationStatus.COMPLETED, null)
            @Suppress("UNCHECKED_CAST")
            return frame.value as T
        }
        // Canceled before the block could start (the caller was): the start callbacks still
        // run, so every operation that ran fires them before its terminal ones.
        val starts = op.callbacks.start
        if (!frame.entered && starts.isNotEmpty()) withContext(NonCancellable) { OperationCallbacks.runAll("start", starts, op) }
        val callerCanceled = !op.isShielded && caller[Job]?.isCancelled == true
        val exit = classifyExit(op, frame.thrown, e, callerCanceled)
        if (!finishedWithoutCallbacks(op, exit.status, exit.failure)) finishOperation(op, exit.status, exit.failure)
        throw exit.toThrow
    }
    op.detachSources()
    if (!finishedWithoutCallbacks(op, OperationStatus.COMPLETED, null)) finishOperation(op, OperationStatus.COMPLETED, null)
    return value
}

/** Levels of nesting between two yields that give the stack a fresh start. */
internal const val TRAMPOLINE_DEPTH: Int = 64

/** The operation as the coroutine's element (non-cancelable for a shield); plus its MDC entries when logging has an MDC. */
internal fun runContextFor(op: CancelableImpl): CoroutineContext {
    val base: CoroutineContext = if (op.isShielded) NonCancellable + op else op
    return if (Mdc.enabled) base + OperationThreadElement(op, currentOperation = false) else base
}

/**
 * One run: the block `withContext` starts (the scope's coroutine calls [invoke]), the [OperationScope]
 * the user's block receives, and the continuation that block completes into, recording what the block
 * did apart from what `withContext` reports after it. One object for all three, so a run allocates no
 * lambda of its own.
 */
internal class Frame<T>(
    override val operation: CancelableImpl,
    private val block: suspend OperationScope.() -> T,
) : OperationScope, Continuation<T>, CoroutineStackFrame, Function2<Any?, Any?, Any?> {
    var entered = false
    var returned = false
    /** The block returned after a cancellation was requested, so it handled it. */
    var caughtCancellation = false
    var value: T? = null
    /** What the block itself threw, identity preserved (what leaves `withContext` may be a copy). */
    var thrown: Throwable? = null
    override lateinit var coroutineContext: CoroutineContext
    private lateinit var completion: Continuation<T>

    /** This frame as the block `withContext` runs: it is called as a `suspend CoroutineScope.() -> T` is. */
    @Suppress("UNCHECKED_CAST")
    fun asScopeBlock(): suspend CoroutineScope.() -> T = (this as Any) as suspend CoroutineScope.() -> T

    /** Called by the scope coroutine with itself and the continuation to complete, as a suspend lambda's `invoke`. */
    @Suppress("UNCHECKED_CAST")
    override fun invoke(scope: Any?, completion: Any?): Any? {
        val op = operation
        val context = (scope as CoroutineScope).coroutineContext
        this.completion = completion as Continuation<T>
        entered = true
        coroutineContext = context
        op.enterScope(context)
        op.attachSources()
        if (op.callbacks.start.isNotEmpty() || op.depth % TRAMPOLINE_DEPTH == TRAMPOLINE_DEPTH - 1) {
            val slow: suspend () -> T = { enterWithStartCallbacks() }
            return slow.startCoroutineUninterceptedOrReturn(completion)
        }
        // Canceled before the block could start (a token already canceled, `cancel()` before `run`, an
        // expired timeout): the block never runs, as `withContext` refuses to start in a canceled scope.
        op.pendingCancellation?.let { thrown = it; throw it }
        val result = try {
            block.startCoroutineUninterceptedOrReturn(this, this)
        } catch (t: Throwable) {
            thrown = t
            throw t
        }
        if (result !== COROUTINE_SUSPENDED) returned(result as T)
        return result
    }

    /**
     * The entry of an operation with start callbacks to run first, or at a depth where the stack starts
     * afresh: yielding before the block and after it moves the rest of each onto a new stack.
     */
    private suspend fun enterWithStartCallbacks(): T {
        val op = operation
        val trampoline = op.depth % TRAMPOLINE_DEPTH == TRAMPOLINE_DEPTH - 1
        try {
            if (trampoline) yield()
            OperationCallbacks.runAll("start", op.callbacks.start, op)
            op.pendingCancellation?.let { throw it }
            val result = block(this)
            returned(result)
            if (trampoline) yield()
            return result
        } catch (t: Throwable) {
            if (!returned) thrown = t
            throw t
        }
    }

    /** The block suspended and has now ended: record how, then complete the scope's coroutine. */
    override fun resumeWith(result: Result<T>) {
        val failure = result.exceptionOrNull()
        @Suppress("UNCHECKED_CAST")
        if (failure == null) returned(result.getOrNull() as T) else thrown = failure
        completion.resumeWith(result)
    }

    /** A shielded section: runs non-cancelably as a child, then lets a pending cancellation of this run land. */
    override suspend fun <R> shield(block: suspend OperationScope.() -> R): R {
        val value = operation.newShield().run(block)
        currentCoroutineContext().ensureActive()
        return value
    }

    override val context: CoroutineContext get() = completion.context

    override val callerFrame: CoroutineStackFrame? get() = completion as? CoroutineStackFrame

    override fun getStackTraceElement(): StackTraceElement? = null

    private fun returned(result: T) {
        value = result
        // Flag, then read: a cancel requested at this moment either is seen here, or sees the flag.
        operation.blockReturned = true
        caughtCancellation = operation.pendingCancellation != null
        returned = true
    }
}
