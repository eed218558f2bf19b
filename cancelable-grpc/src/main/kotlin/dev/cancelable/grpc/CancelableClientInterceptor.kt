package dev.cancelable.grpc

import dev.cancelable.Cancelable
import dev.cancelable.grpc.internal.OperationClientCall
import io.grpc.CallOptions
import io.grpc.Channel
import io.grpc.ClientCall
import io.grpc.ClientInterceptor
import io.grpc.Deadline
import io.grpc.MethodDescriptor
import java.time.Duration
import java.time.Instant
import java.util.concurrent.TimeUnit

/**
 * Makes every outgoing call of a channel part of the caller's operation:
 * - its deadline is the operation's [Cancelable.deadline] (the earliest timeout of the operation and
 *   its ancestors) as time left now; the earliest wins against a deadline already in the call
 *   options, and gRPC itself also applies the deadline of the current `io.grpc.Context`;
 * - the operation's id goes in the [OPERATION_ID_HEADER] header, which [CancelableServerInterceptor]
 *   records as the server operation's parent;
 * - a cancel of the operation cancels the call with a message naming the operation, the reason and
 *   the cancel message (the caller sees `CANCELLED` with that description; the wire carries no text,
 *   so the server sees a client cancel). The hook is removed when the call ends;
 * - a call that fails with `DEADLINE_EXCEEDED` at the operation's deadline cancels the operation with
 *   TIMEOUT before the caller sees the failure: gRPC's timer and the operation's fire at the same
 *   instant, and the operation ends with TIMEOUT whichever wins.
 *
 * The operation is the one set with [withOperation] on the stub or call options, else the one running
 * on the calling thread (`Cancelable.current()`: a blocking call, the Java facade, `interruptible`, a
 * handler served through [CancelableServerInterceptor]), else the one of the gRPC call being served
 * ([currentCallOperation]). Suspending code, where no thread holds the operation, passes it with
 * `stub.withOperation(currentOperation()!!)`. A call outside any operation passes through untouched.
 *
 * ```kotlin
 * val channel = ClientInterceptors.intercept(managedChannel, CancelableClientInterceptor())
 * Cancelable(name = "checkout", timeout = 2.seconds).callBlocking {
 *     PaymentsGrpc.newBlockingStub(channel).charge(request)    // deadline ~2 s, canceled with the operation
 * }
 * ```
 *
 * Thread-safe and stateless: one instance may serve every channel.
 */
public class CancelableClientInterceptor : ClientInterceptor {

    override fun <ReqT, RespT> interceptCall(
        method: MethodDescriptor<ReqT, RespT>,
        callOptions: CallOptions,
        next: Channel,
    ): ClientCall<ReqT, RespT> {
        val operation = callOptions.getOption(OPERATION_OPTION) ?: Cancelable.current() ?: currentCallOperation()
            ?: return next.newCall(method, callOptions)
        val options = withEarliestDeadline(callOptions, operation.deadline)
        return OperationClientCall(next.newCall(method, options), operation, options !== callOptions)
    }

    override fun toString(): String = "CancelableClientInterceptor"

    private companion object {
        fun withEarliestDeadline(options: CallOptions, deadline: Instant?): CallOptions {
            if (deadline == null) return options
            val left = Duration.between(Instant.now(), deadline)
            val nanos = if (left.seconds >= MAX_DEADLINE_SECONDS) Long.MAX_VALUE else left.toNanos()
            val ours = Deadline.after(nanos, TimeUnit.NANOSECONDS)
            val theirs = options.deadline
            return if (theirs == null || ours.isBefore(theirs)) options.withDeadline(ours) else options
        }
    }
}

/** Beyond this, nanoseconds overflow a long; gRPC caps deadlines far below it anyway. */
private const val MAX_DEADLINE_SECONDS = 9_000_000_000L
