package dev.cancelable.grpc

import dev.cancelable.grpc.internal.ServerCallOperation
import dev.cancelable.registry.OperationRegistry
import io.grpc.Metadata
import io.grpc.ServerCall
import io.grpc.ServerCallHandler
import io.grpc.ServerInterceptor

/**
 * Runs every call a gRPC server serves as an operation of [registry], so that the registry (and a
 * console or JMX view of it) lists, and can cancel, the calls in flight:
 * - the operation is named after the full method name (`demo.Chain/Call`) and records the method type
 *   under the metadata key `grpc.methodType`;
 * - the call's incoming deadline is its timeout: past it the operation is canceled with TIMEOUT and
 *   the call ends with `DEADLINE_EXCEEDED`;
 * - the client's cancel (or its going away) cancels it with reason PARENT and a message starting
 *   `gRPC client canceled the call`; a client cancel within 50 ms of the deadline counts as the
 *   deadline (TIMEOUT), since the caller's deadline passes a transit time before ours;
 * - the caller's operation id, sent in the [OPERATION_ID_HEADER] header by
 *   [CancelableClientInterceptor], becomes its parent id, so registries of several processes show
 *   one tree (an id that is not a short printable token is ignored);
 * - a cancel from this process (the registry, code, JMX) ends the call with `CANCELLED`, whose
 *   description names the operation, the reason and the message.
 *
 * The handler runs inside the operation on gRPC's own thread, for unary and streaming calls alike:
 * `Cancelable.current()` and the Java facade's `Cancelables.current()` return it there, a cancel
 * interrupts a handler blocked in that thread, and `io.grpc.Context.current()` is a Context canceled
 * when the operation is (so `isCancelled()` and outgoing calls follow it), with the call's deadline.
 * A handler that continues in a coroutine reads [currentCallOperation] and runs there with
 * `withCancelable`, or uses [withCallOperation]. Once a cancel has closed the call, the handler's
 * further writes are dropped and `ServerCallStreamObserver.isCancelled()` reports true.
 *
 * ```kotlin
 * val server = NettyServerBuilder.forAddress(InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
 *     .addService(ServerInterceptors.intercept(service, CancelableServerInterceptor(registry)))
 *     .build().start()
 * ```
 *
 * Thread-safe and stateless: one instance may serve every service of every server.
 */
public class CancelableServerInterceptor @JvmOverloads constructor(
    /** Where the calls' operations are listed while they run; null keeps them out of any registry. */
    private val registry: OperationRegistry? = OperationRegistry.global,
) : ServerInterceptor {

    override fun <ReqT, RespT> interceptCall(
        call: ServerCall<ReqT, RespT>,
        headers: Metadata,
        next: ServerCallHandler<ReqT, RespT>,
    ): ServerCall.Listener<ReqT> = ServerCallOperation(call, headers, next, registry).start()

    override fun toString(): String = "CancelableServerInterceptor(registry=$registry)"
}
