package dev.cancelable.internal

import dev.cancelable.Cancelable
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector
import kotlinx.coroutines.isActive
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/**
 * The flow behind `cancelableStream`: each collection runs its own operation.
 *
 * Items must reach the collector in the collector's own context (kotlinx checks this in `flow {}`,
 * `onEach`, `catch`...), so the collection cannot happen inside `run`'s `withContext`. Instead the
 * operation runs beside it, in a child coroutine whose block waits for the collection to end:
 * sources attach there as usual, the collection checks the operation per item, and a cancel request
 * cancels the whole collection at once (upstream and consumer). The block ends only after the
 * collection has stored its partial result, and with the collection's outcome:
 *
 * | collection ends by                         | operation ends |
 * |--------------------------------------------|----------------|
 * | upstream completes                         | COMPLETED      |
 * | the consumer stops early (`take`, `first`) | COMPLETED, partial result not completed |
 * | a source, `cancel()` or the registry       | CANCELED with that reason; the typed exception leaves `collect` |
 * | an exception                               | FAILED with it; it leaves `collect` unchanged |
 * | the collector's own cancelation            | CANCELED, reason PARENT |
 */
internal class StandaloneStream<T>(
    private val upstream: Flow<T>,
    private val newOperation: () -> Cancelable,
    private val reportInterval: Int,
    private val bufferLimit: Int,
    private val onReport: ItemReport<T>?,
) : Flow<T> {

    override suspend fun collect(collector: FlowCollector<T>) {
        val op = newOperation()
        // A failure is carried out of the scope as a value: thrown through it, kotlinx's stack-trace
        // recovery (debug mode) could hand the collector a copy instead of the very exception.
        val failure = coroutineScope {
            val collection = coroutineContext.job
            val outcome = CompletableDeferred<Unit>()
            var startFailure: Throwable? = null
            var started = false
            val runner = launch(start = CoroutineStart.UNDISPATCHED) {
                try {
                    op.run {
                        started = true
                        try {
                            outcome.await()
                        } finally {
                            // Even when canceled, end only after the collection stored its partial result.
                            withContext(NonCancellable) { outcome.join() }
                        }
                    }
                } catch (e: Throwable) {
                    e.rethrowIfFatal()
                    // A run whose block never started (canceled before it could, or its id already
                    // running in the registry) is the collection's failure, before any item;
                    // otherwise the collection reports the outcome itself.
                    if (!started) startFailure = e
                }
            }
            // Started undispatched: a run that could not start has failed by now, before any item.
            startFailure?.let { return@coroutineScope it }
            val link = op.invokeOnCancelRequest { collection.cancel(it) }
            try {
                StreamFlow(upstream, op, reportInterval, bufferLimit, onReport).collect(collector)
                outcome.complete(Unit)
                null
            } catch (e: Throwable) {
                val consumerStopped = e is CancellationException && !op.isCanceled && collection.isActive
                if (consumerStopped) outcome.complete(Unit) else outcome.completeExceptionally(e)
                e
            } finally {
                link.dispose()
                withContext(NonCancellable) { runner.join() }
            }
        }
        if (failure != null) throw failure
    }
}

/** The flow behind `streamChunked`: lists of [chunkSize] items, the last one possibly shorter. */
internal class ChunkedFlow<T>(
    private val upstream: Flow<T>,
    private val operation: Cancelable,
    private val chunkSize: Int,
    private val bufferLimit: Int,
) : Flow<List<T>> {

    override suspend fun collect(collector: FlowCollector<List<T>>) {
        var chunk = ArrayList<T>(chunkSize)
        var total = 0L
        val fullChunkMessage = "Processed chunk of $chunkSize items"
        StreamFlow(upstream, operation, 0, bufferLimit, null).collect { item ->
            chunk.add(item)
            total++
            if (chunk.size == chunkSize) {
                val full = chunk
                chunk = ArrayList(chunkSize)
                collector.emit(full)
                operation.reportProgress(fullChunkMessage, mapOf("chunk_size" to chunkSize, "count" to total))
            }
        }
        if (chunk.isNotEmpty()) {
            collector.emit(chunk)
            operation.reportProgress("Processed final chunk of ${chunk.size} items", mapOf("chunk_size" to chunk.size, "count" to total))
        }
    }
}
