package dev.cancelable.grpc.internal

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.grpc.OPERATION_ID_HEADER
import io.grpc.ClientCall
import io.grpc.ForwardingClientCall
import io.grpc.ForwardingClientCallListener
import io.grpc.Metadata
import io.grpc.Status
import kotlinx.coroutines.DisposableHandle
import java.util.concurrent.atomic.AtomicReference

/**
 * An outgoing call that belongs to [operation]: sends its id, and is canceled when it is.
 *
 * The cancel hook lives from `start` to the call's close:
 *
 * | [hook] holds   | meaning                                                 |
 * |----------------|---------------------------------------------------------|
 * | null           | not started, or started and the hook not yet registered |
 * | a handle       | registered; the call is open                            |
 * | [CLOSED]       | the call closed; a hook registered late is disposed     |
 *
 * `cancel` may come from the operation's canceling thread while the caller uses the call: the
 * forwarding methods that can race it go through one lock, since a `ClientCall` is not thread-safe.
 */
internal class OperationClientCall<Req, Resp>(
    call: ClientCall<Req, Resp>,
    private val operation: Cancelable,
    /** The call's deadline is the operation's: its DEADLINE_EXCEEDED is the operation's timeout. */
    private val deadlineFromOperation: Boolean,
) : ForwardingClientCall.SimpleForwardingClientCall<Req, Resp>(call) {
    private val hook = AtomicReference<DisposableHandle?>(null)
    private val lock = Any()

    override fun start(responseListener: Listener<Resp>, headers: Metadata) {
        headers.discardAll(OPERATION_ID_HEADER)
        headers.put(OPERATION_ID_HEADER, operation.id)
        synchronized(lock) { super.start(Closing(responseListener), headers) }
        if (operation.status.isTerminal && !operation.isCanceled) return
        val handle = operation.onCancelRequested { cancellation ->
            cancel(describeCancel(operation, cancellation.reason, cancellation.message), cancellation)
        }
        if (!hook.compareAndSet(null, handle)) handle.dispose()
    }

    override fun cancel(message: String?, cause: Throwable?) {
        synchronized(lock) { super.cancel(message, cause) }
    }

    override fun request(numMessages: Int) {
        synchronized(lock) { super.request(numMessages) }
    }

    override fun halfClose() {
        synchronized(lock) { super.halfClose() }
    }

    override fun sendMessage(message: Req) {
        synchronized(lock) { super.sendMessage(message) }
    }

    private fun closed() {
        hook.getAndSet(CLOSED)?.dispose()
    }

    /** Removes the cancel hook when the call ends, however it ends. */
    private inner class Closing(listener: Listener<Resp>) : ForwardingClientCallListener.SimpleForwardingClientCallListener<Resp>(listener) {
        override fun onClose(status: Status, trailers: Metadata) {
            closed()
            if (deadlineFromOperation && status.code == Status.Code.DEADLINE_EXCEEDED && !operation.isCanceled) {
                operation.cancel(CancellationReason.TIMEOUT, "Operation timed out: ${describe(status)}")
            }
            super.onClose(status, trailers)
        }
    }

    private companion object {
        val CLOSED = DisposableHandle { }
    }
}
