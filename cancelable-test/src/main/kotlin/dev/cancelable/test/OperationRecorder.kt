package dev.cancelable.test

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationContext
import dev.cancelable.OperationStatus
import dev.cancelable.ProgressReport
import java.util.concurrent.CopyOnWriteArrayList

/** The kinds of operation events an [OperationRecorder] keeps. */
public enum class EventKind {
    /** The operation started running. */
    START,

    /** The operation, or one of its descendants, reported progress. */
    PROGRESS,

    /** The operation completed. */
    COMPLETE,

    /** The operation ended canceled. */
    CANCEL,

    /** The operation failed. */
    ERROR,
}

/**
 * One event seen by an [OperationRecorder]. Immutable; safe to keep and share between threads.
 *
 * For [EventKind.PROGRESS], [operationId] is the id of the operation that reported (a descendant's
 * reports reach its ancestors), and [message] and [metadata] are what it reported. For the other
 * kinds, [status], [reason], [message] (the cancel message) and [error] describe the operation at
 * that moment.
 */
public class RecordedEvent(
    /** What happened. */
    public val kind: EventKind,
    /** Id of the operation the event is about (for progress, the one that reported). */
    public val operationId: String,
    /** Id of the recorded operation whose callback saw the event. */
    public val recordedId: String,
    /** Status of the recorded operation when the event was seen. */
    public val status: OperationStatus,
    /** The progress message, or the cancel message; null otherwise. */
    public val message: String?,
    /** The progress metadata; empty for other kinds. */
    public val metadata: Map<String, Any?>,
    /** The cancellation reason recorded when the event was seen, or null. */
    public val reason: CancellationReason?,
    /** The exception of an [EventKind.ERROR] event, or null. */
    public val error: Throwable?,
) {
    override fun toString(): String = buildString {
        append(kind)
        if (message != null) append(" '").append(message).append('\'')
        if (reason != null) append(" reason=").append(reason)
        if (error != null) append(" error=").append(error)
        if (metadata.isNotEmpty()) append(' ').append(metadata)
        append(" [").append(operationId).append(']')
    }
}

/**
 * Records the lifecycle and progress events of operations, in the order the callbacks ran, for
 * assertions in tests.
 *
 * Kotlin operations are wired with [record]:
 *
 * ```kotlin
 * val recorder = OperationRecorder()
 * val op = recorder.record(Cancelable(timeout = 100.milliseconds))
 * runCatching { op.run { reportProgress("half"); delay(1.seconds) } }
 * recorder.assertKinds(EventKind.START, EventKind.PROGRESS, EventKind.CANCEL)
 * ```
 *
 * Anything else that takes plain callbacks, such as the Java facade's `OperationBuilder`, gets the
 * recorder's [onStart], [onProgress], [onCompleted], [onCanceled] and [onFailed] as method references:
 *
 * ```java
 * OperationRecorder recorder = new OperationRecorder();
 * Operation op = Cancelables.operation("fetch").timeout(Duration.ofMillis(100))
 *         .onStart(recorder::onStart).onProgress(recorder::onProgress).onCompleted(recorder::onCompleted)
 *         .onCanceled(recorder::onCanceled).onFailed(recorder::onFailed)
 *         .build();
 * ```
 *
 * Thread-safe: callbacks may run on any thread; reads return copies.
 */
public class OperationRecorder {
    private val recorded = CopyOnWriteArrayList<RecordedEvent>()

    /** Registers callbacks on [operation] that record its events here, then returns it. Call before `run`. */
    public fun <T : Cancelable> record(operation: T): T {
        operation.onStart { onStart(it) }
        operation.onProgress { report ->
            add(EventKind.PROGRESS, report.operation.id, operation, report.message, report.metadata, null)
        }
        operation.onCompleted { onCompleted(it) }
        operation.onCanceled { onCanceled(it) }
        operation.onFailed { context, error -> onFailed(context, error) }
        return operation
    }

    /** Records that the operation of [context] started: a start callback. */
    public fun onStart(context: OperationContext) {
        add(EventKind.START, context.id, context, null, emptyMap(), null)
    }

    /**
     * Records a progress report: a progress callback. A plain callback is not told which operation
     * it was registered on, so the event's `recordedId` is the reporter's; [record] fills in the
     * recorded operation instead.
     */
    public fun onProgress(report: ProgressReport) {
        add(EventKind.PROGRESS, report.operation.id, report.operation, report.message, report.metadata, null)
    }

    /** Records that the operation of [context] completed: a completion callback. */
    public fun onCompleted(context: OperationContext) {
        add(EventKind.COMPLETE, context.id, context, null, emptyMap(), null)
    }

    /** Records that the operation of [context] ended canceled: a canceled callback. */
    public fun onCanceled(context: OperationContext) {
        add(EventKind.CANCEL, context.id, context, context.cancelMessage, emptyMap(), null)
    }

    /** Records that the operation of [context] failed with [error]: a failure callback. */
    public fun onFailed(context: OperationContext, error: Throwable) {
        add(EventKind.ERROR, context.id, context, null, emptyMap(), error)
    }

    /** Every event so far, in order. */
    public val events: List<RecordedEvent> get() = recorded.toList()

    /** The kinds of every event so far, in order. */
    public fun kinds(): List<EventKind> = recorded.map { it.kind }

    /** The progress events so far, in order. */
    public fun progress(): List<RecordedEvent> = recorded.filter { it.kind == EventKind.PROGRESS }

    /** The progress messages so far, in order. */
    public fun progressMessages(): List<String> = progress().map { it.message!! }

    /** Forgets every event. */
    public fun clear(): Unit = recorded.clear()

    /** Throws [AssertionError], listing the events, unless the kinds recorded are exactly [expected]. */
    public fun assertKinds(vararg expected: EventKind) {
        val actual = kinds()
        if (actual != expected.toList()) {
            throw AssertionError("expected events ${expected.toList()} but recorded $actual:\n" + events.joinToString("\n") { "  $it" })
        }
    }

    private fun add(
        kind: EventKind,
        operationId: String,
        context: OperationContext,
        message: String?,
        metadata: Map<String, Any?>,
        error: Throwable?,
    ) {
        recorded.add(RecordedEvent(kind, operationId, context.id, context.status, message, metadata, context.cancelReason, error))
    }

    override fun toString(): String = "OperationRecorder(${recorded.size} events)"
}
