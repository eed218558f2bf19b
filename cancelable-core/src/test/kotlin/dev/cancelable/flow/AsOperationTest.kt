package dev.cancelable.flow

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.CanceledManuallyException
import dev.cancelable.OperationStatus
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.test.assertCanceledWithin
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeIn
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class AsOperationTest : FunSpec({
    val registry = OperationRegistry()
    afterTest { registry.activeCount shouldBe 0 }

    test("a flow run as its own operation with a timeout, a token, both or neither yields 0..4 [scenario 87]") {
        runTest {
            val items = (0 until 5).asFlow()
            val token = CancellationToken()
            items.asOperation(timeout = 1.seconds, registry = registry).toList() shouldBe listOf(0, 1, 2, 3, 4)
            items.asOperation(token = token, registry = registry).toList() shouldBe listOf(0, 1, 2, 3, 4)
            items.asOperation(timeout = 1.seconds, token = token, registry = registry).toList() shouldBe listOf(0, 1, 2, 3, 4)
            items.asOperation(registry = registry).toList() shouldBe listOf(0, 1, 2, 3, 4)
            token.registrationCount shouldBe 0
            registry.history().map { it.status }.distinct() shouldBe listOf(OperationStatus.COMPLETED)
        }
    }

    test("the onProgress of a flow run as its own operation gets (10, 9) and (20, 19) over 25 items with interval 10 [scenario 88]") {
        runTest {
            val calls = ArrayList<Pair<Long, Int>>()
            (0 until 25).asFlow().asOperation(reportInterval = 10, onProgress = { count, latest -> calls += count to latest }, registry = registry)
                .collect { }
            calls shouldBe listOf(10L to 9, 20L to 19)
        }
    }

    test("a progress callback without a report interval is rejected [scenario 88]") {
        shouldThrow<IllegalArgumentException> { (0 until 3).asFlow().asOperation(onProgress = { _, _ -> }) }
            .message!! shouldContain "reportInterval"
    }

    test("an expired timeout fails the collection before its first item; a canceled token likewise") {
        runTest {
            val registry = OperationRegistry()
            val seen = mutableListOf<Int>()
            shouldThrow<CanceledByTimeoutException> {
                (0 until 3).asFlow().asOperation(timeout = 0.seconds, registry = registry).collect { seen += it }
            }
            val token = CancellationToken().apply { cancel(CancellationReason.MANUAL, "stopped before") }
            shouldThrow<CanceledManuallyException> {
                (0 until 3).asFlow().asOperation(token = token, registry = registry).collect { seen += it }
            }
            seen shouldBe emptyList()
            registry.history().map { it.status } shouldBe listOf(OperationStatus.CANCELED, OperationStatus.CANCELED)
        }
    }

    test("a 150 ms timeout over 50 ms items lets two to four items through before the cancel [scenario 89]") {
        runTest {
            val seen = ArrayList<Int>()
            val slow = flow { var i = 0; while (true) { delay(50); emit(i++) } }
            val e = assertCanceledWithin(150.milliseconds..150.milliseconds, CancellationReason.TIMEOUT) {
                slow.asOperation(timeout = 150.milliseconds, bufferPartial = true, registry = registry).collect { seen += it }
            }
            seen.size shouldBeIn (2..4).toList()
            val partial = e.snapshot!!.partialResult.shouldBeInstanceOf<PartialResult<Int>>()
            partial.count shouldBe seen.size.toLong()
            partial.buffer shouldBe seen
            partial.completed shouldBe false
        }
    }

    test("the timeout also interrupts a consumer busy with an item") {
        runTest {
            val e = assertCanceledWithin(100.milliseconds..100.milliseconds, CancellationReason.TIMEOUT) {
                (0 until 5).asFlow().asOperation(timeout = 100.milliseconds, registry = registry).collect { delay(1.seconds) }
            }
            e.shouldBeInstanceOf<CanceledByTimeoutException>()
        }
    }

    test("a token canceled from outside stops the collection with its reason") {
        runTest {
            val token = CancellationToken()
            launch { delay(35); token.cancel(CancellationReason.MANUAL, "enough") }
            val seen = ArrayList<Int>()
            val e = shouldThrow<CanceledManuallyException> {
                flow { var i = 0; while (true) { delay(10); emit(i++) } }.asOperation(token = token, registry = registry)
                    .collect { seen += it }
            }
            e.message shouldBe "enough"
            seen shouldBe listOf(0, 1, 2)
            token.registrationCount shouldBe 0
        }
    }

    test("a consumer that stops early completes the operation with a partial result that is not completed") {
        runTest {
            val r = OperationRegistry()
            (0 until 10).asFlow().asOperation(bufferPartial = true, registry = r).take(3).toList() shouldBe listOf(0, 1, 2)
            val snapshot = r.history().single()
            snapshot.status shouldBe OperationStatus.COMPLETED
            // history keeps no stream items unless the registry is asked to
            snapshot.partialResult shouldBe PartialResult<Int>(3, null, false)
            val keeping = OperationRegistry(historyBufferLimit = 10)
            (0 until 10).asFlow().asOperation(bufferPartial = true, registry = keeping).take(3).toList()
            keeping.history().single().partialResult shouldBe PartialResult(3, listOf(0, 1, 2), false)
        }
    }

    test("an upstream exception fails the operation and leaves collect unchanged") {
        runTest {
            val r = OperationRegistry()
            val boom = IllegalStateException("boom")
            val thrown = shouldThrow<IllegalStateException> {
                flow { emit(1); emit(2); throw boom }.asOperation(registry = r).collect { }
            }
            (thrown === boom) shouldBe true
            val snapshot = r.history().single()
            snapshot.status shouldBe OperationStatus.FAILED
            snapshot.partialResult shouldBe PartialResult<Int>(2, null, false)
        }
    }

    test("items reach the collector in its own context, so flow-based operators downstream work") {
        runTest {
            val seen = ArrayList<Int>()
            (0 until 3).asFlow().asOperation(registry = registry).onEach { seen += it }.catch { throw it }.collect { }
            val wrapped = flow { (0 until 3).asFlow().asOperation(registry = registry).collect { emit(it * 10) } }
            wrapped.toList() shouldBe listOf(0, 10, 20)
            seen shouldBe listOf(0, 1, 2)
        }
    }

    test("collected inside an operation, the stream's operation is its child and follows its cancel") {
        runTest {
            val parent = Cancelable(timeout = 30.milliseconds, registry = registry)
            shouldThrow<CanceledByTimeoutException> {
                parent.run { flow { while (true) { delay(10); emit(1) } }.asOperation(name = "inner", registry = registry).collect { } }
            }
            val inner = registry.history().single { it.name == "inner" }
            inner.parentId shouldBe parent.id
            inner.status shouldBe OperationStatus.CANCELED
            inner.cancelReason shouldBe CancellationReason.PARENT
        }
    }
})
