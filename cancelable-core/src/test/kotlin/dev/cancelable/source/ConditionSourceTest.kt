package dev.cancelable.source

import dev.cancelable.CancelationReason
import dev.cancelable.Cancelable
import dev.cancelable.ConditionCancelation
import dev.cancelable.OperationStatus
import dev.cancelable.testing.capturingLogs
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.advanceUntilIdle
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class ConditionSourceTest : FunSpec({

    test("scenario 43: the operation is canceled with CONDITION on the first check after the predicate holds") {
        runTest {
            var counter = 0
            val op = Cancelable.withCondition({ counter >= 5 }, checkInterval = 100.milliseconds, registry = null)
            shouldThrow<ConditionCancelation> {
                op.run {
                    delay(50)
                    while (true) {
                        counter++
                        delay(100)
                    }
                }
            }
            // counter reaches 5 at t=450; checks run every 100 ms from t=0.
            currentTime shouldBe 500
            op.context.cancelReason shouldBe CancelationReason.CONDITION
        }
    }

    test("scenario 44: a suspending predicate that holds on its third call cancels after at least three checks") {
        runTest {
            var calls = 0
            val predicate: suspend () -> Boolean = {
                delay(1)
                ++calls >= 3
            }
            val op = Cancelable.withCondition(predicate, checkInterval = 50.milliseconds, registry = null)
            shouldThrow<ConditionCancelation> { op.run { delay(10.seconds) } }
            calls shouldBeGreaterThanOrEqual 3
        }
    }

    test("scenario 45: a predicate that throws is logged and polling goes on") {
        runTest {
            var calls = 0
            val op = Cancelable.withCondition({
                calls++
                if (calls == 2) error("sensor offline")
                calls >= 4
            }, checkInterval = 50.milliseconds, conditionName = "sensor", registry = null)
            capturingLogs { logs ->
                shouldThrow<ConditionCancelation> { op.run { delay(10.seconds) } }
                logs.warningsContaining("condition 'sensor' threw").size shouldBe 1
            }
            calls shouldBeGreaterThanOrEqual 4
        }
    }

    test("scenario 46: a predicate that always throws never cancels the block") {
        runTest {
            val op = Cancelable.withCondition({ error("always") }, checkInterval = 10.milliseconds, registry = null)
            capturingLogs { op.run { delay(100); "done" } shouldBe "done" }
            op.status shouldBe OperationStatus.COMPLETED
        }
    }

    test("scenario 47: a zero, negative or infinite check interval is rejected naming the parameter") {
        for (bad in listOf(Duration.ZERO, (-1).milliseconds, Duration.INFINITE)) {
            shouldThrow<IllegalArgumentException> { ConditionSource({ false }, bad) }.message shouldContain "checkInterval"
            shouldThrow<IllegalArgumentException> { Cancelable.withCondition({ false }, bad) }.message shouldContain "checkInterval"
        }
    }

    test("scenario 48: the message names the condition and the number of checks") {
        runTest {
            var checks = 0
            val op = Cancelable.withCondition({ ++checks >= 2 }, 100.milliseconds, conditionName = "cnt", registry = null)
            shouldThrow<ConditionCancelation> { op.run { delay(10.seconds) } }
            op.context.cancelMessage shouldBe "Condition 'cnt' met after 2 checks"
        }
    }

    test("scenario 49: addSource returns the same operation and the source reports that it fired") {
        runTest {
            val source = ConditionSource({ true }, 10.milliseconds)
            val op = Cancelable(registry = null)
            op.addSource(source) shouldBeSameInstanceAs op
            source.hasFired shouldBe false
            shouldThrow<ConditionCancelation> { op.run { delay(1.seconds) } }
            source.hasFired shouldBe true
            op.context.canceledBy shouldBe source.name
        }
    }

    test("the poller ends with the operation") {
        runTest {
            var checks = 0
            val op = Cancelable.withCondition({ checks++; false }, 10.milliseconds, registry = null)
            op.run { delay(35) }
            val checksAtEnd = checks
            advanceUntilIdle()
            checks shouldBe checksAtEnd
            currentTime shouldBe 35
        }
    }
})
