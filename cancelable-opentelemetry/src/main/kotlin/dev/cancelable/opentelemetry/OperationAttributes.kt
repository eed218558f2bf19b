package dev.cancelable.opentelemetry

import io.opentelemetry.api.common.AttributeKey

/**
 * The span attributes and event names [OperationTracing] writes. The operation id is the same value
 * the MDC holds under `cancelable.operationId` while the operation runs, so logs and traces join on it.
 * Immutable constants.
 */
public object OperationAttributes {
    /** The operation's id, set when its span starts. */
    @JvmField
    public val ID: AttributeKey<String> = AttributeKey.stringKey("cancelable.operation.id")

    /** The operation's name, set when its span starts. */
    @JvmField
    public val NAME: AttributeKey<String> = AttributeKey.stringKey("cancelable.operation.name")

    /** The parent operation's id, when it has one (in this process or another), set when its span starts. */
    @JvmField
    public val PARENT_ID: AttributeKey<String> = AttributeKey.stringKey("cancelable.operation.parent_id")

    /** The final status (`completed`, `canceled`, `failed`), set when the operation finishes. */
    @JvmField
    public val STATUS: AttributeKey<String> = AttributeKey.stringKey("cancelable.operation.status")

    /** The cancellation reason (`timeout`, `manual`, `signal`, `condition`, `parent`), when one was recorded. */
    @JvmField
    public val REASON: AttributeKey<String> = AttributeKey.stringKey("cancelable.cancel.reason")

    /** The cancellation message, when one was recorded. */
    @JvmField
    public val MESSAGE: AttributeKey<String> = AttributeKey.stringKey("cancelable.cancel.message")

    /** The name of the source that canceled the operation, when a source did. */
    @JvmField
    public val CANCELED_BY: AttributeKey<String> = AttributeKey.stringKey("cancelable.cancel.source")

    /** A progress report's message, on a [PROGRESS_EVENT]. */
    @JvmField
    public val PROGRESS_MESSAGE: AttributeKey<String> = AttributeKey.stringKey("cancelable.progress.message")

    /** The event added when cancellation is requested, with [REASON] and [MESSAGE] (and [ID] when annotating a span). */
    public const val CANCEL_EVENT: String = "cancelable.cancel"

    /** The event added for each progress report, when asked for. */
    public const val PROGRESS_EVENT: String = "cancelable.progress"

    /** Events that mark an operation's start and end on a span it annotates ([SpanMode.ANNOTATE_CURRENT_SPAN]). */
    public const val START_EVENT: String = "cancelable.operation.start"

    /** See [START_EVENT]. */
    public const val END_EVENT: String = "cancelable.operation.end"
}
