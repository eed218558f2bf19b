package dev.cancelable.reliability

import dev.cancelable.OperationCanceledException
import dev.cancelable.CancellationReason
import dev.cancelable.Cancelable
import dev.cancelable.CanceledByConditionException
import dev.cancelable.CanceledManuallyException
import dev.cancelable.OperationStatus
import dev.cancelable.CanceledByParentException
import dev.cancelable.CanceledBySignalException
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.registry.OperationRegistry
import kotlinx.coroutines.CancellationException
import java.util.concurrent.atomic.AtomicInteger

/** The failure blocks throw on purpose; no stack trace, so a million of them cost nothing. */
internal class StressFailure : RuntimeException("injected failure", null, false, false)

/** How one run ended, as its caller saw it. */
internal sealed class Outcome {
    class Returned(val value: Any?) : Outcome()
    class Threw(val error: Throwable) : Outcome()
}

/**
 * What one operation's callbacks saw, and what its script did, for the checks after it ends. Holds
 * no reference to the operation itself (its callbacks hold this), so a finished operation can be
 * collected as soon as its caller lets go of it.
 */
internal class Probe(
    private val invariants: Invariants,
    /** The registry the operation joins while it runs (null: none). */
    private val registry: OperationRegistry?,
    /** The reasons this operation may end with: those of its sources and of the cancels aimed at it. */
    val allowed: Set<CancellationReason>,
    /** The probe of the enclosing operation, whose progress callbacks also see this one's reports. */
    val parent: Probe?,
) {
    val starts = AtomicInteger()
    val completes = AtomicInteger()
    val cancels = AtomicInteger()
    val errors = AtomicInteger()
    val progressSeen = AtomicInteger()
    val progressExpected = AtomicInteger()
    val shieldsEntered = AtomicInteger()
    val shieldsFinished = AtomicInteger()

    @Volatile var errorSeen: Throwable? = null
    @Volatile var statusSeenAtEnd: OperationStatus? = null
    @Volatile var blockReturned = false

    /** The block launched coroutines it did not wait for: a cancel may still interrupt them after it returned. */
    @Volatile var leftChildren = false
    @Volatile var thrownOnPurpose: StressFailure? = null
    @Volatile private var verified = false

    val isChild: Boolean get() = parent != null

    /** Registers one callback of each kind on [op]; returns it. */
    fun <T : Cancelable> watch(op: T): T {
        op.onStart { starts.incrementAndGet(); late("start") }
        op.onProgress { progressSeen.incrementAndGet(); late("progress") }
        op.onCompleted { statusSeenAtEnd = it.status; completes.incrementAndGet(); late("complete") }
        op.onCanceled { statusSeenAtEnd = it.status; cancels.incrementAndGet(); late("cancel") }
        op.onFailed { context, error ->
            statusSeenAtEnd = context.status
            errorSeen = error
            errors.incrementAndGet()
            late("error")
        }
        return op
    }

    /** Counts a report of this operation for it and for every ancestor, which all must see it once. */
    fun reported() {
        var probe: Probe? = this
        while (probe != null) {
            probe.progressExpected.incrementAndGet()
            probe = probe.parent
        }
    }

    /** Throws the failure this script injects, remembering it to recognise it later. */
    fun fail(): Nothing {
        val failure = StressFailure()
        thrownOnPurpose = failure
        throw failure
    }

    private fun late(kind: String) {
        if (verified) invariants.violation(Invariant.NO_LATE_CALLBACK, "a $kind callback fired after its operation returned")
    }

    /**
     * Checks everything the operation's end must satisfy: one terminal callback, the one its status
     * calls for; the status its reason implies; the exception its caller saw; progress delivered;
     * shields finished; the registry entry gone. Marks the probe so that a later callback is caught.
     */
    fun verify(op: Cancelable, outcome: Outcome, blocking: Boolean, viaRunOrNull: Boolean = false) {
        val status = op.status
        val reason = op.cancelReason
        val terminal = completes.get() + cancels.get() + errors.get()
        val expectedCallback = when (status) {
            OperationStatus.COMPLETED -> completes.get()
            OperationStatus.CANCELED -> cancels.get()
            OperationStatus.FAILED -> errors.get()
            else -> 0
        }
        if (starts.get() != 1) invariants.violation(Invariant.ONE_TERMINAL_CALLBACK, "${op.name}: ${starts.get()} start callbacks")
        if (terminal != 1 || expectedCallback != 1 || statusSeenAtEnd != status) {
            invariants.violation(
                Invariant.ONE_TERMINAL_CALLBACK,
                "${op.name} ended $status with complete=${completes.get()} cancel=${cancels.get()} error=${errors.get()} (callback saw $statusSeenAtEnd)",
            )
        }
        checkStatus(op, status, reason, blocking)
        checkOutcome(op, outcome, status, reason, blocking, viaRunOrNull)
        if (progressSeen.get() != progressExpected.get()) {
            invariants.violation(Invariant.PROGRESS, "${op.name}: ${progressSeen.get()} reports seen, ${progressExpected.get()} made")
        }
        if (shieldsEntered.get() != shieldsFinished.get()) {
            invariants.violation(Invariant.SHIELDS, "${op.name}: ${shieldsEntered.get()} shields entered, ${shieldsFinished.get()} finished")
        }
        if (registry != null && registry.get(op.id) != null) invariants.violation(Invariant.REGISTRY, "${op.name} is still live after it returned")
        if (op.endTime == null) invariants.violation(Invariant.STATUS_MATCHES_REASON, "${op.name} ended $status without an end time")
        invariants.ended(status, reason, blockReturned, isChild)
        verified = true
    }

    /**
     * CANCELED iff a cancellation was recorded and the block did not return (or returned leaving
     * coroutines running that the cancellation interrupted); FAILED records none in blocking mode, where
     * a failure after a cancel is that cancel's interrupt taking effect, and in suspend mode only a
     * cancel requested before the block threw.
     */
    private fun checkStatus(op: Cancelable, status: OperationStatus, reason: CancellationReason?, blocking: Boolean) {
        val ok = when (status) {
            OperationStatus.COMPLETED -> blockReturned
            OperationStatus.CANCELED -> reason != null && (!blockReturned || leftChildren) && reason in allowed
            OperationStatus.FAILED -> (reason == null || (!blocking && reason in allowed)) && (!blockReturned || leftChildren)
            else -> false
        }
        if (!ok) {
            invariants.violation(
                Invariant.STATUS_MATCHES_REASON,
                "${op.name} ended $status with reason $reason (allowed $allowed), block returned: $blockReturned",
            )
        }
    }

    private fun checkOutcome(
        op: Cancelable,
        outcome: Outcome,
        status: OperationStatus,
        reason: CancellationReason?,
        blocking: Boolean,
        viaRunOrNull: Boolean,
    ) {
        val problem: String? = when (outcome) {
            is Outcome.Returned -> when {
                status == OperationStatus.COMPLETED -> null
                viaRunOrNull && outcome.value == null && status == OperationStatus.CANCELED && reason != CancellationReason.PARENT -> null
                else -> "returned ${outcome.value} although it ended $status"
            }
            is Outcome.Threw -> {
                val e = outcome.error
                val injected = thrownOnPurpose
                when {
                    e is StressFailure -> when {
                        e !== injected -> "a failure that is not the block's own left run"
                        status != OperationStatus.FAILED -> "the block's failure left run although it ended $status"
                        errorSeen !== e -> "onFailed saw ${errorSeen}, not the block's failure"
                        else -> null
                    }
                    e is OperationCanceledException && e.operationId == op.id -> when {
                        status != OperationStatus.CANCELED -> "its cancellation left run although it ended $status"
                        e.reason != reason -> "threw ${e.reason} but recorded $reason"
                        !typedFor(e) -> "threw ${e.javaClass.simpleName} for reason ${e.reason}"
                        injected != null && !blocking -> "the block's failure after a cancel became the cancellation"
                        injected != null && injected !in e.suppressed -> "the failure the cancel caused is not attached to the cancellation"
                        else -> null
                    }
                    // A child whose caller (the parent's block) was canceled gets the caller's cancellation back.
                    e is CancellationException && isChild -> if (status == OperationStatus.CANCELED) null else "the caller's cancellation left run although it ended $status"
                    else -> "unexpected ${e.javaClass.name}: ${e.message}"
                }
            }
        }
        if (problem != null) invariants.violation(Invariant.CALLER_SEES_RIGHT_EXCEPTION, "${op.name}: $problem")
    }

    private fun typedFor(e: OperationCanceledException): Boolean = when (e.reason) {
        CancellationReason.TIMEOUT -> e is CanceledByTimeoutException
        CancellationReason.MANUAL -> e is CanceledManuallyException
        CancellationReason.SIGNAL -> e is CanceledBySignalException
        CancellationReason.CONDITION -> e is CanceledByConditionException
        CancellationReason.PARENT -> e is CanceledByParentException
    }
}
