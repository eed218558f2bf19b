package dev.cancelable.conformance

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationStatus
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.testing.Steps
import io.kotest.assertions.throwables.shouldNotThrowAny
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield
import kotlin.time.Duration
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * kotlinx.coroutines' `WithTimeoutOrNullTest` and `WithTimeoutOrNullDurationTest`, on
 * `Cancelable(timeout = ...).runOrNull {}`.
 *
 * As for `withTimeout`, the two kotlinx files differ only in `Long` milliseconds against `Duration`:
 * each test here ports the pair and cites `WithTimeoutOrNullTest`. Where kotlinx's `Long` file passes
 * `Long.MAX_VALUE` and its `Duration` file `Duration.INFINITE`, both are ported, so that an infinite
 * timeout is pinned apart from what the test is about.
 */
class WithTimeoutOrNullConformanceTest : FunSpec({
    timeout = 30_000L

    test("a block that returns without suspending gives its value and the operation COMPLETED (WithTimeoutOrNullTest.testBasicNoSuspend)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            val op = Cancelable(timeout = 10.seconds, registry = null)
            val result = op.runOrNull {
                steps.expect(2)
                "OK"
            }
            result shouldBe "OK"
            op.status shouldBe OperationStatus.COMPLETED
            steps.finish(3)
        }
    }

    test("a block that suspends once and returns gives its value and the operation COMPLETED (WithTimeoutOrNullTest.testBasicSuspend)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            val op = Cancelable(timeout = 10.seconds, registry = null)
            val result = op.runOrNull {
                steps.expect(2)
                yield()
                steps.expect(3)
                "OK"
            }
            result shouldBe "OK"
            op.status shouldBe OperationStatus.COMPLETED
            steps.finish(4)
        }
    }

    test("runOrNull starts its block without yielding to other coroutines first, and returns without yielding (WithTimeoutOrNullTest.testDispatch)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            launch {
                steps.expect(4)
                yield() // back to the test body
                steps.expect(7)
            }
            steps.expect(2)
            val result = Cancelable(timeout = 1.seconds, registry = null).runOrNull {
                steps.expect(3)
                yield() // the first chance for the launched coroutine to run
                steps.expect(5)
                "OK"
            }
            result shouldBe "OK"
            steps.expect(6)
            yield() // back to the launched coroutine
            steps.finish(8)
        }
    }

    test("a busy loop that only suspends now and then is stopped by the timeout and runOrNull returns null (WithTimeoutOrNullTest.testYieldBlockingWithTimeout)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            val op = Cancelable(timeout = 100.milliseconds, registry = null)
            val result = op.runOrNull {
                while (true) {
                    yield()
                    // Virtual time moves only when every coroutine waits: each turn spends a millisecond.
                    delay(1)
                }
            }
            result.shouldBeNull()
            currentTime shouldBe 100
            op.status shouldBe OperationStatus.CANCELED
            steps.finish(2)
        }
    }

    test("a one millisecond timeout on a receive that never comes gives null (WithTimeoutOrNullTest.testSmallTimeout)") {
        runTest {
            val channel = Channel<Int>(1)
            val value = Cancelable(timeout = 1.milliseconds, registry = null).runOrNull { channel.receive() }
            value.shouldBeNull()
            currentTime shouldBe 1
        }
    }

    test("an Error thrown by the block leaves runOrNull unchanged (WithTimeoutOrNullTest.testThrowException)") {
        runTest {
            val error = AssertionError("thrown on purpose")
            // kotlinx's Long file passes Long.MAX_VALUE milliseconds: a timeout that never fires.
            val op = Cancelable(timeout = 24.hours, registry = null)
            shouldThrow<AssertionError> { op.runOrNull<Unit> { throw error } } shouldBeSameInstanceAs error
            op.status shouldBe OperationStatus.FAILED
        }
    }

    test("an Error thrown by the block leaves runOrNull unchanged under an infinite timeout (WithTimeoutOrNullDurationTest.testThrowException)") {
        runTest {
            val error = AssertionError("thrown on purpose")
            val op = shouldNotThrowAny { Cancelable(timeout = Duration.INFINITE, registry = null) }
            shouldThrow<AssertionError> { op.runOrNull<Unit> { throw error } } shouldBeSameInstanceAs error
            op.status shouldBe OperationStatus.FAILED
        }
    }

    test("an inner operation's timeout is not turned into null by an outer runOrNull and keeps naming the inner operation (WithTimeoutOrNullTest.testInnerTimeout)") {
        runTest {
            val outer = Cancelable(timeout = 1000.milliseconds, name = "outer", registry = null)
            val inner = Cancelable(timeout = 10.milliseconds, name = "inner", registry = null)
            val e = shouldThrow<CanceledByTimeoutException> {
                outer.runOrNull {
                    inner.run {
                        while (true) {
                            yield()
                            delay(1) // a busy loop in virtual time, as above
                        }
                    }
                    @Suppress("UNREACHABLE_CODE")
                    unreached()
                }
            }
            currentTime shouldBe 10
            e.operationId shouldBe inner.id
            e.snapshot?.id shouldBe inner.id
            inner.status shouldBe OperationStatus.CANCELED
        }
    }

    test("a nested operation's timeout escapes an outer run, and an outer runOrNull instead of becoming null, still naming the inner operation (WithTimeoutOrNullTest.testNestedTimeout)") {
        runTest {
            for (orNull in listOf(false, true)) {
                // kotlinx's Long file passes Long.MAX_VALUE milliseconds for the outer timeout.
                val outer = Cancelable(timeout = 24.hours, name = "outer", registry = null)
                val inner = Cancelable(timeout = 10.milliseconds, name = "inner", registry = null)
                val nested: suspend dev.cancelable.OperationScope.() -> Int = {
                    inner.run {
                        delay(Duration.INFINITE)
                        1
                    }
                }
                val e = shouldThrow<CanceledByTimeoutException> { if (orNull) outer.runOrNull(nested) else outer.run(nested) }
                withClue(if (orNull) "outer runOrNull" else "outer run") {
                    e.operationId shouldBe inner.id
                    e.snapshot?.id shouldBe inner.id
                }
            }
        }
    }

    test("a nested operation's timeout escapes an outer runOrNull with an infinite timeout (WithTimeoutOrNullDurationTest.testNestedTimeout)") {
        runTest {
            val outer = shouldNotThrowAny { Cancelable(timeout = Duration.INFINITE, name = "outer", registry = null) }
            val inner = Cancelable(timeout = 10.milliseconds, name = "inner", registry = null)
            val e = shouldThrow<CanceledByTimeoutException> {
                outer.runOrNull {
                    inner.run {
                        delay(Duration.INFINITE)
                        1
                    }
                }
            }
            e.operationId shouldBe inner.id
        }
    }

    test("an outer timeout that fires during an inner runOrNull ends the outer with null, not the inner (WithTimeoutOrNullTest.testOuterTimeout)") {
        runTest {
            var counter = 0
            val outer = Cancelable(timeout = 320.milliseconds, name = "outer", registry = null)
            val result = outer.runOrNull {
                // Bounded, so that a defect can only fail this test, never hang it.
                while (counter < 10) {
                    val inner = Cancelable(timeout = 150.milliseconds, name = "inner", registry = null)
                        .runOrNull { awaitCancellation() }
                    inner.shouldBeNull()
                    counter++
                }
                "the loop ended"
            }
            result.shouldBeNull()
            // Virtual time makes kotlinx's "1..2" exact: the inner timeouts fire at 150 and 300 ms.
            counter shouldBe 2
            currentTime shouldBe 320
            outer.status shouldBe OperationStatus.CANCELED
            outer.cancelReason shouldBe CancellationReason.TIMEOUT
        }
    }

    test("runOrNull hands back the block's value without calling its equals, hashCode or toString (WithTimeoutOrNullTest.testBadClass)") {
        runTest {
            val bad = BadClass()
            val result = Cancelable(timeout = 100.milliseconds, registry = OperationRegistry()).runOrNull { bad }
            result shouldBeSameInstanceAs bad
        }
    }

    test("a timeout that fires cancels the block and runOrNull returns null (WithTimeoutOrNullTest.testNullOnTimeout)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            val op = Cancelable(timeout = 100.milliseconds, registry = null)
            val result = op.runOrNull {
                steps.expect(2)
                delay(1000)
                unreached()
            }
            result.shouldBeNull()
            currentTime shouldBe 100
            op.status shouldBe OperationStatus.CANCELED
            op.cancelReason shouldBe CancellationReason.TIMEOUT
            steps.finish(3)
        }
    }

    test("a block that catches its timeout and returns a value gives that value from runOrNull, COMPLETED (WithTimeoutOrNullTest.testSuppressExceptionWithResult)") {
        runTest {
            // kotlinx, for reference: withTimeoutOrNull gives null although the block returned a value.
            withTimeoutOrNull(100.milliseconds) {
                try {
                    delay(1000)
                } catch (_: CancellationException) {
                }
                "OK"
            }.shouldBeNull()
            // Difference: runOrNull returns the value the block chose to return; COMPLETED, reason kept.
            val steps = Steps()
            steps.expect(1)
            val op = Cancelable(timeout = 100.milliseconds, registry = null)
            val result = op.runOrNull {
                steps.expect(2)
                try {
                    delay(1000)
                } catch (_: CancellationException) {
                    steps.expect(3)
                }
                "OK"
            }
            result shouldBe "OK"
            op.status shouldBe OperationStatus.COMPLETED
            op.cancelReason shouldBe CancellationReason.TIMEOUT
            steps.finish(4)
        }
    }

    test("a block that catches its timeout and throws another exception makes runOrNull throw it (WithTimeoutOrNullTest.testSuppressExceptionWithAnotherException)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            val failure = TestFailure()
            val op = Cancelable(timeout = 100.milliseconds, registry = null)
            val e = shouldThrow<TestFailure> {
                op.runOrNull {
                    steps.expect(2)
                    try {
                        delay(1000)
                    } catch (_: CancellationException) {
                        steps.expect(3)
                        throw failure
                    }
                    unreached()
                }
            }
            e shouldBeSameInstanceAs failure
            steps.finish(4)
        }
    }

    test("a negative or zero timeout never starts the block and runOrNull returns null (WithTimeoutOrNullTest.testNegativeTimeout)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            for (timeout in listOf((-1).milliseconds, Duration.ZERO)) {
                val op = shouldNotThrowAny { Cancelable(timeout = timeout, registry = null) }
                val result = op.runOrNull { unreached() }
                result.shouldBeNull()
                op.status shouldBe OperationStatus.CANCELED
                op.cancelReason shouldBe CancellationReason.TIMEOUT
            }
            currentTime shouldBe 0
            steps.finish(2)
        }
    }

    test("an exception thrown by the block leaves runOrNull unchanged and the operation FAILED (WithTimeoutOrNullTest.testExceptionFromWithinTimeout)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            val failure = TestFailure()
            val op = Cancelable(timeout = 1.seconds, registry = null)
            steps.expect(2)
            val e = shouldThrow<TestFailure> {
                op.runOrNull<Unit> {
                    steps.expect(3)
                    throw failure
                }
            }
            e shouldBeSameInstanceAs failure
            op.status shouldBe OperationStatus.FAILED
            steps.finish(4)
        }
    }
})
