package dev.cancelable.registry

import dev.cancelable.CancellationReason
import dev.cancelable.OperationContext
import dev.cancelable.OperationStatus
import dev.cancelable.internal.EpochNanos
import java.time.Duration
import java.time.Instant

/**
 * An immutable [OperationContext] of one moment: what registries hand out in listings and history,
 * and what [dev.cancelable.OperationCanceledException.snapshot] carries. Never a live object; safe to
 * keep and share between threads. Two snapshots are equal when all their fields are; `toString` names
 * id, name, status, reason, message, error, parent and duration.
 */
public interface OperationSnapshot : OperationContext

/** The one implementation of [OperationSnapshot]. */
private class Snapshot(
    override val id: String,
    override val name: String,
    override val status: OperationStatus,
    /** Start and end in nanoseconds since the epoch ([EpochNanos.NONE] for none): longs, not two objects per entry. */
    private val startNanos: Long,
    private val endNanos: Long,
    /** Only a running snapshot is given its duration; a finished one (every history entry) derives it. */
    private val runningNanos: Long,
    override val isCanceled: Boolean,
    override val cancelReason: CancellationReason?,
    override val cancelMessage: String?,
    override val canceledBy: String?,
    override val error: String?,
    override val partialResult: Any?,
    override val metadata: Map<String, Any?>,
    override val parentId: String?,
    override val childIds: Set<String>,
    override val isShielded: Boolean,
) : OperationSnapshot {

    override val startTime: Instant? get() = EpochNanos.toInstant(startNanos)

    override val endTime: Instant? get() = EpochNanos.toInstant(endNanos)

    override val duration: Duration?
        get() = when {
            startNanos == EpochNanos.NONE -> null
            endNanos != EpochNanos.NONE -> Duration.ofNanos(endNanos - startNanos)
            else -> Duration.ofNanos(runningNanos)
        }

    override fun snapshot(): OperationSnapshot = this

    /** A copy of this snapshot holding [partial] as its partial result. */
    fun withPartialResult(partial: Any?): OperationSnapshot = Snapshot(
        id, name, status, startNanos, endNanos, runningNanos, isCanceled, cancelReason, cancelMessage, canceledBy,
        error, partial, metadata, parentId, childIds, isShielded,
    )

    override fun equals(other: Any?): Boolean =
        other is OperationSnapshot && id == other.id && name == other.name && status == other.status &&
            startTime == other.startTime && endTime == other.endTime && duration == other.duration &&
            isCanceled == other.isCanceled && cancelReason == other.cancelReason &&
            cancelMessage == other.cancelMessage && canceledBy == other.canceledBy && error == other.error &&
            partialResult == other.partialResult && metadata == other.metadata && parentId == other.parentId &&
            childIds == other.childIds && isShielded == other.isShielded

    override fun hashCode(): Int = (id.hashCode() * 31 + status.hashCode()) * 31 + (endTime?.hashCode() ?: 0)

    override fun toString(): String = buildString {
        append("OperationSnapshot(id=").append(id).append(", name='").append(name).append("', status=").append(status)
        if (cancelReason != null) append(", reason=").append(cancelReason)
        if (cancelMessage != null) append(", message='").append(cancelMessage).append('\'')
        if (error != null) append(", error='").append(error).append('\'')
        if (parentId != null) append(", parent=").append(parentId)
        if (duration != null) append(", duration=").append(duration)
        append(')')
    }
}

/**
 * An immutable copy of [op] in [status], started and ended at [startNanos] and [endNanos] (read
 * after the status: an operation writes its end before its final status, so the pair is consistent),
 * running for [runningNanos] so far when it has not ended.
 */
internal fun snapshotOf(
    op: OperationContext,
    status: OperationStatus,
    startNanos: Long,
    endNanos: Long,
    runningNanos: Long,
): OperationSnapshot =
    Snapshot(
        id = op.id,
        name = op.name,
        status = status,
        startNanos = startNanos,
        endNanos = endNanos,
        runningNanos = runningNanos,
        isCanceled = op.isCanceled,
        cancelReason = op.cancelReason,
        cancelMessage = op.cancelMessage,
        canceledBy = op.canceledBy,
        error = op.error,
        partialResult = op.partialResult,
        metadata = op.metadata,
        parentId = op.parentId,
        childIds = op.childIds,
        isShielded = op.isShielded,
    )

/** A copy of [snapshot] holding [partial] as its partial result. */
internal fun withPartialResult(snapshot: OperationSnapshot, partial: Any?): OperationSnapshot =
    (snapshot as Snapshot).withPartialResult(partial)
