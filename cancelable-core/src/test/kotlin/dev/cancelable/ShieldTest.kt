package dev.cancelable

import dev.cancelable.registry.OperationRegistry
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.milliseconds

class ShieldTest : FunSpec({

    test("scenario 93: a shield outlives its operation's timeout, and the cancellation lands right after it") {
        runTest {
            val steps = mutableListOf<String>()
            val op = Cancelable.withTimeout(100.milliseconds, registry = null)
            shouldThrow<CanceledByTimeoutException> {
                op.run {
                    steps += "parent start"
                    shield {
                        steps += "shield start"
                        delay(200)
                        steps += "shield end"
                    }
                    steps += "after shield"
                }
            }
            steps shouldBe listOf("parent start", "shield start", "shield end")
            currentTime shouldBe 200
            op.context.cancelReason shouldBe CancellationReason.TIMEOUT
        }
    }

    test("scenario 95: cancel() inside a shield lets the shield finish; the operation ends CANCELED with MANUAL") {
        runTest {
            var shieldFinished = false
            val op = Cancelable(registry = null)
            shouldThrow<CanceledManuallyException> {
                op.run {
                    shield {
                        op.cancel()
                        delay(100)
                        shieldFinished = true
                    }
                }
            }
            shieldFinished shouldBe true
            op.status shouldBe OperationStatus.CANCELED
            op.context.cancelReason shouldBe CancellationReason.MANUAL
        }
    }

    test("scenario 96: a shield is a SHIELDED child in the registry and is gone once it exits, even by exception") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(name = "job", registry = registry)
            op.run {
                shield {
                    val shields = registry.list(status = OperationStatus.SHIELDED)
                    shields.size shouldBe 1
                    val shield = shields.single()
                    shield.parentId shouldBe op.id
                    shield.metadata["shielded"] shouldBe true
                    shield.isShielded shouldBe true
                    currentOperation()!!.id shouldBe shield.id
                }
                registry.list(status = OperationStatus.SHIELDED).shouldBeEmpty()
                runCatching { shield { error("inside shield") } }.exceptionOrNull()!!.message shouldBe "inside shield"
                registry.list(status = OperationStatus.SHIELDED).shouldBeEmpty()
            }
            registry.activeCount shouldBe 0
        }
    }

    test("a parent's cancel does not reach a shield's operation") {
        runTest {
            val op = Cancelable(registry = null)
            var shieldCanceled: Boolean? = null
            runCatching {
                op.run {
                    shield {
                        op.cancel()
                        delay(10)
                        shieldCanceled = operation.isCanceled
                    }
                }
            }
            shieldCanceled shouldBe false
        }
    }

    test("a shield of an operation that has ended is refused, and nothing runs or registers") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(name = "ended", registry = registry)
            op.run { }
            var ran = false
            shouldThrow<IllegalStateException> { op.shield { ran = true } }.message shouldBe
                "operation 'ended' (${op.id}) has already ended; shield runs inside its run"
            ran shouldBe false
            registry.activeCount shouldBe 0
            registry.history().map { it.name } shouldBe listOf("ended")
        }
    }
})
