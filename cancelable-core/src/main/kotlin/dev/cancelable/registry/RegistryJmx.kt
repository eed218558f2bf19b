package dev.cancelable.registry

import dev.cancelable.internal.AndroidIncompatible
import dev.cancelable.CancellationReason
import java.beans.ConstructorProperties
import java.lang.management.ManagementFactory
import javax.management.InstanceAlreadyExistsException
import javax.management.ObjectName
import javax.management.StandardMBean

/**
 * The JMX view of a registry (`dev.cancelable:type=OperationRegistry,name=<name>`): statistics and
 * live operations as attributes, cancel by id and by name pattern as operations. Loaded only when a
 * registry is exposed and [JmxSupport.isAvailable], so platforms without `javax.management`
 * (Android) never touch it.
 */
@AndroidIncompatible
internal object RegistryJmx {
    /** `name=<name>` as given; quoted only when it holds characters an ObjectName value cannot. */
    fun objectName(name: String): ObjectName {
        val value = if (name.any { it in ",=:\"*?\n" }) ObjectName.quote(name) else name
        return ObjectName("dev.cancelable", java.util.Hashtable(mapOf("type" to "OperationRegistry", "name" to value)))
    }

    fun expose(registry: OperationRegistry, name: String): AutoCloseable {
        val server = ManagementFactory.getPlatformMBeanServer()
        val objectName = objectName(name)
        try {
            server.registerMBean(StandardMBean(Bean(registry), OperationRegistryMXBean::class.java, true), objectName)
        } catch (e: InstanceAlreadyExistsException) {
            throw IllegalStateException("a registry is already exposed over JMX as '$name'", e)
        }
        return AutoCloseable { if (server.isRegistered(objectName)) server.unregisterMBean(objectName) }
    }

    @AndroidIncompatible
    private class Bean(private val registry: OperationRegistry) : OperationRegistryMXBean {
        override val activeCount: Int get() = registry.activeCount
        override val historySize: Int get() = registry.historySize
        override val statistics: Map<String, Long>
            get() {
                val s = registry.statistics()
                val counts = LinkedHashMap<String, Long>()
                counts["active"] = s.activeCount.toLong()
                s.activeByStatus.forEach { (status, n) -> counts["active.${status.toString()}"] = n.toLong() }
                counts["history"] = s.historySize.toLong()
                s.historyByStatus.forEach { (status, n) -> counts["history.${status.toString()}"] = n.toLong() }
                counts["averageCompletedMillis"] = s.averageCompletedDuration?.toMillis() ?: -1
                return counts
            }
        override val activeOperations: List<OperationRow> get() = registry.list().map(OperationRow::of)

        override fun cancel(operationId: String): Boolean =
            registry.cancel(operationId, CancellationReason.MANUAL, "Canceled over JMX")

        override fun cancelByPattern(namePattern: String): Int =
            registry.cancelAll(OperationFilter(namePattern = namePattern), CancellationReason.MANUAL, "Canceled over JMX")
    }
}

/** The management interface of a registry; `internal` in Kotlin, public in bytecode as JMX needs. */
@AndroidIncompatible
internal interface OperationRegistryMXBean {
    val activeCount: Int
    val historySize: Int
    val statistics: Map<String, Long>
    val activeOperations: List<OperationRow>
    fun cancel(operationId: String): Boolean
    fun cancelByPattern(namePattern: String): Int
}

/** One live operation as JMX clients see it (a CompositeData row). */
@AndroidIncompatible
internal class OperationRow @ConstructorProperties("id", "name", "status", "parentId", "startTime", "durationMillis")
constructor(
    val id: String,
    val name: String,
    val status: String,
    val parentId: String?,
    val startTime: String?,
    val durationMillis: Long,
) {
    @AndroidIncompatible
    companion object {
        fun of(s: OperationSnapshot) = OperationRow(
            s.id, s.name, s.status.toString(), s.parentId, s.startTime?.toString(), s.duration?.toMillis() ?: -1,
        )
    }
}

/** Whether this platform has JMX; checked before [RegistryJmx] is ever loaded. */
internal object JmxSupport {
    val isAvailable: Boolean by lazy {
        try {
            Class.forName("java.lang.management.ManagementFactory")
            Class.forName("javax.management.StandardMBean")
            true
        } catch (_: Throwable) {
            false
        }
    }
}
