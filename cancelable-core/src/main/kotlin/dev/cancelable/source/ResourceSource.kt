package dev.cancelable.source

import java.io.File

import dev.cancelable.CanceledByConditionException
import dev.cancelable.internal.FailureStreak
import dev.cancelable.internal.logger
import dev.cancelable.internal.requirePositive
import dev.cancelable.internal.rethrowIfFatal
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toKotlinDuration

/**
 * Cancels the operation with [dev.cancelable.CancellationReason.CONDITION] when memory, CPU or disk
 * usage goes above its threshold: the guard for constrained devices and shared machines. Usage is
 * read when the operation starts and then every [checkInterval] on the operation's dispatcher, in a
 * coroutine that ends with the operation; only the resources with a threshold are read. The message
 * names the resource: `Memory usage 85.0% exceeds the 80.0% threshold`; the exception's
 * `conditionName` is `memory`, `cpu` or `disk`.
 *
 * ```kotlin
 * Cancelable(
 *     name = "transcode",
 *     sources = listOf(ResourceSource(memoryThreshold = 90.0, diskThreshold = 95.0, checkInterval = 2.seconds)),
 * ).run { transcodeAll() }
 * ```
 *
 * Readers come from [readers], or the platform defaults ([ResourceReaders.systemMemory] and
 * [ResourceReaders.systemCpu] need the JDK management beans; [ResourceReaders.diskSpace] works
 * everywhere). The platform readers may block (they read the management beans and the file system),
 * so they run on `Dispatchers.IO`; a reader you pass runs on the operation's dispatcher and must not
 * block. A reader that throws counts as no reading and the checks go on: its first failure is logged
 * at WARN with the stack trace, the 10th, 100th, 1,000th... failure in a row at WARN as one line, the
 * others at DEBUG; a successful reading starts the count over. Immutable; thread-safe.
 *
 * @throws IllegalArgumentException if no threshold is given, a threshold is not above 0 and at most
 *   100, or [checkInterval] is zero, negative or infinite.
 * @throws UnsupportedOperationException if a watched resource needs a default reader this platform
 *   lacks (memory or CPU without the JDK management beans, as on Android).
 */
public class ResourceSource(
    /** Percent of memory in use above which the source fires; null when memory is not watched. */
    private val memoryThreshold: Double? = null,
    /** Percent of CPU load above which the source fires; null when CPU is not watched. */
    private val cpuThreshold: Double? = null,
    /** Percent of disk space in use above which the source fires; null when disk is not watched. */
    private val diskThreshold: Double? = null,
    /** Time between two checks. */
    private val checkInterval: Duration = 5.seconds,
    readers: ResourceReaders = ResourceReaders(),
) : CancellationSource(describe(memoryThreshold, cpuThreshold, diskThreshold)) {

    /**
     * The constructor for Java callers, who cannot pass a `kotlin.time.Duration`; thresholds are
     * nullable `Double`s, null meaning the resource is not watched.
     *
     * @throws IllegalArgumentException as the primary constructor does.
     */
    @JvmOverloads
    public constructor(
        memoryThreshold: Double?,
        cpuThreshold: Double?,
        diskThreshold: Double?,
        checkInterval: java.time.Duration,
        readers: ResourceReaders = ResourceReaders(),
    ) : this(memoryThreshold, cpuThreshold, diskThreshold, checkInterval.toKotlinDuration(), readers)

    private class Watch(val name: String, val label: String, val threshold: Double, val reader: ResourceReader) {
        val blocking: Boolean = reader is BlockingResourceReader
    }

    private val watches: List<Watch>

    init {
        require(memoryThreshold != null || cpuThreshold != null || diskThreshold != null) {
            "At least one threshold is required (memoryThreshold, cpuThreshold and diskThreshold are all null)"
        }
        requirePercent(memoryThreshold, "memoryThreshold")
        requirePercent(cpuThreshold, "cpuThreshold")
        requirePercent(diskThreshold, "diskThreshold")
        requirePositive(checkInterval, "checkInterval")
        watches = listOfNotNull(
            memoryThreshold?.let { Watch("memory", "Memory", it, readers.memory ?: ResourceReaders.systemMemory()) },
            cpuThreshold?.let { Watch("cpu", "CPU", it, readers.cpu ?: ResourceReaders.systemCpu()) },
            diskThreshold?.let { Watch("disk", "Disk", it, readers.disk ?: ResourceReaders.diskSpace(File("/"))) },
        )
    }

    override fun attach(scope: SourceScope): DisposableHandle {
        val poller = scope.coroutineScope.launch {
            val failures = Array(watches.size) { FailureStreak(log, "reading ${watches[it].name} usage", "failed") }
            while (true) {
                val exceeded = firstExceeded(failures)
                if (exceeded != null) {
                    val (watch, usage) = exceeded
                    val message = "${watch.label} usage ${format(usage)}% exceeds the ${format(watch.threshold)}% threshold"
                    fire(scope, CanceledByConditionException(message, watch.name, scope.operation))
                    return@launch
                }
                delay(checkInterval)
            }
        }
        return DisposableHandle { poller.cancel() }
    }

    private suspend fun firstExceeded(failures: Array<FailureStreak>): Pair<Watch, Double>? {
        for ((i, watch) in watches.withIndex()) {
            val usage = try {
                (if (watch.blocking) withContext(Dispatchers.IO) { watch.reader.usagePercent() } else watch.reader.usagePercent())
                    .also { failures[i].succeeded() }
            } catch (e: Throwable) {
                // A cancellation of the poller itself ends it; one the reader threw is a failed reading.
                if (e is CancellationException) currentCoroutineContext().ensureActive()
                e.rethrowIfFatal()
                failures[i].failed(e)
                continue
            }
            if (usage > watch.threshold) return watch to usage
        }
        return null
    }

    private companion object {
        private val log = logger("source.resource")

        fun requirePercent(value: Double?, parameter: String) {
            if (value == null) return
            require(value > 0.0 && value <= 100.0) { "$parameter must be above 0 and at most 100, was $value" }
        }

        fun describe(memory: Double?, cpu: Double?, disk: Double?): String = listOfNotNull(
            memory?.let { "memory>${format(it)}%" },
            cpu?.let { "cpu>${format(it)}%" },
            disk?.let { "disk>${format(it)}%" },
        ).joinToString(prefix = "resource(", postfix = ")")

        fun format(percent: Double): String = String.format(java.util.Locale.ROOT, "%.1f", percent)
    }
}
