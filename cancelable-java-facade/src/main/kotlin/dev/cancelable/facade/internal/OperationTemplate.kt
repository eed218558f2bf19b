package dev.cancelable.facade.internal

import dev.cancelable.Cancelable
import dev.cancelable.FailureCallback
import dev.cancelable.OperationCallback
import dev.cancelable.OperationContext
import dev.cancelable.ProgressCallback
import dev.cancelable.facade.ProgressListener
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.CancellationSource
import java.util.function.BiConsumer
import java.util.function.Consumer

/**
 * What an immutable facade `Operation` turns into once built: the sources and the callbacks already
 * adapted to the core's types, so each run only creates the core operation and attaches them.
 * Immutable; thread-safe. Not API.
 */
public class OperationTemplate(
    private val name: String,
    private val operationId: String?,
    private val metadata: Map<String, Any?>,
    private val registry: OperationRegistry?,
    sources: List<CancellationSource>,
    onStart: List<Consumer<in OperationContext>>,
    onProgress: List<ProgressListener>,
    onCompleted: List<Consumer<in OperationContext>>,
    onCanceled: List<Consumer<in OperationContext>>,
    onFailed: List<BiConsumer<in OperationContext, in Throwable>>,
    onFinished: List<Consumer<in OperationContext>>,
) {
    private val sources: List<CancellationSource> = sources.toList()
    private val starts: Array<OperationCallback> = onStart.map(::lifecycle).toTypedArray()
    private val progress: Array<ProgressCallback> = onProgress.map(::progress).toTypedArray()
    private val completes: Array<OperationCallback> = onCompleted.map(::lifecycle).toTypedArray()
    private val cancels: Array<OperationCallback> = onCanceled.map(::lifecycle).toTypedArray()
    private val failures: Array<FailureCallback> = onFailed.map(::failure).toTypedArray()
    private val finishes: Array<OperationCallback> = onFinished.map(::lifecycle).toTypedArray()

    /** A new core operation with this template's configuration and [parent] (null: the core decides). */
    public fun newOperation(parent: Cancelable?): Cancelable {
        val op = Cancelable(name = name, sources = sources, parent = parent, id = operationId, metadata = metadata, registry = registry)
        for (callback in starts) op.onStart(callback)
        for (callback in progress) op.onProgress(callback)
        for (callback in completes) op.onCompleted(callback)
        for (callback in cancels) op.onCanceled(callback)
        for (callback in failures) op.onFailed(callback)
        for (callback in finishes) op.onFinished(callback)
        return op
    }

    private companion object {
        fun lifecycle(consumer: Consumer<in OperationContext>): OperationCallback = { context -> consumer.accept(context) }

        fun progress(listener: ProgressListener): ProgressCallback = { report -> listener.onProgress(report) }

        fun failure(consumer: BiConsumer<in OperationContext, in Throwable>): FailureCallback =
            { context, failure -> consumer.accept(context, failure) }
    }
}
