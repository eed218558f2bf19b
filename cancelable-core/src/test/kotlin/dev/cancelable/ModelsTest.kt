package dev.cancelable

import dev.cancelable.registry.OperationRegistry
import dev.cancelable.testing.virtualClock
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.runTest
import java.time.Duration

class ModelsTest : FunSpec({

    test("statuses and reasons have stable lowercase names [scenario 116]") {
        OperationStatus.entries.map { it.toString() } shouldBe listOf("pending", "running", "completed", "canceled", "failed", "shielded")
        CancellationReason.entries.map { it.toString() } shouldBe listOf("timeout", "manual", "signal", "condition", "parent")
        OperationStatus.entries.forEach { OperationStatus.valueOf(it.toString().uppercase()) shouldBe it }
        CancellationReason.entries.forEach { CancellationReason.valueOf(it.toString().uppercase()) shouldBe it }
        shouldThrow<IllegalArgumentException> { OperationStatus.valueOf("cancelled".uppercase()) }
    }

    test("isTerminal is true exactly for COMPLETED, CANCELED and FAILED [scenario 116]") {
        OperationStatus.entries.filter { it.isTerminal } shouldBe listOf(OperationStatus.COMPLETED, OperationStatus.CANCELED, OperationStatus.FAILED)
    }

    test("a fresh context is PENDING with empty metadata; duration is null, then grows, then is exact [scenario 116]") {
        runTest {
            val op = Cancelable(registry = OperationRegistry(clock = virtualClock()))
            op.status shouldBe OperationStatus.PENDING
            op.metadata shouldBe emptyMap()
            op.duration.shouldBeNull()
            op.status.isTerminal shouldBe false
            op.run {
                delay(100)
                op.duration shouldBe Duration.ofMillis(100)
                delay(50)
                op.duration shouldBe Duration.ofMillis(150)
            }
            delay(1000)
            op.duration shouldBe Duration.ofMillis(150)
            op.status.isTerminal shouldBe true
        }
    }

    test("each exception type has a clear default message that a custom one replaces [scenario 117]") {
        CanceledByTimeoutException(timeout = Duration.ofSeconds(5)).message shouldBe "Operation timed out after 5.0s"
        CanceledManuallyException().message shouldBe "Operation canceled manually"
        CanceledBySignalException(signal = "SIGTERM", signalNumber = 15).message shouldBe "Operation canceled by signal SIGTERM (15)"
        CanceledByConditionException().message shouldBe "Operation canceled: condition met"
        CanceledByParentException(parentId = "abc").message shouldBe "Operation canceled: parent abc was canceled"
        CanceledManuallyException("custom").message shouldBe "custom"
        CanceledByTimeoutException("custom", Duration.ofSeconds(5)).message shouldBe "custom"
        val all = listOf(CanceledByTimeoutException(), CanceledManuallyException(), CanceledBySignalException(), CanceledByConditionException(), CanceledByParentException())
        all.map { it.reason } shouldBe listOf(
            CancellationReason.TIMEOUT, CancellationReason.MANUAL, CancellationReason.SIGNAL, CancellationReason.CONDITION, CancellationReason.PARENT,
        )
        all.forEach {
            it.shouldBeInstanceOf<OperationCanceledException>()
            it.shouldBeInstanceOf<java.util.concurrent.CancellationException>()
        }
    }

    test("the exception thrown by run carries the operation id and its final snapshot [rule 3]") {
        runTest {
            val op = Cancelable(name = "snap", registry = null)
            val e = shouldThrow<CanceledManuallyException> {
                op.run {
                    operation.cancel(message = "stop")
                    delay(1)
                }
            }
            e.operationId shouldBe op.id
            val snapshot = e.snapshot!!
            snapshot.status shouldBe OperationStatus.CANCELED
            snapshot.cancelMessage shouldBe "stop"
            snapshot.snapshot() shouldBe snapshot
        }
    }
})
