package dev.cancelable.benchmarks

import dev.cancelable.Cancelable
import dev.cancelable.registry.OperationRegistry
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.openjdk.jol.info.GraphLayout
import java.lang.ref.Reference
import kotlin.time.Duration.Companion.hours

/**
 * Retained heap per live operation with a timeout and per registry history entry, measured as heap
 * differences over many instances: used heap after full collections with them alive, minus before,
 * divided by their count. Meant for its own JVM with the serial collector and a fixed heap
 * (`BudgetRun` starts it so), where a full collection leaves exactly the live objects.
 *
 * A live operation is measured inside the coroutine that runs it: `K` launched coroutines each
 * suspended in `Cancelable(timeout = 1 h).run { awaitCancellation() }`, minus `K` launched
 * coroutines suspended in a bare `awaitCancellation()`. So the figure is what the operation adds,
 * including its timer on the event loop, its registry entry and the scope coroutine of `run`.
 * kotlinx's `withTimeout` is measured the same way for reference.
 *
 * A history entry is measured as a full registry ring of `K` finished operations (with a timeout,
 * default names), including the ring's slot. JOL's object-graph size of the same ring, minus that of
 * an empty one, cross-checks it.
 *
 * Prints `memory.<name>=<bytes>` lines, which `BudgetRun` reads. With the argument `--breakdown`,
 * it prints instead what one live operation adds, class by class (from heap histograms), to see where
 * the bytes go.
 */
object MemoryFootprint {
    /** Live operations measured at once. */
    const val LIVE = 20_000
    /** Finished operations in the measured history ring. */
    const val HISTORY = 20_000
    /** Rounds per figure; the median is reported. */
    const val ROUNDS = 3
    private val longTimeout = 1.hours

    @JvmStatic
    fun main(args: Array<String>) {
        if ("--breakdown" in args) return breakdown()
        // Warm up: load classes and initialize statics (the global registry, id prefix) before any
        // measurement, so one-time allocations are not charged to the first scenario.
        for (count in listOf(100, LIVE)) {
            perLive(count, null, ::bare)
            perLive(count, null, ::kotlinxTimeout)
            perLive(count, OperationRegistry(), ::operation)
            perLive(count, null, ::operation)
        }
        perHistoryEntry(100)

        val bare = median { perLive(LIVE, null, ::bare) }
        val kotlinxTimeout = median { perLive(LIVE, null, ::kotlinxTimeout) }
        val registryOn = median { perLive(LIVE, OperationRegistry(), ::operation) }
        val registryOff = median { perLive(LIVE, null, ::operation) }
        val history = median { perHistoryEntry(HISTORY) }
        val historyJol = historyEntryGraphBytes(HISTORY)

        report("bareCoroutine", bare)
        report("kotlinxWithTimeoutLive", kotlinxTimeout - bare)
        report("cancelableWithTimeoutLive", registryOn - bare)
        report("cancelableWithTimeoutLiveRegistryOff", registryOff - bare)
        report("historyEntry", history)
        report("historyEntryJol", historyJol)
    }

    /** The scenarios: a suspended coroutine alone, inside kotlinx's `withTimeout`, inside an operation. */
    @Suppress("UNUSED_PARAMETER")
    private suspend fun bare(registry: OperationRegistry?) {
        awaitCancellation()
    }

    @Suppress("UNUSED_PARAMETER")
    private suspend fun kotlinxTimeout(registry: OperationRegistry?) {
        withTimeout(longTimeout) { awaitCancellation() }
    }

    private suspend fun operation(registry: OperationRegistry?) {
        Cancelable(timeout = longTimeout, registry = registry).run { awaitCancellation() }
    }

    private fun report(name: String, bytes: Double) = println("memory.$name=${"%.1f".format(bytes)}")

    private inline fun median(measure: () -> Double): Double = DoubleArray(ROUNDS) { measure() }.sorted()[ROUNDS / 2]

    /**
     * Heap bytes per coroutine suspended in [body], [count] of them alive at once. Every scenario
     * goes through this one shape (a launched coroutine calling [body] with [resource]), so the
     * difference between two scenarios is what their bodies hold, nothing of the harness.
     */
    private fun <R> perLive(count: Int, resource: R, body: suspend (R) -> Unit): Double {
        val (before, after) = aroundLive(count, resource, body, ::usedHeap)
        return (after - before).toDouble() / count
    }

