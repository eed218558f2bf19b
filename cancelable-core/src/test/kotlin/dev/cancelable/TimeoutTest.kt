package dev.cancelable

import dev.cancelable.source.ConditionSource
import dev.cancelable.source.SignalSource
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

    test("a 100 ms timeout cancels a 1 s delay at 100 ms of virtual time with reason TIMEOUT [scenario 11]") {
        runTest {
            val op = Cancelable(timeout = 100.milliseconds, registry = null)
            val e = shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds) } }
            currentTime shouldBe 100
            op.status shouldBe OperationStatus.CANCELED
            op.cancelReason shouldBe CancellationReason.TIMEOUT
            op.cancelMessage!! shouldContain "timed out"
            e.reason shouldBe CancellationReason.TIMEOUT
            e.operationId shouldBe op.id
            e.timeout shouldBe java.time.Duration.ofMillis(100)
        }
    }

    test("a timeout's name, message and duration are its own, whatever timeouts were built just before [scenario 14]") {
        runTest {
            for (timeout in listOf(250.milliseconds, 1.5.seconds, 250.milliseconds, 250.milliseconds, 2.seconds)) {
                val source = dev.cancelable.source.TimeoutSource(timeout)
                val op = Cancelable(timeout = timeout, registry = null)
                val seconds = timeout.inWholeMilliseconds / 1000.0
                source.name shouldBe "timeout(${seconds}s)"
                op.name shouldBe "timeout_${seconds}s"
                val e = shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds + timeout) } }
                e.message shouldBe "Operation timed out after ${seconds}s"
                e.timeout shouldBe java.time.Duration.ofMillis(timeout.inWholeMilliseconds)
                op.canceledBy shouldBe "timeout(${seconds}s)"
            }
        }
    }

    test("a zero or negative timeout has expired before the block starts; an infinite one is none [scenario 13]") {
        runTest {
            for (expired in listOf(Duration.ZERO, (-1).seconds, -Duration.INFINITE)) {
                var ran = false
                val e = shouldThrow<CanceledByTimeoutException> { Cancelable(timeout = expired, registry = null).run { ran = true } }
                e.message shouldContain "timed out immediately"
                ran shouldBe false
            }
            Cancelable(timeout = Duration.INFINITE, registry = null).run { delay(1_000.seconds); "done" } shouldBe "done"
        }
        // NaN cannot even become a Duration: Kotlin rejects it before it can reach us.
        shouldThrow<IllegalArgumentException> { Double.NaN.seconds }
    }

    test("an infinite timeout alone still names the operation after it [scenario 14]") {
        Cancelable(timeout = Duration.INFINITE).name shouldBe "timeout_inf"
    }

    test("default names follow the reference [scenario 14]") {
        Cancelable(timeout = 2.5.seconds).name shouldBe "timeout_2.5s"
        Cancelable(timeout = 5.seconds).name shouldBe "timeout_5.0s"
        Cancelable(token = CancellationToken()).name shouldBe "token_based"
        Cancelable(sources = listOf(ConditionSource({ false }))).name shouldBe "condition_based"
        Cancelable(sources = listOf(SignalSource("USR2"))).name shouldBe "signal_based"
        Cancelable(timeout = 1.seconds, name = "mine").name shouldBe "mine"
    }

    test("a timeout counts from run, not from construction [scenario 15]") {
        runTest {
            val op = Cancelable(timeout = 300.milliseconds, registry = null)
            delay(200)
            shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds) } }
            currentTime shouldBe 500
        }
    }

    test("a job that beats its timeout completes and leaves no timer armed [scenario 16]") {
        runTest {
            val op = Cancelable(timeout = 1.seconds, registry = null)
            op.run { delay(10) } shouldBe Unit
            currentTime shouldBe 10
            advanceUntilIdle()
            currentTime shouldBe 10
            op.status shouldBe OperationStatus.COMPLETED
            op.isCanceled shouldBe false
        }
    }

    test("a block that catches its own timeout and returns completes, with TIMEOUT still recorded [scenario 18]") {
        runTest {
            val op = Cancelable(timeout = 100.milliseconds, registry = null)
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
            op.cancelReason shouldBe CancellationReason.TIMEOUT
        }
    }

    test("a timeout's duration is measured on the injected clock [rule 11]") {
        runTest {
            val op = Cancelable(timeout = 40.milliseconds, clock = virtualClock(), registry = null)
            shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds) } }
            op.duration shouldBe java.time.Duration.ofMillis(40)
        }
    }

    test("a timeout also fires in blocking mode, on the shared timer, and interrupts only that call [rule 2]") {
        val op = Cancelable(timeout = 50.milliseconds, registry = null)
        shouldThrow<CanceledByTimeoutException> { op.callBlocking { java.util.concurrent.CountDownLatch(1).await() } }
        Thread.currentThread().isInterrupted shouldBe false
        op.status shouldBe OperationStatus.CANCELED
        dev.cancelable.internal.Timers.pendingSharedTimers shouldBe 0
    }
})
