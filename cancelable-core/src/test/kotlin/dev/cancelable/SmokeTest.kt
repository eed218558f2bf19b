package dev.cancelable

import dev.cancelable.registry.OperationRegistry
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class SmokeTest : FunSpec({
    test("timeout") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable.withTimeout(100.milliseconds, registry = registry)
            val e = shouldThrow<TimeoutCancelation> { op.run { delay(1.seconds) } }
            currentTime shouldBe 100
            op.status shouldBe OperationStatus.CANCELED
            op.context.cancelReason shouldBe CancelationReason.TIMEOUT
            println(e.message + " / " + op.context.snapshot())
            registry.activeCount shouldBe 0
            registry.history().size shouldBe 1
        }
    }
    test("token from thread") {
        runTest {
            val t = CancelationToken()
            val op = Cancelable.withToken(t)
            launch { delay(50); thread { t.cancel(CancelationReason.MANUAL, "stop") } }
            shouldThrow<ManualCancelation> { op.run { kotlinx.coroutines.awaitCancellation() } }
            op.context.cancelMessage shouldBe "stop"
            t.registrationCount shouldBe 0
        }
    }
    test("condition") {
        runTest {
            var n = 0
            val op = Cancelable.withCondition({ ++n >= 3 }, 50.milliseconds, "cnt")
            shouldThrow<ConditionCancelation> { op.run { delay(10.seconds) } }
            op.context.cancelMessage shouldBe "Condition 'cnt' met after 3 checks"
            currentTime shouldBe 100
        }
    }
    test("nested parent timeout") {
        runTest {
            val parent = Cancelable.withTimeout(100.milliseconds, name = "p")
            lateinit var child: Cancelable
            shouldThrow<TimeoutCancelation> {
                parent.run {
                    child = Cancelable(name = "c")
                    child.run { delay(1.seconds) }
                }
            }
            child.context.cancelReason shouldBe CancelationReason.PARENT
            child.status shouldBe OperationStatus.CANCELED
            println(child.context.cancelMessage)
        }
    }
    test("blocking call with timeout") {
        val op = Cancelable.withTimeout(50.milliseconds)
        shouldThrow<TimeoutCancelation> { op.callBlocking { Thread.sleep(5000) } }
        Thread.currentThread().isInterrupted shouldBe false
        op.status shouldBe OperationStatus.CANCELED
    }
    test("failure identity") {
        runTest {
            val boom = IllegalStateException("Test error")
            val op = Cancelable()
            val e = shouldThrow<IllegalStateException> { op.run { delay(1); throw boom } }
            (e === boom) shouldBe true
            op.status shouldBe OperationStatus.FAILED
        }
    }
})
