package dev.cancelable

import dev.cancelable.testing.virtualClock
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.advanceUntilIdle
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class TimeoutTest : FunSpec({

    test("scenario 11: a 100 ms timeout cancels a 1 s delay at 100 ms of virtual time with reason TIMEOUT") {
        runTest {
            val op = Cancelable.withTimeout(100.milliseconds, registry = null)
            val e = shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds) } }
            currentTime shouldBe 100
            op.status shouldBe OperationStatus.CANCELED
            op.context.cancelReason shouldBe CancellationReason.TIMEOUT
            op.context.cancelMessage!! shouldContain "timed out"
            e.reason shouldBe CancellationReason.TIMEOUT
            e.operationId shouldBe op.id
            e.timeout shouldBe java.time.Duration.ofMillis(100)
        }
    }

    test("a timeout's name, message and duration are its own, whatever timeouts were built just before") {
        runTest {
            for (timeout in listOf(250.milliseconds, 1.5.seconds, 250.milliseconds, 250.milliseconds, 2.seconds)) {
                val source = dev.cancelable.source.TimeoutSource(timeout)
                val op = Cancelable.withTimeout(timeout, registry = null)
                val seconds = timeout.inWholeMilliseconds / 1000.0
                source.name shouldBe "timeout(${seconds}s)"
                op.name shouldBe "timeout_${seconds}s"
                val e = shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds + timeout) } }
                e.message shouldBe "Operation timed out after ${seconds}s"
                e.timeout shouldBe java.time.Duration.ofMillis(timeout.inWholeMilliseconds)
                op.context.canceledBy shouldBe "timeout(${seconds}s)"
            }
        }
    }

    test("scenario 13: a zero or negative timeout has expired before the block starts; an infinite one is none") {
        runTest {
            for (expired in listOf(Duration.ZERO, (-1).seconds, -Duration.INFINITE)) {
                var ran = false
                val e = shouldThrow<CanceledByTimeoutException> { Cancelable.withTimeout(expired, registry = null).run { ran = true } }
                e.message shouldContain "timed out immediately"
                ran shouldBe false
            }
            Cancelable.withTimeout(Duration.INFINITE, registry = null).run { delay(1_000.seconds); "done" } shouldBe "done"
            Cancelable.withTimeout(Duration.INFINITE).name shouldBe "timeout_inf"
        }
        // NaN cannot even become a Duration: Kotlin rejects it before it can reach us.
        shouldThrow<IllegalArgumentException> { Double.NaN.seconds }
    }

    test("scenario 14: default names follow the reference") {
        Cancelable.withTimeout(2.5.seconds).name shouldBe "timeout_2.5s"
        Cancelable.withTimeout(5.seconds).name shouldBe "timeout_5.0s"
        Cancelable.withToken(CancellationToken()).name shouldBe "token_based"
        Cancelable.withCondition({ false }).name shouldBe "condition_based"
        Cancelable.withSignal("USR2").name shouldBe "signal_based"
        Cancelable.withTimeout(1.seconds, name = "mine").name shouldBe "mine"
    }

    test("scenario 15: a timeout counts from run, not from construction") {
        runTest {
            val op = Cancelable.withTimeout(300.milliseconds, registry = null)
            delay(200)
            shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds) } }
            currentTime shouldBe 500
        }
    }

    test("scenario 16: a job that beats its timeout completes and leaves no timer armed") {
        runTest {
            val op = Cancelable.withTimeout(1.seconds, registry = null)
            op.run { delay(10) } shouldBe Unit
            currentTime shouldBe 10
            advanceUntilIdle()
            currentTime shouldBe 10
            op.status shouldBe OperationStatus.COMPLETED
            op.isCanceled shouldBe false
        }
    }

    test("scenario 18: a block that catches its own timeout and returns completes, with TIMEOUT still recorded") {
        runTest {
            val op = Cancelable.withTimeout(100.milliseconds, registry = null)
            val value = op.run {
                try {
                    delay(1.seconds)
                    "finished"
                } catch (e: CanceledByTimeoutException) {
                    "gave up"
                }
            }
            value shouldBe "gave up"
            op.status shouldBe OperationStatus.COMPLETED
            op.context.cancelReason shouldBe CancellationReason.TIMEOUT
        }
    }

    test("a timeout's duration is measured on the injected clock") {
        runTest {
            val op = Cancelable(clock = virtualClock(), registry = null).addSource(dev.cancelable.source.TimeoutSource(40.milliseconds))
            shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds) } }
            op.context.duration shouldBe java.time.Duration.ofMillis(40)
        }
    }

    test("a timeout also fires in blocking mode, on the shared timer, and interrupts only that call") {
        val op = Cancelable.withTimeout(50.milliseconds, registry = null)
        shouldThrow<CanceledByTimeoutException> { op.callBlocking { java.util.concurrent.CountDownLatch(1).await() } }
        Thread.currentThread().isInterrupted shouldBe false
        op.status shouldBe OperationStatus.CANCELED
        dev.cancelable.internal.Timers.pendingSharedTimers shouldBe 0
    }
})