    /** [measure] taken before and after [count] coroutines are suspended in [body]; they are then canceled. */
    private fun <R, M> aroundLive(count: Int, resource: R, body: suspend (R) -> Unit, measure: () -> M): Pair<M, M> = runBlocking {
        val group = Job(coroutineContext[Job])
        val scope = CoroutineScope(coroutineContext + group)
        val before = measure()
        repeat(count) { scope.launch(start = CoroutineStart.UNDISPATCHED) { body(resource) } }
        val after = measure()
        group.cancelAndJoin()
        Reference.reachabilityFence(resource)
        before to after
    }

    /** Heap bytes per entry of a full history ring of [count] finished operations. */
    private fun perHistoryEntry(count: Int): Double {
        val before = usedHeap()
        val registry = fullHistory(count)
        val after = usedHeap()
        check(registry.history().size == count) { "the history ring should hold $count entries" }
        return (after - before).toDouble() / count
    }

    /** JOL's graph size of a full ring minus an empty one of the same capacity, per entry. */
    private fun historyEntryGraphBytes(count: Int): Double {
        val empty = OperationRegistry(historyLimit = count)
        val full = fullHistory(count)
        return (GraphLayout.parseInstance(full).totalSize() - GraphLayout.parseInstance(empty).totalSize()).toDouble() / count
    }

    private fun fullHistory(count: Int): OperationRegistry {
        val registry = OperationRegistry(historyLimit = count)
        runBlocking {
            repeat(count) { Cancelable(timeout = longTimeout, registry = registry).run { } }
        }
        return registry
    }

    /** Per-class heap difference per live operation with a timeout (registry on, off), largest first. */
    private fun breakdown() {
        perLive(LIVE, OperationRegistry(), ::operation)
        perLive(LIVE, null, ::operation)
        repeat(2) { histogram() } // its own first-use allocations must not land in a measurement
        val bare = histogramPerLive(LIVE, null, ::bare)
        val on = histogramPerLive(LIVE, OperationRegistry(), ::operation)
        val off = histogramPerLive(LIVE, null, ::operation)
        val types = bare.keys + on.keys + off.keys
        fun added(of: Map<String, Double>, type: String) = (of[type] ?: 0.0) - (bare[type] ?: 0.0)
        println("registry on  registry off  class")
        // int[] is left out: the collector's filler objects show up there and are not ours.
        types.filter { it != "[I" && (kotlin.math.abs(added(on, it)) >= 0.5 || kotlin.math.abs(added(off, it)) >= 0.5) }
            .sortedByDescending { added(on, it) }
            .forEach { println("%9.1f B  %9.1f B   %s".format(added(on, it), added(off, it), it)) }
        val counted = types - "[I"
        println("%9.1f B  %9.1f B   total".format(counted.sumOf { added(on, it) }, counted.sumOf { added(off, it) }))
    }

    private fun <R> histogramPerLive(count: Int, resource: R, body: suspend (R) -> Unit): Map<String, Double> {
        val (before, after) = aroundLive(count, resource, body, ::histogram)
        return (before.keys + after.keys).associateWith { ((after[it] ?: 0L) - (before[it] ?: 0L)).toDouble() / count }
    }

    /** Bytes by class of the live heap (`GC.class_histogram`, which collects first). */
    private fun histogram(): Map<String, Long> {
        val server = java.lang.management.ManagementFactory.getPlatformMBeanServer()
        val command = javax.management.ObjectName("com.sun.management:type=DiagnosticCommand")
        val text = server.invoke(command, "gcClassHistogram", arrayOf<Any>(arrayOf<String>()), arrayOf(Array<String>::class.java.name)) as String
        val row = Regex("""^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+).*$""")
        return text.lineSequence().mapNotNull { row.matchEntire(it) }.associate { it.groupValues[3] to it.groupValues[2].toLong() }
    }

    /** Used heap after full collections; the serial collector leaves only live objects. */
    private fun usedHeap(): Long {
        val runtime = Runtime.getRuntime()
        var used = Long.MAX_VALUE
        repeat(4) {
            System.gc()
            used = minOf(used, runtime.totalMemory() - runtime.freeMemory())
        }
        return used
    }
}
