package dev.cancelable.benchmarks

import dev.cancelable.Cancelable
import dev.cancelable.registry.OperationRegistry
import kotlinx.coroutines.runBlocking
import kotlin.coroutines.CoroutineContext

/** Loops for [ObservabilityBenchmark] that [Operations] has no form for. */
object Observability {
    /**
     * `Cancelable(registry = registry).run { }` [n] times inside one `runBlocking` whose context holds
     * [element] (the tracing's context element, which makes each operation's span current in its block).
     */
    @JvmStatic
    fun plainRunLoopIn(n: Int, registry: OperationRegistry, element: CoroutineContext.Element): Long = runBlocking(element) {
        var sum = 0L
        for (i in 0 until n) sum += Cancelable(registry = registry).run { i }
        sum
    }
}
