package dev.cancelable

import dev.cancelable.internal.formatSeconds
import dev.cancelable.registry.OperationSnapshot
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CopyableThrowable
import kotlinx.coroutines.ExperimentalCoroutinesApi

/**
 * Thrown by [Cancelable.run] when the operation was canceled by one of its own sources, by
 * [Cancelable.cancel] or by a registry; typed by [reason] through its subclasses
 * ([CanceledByTimeoutException], [CanceledManuallyException], [CanceledBySignalException],
 * [CanceledByConditionException], [CanceledByParentException]).
 *
 * It extends kotlinx.coroutines' `CancellationException` (on the JVM,
 * `java.util.concurrent.CancellationException`), so coroutines treat it as a normal cancellation and a
 * `CompletableFuture` completed with it reports `isCancelled()`. Its name is .NET's for the same
 * thing, and differs from the platform's on purpose: `catch (e: OperationCanceledException)` never
 * catches a plain coroutine cancellation by mistake.
 *
 * The operation it belongs to is fixed when it is made: [operationId] and [snapshot] name that
 * operation wherever the exception travels, through other operations included.
 *
 * Stack traces are not captured (cancellation is control flow, and the throwing site is usually a
 * timer thread); start the JVM with `-Ddev.cancelable.stacktraces=true` to capture them while
 * debugging. Immutable once thrown; safe to share between threads.
 */
@OptIn(ExperimentalCoroutinesApi::class)
public open class OperationCanceledException(
    /** Why the operation was canceled. */
    public val reason: CancellationReason,
    message: String? = null,
    /** The operation canceled, or null for one thrown outside any. */
    operation: Cancelable? = null,
) : CancellationException(message ?: "Operation canceled ($reason)"), CopyableThrowable<OperationCanceledException> {

    internal val operation: Cancelable? = operation

    /** Id of the canceled operation, or null. */
    public val operationId: String? = operation?.id

    /**
     * The operation as it stood when this exception was read: its final state once `run` has
     * thrown. Null for an exception made without an operation.
     */
    public val snapshot: OperationSnapshot? get() = operation?.snapshot()

    /** Never copied: stack-trace recovery must not replace the typed exception and its fields. */
    override fun createCopy(): OperationCanceledException? = null

    override fun fillInStackTrace(): Throwable {
        if (CAPTURE_STACK_TRACES) return super.fillInStackTrace()
        stackTrace = NO_STACK
        return this
    }

    private companion object {
        private val CAPTURE_STACK_TRACES = System.getProperty("dev.cancelable.stacktraces").toBoolean()
        private val NO_STACK = arrayOf<StackTraceElement>()
    }
}

/** The operation's deadline passed. Default message: `Operation timed out after 5.0s`. Immutable; thread-safe. */
public class CanceledByTimeoutException(
    message: String? = null,
    /** The timeout that fired, when known. */
    public val timeout: java.time.Duration? = null,
    operation: Cancelable? = null,
) : OperationCanceledException(
    CancellationReason.TIMEOUT,
    message ?: if (timeout != null) "Operation timed out after ${formatSeconds(timeout)}s" else "Operation timed out",
    operation,
)

/** Canceled by a call to `cancel`. Default message: `Operation canceled manually`. Immutable; thread-safe. */
public class CanceledManuallyException(
    message: String? = null,
    operation: Cancelable? = null,
) : OperationCanceledException(CancellationReason.MANUAL, message ?: "Operation canceled manually", operation)

/**
 * Canceled because the process received an OS signal.
 * Default message: `Operation canceled by signal SIGTERM (15)`. Immutable; thread-safe.
 */
public class CanceledBySignalException(
    message: String? = null,
    /** Signal name with its `SIG` prefix, e.g. `SIGTERM`, when known. */
    public val signal: String? = null,
    /** Signal number, e.g. 15, when known. */
    public val signalNumber: Int? = null,
    operation: Cancelable? = null,
) : OperationCanceledException(
    CancellationReason.SIGNAL,
    message ?: buildString {
        append("Operation canceled by signal")
        if (signal != null) append(' ').append(signal)
        if (signalNumber != null) append(" (").append(signalNumber).append(')')
    },
    operation,
)

/** A polled condition held. Default message: `Operation canceled: condition met`. Immutable; thread-safe. */
public class CanceledByConditionException(
    message: String? = null,
    /** Name of the condition that held, when known. */
    public val conditionName: String? = null,
    operation: Cancelable? = null,
) : OperationCanceledException(CancellationReason.CONDITION, message ?: "Operation canceled: condition met", operation)

/**
 * An enclosing operation was canceled. Default message: `Operation canceled: parent <id> was canceled`.
 * Immutable; thread-safe.
 */
public class CanceledByParentException(
    message: String? = null,
    /** Id of the parent whose cancellation reached this operation, when known. */
    public val parentId: String? = null,
    operation: Cancelable? = null,
) : OperationCanceledException(
    CancellationReason.PARENT,
    message ?: if (parentId != null) "Operation canceled: parent $parentId was canceled" else "Operation canceled: parent was canceled",
    operation,
)

/** The typed exception for [reason], made for [operation]; a null [message] gives the type's default message. */
internal fun cancellationFor(
    reason: CancellationReason,
    message: String?,
    operation: Cancelable?,
    parentId: String? = null,
): OperationCanceledException = when (reason) {
    CancellationReason.TIMEOUT -> CanceledByTimeoutException(message, null, operation)
    CancellationReason.MANUAL -> CanceledManuallyException(message, operation)
    CancellationReason.SIGNAL -> CanceledBySignalException(message, null, null, operation)
    CancellationReason.CONDITION -> CanceledByConditionException(message, null, operation)
    CancellationReason.PARENT -> CanceledByParentException(message, parentId, operation)
}
