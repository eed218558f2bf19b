package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationCanceledException
import dev.cancelable.OperationStatus
import dev.cancelable.registry.OperationFilter
import dev.cancelable.registry.OperationRegistry
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds

/** The registry: find live operations by name, status or id, cancel one or many, read history and statistics. */
object RegistryExample {
    // region readme:registry
    /** Lists what runs in [registry], then cancels one operation by id and a user's by name pattern. */
    fun cancelUserWork(registry: OperationRegistry) {
        println("live: ${registry.list().map { it.name }}")
        println("user_123_*: ${registry.list(OperationFilter(namePattern = "user_123_*")).map { it.name }}")
        println("running: ${registry.list(OperationFilter(status = OperationStatus.RUNNING)).size}")

        val id = registry.list(OperationFilter(namePattern = "user_456_export")).single().id
        println("cancel by id: ${registry.cancel(id, CancellationReason.MANUAL, "quota exceeded")}")
        println("cancel unknown id: ${registry.cancel("no-such-id")}")
        println("cancelAll user_123_*: ${registry.cancelAll(OperationFilter(namePattern = "user_123_*"), CancellationReason.MANUAL, "user logged out")}")
    }
    // endregion

    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        val registry = OperationRegistry(historyLimit = 100)     // private; OperationRegistry.global is the default
        Cancelable(name = "warm-up", registry = registry).run { "ready" }
        val jobs = listOf("user_123_export", "user_123_import", "user_456_export").map { name ->
            launch {
                try {
                    Cancelable(name = name, registry = registry).run { awaitCancellation() }
                } catch (e: OperationCanceledException) {
                    println("$name ended: ${e.reason} - ${e.message}")
                }
            }
        }
        while (registry.activeCount < 3) delay(1.milliseconds)

        cancelUserWork(registry)
        jobs.joinAll()

        println("history: ${registry.history().sortedBy { it.name }.map { "${it.name}=${it.status}" }}")
        val stats = registry.statistics()
        println("statistics: active=${stats.activeCount}, history=${stats.historySize}, " +
            "canceled=${stats.historyByStatus[OperationStatus.CANCELED]}, completed=${stats.completedCount}")
    }
}
