package dev.cancelable.source

import dev.cancelable.CancellationReason
import dev.cancelable.Cancelable
import dev.cancelable.CanceledByConditionException
import dev.cancelable.OperationStatus
import dev.cancelable.testing.LatchedPredicate
import dev.cancelable.testing.capturingLogs
import dev.cancelable.testing.onSingleThread
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.advanceUntilIdle
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import java.util.concurrent.CopyOnWriteArrayList
import java.util.function.BooleanSupplier
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class ConditionSourceTest : FunSpec({

    test("the operation is canceled with CONDITION on the first check after the predicate holds [scenario 43]") {
        runTest {
            var counter = 0
            val op = Cancelable(sources = listOf(ConditionSource({ counter >= 5 }, checkInterval = 100.milliseconds)), registry = null)
            shouldThrow<CanceledByConditionException> {
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
            op.cancelReason shouldBe CancellationReason.CONDITION
        }
    }

    test("a suspending predicate that holds on its third call cancels after at least three checks [scenario 44]") {
        runTest {
            var calls = 0
            val predicate: suspend () -> Boolean = {
                delay(1)
                ++calls >= 3
            }
            val op = Cancelable(sources = listOf(ConditionSource(predicate, checkInterval = 50.milliseconds)), registry = null)
            shouldThrow<CanceledByConditionException> { op.run { delay(10.seconds) } }
            calls shouldBeGreaterThanOrEqual 3
        }
    }

    test("a predicate that throws is logged and polling goes on [scenario 45]") {
        runTest {
            var calls = 0
            val sensor = ConditionSource({
                calls++
                if (calls == 2) error("sensor offline")
                calls >= 4
            }, checkInterval = 50.milliseconds, conditionName = "sensor")
            val op = Cancelable(sources = listOf(sensor), registry = null)
            capturingLogs { logs ->
                shouldThrow<CanceledByConditionException> { op.run { delay(10.seconds) } }
                logs.warningsContaining("condition 'sensor' threw").size shouldBe 1
            }
            calls shouldBeGreaterThanOrEqual 4
        }
    }

    test("a predicate that always throws never cancels the block [scenario 46]") {
        runTest {
            val op = Cancelable(sources = listOf(ConditionSource({ error("always") }, checkInterval = 10.milliseconds)), registry = null)
            capturingLogs { op.run { delay(100); "done" } shouldBe "done" }
            op.status shouldBe OperationStatus.COMPLETED
        }
    }

    test("a zero, negative or infinite check interval is rejected naming the parameter [scenario 47]") {
        for (bad in listOf(Duration.ZERO, (-1).milliseconds, Duration.INFINITE)) {
            shouldThrow<IllegalArgumentException> { ConditionSource({ false }, bad) }.message shouldContain "checkInterval"
        }
    }

    test("the message names the condition and the number of checks [scenario 48]") {
        runTest {
            var checks = 0
            val op = Cancelable(sources = listOf(ConditionSource({ ++checks >= 2 }, 100.milliseconds, conditionName = "cnt")), registry = null)
            shouldThrow<CanceledByConditionException> { op.run { delay(10.seconds) } }
            op.cancelMessage shouldBe "Condition 'cnt' met after 2 checks"
        }
    }

    test("the source reports that it fired [scenario 49]") {
        runTest {
            val source = ConditionSource({ true }, 10.milliseconds)
            val op = Cancelable(sources = listOf(source), registry = null)
            source.hasFired shouldBe false
            shouldThrow<CanceledByConditionException> { op.run { delay(1.seconds) } }
            source.hasFired shouldBe true
            op.canceledBy shouldBe source.name
        }
    }

    test("the poller ends with the operation") {
        runTest {
            var checks = 0
            val op = Cancelable(sources = listOf(ConditionSource({ checks++; false }, 10.milliseconds)), registry = null)
            op.run { delay(35) }
            val checksAtEnd = checks
            advanceUntilIdle()
            checks shouldBe checksAtEnd
            currentTime shouldBe 35
        }
    }

    test("a Java predicate that blocks runs off the operation's dispatcher, so coroutines there go on") {
        onSingleThread { single ->
            val predicate = LatchedPredicate()
            val source = ConditionSource(BooleanSupplier { predicate.evaluate() }, java.time.Duration.ofMillis(10), "latched")
            val op = Cancelable(registry = null, sources = listOf(source))
            predicate.releaseFrom(this)
            shouldThrow<CanceledByConditionException> { op.run { awaitCancellation() } }.message shouldBe
                "Condition 'latched' met after 1 checks"
            predicate.waits shouldBe listOf(true)
            (predicate.threads.single() === single) shouldBe false
        }
    }

    test("a suspending predicate declared blocking runs off the operation's dispatcher") {
        onSingleThread { single ->
            val direct = LatchedPredicate()
            val op = Cancelable(registry = null, sources = listOf(ConditionSource({ direct.evaluate() }, 10.milliseconds, "direct", blocking = true)))
            direct.releaseFrom(this)
            shouldThrow<CanceledByConditionException> { op.run { awaitCancellation() } }.message shouldBe "Condition 'direct' met after 1 checks"
            direct.waits shouldBe listOf(true)
            direct.threads.none { it === single } shouldBe true
        }
    }

    test("a suspending predicate not declared blocking runs on the operation's dispatcher") {
        onSingleThread { single ->
            val threads = CopyOnWriteArrayList<Thread>()
            val op = Cancelable(sources = listOf(ConditionSource({ threads += Thread.currentThread(); threads.size >= 3 }, 10.milliseconds)), registry = null)
            shouldThrow<CanceledByConditionException> { op.run { awaitCancellation() } }
            threads.size shouldBe 3
            threads.all { it === single } shouldBe true
        }
    }

    test("a predicate that always throws logs one WARN with its stack trace over 50 polls, and the block completes") {
        runTest {
            var calls = 0
            val op = Cancelable(sources = listOf(ConditionSource({ calls++; error("sensor offline") }, 10.milliseconds, "broken")), registry = null)
            capturingLogs { logs ->
                op.run { delay(495); "done" } shouldBe "done"
                calls shouldBe 50
                logs.warnings.filter { it.throwableProxy != null }.map { it.formattedMessage } shouldBe
                    listOf("condition 'broken' threw; polling continues")
                // the 10th failure in a row is one more WARN line, without a stack trace
                logs.warnings.filter { it.throwableProxy == null }.map { it.formattedMessage } shouldBe listOf(
                    "condition 'broken' threw 10 times in a row; polling continues: java.lang.IllegalStateException: sensor offline",
                )
            }
            op.status shouldBe OperationStatus.COMPLETED
        }
    }

    test("a predicate that recovers resets the count: its next failure is logged with its stack trace again") {
        runTest {
            val script = ArrayDeque(listOf(true, true, true, false, true, true))
            val flaky = ConditionSource({
                if (script.removeFirstOrNull() ?: false) error("sensor offline") else false
            }, 10.milliseconds, "flaky")
            val op = Cancelable(sources = listOf(flaky), registry = null)
            capturingLogs { logs ->
                op.run { delay(100) }
                logs.warnings.count { it.throwableProxy != null } shouldBe 2
            }
        }
    }

    test("a predicate whose own timeout expires counts as a failure, and polling goes on") {
        runTest {
            var calls = 0
            val timed = ConditionSource({
                calls++
                withTimeout(5) { if (calls == 1) awaitCancellation() else true }
            }, 10.milliseconds, "timed")
            val op = Cancelable(sources = listOf(timed), registry = null)
            capturingLogs { logs ->
                shouldThrow<CanceledByConditionException> { op.run { delay(1.seconds) } }.message shouldBe "Condition 'timed' met after 2 checks"
                logs.warningsContaining("condition 'timed' threw").size shouldBe 1
            }
        }
    }
})
