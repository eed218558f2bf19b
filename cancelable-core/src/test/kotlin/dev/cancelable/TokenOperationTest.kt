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

    test("scenario 40: an operation bound to a token is canceled when another coroutine cancels it, with its reason and message") {
        runTest {
            val token = CancellationToken()
            val op = Cancelable.withToken(token, registry = null)
            launch {
                delay(100)
                token.cancel(CancellationReason.MANUAL, "Test cancel")
            }
            shouldThrow<CanceledManuallyException> { op.run { delay(10.seconds) } }
            currentTime shouldBe 100
            op.context.cancelReason shouldBe CancellationReason.MANUAL
            op.context.cancelMessage shouldBe "Test cancel"
            token.registrationCount shouldBe 0
        }
    }

    test("scenario 41: a token that is already canceled cancels the operation before its block starts") {
        runTest {
            val token = CancellationToken().apply { cancel(CancellationReason.MANUAL, "early") }
            val steps = mutableListOf<String>()
            shouldThrow<CanceledManuallyException> {
                Cancelable.withToken(token, registry = null).run {
                    steps += "before"
                    yield()
                    steps += "after"
                }
            }
            steps shouldBe emptyList()
        }
    }

    test("scenario 42: cancel() before run cancels before the block starts, with reason MANUAL") {
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
            op.context.cancelReason shouldBe CancellationReason.MANUAL
        }
    }
})
