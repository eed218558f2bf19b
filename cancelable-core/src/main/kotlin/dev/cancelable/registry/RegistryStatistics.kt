package dev.cancelable.registry

import dev.cancelable.OperationStatus
import java.time.Duration

/**
 * Counts of one registry at one moment. Immutable; thread-safe.
 */
public class RegistryStatistics internal constructor(
    /** Operations running (or ending) now. */
    public val activeCount: Int,
    /** [activeCount] by status. */
    public val activeByStatus: Map<OperationStatus, Int>,
    /** Snapshots held in history. */
    public val historySize: Int,
    /** [historySize] by final status. */
    public val historyByStatus: Map<OperationStatus, Int>,
    /** COMPLETED operations in history. */
    public val completedCount: Int,
    /** Mean duration of the COMPLETED operations in history, or null if there are none. */
    public val averageCompletedDuration: Duration?,
) {
    override fun toString(): String =
        "RegistryStatistics(active=$activeCount $activeByStatus, history=$historySize $historyByStatus, " +
            "averageCompleted=$averageCompletedDuration)"
}
