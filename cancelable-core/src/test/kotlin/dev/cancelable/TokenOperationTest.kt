package dev.cancelable

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.yield
import kotlin.time.Duration.Companion.seconds

class TokenOperationTest : FunSpec({

    test("an operation bound to a token is canceled when another coroutine cancels it, with its reason and message [scenario 40]") {
        runTest {
            val token = CancellationToken()
            val op = Cancelable(token = token, registry = null)
            launch {
                delay(100)
                token.cancel(CancellationReason.MANUAL, "Test cancel")
            }
            shouldThrow<CanceledManuallyException> { op.run { delay(10.seconds) } }
            currentTime shouldBe 100
            op.cancelReason shouldBe CancellationReason.MANUAL
            op.cancelMessage shouldBe "Test cancel"
            token.registrationCount shouldBe 0
        }
    }

    test("a token that is already canceled cancels the operation before its block starts [scenario 41]") {
        runTest {
            val token = CancellationToken().apply { cancel(CancellationReason.MANUAL, "early") }
            val steps = mutableListOf<String>()
            shouldThrow<CanceledManuallyException> {
                Cancelable(token = token, registry = null).run {
                    steps += "before"
                    yield()
                    steps += "after"
                }
            }
            steps shouldBe emptyList()
        }
    }

    test("cancel() before run cancels before the block starts, with reason MANUAL [scenario 42]") {
        runTest {
            val op = Cancelable(registry = null)
            op.cancel() shouldBe true
            op.status shouldBe OperationStatus.PENDING
            val steps = mutableListOf<String>()
            shouldThrow<CanceledManuallyException> {
                op.run {
                    steps += "before"
                    delay(1)
                    steps += "after"
                }
            }
            steps shouldBe emptyList()
            op.status shouldBe OperationStatus.CANCELED
            op.cancelReason shouldBe CancellationReason.MANUAL
        }
    }
})
