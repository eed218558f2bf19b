package dev.cancelable

import dev.cancelable.internal.CancelableImpl
import dev.cancelable.internal.formatSeconds
import dev.cancelable.registry.OperationSnapshot
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CopyableThrowable
import kotlinx.coroutines.ExperimentalCoroutinesApi

/**
 * Thrown by [Cancelable.run] when the operation was canceled by one of its own sources, by
 * [Cancelable.cancel] or by a registry; typed by [reason] through its subclasses.
 *
 * It extends kotlinx.coroutines' `CancellationException` (on the JVM,
 * `java.util.concurrent.CancellationException`), so coroutines treat it as a normal cancelation and a
 * `CompletableFuture` completed with it reports `isCancelled()`.
 *
 * Stack traces are not captured (cancelation is control flow, and the throwing site is usually a
 * timer thread); start the JVM with `-Ddev.cancelable.stacktraces=true` to capture them while
 * debugging. Immutable once thrown; safe to share between threads.
 */
@OptIn(ExperimentalCoroutinesApi::class)
public open class CancelationException @JvmOverloads constructor(
    /** Why the operation was canceled. */
    public val reason: CancelationReason,
    message: String? = null,
    /** Id of the canceled operation, when the library created this exception for one. */
    public val operationId: String? = null,
) : CancellationException(message ?: "Operation canceled ($reason)"), CopyableThrowable<CancelationException> {

    @Volatile
    internal var operation: CancelableImpl? = null

    /**
     * The operation as it stood when this exception was read: its final state once `run` has
     * thrown. Null for an exception not created by an operation.
     */
    public val snapshot: OperationSnapshot? get() = operation?.snapshot()

    /** Never copied: stack-trace recovery must not replace the typed exception and its fields. */
    override fun createCopy(): CancelationException? = null

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

/**
 * The operation's deadline passed. Default message: `Operation timed out after 5.0s`.
 * Immutable; thread-safe.
 */
public class TimeoutCancelation @JvmOverloads constructor(
    message: String? = null,
    /** The timeout that fired, when known. */
    public val timeout: java.time.Duration? = null,
    operationId: String? = null,
) : CancelationException(
    CancelationReason.TIMEOUT,
    message ?: if (timeout != null) "Operation timed out after ${formatSeconds(timeout)}s" else "Operation timed out",
    operationId,
)

/** Canceled by a call to `cancel`. Default message: `Operation canceled manually`. Immutable; thread-safe. */
public class ManualCancelation @JvmOverloads constructor(
    message: String? = null,
    operationId: String? = null,
) : CancelationException(CancelationReason.MANUAL, message ?: "Operation canceled manually", operationId)

/**
 * Canceled because the process received an OS signal.
 * Default message: `Operation canceled by signal SIGTERM (15)`. Immutable; thread-safe.
 */
public class SignalCancelation @JvmOverloads constructor(
    message: String? = null,
    /** Signal name with its `SIG` prefix, e.g. `SIGTERM`, when known. */
    public val signal: String? = null,
    /** Signal number, e.g. 15, when known. */
    public val signalNumber: Int? = null,
    operationId: String? = null,
) : CancelationException(
    CancelationReason.SIGNAL,
    message ?: buildString {
        append("Operation canceled by signal")
        if (signal != null) append(' ').append(signal)
        if (signalNumber != null) append(" (").append(signalNumber).append(')')
    },
    operationId,
)

/** A polled condition held. Default message: `Operation canceled: condition met`. Immutable; thread-safe. */
public class ConditionCancelation @JvmOverloads constructor(
    message: String? = null,
    /** Name of the condition that held, when known. */
    public val conditionName: String? = null,
    operationId: String? = null,
) : CancelationException(CancelationReason.CONDITION, message ?: "Operation canceled: condition met", operationId)

/**
 * An enclosing operation was canceled. Default message: `Operation canceled: parent <id> was canceled`.
 * Immutable; thread-safe.
 */
public class ParentCancelation @JvmOverloads constructor(
    message: String? = null,
    /** Id of the parent whose cancelation reached this operation, when known. */
    public val parentId: String? = null,
    operationId: String? = null,
) : CancelationException(
    CancelationReason.PARENT,
    message ?: if (parentId != null) "Operation canceled: parent $parentId was canceled" else "Operation canceled: parent was canceled",
    operationId,
)
