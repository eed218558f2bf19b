package dev.cancelable.reliability

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.AppenderBase
import dev.cancelable.CancellationToken
import dev.cancelable.Cancelable
import dev.cancelable.internal.Timers
import dev.cancelable.registry.OperationRegistry
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.withTimeout
import org.slf4j.LoggerFactory
import java.io.File
import java.lang.management.ManagementFactory
import java.lang.ref.WeakReference
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.locks.LockSupport
import kotlin.time.Duration.Companion.milliseconds

/**
 * Runs [operations] operations against the library from many threads at once (see [OperationMix]),
 * checks each as it ends, then checks what must hold once everything has ended, and returns the
 * summary: one line per [Invariant], with the counts of the run.
 *
 * About 70 % of the operations are suspending, on `Dispatchers.Default` with real time (virtual
 * time cannot race threads), at most [concurrency] at once; the rest are blocking calls on
 * [blockingThreads] worker threads. Four more threads serve cancel requests ([Cancelers]) and one
 * reads the registry all along. Every wait is bounded by [deadlineMillis]: a hang fails the run with
 * the threads' stacks instead of blocking the build.
 */
internal class ReliabilityEngine(
    private val operations: Int,
    private val concurrency: Int = 128,
    private val blockingThreads: Int = 8,
    private val historyLimit: Int = 1000,
    private val deadlineMillis: Long,
) {
    private val invariants = Invariants()
    private val registryReads = AtomicLong()
    @Volatile private var ownThreads = ""

    /** Runs the mix; returns the summary and whether every invariant held. */
    fun run(): Pair<String, Boolean> {
        val warnings = WarnCounter().also { it.attach() }
        try {
            warmUp()
            val baseline = settledHeap()
            val registry = OperationRegistry(historyLimit = historyLimit)
            val samples = ConcurrentLinkedQueue<WeakReference<Cancelable>>()
            val rootToken = CancellationToken()
            val sharedToken = CancellationToken()
            val cancelers = Cancelers(invariants, registry)
            val mix = OperationMix(invariants, registry, cancelers, rootToken, sharedToken, samples, sampleEvery = 1000)
            val started = System.nanoTime()
            drive(mix, cancelers, registry)
            val seconds = (System.nanoTime() - started) / 1e9
            checkAfterwards(registry, rootToken, sharedToken, warnings)
            checkHeap(baseline, samples)
            val summary = invariants.summary(operations, seconds)
            File("target").takeIf { it.isDirectory }?.let { File(it, "reliability-summary-$operations.txt").writeText(summary) }
            return summary to (invariants.totalViolations == 0L)
        } finally {
            warnings.detach()
        }
    }

    /** Loads classes and starts the pools before the heap baseline is taken. */
    private fun warmUp() {
        val registry = OperationRegistry(historyLimit = historyLimit)
        val cancelers = Cancelers(Invariants(), registry).also { it.start() }
        val mix = OperationMix(Invariants(), registry, cancelers, CancellationToken(), CancellationToken(), ArrayList(), Int.MAX_VALUE)
        runBlocking { repeat(200) { i -> launch(Dispatchers.Default) { mix.runSuspend(i) } } }
        repeat(100) { mix.runBlocking(it) }
        cancelers.stop(deadlineMillis)
        Thread.interrupted()
    }

    private fun drive(mix: OperationMix, cancelers: Cancelers, registry: OperationRegistry) {
        val suspendCount = operations * 7 / 10
        val blockingCount = operations - suspendCount
        val nextBlocking = AtomicInteger()
        val done = AtomicBoolean(false)
        cancelers.start()
        val reader = Thread({ readRegistry(registry, done) }, "stress-reader").apply { isDaemon = true; start() }
        val workers = List(blockingThreads) { n ->
            Thread({
                while (true) {
                    val i = nextBlocking.getAndIncrement()
                    if (i >= blockingCount) break
                    mix.runBlocking(i)
                }
            }, "stress-blocking-$n").apply { isDaemon = true; start() }
        }
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis)
        try {
            runBlocking {
                withTimeout(deadlineMillis.milliseconds) {
                    val permits = Semaphore(concurrency)
                    repeat(suspendCount) { i ->
                        permits.acquire()
                        launch(Dispatchers.Default) {
                            try {
                                mix.runSuspend(i)
                            } finally {
                                permits.release()
                            }
                        }
                    }
                }
            }
        } catch (e: Throwable) {
            invariants.violation(Invariant.THREADS, "the suspend operations did not finish within ${deadlineMillis} ms: $e\n${threadDump()}")
        }
        for (worker in workers) worker.join(remainingMillis(deadline))
        done.set(true)
        reader.join(remainingMillis(deadline))
        val stopped = cancelers.stop(remainingMillis(deadline))
        val own = workers + reader + cancelers.threads
        val alive = own.filter { it.isAlive }
        if (alive.isNotEmpty() || !stopped) {
            invariants.violation(Invariant.THREADS, "threads still running at the deadline: ${alive.map { it.name }}\n${threadDump()}")
        }
        ownThreads = "${own.size - alive.size}/${own.size} of the run's threads ended within the ${deadlineMillis / 1000} s deadline"
    }

    private fun readRegistry(registry: OperationRegistry, done: AtomicBoolean) {
        var reads = 0L
        while (!done.get()) {
            try {
                val listed = registry.list()
                val stats = registry.statistics()
                if (listed.any { it.status.isTerminal && it.endTime == null } || stats.historySize > historyLimit) {
                    invariants.violation(Invariant.REGISTRY, "an inconsistent read: ${listed.size} listed, $stats")
                }
                reads++
            } catch (e: Throwable) {
                invariants.violation(Invariant.REGISTRY, "a registry read threw $e")
            }
            LockSupport.parkNanos(1_000_000)
        }
        registryReads.set(reads)
    }

    private fun checkAfterwards(registry: OperationRegistry, rootToken: CancellationToken, sharedToken: CancellationToken, warnings: WarnCounter) {
        // Registry.
        val history = registry.history()
        val global = OperationRegistry.global.activeCount
        if (registry.activeCount != 0 || global != 0) {
            invariants.violation(Invariant.REGISTRY, "${registry.activeCount} operations still active (global: $global): ${registry.list().take(5)}")
        }
        if (history.size != historyLimit) invariants.violation(Invariant.REGISTRY, "history holds ${history.size}, its bound is $historyLimit")
        if (history.any { !it.status.isTerminal }) invariants.violation(Invariant.REGISTRY, "history holds an operation that has not ended")
        invariants.note(
            Invariant.REGISTRY,
            "active ${registry.activeCount} (global $global), history ${history.size}/$historyLimit; " +
                "${Invariants.fmt(registryReads.get())} listings and statistics read meanwhile",
        )
        // Token registrations.
        if (rootToken.registrationCount != 0 || sharedToken.registrationCount != 0) {
            invariants.violation(Invariant.REGISTRATIONS, "root holds ${rootToken.registrationCount}, shared holds ${sharedToken.registrationCount}")
        }
        invariants.note(Invariant.REGISTRATIONS, "root token ${rootToken.registrationCount}, shared token ${sharedToken.registrationCount}, every per-operation token 0")
        // Timers: a timer canceled at the very end of an operation is removed from the queue at once.
        val timers = Timers.pendingSharedTimers
        if (timers != 0) invariants.violation(Invariant.TIMERS, "$timers timers still armed")
        invariants.note(Invariant.TIMERS, "$timers pending")
        // Threads of the library: idle, or gone.
        val idle = idleLibraryThreads()
        invariants.note(Invariant.THREADS, "$ownThreads; ${invariants.leakedInterrupts.sum()} interrupts leaked to a blocking worker; $idle")
        // Logs.
        val warned = warnings.count.get()
        if (warned != 0L) invariants.violation(Invariant.LOGS, "$warned warnings, first: ${warnings.first}")
        invariants.note(Invariant.LOGS, "$warned")
    }

    /** Waits (bounded) for every `cancelable-*` thread to be parked waiting for work; describes them. */
    private fun idleLibraryThreads(): String {
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (true) {
            val busy = libraryThreads().filter { (thread, _) -> thread.state == Thread.State.RUNNABLE || thread.state == Thread.State.BLOCKED }
            if (busy.isEmpty()) break
            if (System.nanoTime() > deadline) {
                invariants.violation(Invariant.THREADS, "busy library threads: ${busy.map { it.first.name to it.first.state }}\n${threadDump()}")
                break
            }
            Thread.onSpinWait()
        }
        val threads = libraryThreads()
        return "cancelable-* threads " + threads.joinToString(prefix = "[", postfix = "]") { (thread, _) -> "${thread.name} ${thread.state}" }
    }

    private fun libraryThreads(): List<Pair<Thread, Array<StackTraceElement>>> =
        Thread.getAllStackTraces().entries.filter { it.key.name.startsWith("cancelable-") && it.key.isAlive }.map { it.key to it.value }

    private fun checkHeap(baseline: Long, samples: ConcurrentLinkedQueue<WeakReference<Cancelable>>) {
        val after = settledHeap()
        val retained = samples.count { it.get() != null }
        // A tolerance, because System.gc() settles the heap only approximately: worker pools may have
        // grown, the history ring is full, TLABs and G1 regions are not returned exactly. 32 MB is
        // 32 bytes per operation at a million: a leak of one small object per operation exceeds it.
        val tolerance = 32L shl 20
        val grown = after - baseline
        if (grown > tolerance) invariants.violation(Invariant.HEAP, "heap grew by ${grown shr 20} MB")
        if (retained != 0) invariants.violation(Invariant.HEAP, "$retained of ${samples.size} sampled finished operations are still reachable")
        invariants.note(
            Invariant.HEAP,
            "${mb(baseline)} MB before, ${mb(after)} MB after GC (tolerance ${mb(tolerance)} MB); " +
                "${samples.size - retained}/${samples.size} sampled operations collected",
        )
    }

    private fun mb(bytes: Long) = "%.1f".format(bytes / 1048576.0)

    private fun remainingMillis(deadline: Long) = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()).coerceAtLeast(1)

    private fun threadDump(): String = Thread.getAllStackTraces().entries.joinToString("\n") { (t, stack) ->
        "  ${t.name} ${t.state}\n" + stack.take(12).joinToString("\n") { "      at $it" }
    }

    /** Used heap after full collections, once it stops shrinking (at most five). */
    private fun settledHeap(): Long {
        val memory = ManagementFactory.getMemoryMXBean()
        var best = Long.MAX_VALUE
        repeat(5) {
            System.gc()
            val used = memory.heapMemoryUsage.used
            if (used >= best) return best
            best = used
        }
        return best
    }

    /** Counts WARN-and-above events of the library's loggers without keeping them. */
    private class WarnCounter : AppenderBase<ILoggingEvent>() {
        private val logger = LoggerFactory.getLogger("dev.cancelable") as Logger
        val count = AtomicLong()
        @Volatile var first: String? = null

        fun attach() {
            start()
            logger.addAppender(this)
        }

        fun detach() {
            logger.detachAppender(this)
            stop()
        }

        override fun append(event: ILoggingEvent) {
            if (event.level.isGreaterOrEqual(Level.WARN) && count.incrementAndGet() == 1L) first = event.formattedMessage
        }
    }
}
