package dev.cancelable.grpc.internal

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import io.grpc.Context
import io.grpc.Contexts
import io.grpc.Status
import java.time.Duration
import java.time.Instant

/**
 * How a canceled operation reads on the wire: `DEADLINE_EXCEEDED` for a timeout, as gRPC's own
 * deadline ends a call, `CANCELLED` for every other reason; the description names the operation,
 * the reason and the message, e.g. `operation demo.Chain/Call (3f2a…) canceled (manual): from the
 * console`.
 */
internal fun statusFor(operation: Cancelable, reason: CancellationReason, message: String?): Status {
    val code = if (reason == CancellationReason.TIMEOUT) Status.DEADLINE_EXCEEDED else Status.CANCELLED
    return code.withDescription(describeCancel(operation, reason, message))
}

/** The text a cancel carries across a process boundary: what, why, and the message. */
internal fun describeCancel(operation: Cancelable, reason: CancellationReason, message: String?): String =
    "operation ${operation.name} (${operation.id}) canceled ($reason): $message"

/**
 * A caller's operation id as received, or null if it is not one: ids travel between processes and
 * are untrusted, so only short printable tokens are recorded (the library's own ids are 32 hex
 * characters; custom ones may be any non-blank text without spaces).
 */
internal fun acceptedRemoteId(value: String?): String? {
    if (value == null || value.isEmpty() || value.length > MAX_REMOTE_ID) return null
    for (c in value) if (c <= ' ' || c > '~') return null
    return value
}

private const val MAX_REMOTE_ID = 128

/**
 * How close to the deadline a client's cancel counts as the deadline. The caller sends the time left,
 * which the server counts from the request's arrival, so the caller's deadline passes a transit time
 * before ours, and its cancel (RST_STREAM carries no cause) races our own timer.
 */
internal val DEADLINE_TOLERANCE: Duration = Duration.ofMillis(50)

/** The status a canceled Context stands for: `DEADLINE_EXCEEDED` for its deadline, else from its cause. */
internal fun statusOf(canceled: Context): Status = Contexts.statusFromCancelled(canceled) ?: Status.CANCELLED

/** `CODE: description`, or the code alone. */
internal fun describe(status: Status): String =
    if (status.description == null) status.code.name else "${status.code.name}: ${status.description}"

/**
 * Reason and message for a server call's end as the server sees it: its deadline passed (TIMEOUT),
 * or the client canceled or went away (PARENT; TIMEOUT within [DEADLINE_TOLERANCE] of the deadline).
 */
internal fun serverCallCancel(operation: Cancelable, status: Status): Pair<CancellationReason, String> {
    val text = describe(status)
    if (status.code == Status.Code.DEADLINE_EXCEEDED) return CancellationReason.TIMEOUT to "gRPC deadline exceeded: $text"
    val deadline = operation.deadline
    if (deadline != null && Instant.now().plus(DEADLINE_TOLERANCE) >= deadline) {
        // The caller's deadline passed a moment before ours and its cancel raced our own timer.
        return CancellationReason.TIMEOUT to "gRPC deadline exceeded: the client canceled at the deadline ($text)"
    }
    return CancellationReason.PARENT to "gRPC client canceled the call: $text"
}
