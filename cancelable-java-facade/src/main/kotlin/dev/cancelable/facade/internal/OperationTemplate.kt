package dev.cancelable.facade.internal

import dev.cancelable.Cancelable
import dev.cancelable.ErrorCallback
import dev.cancelable.OperationCallback
import dev.cancelable.OperationContext
import dev.cancelable.ProgressCallback
import dev.cancelable.facade.ProgressListener
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.CancelationSource
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
    sources: List<CancelationSource>,
    onStart: List<Consumer<in OperationContext>>,
    onProgress: List<ProgressListener>,
    onComplete: List<Consumer<in OperationContext>>,
    onCancel: List<Consumer<in OperationContext>>,
    onError: List<BiConsumer<in OperationContext, in Throwable>>,
) {
    private val sources: Array<CancelationSource> = sources.toTypedArray()
    private val starts: Array<OperationCallback> = onStart.map(::lifecycle).toTypedArray()
    private val progress: Array<ProgressCallback> = onProgress.map(::progress).toTypedArray()
    private val completes: Array<OperationCallback> = onComplete.map(::lifecycle).toTypedArray()
    private val cancels: Array<OperationCallback> = onCancel.map(::lifecycle).toTypedArray()
    private val errors: Array<ErrorCallback> = onError.map(::error).toTypedArray()

    /** A new core operation with this template's configuration and [parent] (null: the core decides). */
    public fun newOperation(parent: Cancelable?): Cancelable {
        val op = Cancelable(name, operationId, parent, metadata, registry, null)
        for (source in sources) op.addSource(source)
        for (callback in starts) op.onStart(callback)
        for (callback in progress) op.onProgress(callback)
        for (callback in completes) op.onComplete(callback)
        for (callback in cancels) op.onCancel(callback)
        for (callback in errors) op.onError(callback)
        return op
    }

    private companion object {
        fun lifecycle(consumer: Consumer<in OperationContext>): OperationCallback = { context -> consumer.accept(context) }

        fun progress(listener: ProgressListener): ProgressCallback =
            { id, message, metadata -> listener.onProgress(id, message, metadata) }

        fun error(consumer: BiConsumer<in OperationContext, in Throwable>): ErrorCallback =
            { context, failure -> consumer.accept(context, failure) }
    }
}
