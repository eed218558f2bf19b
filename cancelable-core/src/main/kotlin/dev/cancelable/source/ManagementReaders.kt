package dev.cancelable.source

import dev.cancelable.internal.AndroidIncompatible
import java.lang.management.ManagementFactory

/**
 * The only place that names the JDK management beans; loaded only after
 * [SystemResources.managementAvailable] found them.
 */
@AndroidIncompatible
internal object ManagementReaders {
    private val os: com.sun.management.OperatingSystemMXBean? by lazy {
        ManagementFactory.getOperatingSystemMXBean() as? com.sun.management.OperatingSystemMXBean
    }

    fun isSupported(): Boolean = os != null

    fun memory(): ResourceReader {
        val bean = os!!
        return ResourceReader {
            val total = bean.totalMemorySize
            if (total <= 0L) Double.NaN else (total - bean.freeMemorySize) * 100.0 / total
        }
    }

    fun cpu(): ResourceReader {
        val bean = os!!
        return ResourceReader {
            val load = bean.cpuLoad
            if (load < 0.0) Double.NaN else load * 100.0
        }
    }
}
