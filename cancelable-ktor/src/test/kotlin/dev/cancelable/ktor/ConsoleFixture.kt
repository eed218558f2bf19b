package dev.cancelable.ktor

import dev.cancelable.Cancelable
import dev.cancelable.registry.OperationRegistry
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch

const val READ_TOKEN = "read-token-0123456789"
const val CANCEL_TOKEN = "cancel-token-0123456789"

/** Operations of [registry] that run until canceled, started on a scope of their own. */
class RunningOperations(private val registry: OperationRegistry) {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    /** Starts an operation and returns once it runs (so progress reports reach it). */
    suspend fun start(name: String, metadata: Map<String, Any?> = emptyMap(), parent: Cancelable? = null, body: suspend () -> Unit = { awaitCancellation() }): Cancelable {
        val op = Cancelable(name = name, metadata = metadata, parent = parent, registry = registry)
        val started = CompletableDeferred<Unit>()
        scope.launch {
            runCatching {
                op.run {
                    started.complete(Unit)
                    body()
                }
            }
            started.complete(Unit)
        }
        started.await()
        return op
    }

    suspend fun stop() = scope.coroutineContext[Job]!!.cancelAndJoin()
}
