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
 * suspended in `Cancelable.withTimeout(1 h).run { awaitCancellation() }`, minus `K` launched
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
    private const val LIVE = 20_000
    private const val HISTORY = 20_000
    private const val ROUNDS = 3
    private val longTimeout = 1.hours

    @JvmStatic
    fun main(args: Array<String>) {
        if ("--breakdown" in args) return breakdown()
        // Warm up: load classes and initialize statics (the global registry, id prefix) before any
        // measurement, so one-time allocations are not charged to the first scenario.
        perLive(100) { awaitCancellation() }
        perLive(100) { withTimeout(longTimeout) { awaitCancellation() } }
        perLive(100, OperationRegistry()) { registry -> Cancelable.withTimeout(longTimeout, registry = registry).run { awaitCancellation() } }
        perHistoryEntry(100)

        val bare = median { perLive(LIVE) { awaitCancellation() } }
        val kotlinxTimeout = median { perLive(LIVE) { withTimeout(longTimeout) { awaitCancellation() } } }
        val registryOn = median {
            perLive(LIVE, OperationRegistry()) { registry -> Cancelable.withTimeout(longTimeout, registry = registry).run { awaitCancellation() } }
        }
        val registryOff = median {
            perLive(LIVE) { Cancelable.withTimeout(longTimeout, registry = null).run { awaitCancellation() } }
        }
        val history = median { perHistoryEntry(HISTORY) }
        val historyJol = historyEntryGraphBytes(HISTORY)

        report("bareCoroutine", bare)
        report("kotlinxWithTimeoutLive", kotlinxTimeout - bare)
        report("cancelableWithTimeoutLive", registryOn - bare)
        report("cancelableWithTimeoutLiveRegistryOff", registryOff - bare)
        report("historyEntry", history)
        report("historyEntryJol", historyJol)
    }

    private fun report(name: String, bytes: Double) = println("memory.$name=${"%.1f".format(bytes)}")

    private inline fun median(measure: () -> Double): Double = DoubleArray(ROUNDS) { measure() }.sorted()[ROUNDS / 2]

    /** Heap bytes per coroutine suspended in [body], [count] of them alive at once. */
    private fun perLive(count: Int, body: suspend () -> Unit): Double = perLive(count, Unit) { body() }

    private fun <R> perLive(count: Int, resource: R, body: suspend (R) -> Unit): Double = runBlocking {
        val group = Job(coroutineContext[Job])
        val scope = CoroutineScope(coroutineContext + group)
        val before = usedHeap()
        repeat(count) { scope.launch(start = CoroutineStart.UNDISPATCHED) { body(resource) } }
        val after = usedHeap()
        group.cancelAndJoin()
        Reference.reachabilityFence(resource)
        (after - before).toDouble() / count
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
            repeat(count) { Cancelable.withTimeout(longTimeout, registry = registry).run { } }
        }
        return registry
    }

    /** Per-class heap difference per live operation with a timeout, largest first. */
    private fun breakdown() {
        perLive(100) { awaitCancellation() }
        val registry = OperationRegistry()
        val bare = histogramPerLive(LIVE, registry) { awaitCancellation() }
        val ours = histogramPerLive(LIVE, registry) { Cancelable.withTimeout(longTimeout, registry = it).run { awaitCancellation() } }
        val added = (bare.keys + ours.keys).associateWith { (ours[it] ?: 0.0) - (bare[it] ?: 0.0) }
            .filterValues { kotlin.math.abs(it) >= 0.5 }
            .entries.sortedByDescending { it.value }
        added.forEach { (type, bytes) -> println("%8.1f B  %s".format(bytes, type)) }
        println("%8.1f B  total".format(added.sumOf { it.value }))
    }

    private fun <R> histogramPerLive(count: Int, resource: R, body: suspend (R) -> Unit): Map<String, Double> = runBlocking {
        val group = Job(coroutineContext[Job])
        val scope = CoroutineScope(coroutineContext + group)
        val before = histogram()
        repeat(count) { scope.launch(start = CoroutineStart.UNDISPATCHED) { body(resource) } }
        val after = histogram()
        group.cancelAndJoin()
        (before.keys + after.keys).associateWith { ((after[it] ?: 0L) - (before[it] ?: 0L)).toDouble() / count }
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
