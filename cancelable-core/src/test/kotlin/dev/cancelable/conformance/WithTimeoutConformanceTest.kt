package dev.cancelable.conformance

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationStatus
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.testing.Steps
import io.kotest.assertions.throwables.shouldNotThrowAny
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * kotlinx.coroutines' `WithTimeoutTest` and `WithTimeoutDurationTest`, on `Cancelable(timeout = ...).run {}`.
 *
 * The two kotlinx files are the same tests with `Long` milliseconds and with a `Duration`; our factory
 * takes a `Duration` only, so each test here ports the pair and cites `WithTimeoutTest`, except where
 * the `Duration` file checks something of its own (`Duration.INFINITE`).
 */
class WithTimeoutConformanceTest : FunSpec({
    timeout = 30_000L

    test("a block that returns without suspending gives its value and the operation COMPLETED (WithTimeoutTest.testBasicNoSuspend)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            val op = Cancelable(timeout = 10.seconds, registry = null)
            val result = op.run {
                steps.expect(2)
                "OK"
            }
            result shouldBe "OK"
            op.status shouldBe OperationStatus.COMPLETED
            steps.finish(3)
        }
    }

    test("a block that suspends once and returns gives its value and the operation COMPLETED (WithTimeoutTest.testBasicSuspend)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            val op = Cancelable(timeout = 10.seconds, registry = null)
            val result = op.run {
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

    test("run starts its block without yielding to other coroutines first, and returns without yielding (WithTimeoutTest.testDispatch)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            launch {
                steps.expect(4)
                yield() // back to the test body
                steps.expect(7)
            }
            steps.expect(2)
            val result = Cancelable(timeout = 1.seconds, registry = null).run {
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

    test("a busy loop that only suspends now and then is stopped by the timeout at a suspension (WithTimeoutTest.testYieldBlockingWithTimeout)") {
        runTest {
            val op = Cancelable(timeout = 100.milliseconds, registry = null)
            shouldThrow<CanceledByTimeoutException> {
                op.run {
                    while (true) {
                        yield()
                        // Virtual time moves only when every coroutine waits, so a loop of bare yields
                        // would never reach the deadline: each turn spends one virtual millisecond.
                        delay(1)
                    }
                }
            }
            currentTime shouldBe 100
            op.status shouldBe OperationStatus.CANCELED
        }
    }

    test("run waits for the coroutines its block launched before it returns (WithTimeoutTest.testWithTimeoutChildWait)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            val op = Cancelable(timeout = 100.milliseconds, registry = null)
            op.run {
                steps.expect(2)
                launch { steps.expect(4) }
                steps.expect(3)
                // run returns only once the launched coroutine has finished
            }
            op.status shouldBe OperationStatus.COMPLETED
            steps.finish(5)
        }
    }

    test("run hands back the block's value without calling its equals, hashCode or toString (WithTimeoutTest.testBadClass)") {
        runTest {
            val bad = BadClass()
            // A registry as well, so that recording the operation's history is covered too.
            val result = Cancelable(timeout = 100.milliseconds, registry = OperationRegistry()).run { bad }
            result shouldBeSameInstanceAs bad
        }
    }

    test("a timeout that fires cancels the block and run throws CanceledByTimeoutException (WithTimeoutTest.testExceptionOnTimeout)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            val op = Cancelable(timeout = 100.milliseconds, registry = null)
            val e = shouldThrow<CanceledByTimeoutException> {
                op.run {
                    steps.expect(2)
                    delay(1000)
                    unreached()
                }
            }
            // Difference: kotlinx says "Timed out waiting for 100 ms"; our message is our own.
            e.message shouldBe "Operation timed out after 0.1s"
            e.operationId shouldBe op.id
            currentTime shouldBe 100
            op.status shouldBe OperationStatus.CANCELED
            op.cancelReason shouldBe CancellationReason.TIMEOUT
            steps.finish(3)
        }
    }

    test("a block that catches its timeout and returns a value completes with that value, the reason still recorded (WithTimeoutTest.testSuppressExceptionWithResult)") {
        runTest {
            // kotlinx, for reference: withTimeout throws although the block returned a value.
            shouldThrow<TimeoutCancellationException> {
                withTimeout(100.milliseconds) {
                    try {
                        delay(1000)
                    } catch (_: CancellationException) {
                    }
                    "OK"
                }
            }
            // Difference: run returns the value the block chose to return, and the operation is COMPLETED.
            val steps = Steps()
            steps.expect(1)
            val op = Cancelable(timeout = 100.milliseconds, registry = null)
            val result = op.run {
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

    test("a block that catches its timeout and throws another exception makes run throw that exception (WithTimeoutTest.testSuppressExceptionWithAnotherException)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            val failure = TestFailure()
            val op = Cancelable(timeout = 100.milliseconds, registry = null)
            val e = shouldThrow<TestFailure> {
                op.run {
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

    test("a negative or zero timeout never starts the block and run throws CanceledByTimeoutException (WithTimeoutTest.testNegativeTimeout)") {
        runTest {
            for (timeout in listOf((-1).milliseconds, Duration.ZERO)) {
                val op = shouldNotThrowAny { Cancelable(timeout = timeout, registry = null) }
                var started = false
                // kotlinx says "Timed out immediately"; our message is not pinned here.
                val e = shouldThrow<CanceledByTimeoutException> {
                    op.run { started = true }
                }
                started shouldBe false
                e.operationId shouldBe op.id
                op.status shouldBe OperationStatus.CANCELED
                op.cancelReason shouldBe CancellationReason.TIMEOUT
            }
            currentTime shouldBe 0
        }
    }

    test("an exception thrown by the block leaves run unchanged and the operation FAILED (WithTimeoutTest.testExceptionFromWithinTimeout)") {
        runTest {
            val steps = Steps()
            steps.expect(1)
            val failure = TestFailure()
            val op = Cancelable(timeout = 1.seconds, registry = null)
            steps.expect(2)
            val e = shouldThrow<TestFailure> {
                op.run {
                    steps.expect(3)
                    throw failure
                }
            }
            e shouldBeSameInstanceAs failure
            op.status shouldBe OperationStatus.FAILED
            steps.finish(4)
        }
    }

    test("an infinite timeout arms nothing and the operation's job completes normally (WithTimeoutDurationTest.testIncompleteWithTimeoutState)") {
        runTest {
            // WithTimeoutTest passes Long.MAX_VALUE milliseconds, which as a Duration is INFINITE too.
            Long.MAX_VALUE.milliseconds shouldBe Duration.INFINITE
            val op = shouldNotThrowAny { Cancelable(timeout = Duration.INFINITE, registry = null) }
            lateinit var operationJob: kotlinx.coroutines.Job
            val handle = op.run {
                operationJob = currentCoroutineContext().job
                operationJob.invokeOnCompletion { }
            }
            handle.dispose()
            operationJob.join()
            operationJob.isCompleted shouldBe true
            operationJob.isActive shouldBe false
            operationJob.isCancelled shouldBe false
            op.status shouldBe OperationStatus.COMPLETED
            op.cancelReason.shouldBeNull()
        }
    }

    test("the CanceledByTimeoutException names the operation that timed out (WithTimeoutTest.testTimeoutCancellationExceptionIncludesCoroutineName)") {
        runTest {
            // Difference: kotlinx writes the coroutine's name into the message; ours keeps its message
            // and names the operation through the id and snapshot the exception carries.
            val op = Cancelable(timeout = 1.milliseconds, name = "waiting for x", registry = null)
            val e = shouldThrow<CanceledByTimeoutException> { op.run { kotlinx.coroutines.awaitCancellation() } }
            e.operationId shouldBe op.id
            e.snapshot?.name shouldBe "waiting for x"
            e.message shouldBe "Operation timed out after 0.001s"
        }
    }
})
