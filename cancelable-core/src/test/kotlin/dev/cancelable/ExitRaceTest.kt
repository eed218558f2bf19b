package dev.cancelable

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/**
 * The outcome of a run is decided once: a cancel that comes while a failed block is being wound up
 * either wins (the operation ends CANCELED and `cancel` returned true) or is refused (FAILED, no
 * reason recorded, `cancel` returned false), never half of each.
 */
class ExitRaceTest : FunSpec({

    test("a cancel racing the end of a failing block either cancels it or is refused, never both") {
        val mixed = ArrayList<String>()
        val barrier = CyclicBarrier(2)
        repeat(10_000) { round ->
            val op = Cancelable(registry = null)
            var accepted = false
            val canceler = thread(name = "racing-canceler") {
                barrier.await(10, TimeUnit.SECONDS)
                repeat(round % 64) { Thread.onSpinWait() }
                accepted = op.cancel(CancellationReason.MANUAL, "late")
            }
            try {
                op.callBlocking(interruptOnCancel = false) {
                    barrier.await(10, TimeUnit.SECONDS)
                    throw IllegalStateException("block failed")
                }
            } catch (_: Exception) {
            }
            canceler.join(10_000)
            val consistent = when (op.status) {
                OperationStatus.FAILED -> !accepted && op.cancelReason == null && !op.isCanceled
                OperationStatus.CANCELED -> accepted && op.cancelReason == CancellationReason.MANUAL
                else -> false
            }
            if (!consistent) mixed += "round $round: ${op.status}, reason ${op.cancelReason}, cancel returned $accepted"
        }
        mixed.shouldBeEmpty()
    }
})
