package dev.cancelable.grpc.internal

import dev.cancelable.Cancelable
import dev.cancelable.OperationCanceledException
import dev.cancelable.OperationScope
import dev.cancelable.grpc.CALL_OPERATION
import dev.cancelable.grpc.GrpcContextSource
import dev.cancelable.grpc.OPERATION_ID_HEADER
import dev.cancelable.interruptible
import dev.cancelable.registry.OperationRegistry
import io.grpc.Context
import io.grpc.Metadata
import io.grpc.ServerCall
import io.grpc.ServerCallHandler
import io.grpc.Status
import io.grpc.StatusException
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.launch
import org.slf4j.LoggerFactory
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.nanoseconds

/**
 * One server call run as one operation, from `startCall` until the handler closes the call or a cancel
 * ends it.
 *
 * The operation runs in a coroutine on `Dispatchers.Unconfined`, started in place by
 * `interceptCall`: its block starts the handler and then waits for the call to end. Every listener
 * callback that carries work (`startCall`, `onMessage`, `onHalfClose`, `onReady`) runs as a child
 * coroutine of the block, started in place on gRPC's thread through `interruptible`: there the
 * handler sees the operation (`Cancelable.current()`, `Cancelables.current()`, [CALL_OPERATION] in
 * its `io.grpc.Context`), and a cancel interrupts the thread. `onCancel` and `onComplete` run
 * directly, whatever the operation's state, since handlers release resources there.
 *
 * | how the call ends                      | the operation                   | the call                                  |
 * |----------------------------------------|---------------------------------|-------------------------------------------|
 * | the handler closes it with OK          | COMPLETED                       | as the handler closed it                  |
 * | the handler closes it with an error    | FAILED (a `StatusException`)    | as the handler closed it                  |
 * | a callback throws                      | FAILED (that exception)         | gRPC closes it (UNKNOWN), as without us   |
 * | the client cancels or goes away        | CANCELED, PARENT (or TIMEOUT at the deadline) | already over               |
 * | the incoming deadline passes           | CANCELED, TIMEOUT               | DEADLINE_EXCEEDED                         |
 * | a local cancel (registry, code, JMX)   | CANCELED, that reason           | CANCELLED with the reason in the description |
 */
