package dev.cancelable.source

/**
 * Whether this platform has the JDK management beans the default memory and CPU readers need.
 * Checked by name, so nothing here loads them; only [ManagementReaders] names them.
 */
internal object SystemResources {
    val managementAvailable: Boolean by lazy {
        try {
            Class.forName("java.lang.management.ManagementFactory")
            Class.forName("com.sun.management.OperatingSystemMXBean")
            ManagementReaders.isSupported()
        } catch (_: Throwable) {
            false
        }
    }

    fun requireManagement(resource: String) {
        if (!managementAvailable) {
            throw UnsupportedOperationException(
                "$resource readings are not available on this platform: the JDK management beans " +
                    "(java.lang.management, com.sun.management) are missing; pass a ResourceReader for $resource",
            )
        }
    }
}
