package dev.cancelable.source

import java.io.File

/**
 * Reads how much of a resource is in use, as a percentage from 0 to 100. A reader you pass is called
 * on the watching operation's dispatcher at each check, so it must be fast and must not block (read
 * a value another thread keeps up to date if getting it may block); the platform readers of
 * [ResourceReaders] read the management beans and the file system, and run on
 * `Dispatchers.IO`. A reading that is NaN or negative means "unknown" and never fires. Exceptions are
 * logged and the check goes on.
 */
public fun interface ResourceReader {
    /** Current usage, 0 to 100. */
    public fun usagePercent(): Double
}

/**
 * The readers a [ResourceSource] uses; a null reader means the platform default for that resource
 * ([systemMemory], [systemCpu], [diskSpace] of `/`). Tests inject their own; so do platforms without
 * the JDK management beans (Android), e.g. with readings from `ActivityManager.MemoryInfo`.
 *
 * ```kotlin
 * ResourceSource(memoryThreshold = 80.0, readers = ResourceReaders(memory = { 85.0 }))
 * ```
 *
 * Immutable; thread-safe if the readers are.
 */
public class ResourceReaders(
    /** Memory in use, or null for [systemMemory]. */
    internal val memory: ResourceReader? = null,
    /** CPU load, or null for [systemCpu]. */
    internal val cpu: ResourceReader? = null,
    /** Disk space in use, or null for [diskSpace] of the root directory. */
    internal val disk: ResourceReader? = null,
) {
    /** The platform's default readers. */
    public companion object {
        /**
         * Physical memory in use, `(total - free) / total`, from `com.sun.management.OperatingSystemMXBean`
         * (inside a container, of the container's limit). The JDK counts page cache as used on some
         * systems, so set memory thresholds with that in mind.
         *
         * @throws UnsupportedOperationException where the JDK management beans are missing (Android).
         */
        public fun systemMemory(): ResourceReader {
            SystemResources.requireManagement("memory")
            return BlockingResourceReader(ManagementReaders.memory())
        }

        /**
         * Recent CPU load of the whole system from `com.sun.management.OperatingSystemMXBean`; the
         * first reading after start may be unknown.
         *
         * @throws UnsupportedOperationException where the JDK management beans are missing (Android).
         */
        public fun systemCpu(): ResourceReader {
            SystemResources.requireManagement("CPU")
            return BlockingResourceReader(ManagementReaders.cpu())
        }

        /** Space in use on the file system holding [path], `used / (used + usable)`, from `java.io.File`. Works everywhere. */
        public fun diskSpace(path: File): ResourceReader = BlockingResourceReader {
            val total = path.totalSpace
            val used = total - path.freeSpace
            val usable = path.usableSpace
            if (total <= 0L || used + usable <= 0L) Double.NaN else used * 100.0 / (used + usable)
        }
    }
}

/**
 * A reader that may block its thread (a management bean reading `/proc`, a file system call that
 * waits on a slow mount): [ResourceSource] calls it on `Dispatchers.IO`.
 */
internal class BlockingResourceReader(private val read: ResourceReader) : ResourceReader by read
