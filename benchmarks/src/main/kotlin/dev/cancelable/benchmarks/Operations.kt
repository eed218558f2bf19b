package dev.cancelable.benchmarks

import dev.cancelable.Cancelable
import dev.cancelable.OperationCanceledException
import dev.cancelable.flow.cancelable
import dev.cancelable.registry.OperationRegistry
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds

/**
 * The same work as [Primitives], done through cancelable the way a user writes it: a new operation
 * per enter/exit (building it is part of the cost), the default registry unless a benchmark says
 * otherwise. Each loop runs [n] times inside one `runBlocking`.
 */
object Operations {
    private val timeout = Primitives.TIMEOUT_MILLIS.milliseconds

    /** `Cancelable(timeout = 60 s).run { }`: the operation counterpart of `withTimeout`. */
    @JvmStatic
    fun timeoutRunLoop(n: Int, registry: OperationRegistry?): Long = runBlocking {
        var sum = 0L
        for (i in 0 until n) sum += Cancelable(timeout = timeout, registry = registry).run { i }
        sum
    }

    /** `Cancelable().run { }` with no source: the operation counterpart of `withContext(element)`. */
    @JvmStatic
    fun plainRunLoop(n: Int, registry: OperationRegistry?): Long = runBlocking {
        var sum = 0L
        for (i in 0 until n) sum += Cancelable(registry = registry).run { i }
        sum
    }

    /** `throwIfCanceled()` inside one running operation, [n] times. */
    @JvmStatic
    fun checkLoop(n: Int): Long = runBlocking {
        Cancelable(name = "checks").run {
            var sum = 0L
            for (i in 0 until n) {
                throwIfCanceled()
                sum += i
            }
            sum
        }
    }

    /**
     * Operation fan-out: a parent operation whose block launches [children] coroutines, each running
     * a child operation suspended inside; then the parent is canceled, the cancel cascades to every
     * child (reason PARENT) and all unwind. Returns how many children were launched.
     */
    @JvmStatic
    fun fanOut(children: Int, registry: OperationRegistry?): Int = runBlocking {
        var launched = 0
        val parent = Cancelable(name = "fan-out", registry = registry)
        try {
            parent.run {
                for (i in 0 until children) {
                    launch(start = CoroutineStart.UNDISPATCHED) {
                        Cancelable(name = "child", registry = registry).run { awaitCancellation() }
                    }
                    launched++
                }
                operation.cancel()
                awaitCancellation()
            }
        } catch (_: OperationCanceledException) {
            // expected: the parent was canceled
        }
        launched
    }

    /**
     * A flow of [n] items collected through `flow.cancelable()` inside one running operation, at the
     * wrapper's defaults: the counterpart of [Primitives.collectLoop].
     */
    @JvmStatic
    fun streamLoop(n: Int): Long = runBlocking {
        Cancelable(name = "stream").run {
            var sum = 0L
            flow { for (i in 0 until n) emit(i) }.cancelable().collect { sum += it }
            sum
        }
    }

    /** `Cancelable(timeout = 60 s).callBlocking { }`: the blocking path a Java `call` takes. */
    @JvmStatic
    fun timedBlockingCall(value: Int, registry: OperationRegistry?): Int =
        Cancelable(timeout = timeout, registry = registry).callBlocking { value }
}
