package dev.cancelable.flow

import dev.cancelable.Cancelable
import dev.cancelable.internal.rethrowIfFatal
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
 * The flow behind `asOperation`: each collection runs its own operation.
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
 * | the collector's own cancellation            | CANCELED, reason PARENT |
 */
internal class OperationPerCollection<T>(
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
            val link = op.onCancelRequested { collection.cancel(it) }
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
