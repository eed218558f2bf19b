package dev.cancelable.flow

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.CanceledManuallyException
import dev.cancelable.OperationStatus
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.test.ManualSource
import dev.cancelable.test.OperationRecorder
import dev.cancelable.test.assertCanceledWithin
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

private fun endless(spacingMs: Long): Flow<Int> = flow {
    var i = 0
    while (true) {
        delay(spacingMs)
        emit(i++)
    }
}

private fun Cancelable.partial(): PartialResult<*> = partialResult.shouldBeInstanceOf<PartialResult<*>>()

class CancelableFlowTest : FunSpec({
    val registry = OperationRegistry()
    afterTest { registry.activeCount shouldBe 0 }

    test("an operation streaming ten items passes all ten through in order [scenario 80]") {
        runTest {
            val op = Cancelable(name = "ten", registry = registry)
            val items = op.run { (0 until 10).asFlow().cancelable().toList() }
            items shouldBe (0 until 10).toList()
            op.status shouldBe OperationStatus.COMPLETED
        }
    }

    test("a 100 ms timeout over an endless flow with 10 ms spacing collects some but not all items [scenario 80]") {
        runTest {
            val op = Cancelable(timeout = 100.milliseconds, registry = registry)
            val seen = ArrayList<Int>()
            assertCanceledWithin(100.milliseconds..100.milliseconds, CancellationReason.TIMEOUT) {
                op.run { endless(10).cancelable().collect { seen += it } }
            }
            seen.size shouldBeGreaterThan 0
            seen.size shouldBeLessThan 11
            op.partial().count shouldBe seen.size.toLong()
        }
    }

    test("reportInterval 10 over 25 items reports at 10 and 20 with the count and latest item [scenario 81]") {
        runTest {
            val recorder = OperationRecorder()
            val op = recorder.record(Cancelable(registry = registry))
            op.run { (0 until 25).asFlow().cancelable(reportInterval = 10).collect { } }
            recorder.progressMessages() shouldBe listOf("Processed 10 items", "Processed 20 items")
            recorder.progress().map { it.metadata } shouldBe listOf(
                mapOf("count" to 10L, "latest_item" to 9),
                mapOf("count" to 20L, "latest_item" to 19),
            )
            recorder.progress().forEach { it.message!! shouldContain "Processed" }
        }
    }

    test("with buffering, a timeout over a slow flow leaves a non-empty partial result [scenario 82]") {
        runTest {
            val op = Cancelable(timeout = 250.milliseconds, registry = registry)
            assertCanceledWithin(250.milliseconds..250.milliseconds, CancellationReason.TIMEOUT) {
                op.run { endless(100).cancelable(bufferPartial = true).collect { } }
            }
            val partial = op.partial()
            partial.count shouldBeGreaterThan 0L
            partial.buffer shouldBe listOf(0, 1)
            partial.completed shouldBe false
            op.snapshot().partialResult shouldBe partial
        }
    }

    test("a flow that emits 1, 2 then throws leaves count 2, not completed, and the exception propagates [scenario 83]") {
        runTest {
            val boom = IllegalStateException("upstream broke")
            val op = Cancelable(registry = registry)
            val thrown = shouldThrow<IllegalStateException> {
                op.run {
                    flow { emit(1); emit(2); throw boom }.cancelable().collect { }
                }
            }
            (thrown === boom) shouldBe true
            op.status shouldBe OperationStatus.FAILED
            op.partialResult shouldBe PartialResult(2, listOf(1, 2), completed = false)
        }
    }

    test("a normal five-item flow leaves count 5, completed, buffer 0..4 [scenario 83]") {
        runTest {
            val op = Cancelable(registry = registry)
            op.run { (0 until 5).asFlow().cancelable().collect { } }
            op.partialResult shouldBe PartialResult(5, listOf(0, 1, 2, 3, 4), completed = true)
        }
    }

    test("2,000 buffered items are all delivered and the buffer holds exactly the last 1,000 [scenario 84]") {
        runTest {
            val op = Cancelable(registry = registry)
            val delivered = op.run { (0 until 2000).asFlow().cancelable(bufferPartial = true).toList() }
            delivered.size shouldBe 2000
            val partial = op.partial()
            partial.count shouldBe 2000L
            partial.buffer!!.size shouldBe 1000
            partial.buffer!!.first() shouldBe 1000
            partial.buffer shouldBe (1000 until 2000).toList()
        }
    }

    test("the buffer bound is configurable [scenario 84]") {
        runTest {
            val op = Cancelable(registry = registry)
            op.run { (0 until 50).asFlow().cancelable(bufferLimit = 7).collect { } }
            op.partial().buffer shouldBe (43 until 50).toList()
            shouldThrow<IllegalArgumentException> { (0 until 5).asFlow().cancelable(op, bufferLimit = 0) }
                .message!! shouldContain "bufferLimit"
            shouldThrow<IllegalArgumentException> { (0 until 5).asFlow().cancelable(op, reportInterval = 0) }
                .message!! shouldContain "reportInterval"
        }
    }

    test("without buffering the partial result is count 5, buffer null, completed [scenario 85]") {
        runTest {
            val op = Cancelable(registry = registry)
            op.run { (0 until 5).asFlow().cancelable(bufferPartial = false).collect { } }
            op.partialResult shouldBe PartialResult<Int>(5, null, completed = true)
        }
    }

    test("every exit path leaves the same partial-result shape [scenario 85]") {
        runTest {
            // normal end
            val normal = Cancelable(registry = registry)
            normal.run { (0 until 3).asFlow().cancelable().collect { } }
            // exception
            val failing = Cancelable(registry = registry)
            runCatching { failing.run { flow { emit(0); error("x") }.cancelable().collect { } } }
            // timeout
            val timedOut = Cancelable(timeout = 35.milliseconds, registry = registry)
            runCatching { timedOut.run { endless(10).cancelable().collect { } } }
            // a source fired on demand
            val stop = ManualSource()
            val stopped = Cancelable(registry = registry, sources = listOf(stop))
            launch { delay(25); stop.fire() }
            shouldThrow<CanceledManuallyException> { stopped.run { endless(10).cancelable().collect { } } }
            stop.attachedCount shouldBe 0
            // consumer stops early
            val early = Cancelable(registry = registry)
            val firstThree = early.run { (0 until 10).asFlow().cancelable().take(3).toList() }
            firstThree shouldBe listOf(0, 1, 2)

            normal.partialResult shouldBe PartialResult(3, listOf(0, 1, 2), true)
            failing.partialResult shouldBe PartialResult(1, listOf(0), false)
            timedOut.partialResult shouldBe PartialResult(3, listOf(0, 1, 2), false)
            stopped.partialResult shouldBe PartialResult(2, listOf(0, 1), false)
            early.partialResult shouldBe PartialResult(3, listOf(0, 1, 2), false)
            early.status shouldBe OperationStatus.COMPLETED
        }
    }

    test("a consumer taking only the first item records a partial result of one") {
        runTest {
            val op = Cancelable(registry = registry)
            op.run { (0 until 10).asFlow().cancelable(bufferPartial = false).first() } shouldBe 0
            op.partialResult shouldBe PartialResult<Int>(1, null, false)
        }
    }

    test("a cancel with no suspension between items stops the stream at the next item") {
        runTest {
            val op = Cancelable(registry = registry)
            shouldThrow<CanceledManuallyException> {
                op.run { (0 until 100).asFlow().cancelable().collect { if (it == 4) operation.cancel() } }
            }
            op.partial().count shouldBe 5L
        }
    }

    test("Flow.cancelable uses the operation it is collected in, or the one given") {
        runTest {
            val op = Cancelable(registry = registry)
            op.run { (0 until 4).asFlow().cancelable().toList() } shouldBe listOf(0, 1, 2, 3)
            op.partialResult shouldBe PartialResult(4, listOf(0, 1, 2, 3), true)

            val other = Cancelable(registry = registry)
            other.run { (0 until 2).asFlow().cancelable(other, bufferPartial = false).collect { } }
            other.partialResult shouldBe PartialResult<Int>(2, null, true)

            shouldThrow<IllegalStateException> { (0 until 2).asFlow().cancelable().collect { } }
        }
    }

    test("a long stream is not slowed by the report countdown or the ring") {
        runTest {
            val recorder = OperationRecorder()
            val op = recorder.record(Cancelable(registry = registry))
            op.run { (1..100_000).asFlow().cancelable(reportInterval = 25_000, bufferLimit = 3).collect { } }
            recorder.progressMessages() shouldBe (1..4).map { "Processed ${it * 25_000} items" }
            op.partialResult shouldBe PartialResult(100_000, listOf(99_998, 99_999, 100_000), true)
        }
    }

    test("an empty flow completes with count zero and an empty buffer") {
        runTest {
            val op = Cancelable(registry = registry)
            op.run { emptyList<Int>().asFlow().cancelable().toList() }.shouldBeEmpty()
            op.partialResult shouldBe PartialResult<Int>(0, emptyList(), true)
        }
    }

    test("a stream collected after its operation completed passes its items through") {
        runTest {
            val op = Cancelable(registry = registry)
            op.run { }
            (0 until 3).asFlow().cancelable(op).toList() shouldBe listOf(0, 1, 2)
            op.partialResult shouldBe PartialResult(3, listOf(0, 1, 2), true)
        }
    }

    test("the partial result is an immutable copy") {
        val source = mutableListOf(1, 2)
        val partial = PartialResult(2, source, true)
        source += 3
        partial.buffer shouldBe listOf(1, 2)
        shouldThrow<UnsupportedOperationException> { (partial.buffer as MutableList<Int>).add(4) }
        partial.toString() shouldContain "count=2"
    }
})
