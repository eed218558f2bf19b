package dev.cancelable

import kotlinx.coroutines.CoroutineScope

/** Receives an operation's lifecycle events: start, completed, canceled, finished. May be plain or suspending. */
public typealias OperationCallback = suspend (operation: OperationContext) -> Unit

/** Receives the exception a FAILED operation's block threw. May be plain or suspending. */
public typealias FailureCallback = suspend (operation: OperationContext, error: Throwable) -> Unit

/**
 * Receives progress reports of an operation and of all its descendants, on the reporting thread. It
 * must be fast and must not block (progress is reported from hot loops and from blocking code alike);
 * launch a coroutine from it for slow work.
 */
public typealias ProgressCallback = (report: ProgressReport) -> Unit

/**
 * One progress report: the [operation] that reported it (the operation itself, or one of its
 * descendants when an ancestor's callback receives it), its [message] and [metadata].
 *
 * ```kotlin
 * op.onProgress { println("${it.operation.name}: ${it.message} ${it.metadata}") }
 * ```
 *
 * Immutable; thread-safe. [operation] is the reporter's live context: read it in the callback, or
 * take its [OperationContext.snapshot] to keep.
 */
public class ProgressReport internal constructor(
    /** The operation that reported: its id, name, status and the rest. */
    public val operation: OperationContext,
    /** What it said. */
    public val message: String,
    /** What it attached. */
    public val metadata: Map<String, Any?>,
) {
    override fun toString(): String = "ProgressReport(operation=${operation.name} (${operation.id}), message='$message', metadata=$metadata)"
}

/**
 * The receiver of a [Cancelable.run] block: a [CoroutineScope] whose Job is the operation's (so
 * `launch` inside starts children that the operation's cancellation reaches), plus the calls a block
 * makes on its own operation.
 *
 * Only valid inside the block that received it. Its members are thread-safe.
 */
public interface OperationScope : CoroutineScope {
    /** The running operation. */
    public val operation: Cancelable

    /** Same as `operation.reportProgress`. */
    public fun reportProgress(message: String, metadata: Map<String, Any?> = emptyMap()): Unit =
        operation.reportProgress(message, metadata)

    /** Same as `operation.throwIfCanceled()`. */
    public fun throwIfCanceled(): Unit = operation.throwIfCanceled()

    /**
     * Runs [block] to completion even if this operation is canceled meanwhile; a pending
     * cancellation then lands right after the block. The section shows in the registry as a child
     * operation with status SHIELDED and `shielded = true` in its metadata.
     */
    public suspend fun <T> shield(block: suspend OperationScope.() -> T): T
}
