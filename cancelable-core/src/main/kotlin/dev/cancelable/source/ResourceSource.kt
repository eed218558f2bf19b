package dev.cancelable.source

import dev.cancelable.ConditionCancelation
import dev.cancelable.internal.logger
import dev.cancelable.internal.requirePositive
import dev.cancelable.internal.rethrowIfFatal
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toKotlinDuration

/**
 * Cancels the operation with [dev.cancelable.CancelationReason.CONDITION] when memory, CPU or disk
 * usage goes above its threshold: the guard for constrained devices and shared machines. Usage is
 * read when the operation starts and then every [checkInterval] on the operation's dispatcher, in a
 * coroutine that ends with the operation; only the resources with a threshold are read. The message
 * names the resource: `Memory usage 85.0% exceeds the 80.0% threshold`; the exception's
 * `conditionName` is `memory`, `cpu` or `disk`.
 *
 * ```kotlin
 * Cancelable(name = "transcode")
 *     .addSource(ResourceSource(memoryThreshold = 90.0, diskThreshold = 95.0, checkInterval = 2.seconds))
 *     .run { transcodeAll() }
 * ```
 *
 * Readers come from [readers], or the platform defaults ([ResourceReaders.systemMemory] and
 * [ResourceReaders.systemCpu] need the JDK management beans; [ResourceReaders.diskSpace] works
 * everywhere). A reader that throws is logged at WARN and the checks go on. Immutable; thread-safe.
 *
 * @throws IllegalArgumentException if no threshold is given, a threshold is not above 0 and at most
 *   100, or [checkInterval] is zero, negative or infinite.
 * @throws UnsupportedOperationException if a watched resource needs a default reader this platform
 *   lacks (memory or CPU without the JDK management beans, as on Android).
 */
public class ResourceSource(
    /** Percent of memory in use above which the source fires; null when memory is not watched. */
    public val memoryThreshold: Double? = null,
    /** Percent of CPU load above which the source fires; null when CPU is not watched. */
    public val cpuThreshold: Double? = null,
    /** Percent of disk space in use above which the source fires; null when disk is not watched. */
    public val diskThreshold: Double? = null,
    /** Time between two checks. */
    public val checkInterval: Duration = 5.seconds,
    readers: ResourceReaders = ResourceReaders(),
) : CancelationSource(describe(memoryThreshold, cpuThreshold, diskThreshold)) {

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

    private class Watch(val name: String, val label: String, val threshold: Double, val reader: ResourceReader)

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
            diskThreshold?.let { Watch("disk", "Disk", it, readers.disk ?: ResourceReaders.diskSpace()) },
        )
    }

    override fun attach(scope: SourceScope): DisposableHandle {
        val poller = scope.coroutineScope.launch {
            while (true) {
                val exceeded = firstExceeded()
                if (exceeded != null) {
                    val (watch, usage) = exceeded
                    val message = "${watch.label} usage ${format(usage)}% exceeds the ${format(watch.threshold)}% threshold"
                    fire(scope, ConditionCancelation(message, watch.name, scope.operation.id))
                    return@launch
                }
                delay(checkInterval)
            }
        }
        return DisposableHandle { poller.cancel() }
    }

    private fun firstExceeded(): Pair<Watch, Double>? {
        for (watch in watches) {
            val usage = try {
                watch.reader.usagePercent()
            } catch (e: Throwable) {
                e.rethrowIfFatal()
                log.warn("reading {} usage failed; checks go on", watch.name, e)
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