internal class ServerCallOperation<Req, Resp>(
    call: ServerCall<Req, Resp>,
    private val headers: Metadata,
    private val next: ServerCallHandler<Req, Resp>,
    registry: OperationRegistry?,
) : ServerCall.Listener<Req>() {

    /** The call's own Context: gRPC cancels it when the client cancels, goes away, or the deadline passes. */
    private val callContext: Context = Context.current()
    private val guarded = GuardedServerCall(call, ::handlerClosed, ::localCancelStatus)
    private val ended = CompletableDeferred<Status>()
    @Volatile private var scope: OperationScope? = null
    @Suppress("UNCHECKED_CAST")
    @Volatile private var delegate: ServerCall.Listener<Req> = NOTHING_YET as ServerCall.Listener<Req>
    @Volatile private var startFailure: Throwable? = null
    /** gRPC said the call is over for the client (`onCancel`), maybe before it canceled the call's Context. */
    @Volatile private var clientGone = false

    val operation: Cancelable = Cancelable(
        name = call.methodDescriptor.fullMethodName,
        timeout = callContext.deadline?.timeRemaining(TimeUnit.NANOSECONDS)?.nanoseconds,
        sources = listOf(GrpcContextSource(callContext, GrpcContextSource.Wording.SERVER_CALL)),
        remoteParentId = acceptedRemoteId(headers.get(OPERATION_ID_HEADER)),
        metadata = mapOf(METHOD_TYPE to call.methodDescriptor.type.name),
        registry = registry,
    )

    /** What the handler runs in: the call's Context with the operation, canceled when the operation is. */
    private val handlerContext: Context.CancellableContext = callContext.withValue(CALL_OPERATION, operation).withCancellation()
    private val cancelHook: DisposableHandle = operation.onCancelRequested(::canceled)

    /** Starts the operation and, inside it, the handler; returns the listener gRPC delivers to. */
    @OptIn(DelicateCoroutinesApi::class)
    fun start(): ServerCall.Listener<Req> {
        // Runs in place up to the block's wait for the end of the call: the handler has started on return.
        GlobalScope.launch(Dispatchers.Unconfined, CoroutineStart.UNDISPATCHED) { runOperation() }
        startFailure?.let { throw it }
        return this
    }

    private suspend fun runOperation() {
        var canceledBy: OperationCanceledException? = null
        try {
            operation.run {
                scope = this
                try {
                    interruptible(Dispatchers.Unconfined) { delegate = handlerContext.call { next.startCall(guarded, headers) } }
                } catch (t: Throwable) {
                    if (t !is CancellationException && !operation.isCanceled) startFailure = t
                    throw t
                }
                val status = ended.await()
                if (!status.isOk) {
                    // A handler that saw the cancel and closed the call itself: the cancel is what happened.
                    throwIfCanceled()
                    throw status.asException()
                }
            }
        } catch (e: OperationCanceledException) {
            // Canceled: [canceled] closed the call, or the client had gone already.
            canceledBy = e
        } catch (e: StatusException) {
            // The handler closed the call with an error: the operation is FAILED with it.
        } catch (t: Throwable) {
            // A callback threw: the operation is FAILED with it, and gRPC closes the call as usual.
            if (t is VirtualMachineError) throw t
        } finally {
            scope = null
            cancelHook.dispose()
            handlerContext.cancel(canceledBy)
        }
    }

    /** Runs a listener callback as a child of the operation on this thread; dropped once the call is over. */
    private fun dispatch(callback: () -> Unit) {
        val running = scope ?: return
        if (operation.isCanceled) return
        var failure: Throwable? = null
        running.launch(Dispatchers.Unconfined, CoroutineStart.UNDISPATCHED) {
            try {
                running.interruptible(Dispatchers.Unconfined) { handlerContext.run(callback) }
            } catch (e: CancellationException) {
                // The operation was canceled meanwhile; the call is closed.
            } catch (t: Throwable) {
                // After a cancel, whatever the interrupted handler throws is the cancel's echo.
                if (!operation.isCanceled) failure = t
            }
        }
        failure?.let {
            ended.completeExceptionally(it)
            throw it
        }
    }

    /** Runs a callback that must reach the handler whatever the operation's state (it releases resources). */
    private fun direct(callback: () -> Unit) = handlerContext.run(callback)

    private fun handlerClosed(status: Status) {
        ended.complete(status)
    }

    /**
     * The operation was canceled: cancel the handler's Context (before gRPC's own end of the call can
     * cancel it without a cause), then end the call, unless the client already has.
     */
    private fun canceled(cancellation: OperationCanceledException) {
        handlerContext.cancel(cancellation)
        if (!clientGone && !callContext.isCancelled) {
            try {
                guarded.closeForCancel(statusFor(operation, cancellation.reason, cancellation.message))
            } catch (t: Throwable) {
                if (t is VirtualMachineError) throw t
                log.warn("Could not close gRPC call {} after its operation {} was canceled", operation.name, operation.id, t)
            }
        }
    }

    /** The status a local cancel ends the call with, once one was requested and the client is still there. */
    private fun localCancelStatus(): Status? {
        val reason = operation.cancelReason ?: return null
        if (clientGone || callContext.isCancelled) return null
        return statusFor(operation, reason, operation.cancelMessage)
    }

    override fun onMessage(message: Req) = dispatch { delegate.onMessage(message) }

    override fun onHalfClose() = dispatch { delegate.onHalfClose() }

    override fun onReady() = dispatch { delegate.onReady() }

    override fun onCancel() {
        // gRPC cancels the call's Context on another executor; whichever comes first cancels the operation.
        clientGone = true
        if (!operation.isCanceled) {
            val status = if (callContext.isCancelled) statusOf(callContext) else Status.CANCELLED
            val (reason, message) = serverCallCancel(operation, status)
            operation.cancel(reason, message)
        }
        direct { delegate.onCancel() }
    }

    override fun onComplete() {
        // The handler's close has ended the operation already, or a cancel has: nothing to record here.
        direct { delegate.onComplete() }
    }

    private companion object {
        const val METHOD_TYPE = "grpc.methodType"
        val log = LoggerFactory.getLogger("dev.cancelable.grpc")

        /** Listens to nothing: the handler has not started, or never will (canceled before it could). */
        val NOTHING_YET: ServerCall.Listener<Any?> = object : ServerCall.Listener<Any?>() {}
    }
}
