package dev.cancelable.grpc

import dev.cancelable.CancellationReason
import dev.cancelable.source.CancellationSource
import dev.cancelable.source.SourceScope
import dev.cancelable.grpc.internal.describe
import dev.cancelable.grpc.internal.serverCallCancel
import dev.cancelable.grpc.internal.statusOf
import io.grpc.Context
import io.grpc.Status
import kotlinx.coroutines.DisposableHandle
import java.util.concurrent.Executor
import java.time.Instant
import java.util.concurrent.TimeUnit

/**
 * Cancels the operation when [context] is canceled: code started inside a gRPC `Context` (a server
 * handler, or a `Context.CancellableContext` of its own) then honours that Context's cancel and
 * deadline. A Context canceled by its deadline (`DEADLINE_EXCEEDED`) cancels with reason TIMEOUT,
 * any other cancel with PARENT (the Context is the operation's parent in another library); the
 * message names the gRPC status, e.g. `gRPC context canceled: CANCELLED: RPC cancelled`. A Context
 * already canceled cancels at once. The listener is removed when the operation ends.
 *
 * The Context's deadline fires the source, but an operation's `deadline` property only counts its
 * own timeouts; pass `timeout` too when code below forwards the deadline:
 * ```kotlin
 * val context = Context.current()
 * val remaining = context.deadline?.timeRemaining(TimeUnit.NANOSECONDS)?.nanoseconds
 * Cancelable(name = "reindex", timeout = remaining, sources = listOf(GrpcContextSource(context))).run { reindex() }
 * ```
 *
 * Immutable; thread-safe; may be attached to several operations.
 */
public class GrpcContextSource internal constructor(
    /** The Context to watch. */
    internal val context: Context,
    private val wording: Wording,
) : CancellationSource("grpc-context") {

    /** A source that watches [context]. */
    public constructor(context: Context) : this(context, Wording.CONTEXT)

    /** How a cancel reads: of a plain Context, or of the call a server operation serves. */
    internal enum class Wording { CONTEXT, SERVER_CALL }

    /** The Context's deadline, as an instant of the system clock; null without one. */
    override fun deadlineFrom(start: Instant): Instant? {
        val deadline = context.deadline ?: return null
        return Instant.now().plusNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS))
    }

    override fun attach(scope: SourceScope): DisposableHandle {
        val listener = Context.CancellationListener { canceled ->
            val status = statusOf(canceled)
            val (reason, message) = when (wording) {
                Wording.SERVER_CALL -> serverCallCancel(scope.operation, status)
                Wording.CONTEXT ->
                    if (status.code == Status.Code.DEADLINE_EXCEEDED) CancellationReason.TIMEOUT to "gRPC context deadline exceeded: ${describe(status)}"
                    else CancellationReason.PARENT to "gRPC context canceled: ${describe(status)}"
            }
            fire(scope, reason, message)
        }
        context.addListener(listener, DirectExecutor)
        return DisposableHandle { context.removeListener(listener) }
    }
}

/** Runs listeners on the thread that cancels the Context: they only record a cancel, which never blocks. */
internal object DirectExecutor : Executor {
    override fun execute(command: Runnable) = command.run()
    override fun toString(): String = "DirectExecutor"
}
