package dev.cancelable.examples.support

import dev.cancelable.OperationStatus
import dev.cancelable.registry.OperationRegistry
import java.lang.management.ManagementFactory
import java.time.Duration
import java.util.Locale
import javax.management.ObjectName

/**
 * One frame of a text dashboard over an [OperationRegistry]: what runs now, what finished and how,
 * and the registry's JMX view as a monitoring tool would read it. Thread-safe (it only reads).
 */
object DashboardView {
    /** The lines of one frame; [jmxName] is the name given to `exposeJmx`, or null. */
    @JvmStatic
    fun frame(registry: OperationRegistry, title: String, jmxName: String?): List<String> {
        val now = java.time.Instant.now()
        val running = registry.list()
        val stats = registry.statistics()
        val history = registry.history()
        val reasons = history.mapNotNull { it.cancelReason }.groupingBy { it.toString() }.eachCount().toSortedMap()
        val lines = ArrayList<String>()
        val jmx = jmxName?.let { " | JMX ActiveCount=" + jmxActiveCount(it) } ?: ""
        lines += "--- $title: ${running.size} running, ${stats.historySize} finished$jmx"
        running.take(5).forEach { op ->
            val age = op.startTime?.let { Duration.between(it, now) } ?: Duration.ZERO
            lines += String.format(Locale.ROOT, "  %-9s %-22s %5.2f s", op.status, op.name, age.toMillis() / 1000.0)
        }
        if (running.size > 5) lines += "  ... and ${running.size - 5} more"
        val byStatus = OperationStatus.entries.filter { it.isTerminal }
            .joinToString(" ") { "$it=${stats.historyByStatus[it] ?: 0}" }
        val average = stats.averageCompletedDuration?.let { String.format(Locale.ROOT, "%.2f s", it.toMillis() / 1000.0) } ?: "-"
        lines += "  finished: $byStatus | cancel reasons $reasons | average completed $average"
        return lines
    }

    private fun jmxActiveCount(name: String): Any? =
        ManagementFactory.getPlatformMBeanServer()
            .getAttribute(ObjectName("dev.cancelable:type=OperationRegistry,name=$name"), "ActiveCount")
}
