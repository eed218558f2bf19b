package dev.cancelable.test

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.registry.OperationRegistry
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class TestKitTest : FunSpec({
    val registry = OperationRegistry()

    test("assertCanceledWithin passes for the right reason inside the window and returns the exception") {
        runTest {
            val e = assertCanceledWithin(90.milliseconds..110.milliseconds, CancellationReason.TIMEOUT, messageContains = "timed out") {
                Cancelable(timeout = 100.milliseconds, registry = registry).run { delay(1.seconds) }
            }
            e.reason shouldBe CancellationReason.TIMEOUT
        }
    }

    test("assertCanceledWithin refuses an empty window before running the block") {
        runTest {
            var ran = false
            shouldThrow<IllegalArgumentException> {
                assertCanceledWithin(5.milliseconds..1.milliseconds, CancellationReason.TIMEOUT) { ran = true }
            }.message shouldBe "window must not be empty, was 5ms..1ms"
            ran shouldBe false
        }
    }

    test("assertCanceledWithin fails when the block completes, the reason differs or the time is outside the window") {
        runTest {
            shouldThrow<AssertionError> {
                assertCanceledWithin(0.milliseconds..1.seconds, CancellationReason.TIMEOUT) { 42 }
            }.message!! shouldContain "returned 42"
            shouldThrow<AssertionError> {
                assertCanceledWithin(0.milliseconds..1.seconds, CancellationReason.MANUAL) {
                    Cancelable(timeout = 10.milliseconds, registry = registry).run { delay(1.seconds) }
                }
            }.message!! shouldContain "reason timeout"
            shouldThrow<AssertionError> {
                assertCanceledWithin(0.milliseconds..50.milliseconds, CancellationReason.TIMEOUT) {
                    Cancelable(timeout = 100.milliseconds, registry = registry).run { delay(1.seconds) }
                }
            }.message!! shouldContain "after 100ms"
        }
    }

    test("ManualSource cancels the operations attached now, with the reason given, and is disposed with them") {
        runTest {
            val source = ManualSource()
            val recorder = OperationRecorder()
            val op = recorder.record(Cancelable(sources = listOf(source), registry = registry))
            launch {
                delay(20)
                source.attachedCount shouldBe 1
                source.fire(CancellationReason.SIGNAL, "test signal") shouldBe 1
            }
            assertCanceledWithin(20.milliseconds..20.milliseconds, CancellationReason.SIGNAL, "test signal") {
                op.run { reportProgress("waiting"); awaitCancellation() }
            }
            source.attachedCount shouldBe 0
            source.hasFired shouldBe true
            source.fire() shouldBe 0
            recorder.assertKinds(EventKind.START, EventKind.PROGRESS, EventKind.CANCEL)
            recorder.events.last().reason shouldBe CancellationReason.SIGNAL
            shouldThrow<AssertionError> { recorder.assertKinds(EventKind.START) }.message!! shouldContain "PROGRESS 'waiting'"
        }
    }
})
