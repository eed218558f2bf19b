package dev.cancelable

import dev.cancelable.registry.OperationSnapshot
import java.time.Duration
import java.time.Instant

/**
 * What can be known about an operation: identity, status, timings, why it was canceled, metadata
 * and its place in the hierarchy.
 *
 * The context of a live [Cancelable] is a view: each read returns the current value (reads are
 * thread-safe, but two reads may see two moments; take a [snapshot] for a consistent picture). An
 * [OperationSnapshot] is an immutable context of one moment.
 */
public interface OperationContext {
    /** The id given at construction, or a generated one: 32 lowercase hex characters, unique across processes. */
    public val id: String

    /** Human-readable name. */
    public val name: String

    /** Current status. */
    public val status: OperationStatus

    /** When the operation started running, or null while pending. */
    public val startTime: Instant?

    /** When the operation ended, or null until then. */
    public val endTime: Instant?

    /** Time from start to end; grows while running, exact once ended, null while pending. */
    public val duration: Duration?

    /**
     * True once cancellation was requested (by a source, `cancel()`, the registry or a parent), even
     * if the block has not yet reacted or caught it and completed.
     */
    public val isCanceled: Boolean

    /** Why cancellation was requested, or null. Stays recorded if the block caught it and completed. */
    public val cancelReason: CancellationReason?

    /** The message that came with the cancellation, or null. */
    public val cancelMessage: String?

    /** Name of the source that fired, when a source did. */
    public val canceledBy: String?

    /** `toString()` of what the block threw, for a FAILED operation. */
    public val error: String?

    /** What a stream or the block recorded as its partial result, or null. */
    public val partialResult: Any?

    /** Metadata: given at construction, updated through the operation. An immutable copy. */
    public val metadata: Map<String, Any?>

    /** Id of the parent operation (in this process, or else the `remoteParentId` it was made with), or null. */
    public val parentId: String?

    /** Ids of the child operations currently attached (finished children drop out). */
    public val childIds: Set<String>

    /** True for a [Cancelable.shield] section. */
    public val isShielded: Boolean

    /** An immutable copy of this context as it is now. */
    public fun snapshot(): OperationSnapshot
}
