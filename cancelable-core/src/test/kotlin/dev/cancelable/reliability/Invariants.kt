package dev.cancelable.reliability

import dev.cancelable.CancellationReason
import dev.cancelable.OperationStatus
import java.util.EnumMap
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.LongAdder

/** What a reliability run checks; each gets a line in the summary. */
internal enum class Invariant(val description: String) {
    ONE_TERMINAL_CALLBACK("every operation fired onStart once and exactly one terminal callback, the one its status calls for"),
    STATUS_MATCHES_REASON("status matches reason: CANCELED iff a cancellation was recorded (from one of its own sources) and the block did not return, or returned leaving coroutines it launched for the cancellation to interrupt; FAILED records none"),
    CALLER_SEES_RIGHT_EXCEPTION("the caller got the block's value, its own exception unchanged, or the typed cancellation of the recorded reason (with, in blocking mode, a failure it caused attached)"),
    NO_LATE_CALLBACK("no callback fired after its operation returned"),
    PROGRESS("every progress report reached its operation and each ancestor exactly once"),
    SHIELDS("every shield entered ran to completion"),
    TOKENS("each token was canceled by exactly one of the threads racing to cancel it"),
    REGISTRATIONS("no registration left on any token: per-operation, linked root and shared"),
    REGISTRY("registry: nothing active (private and global), history at its bound, only final statuses"),
    TIMERS("no armed timer left: Timers.pendingSharedTimers == 0"),
    THREADS("threads: the run's own threads ended, no interrupt leaked to a worker, cancelable-* threads idle"),
    LOGS("nothing logged at WARN or above (no swallowed failure)"),
    HEAP("heap back near its starting level after GC, and sampled finished operations collected"),
}

/** The counts of a run and the violations found; thread-safe. */
internal class Invariants {
    private val violations = EnumMap<Invariant, LongAdder>(Invariant::class.java).apply {
        Invariant.entries.forEach { put(it, LongAdder()) }
    }
    private val examples = ConcurrentLinkedQueue<String>()
    private val exampleCount = AtomicInteger()
    private val notes = EnumMap<Invariant, String>(Invariant::class.java)

    val topLevel = LongAdder()
    val children = LongAdder()
    val suspendOps = LongAdder()
    val blockingOps = LongAdder()
    val shields = LongAdder()
    val progressReports = LongAdder()
    val completed = LongAdder()
    val completedWithReason = LongAdder()
    val failed = LongAdder()
    private val canceledBy = EnumMap<CancellationReason, LongAdder>(CancellationReason::class.java).apply {
        CancellationReason.entries.forEach { put(it, LongAdder()) }
    }
    val tokensCanceled = LongAdder()
    val cancelAttempts = LongAdder()
    val registryCancels = LongAdder()
    val directCancels = LongAdder()
    val leakedInterrupts = LongAdder()

    fun violation(invariant: Invariant, example: String) {
        violations.getValue(invariant).increment()
        if (exampleCount.incrementAndGet() <= 25) examples += "[$invariant] $example"
    }

    fun note(invariant: Invariant, text: String) = synchronized(notes) { notes[invariant] = text }

    fun ended(status: OperationStatus, reason: CancellationReason?, blockReturned: Boolean, child: Boolean) {
        if (child) children.increment() else topLevel.increment()
        when (status) {
            OperationStatus.COMPLETED -> {
                completed.increment()
                if (reason != null) completedWithReason.increment()
            }
            OperationStatus.CANCELED -> reason?.let { canceledBy.getValue(it).increment() }
            OperationStatus.FAILED -> failed.increment()
            else -> Unit
        }
    }

    fun violations(invariant: Invariant): Long = violations.getValue(invariant).sum()

    val totalViolations: Long get() = violations.values.sumOf { it.sum() }

    fun summary(operations: Int, seconds: Double): String = buildString {
        val all = topLevel.sum() + children.sum()
        appendLine(
            "Reliability run: ${fmt(operations)} operations (${fmt(suspendOps.sum())} suspend on Dispatchers.Default, " +
                "${fmt(blockingOps.sum())} blocking) plus ${fmt(children.sum())} nested children and ${fmt(shields.sum())} shields, " +
                "in ${"%.1f".format(seconds)} s on ${Runtime.getRuntime().availableProcessors()} cores",
        )
        val canceled = canceledBy.entries.filter { it.value.sum() > 0 }.joinToString { "${it.key} ${fmt(it.value.sum())}" }
        appendLine(
            "  outcomes of ${fmt(all)}: completed ${fmt(completed.sum())} (${fmt(completedWithReason.sum())} of them caught their cancellation), " +
                "canceled ${fmt(canceledBy.values.sumOf { it.sum() })} ($canceled), failed ${fmt(failed.sum())}",
        )
        appendLine(
            "  cancels from 4 threads: ${fmt(tokensCanceled.sum())} tokens (${fmt(cancelAttempts.sum())} racing attempts), " +
                "${fmt(registryCancels.sum())} through the registry, ${fmt(directCancels.sum())} direct; ${fmt(progressReports.sum())} progress reports",
        )
        for (invariant in Invariant.entries) {
            val count = violations(invariant)
            val note = synchronized(notes) { notes[invariant] }
            append("  [").append(if (count == 0L) "ok" else "FAILED x$count").append("] ").append(invariant.description)
            if (note != null) append(": ").append(note)
            appendLine()
        }
        if (examples.isNotEmpty()) {
            appendLine("  first violations:")
            examples.forEach { appendLine("    $it") }
        }
    }

    companion object {
        fun fmt(n: Number): String = "%,d".format(n.toLong())
    }
}
