package dev.cancelable

import dev.cancelable.registry.OperationFilter
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

    test("a shield outlives its operation's timeout, and the cancellation lands right after it [scenario 93]") {
        runTest {
            val steps = mutableListOf<String>()
            val op = Cancelable(timeout = 100.milliseconds, registry = null)
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
            op.cancelReason shouldBe CancellationReason.TIMEOUT
        }
    }

    test("cancel() inside a shield lets the shield finish; the operation ends CANCELED with MANUAL [scenario 95]") {
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
            op.cancelReason shouldBe CancellationReason.MANUAL
        }
    }

    test("a shield is a SHIELDED child in the registry and is gone once it exits, even by exception [scenario 96]") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(name = "job", registry = registry)
            op.run {
                shield {
                    val shields = registry.list(OperationFilter(status = OperationStatus.SHIELDED))
                    shields.size shouldBe 1
                    val shield = shields.single()
                    shield.parentId shouldBe op.id
                    shield.metadata["shielded"] shouldBe true
                    shield.isShielded shouldBe true
                    currentOperation()!!.id shouldBe shield.id
                }
                registry.list(OperationFilter(status = OperationStatus.SHIELDED)).shouldBeEmpty()
                runCatching { shield { error("inside shield") } }.exceptionOrNull()!!.message shouldBe "inside shield"
                registry.list(OperationFilter(status = OperationStatus.SHIELDED)).shouldBeEmpty()
            }
            registry.activeCount shouldBe 0
        }
    }

    test("a parent's cancel does not reach a shield's operation [rule 7]") {
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

    test("a shield through a scope kept past the end of its run is refused, and nothing runs or registers [rule 7]") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(name = "ended", registry = registry)
            val escaped = op.run { this }
            var ran = false
            shouldThrow<IllegalStateException> { escaped.shield { ran = true } }.message shouldBe
                "operation 'ended' (${op.id}) has already ended; shield runs inside its run"
            ran shouldBe false
            registry.activeCount shouldBe 0
            registry.history().map { it.name } shouldBe listOf("ended")
        }
    }
})
