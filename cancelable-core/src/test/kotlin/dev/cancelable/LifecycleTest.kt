package dev.cancelable

import dev.cancelable.registry.OperationRegistry
import dev.cancelable.testing.virtualClock
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.yield
import java.time.Duration

class LifecycleTest : FunSpec({

    test("a new operation is PENDING, RUNNING and current inside run, COMPLETED after with end time and duration [scenario 1]") {
        runTest {
            val op = Cancelable(name = "op", registry = OperationRegistry(clock = virtualClock()))
            op.status shouldBe OperationStatus.PENDING
            op.run {
                op.status shouldBe OperationStatus.RUNNING
                currentOperation() shouldBeSameInstanceAs op
                delay(250)
            }
            op.status shouldBe OperationStatus.COMPLETED
            op.isCanceled shouldBe false
            op.endTime.shouldNotBeNull()
            op.duration shouldBe Duration.ofMillis(250)
        }
    }

    test("each operation gets a unique id by default and keeps an explicit one [scenario 2]") {
        Cancelable().id shouldNotBe Cancelable().id
        Cancelable(id = "custom-123").id shouldBe "custom-123"
    }

    test("metadata given at construction is readable and later updates show in snapshots [scenario 3]") {
        runTest {
            val op = Cancelable(metadata = mapOf("user" to "ada"), registry = null)
            op.metadata shouldBe mapOf("user" to "ada")
            val before = op.snapshot()
            op.run { operation.putMetadata("rows", 42) }
            op.snapshot().metadata shouldBe mapOf("user" to "ada", "rows" to 42)
            before.metadata shouldBe mapOf("user" to "ada")
        }
    }

    test("a block that throws fails the operation and the very same exception leaves run [scenario 4]") {
        runTest {
            val boom = IllegalStateException("Test error")
            val op = Cancelable(registry = null)
            val thrown = shouldThrow<IllegalStateException> {
                op.run {
                    delay(10)
                    throw boom
                }
            }
            thrown shouldBeSameInstanceAs boom
            op.status shouldBe OperationStatus.FAILED
            op.error.shouldNotBeNull() shouldContain "IllegalStateException: Test error"
        }
    }

    test("an Error thrown by the block propagates and fails the operation [scenario 5]") {
        runTest {
            val op = Cancelable(registry = null)
            shouldThrow<AssertionError> { op.run { throw AssertionError("bad state") } }
            op.status shouldBe OperationStatus.FAILED
        }
    }

    test("a block that throws a typed cancellation itself ends CANCELED with that reason and message [scenario 6]") {
        runTest {
            val op = Cancelable(registry = null)
            shouldThrow<CanceledBySignalException> { op.run { throw CanceledBySignalException("Custom cancellation") } }
            op.status shouldBe OperationStatus.CANCELED
            op.cancelReason shouldBe CancellationReason.SIGNAL
            op.cancelMessage shouldBe "Custom cancellation"
        }
    }

    test("nested operations are current in turn and none is current outside [scenario 7]") {
        runTest {
            val a = Cancelable(name = "a", registry = null)
            val b = Cancelable(name = "b", registry = null)
            currentOperation().shouldBeNull()
            a.run {
                currentOperation() shouldBeSameInstanceAs a
                b.run { currentOperation() shouldBeSameInstanceAs b }
                currentOperation() shouldBeSameInstanceAs a
            }
            currentOperation().shouldBeNull()
        }
    }

    test("an operation never run stays PENDING and leaves no trace in its registry [scenario 8]") {
        val registry = OperationRegistry()
        val op = Cancelable(name = "idle", registry = registry)
        op.status shouldBe OperationStatus.PENDING
        op.startTime.shouldBeNull()
        op.duration.shouldBeNull()
        registry.activeCount shouldBe 0
        registry.history().shouldBeEmpty()
    }

    test("running a finished operation again is rejected [scenario 9]") {
        runTest {
            val op = Cancelable(name = "once", registry = null)
            op.run { }
            shouldThrow<IllegalStateException> { op.run { } }.message shouldContain "already run"
            op.status shouldBe OperationStatus.COMPLETED
        }
    }

    test("cancel() on itself is visible at once and lands at the next suspension [scenario 10]") {
        runTest {
            val op = Cancelable(registry = null)
            var reachedAfterSuspension = false
            shouldThrow<CanceledManuallyException> {
                op.run {
                    operation.cancel() shouldBe true
                    operation.isCanceled shouldBe true
                    yield()
                    reachedAfterSuspension = true
                }
            }
            reachedAfterSuspension shouldBe false
            op.status shouldBe OperationStatus.CANCELED
            op.cancelReason shouldBe CancellationReason.MANUAL
        }
    }

    test("a running operation cannot be entered again from inside [rule 12]") {
        runTest {
            val op = Cancelable(registry = null)
            op.run {
                shouldThrow<IllegalStateException> { op.run { } }.message shouldContain "already running"
            }
            op.status shouldBe OperationStatus.COMPLETED
        }
    }
})
