@file:JvmName("GrpcOperations")

package dev.cancelable.grpc

import dev.cancelable.Cancelable
import dev.cancelable.withCancelable
import io.grpc.CallOptions
import io.grpc.Context
import io.grpc.Metadata
import io.grpc.stub.AbstractStub

/**
 * The request header that carries the caller's operation id to the server, where it becomes the
 * server operation's `parentId` (see the `remoteParentId` of the `Cancelable` factory). ASCII;
 * [CancelableClientInterceptor] sets it, [CancelableServerInterceptor] reads it. Immutable.
 */
@JvmField
public val OPERATION_ID_HEADER: Metadata.Key<String> =
    Metadata.Key.of("cancelable-operation-id", Metadata.ASCII_STRING_MARSHALLER)

/**
 * The call option naming the operation an outgoing call belongs to, for callers that cannot rely on
 * the operation running on their thread (suspending code, a call started from a callback). Set it with
 * [withOperation]. Immutable.
 */
@JvmField
public val OPERATION_OPTION: CallOptions.Key<Cancelable> = CallOptions.Key.create("cancelable-operation")

/** Where the server interceptor puts a call's operation in the `io.grpc.Context` it runs the handler in. */
internal val CALL_OPERATION: Context.Key<Cancelable> = Context.key("cancelable-call-operation")

/**
 * The operation of the gRPC call being served where this is called: the handler's thread while
 * [CancelableServerInterceptor] runs a listener callback, or wherever the call's `io.grpc.Context` is
 * attached (code that carries the Context along, such as grpc-kotlin's coroutine handlers); null
 * elsewhere. Thread-safe.
 *
 * A handler that hands its work to a coroutine reads it on the handler thread and passes it on:
 * ```kotlin
 * val op = currentCallOperation()!!
 * scope.launch { withCancelable(op) { responseObserver.onNext(compute()); responseObserver.onCompleted() } }
 * ```
 */
public fun currentCallOperation(): Cancelable? = CALL_OPERATION.get()

/**
 * Runs suspending [block] as the operation of the gRPC call being served, so that
 * `currentOperation()` returns it and its cancel (a client cancel, its deadline, a cancel through the
 * registry) cancels the block: the coroutine twin of a blocking handler's body. The operation is
 * [currentCallOperation], so call it where the call's `io.grpc.Context` is attached (a grpc-kotlin handler, or `runBlocking` on the handler thread), or use
 * `withCancelable(operation)` with an operation read earlier.
 *
 * @throws IllegalStateException if no call is being served here.
 */
public suspend fun <T> withCallOperation(block: suspend (Cancelable) -> T): T {
    val operation = currentCallOperation()
        ?: throw IllegalStateException("no gRPC call is being served here: call withCallOperation where the call's io.grpc.Context is attached")
    return withCancelable(operation, block)
}

/**
 * This stub with its calls belonging to [operation]: [CancelableClientInterceptor] then takes their
 * deadline from it, sends its id, and cancels them when it is canceled, whatever thread or coroutine
 * starts them. Stubs are immutable; this returns a new one.
 */
public fun <S : AbstractStub<S>> S.withOperation(operation: Cancelable): S = withOption(OPERATION_OPTION, operation)

/** These call options with calls belonging to [operation] (see the stub form of [withOperation]). Immutable. */
public fun CallOptions.withOperation(operation: Cancelable): CallOptions = withOption(OPERATION_OPTION, operation)
