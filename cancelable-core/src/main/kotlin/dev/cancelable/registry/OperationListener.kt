package dev.cancelable.registry

import dev.cancelable.OperationContext
import dev.cancelable.ProgressReport

/**
 * Told of every operation of a registry as it starts, reports progress and finishes: the hook for
 * metrics, tracing and logging backends. Add one with [OperationRegistry.addListener].
 *
 * Each method runs synchronously on the thread of the operation's event, in the order the
 * operation's events happen, so it must be fast and must not block; one that throws is logged at
 * WARN and the others still run. The default methods do nothing, so implement only what you need.
 * Implementations must be thread-safe: operations run on many threads at once.
 */
public interface OperationListener {
    /** [operation] started running; it is live: read it now, or take a snapshot to keep. */
    public fun onStarted(operation: OperationContext) {}

    /** An operation reported progress. */
    public fun onProgress(report: ProgressReport) {}

    /** An operation finished; [snapshot] is its final state, as kept in history. */
    public fun onFinished(snapshot: OperationSnapshot) {}
}
