package dev.cancelable

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.test.runTest

class WrapTest : FunSpec({

    test("scenario 92: a wrapped function runs while the operation is live and never once it is canceled") {
        runTest {
            var calls = 0
            val op = Cancelable(registry = null)
            op.run {
                val doubled = op.wrap { x: Int -> calls++; x * 2 }
                doubled(21) shouldBe 42
                calls shouldBe 1
            }
            val canceled = Cancelable(registry = null).apply { cancel() }
            val wrapped = canceled.wrap { x: Int -> calls++; x }
            shouldThrow<CanceledManuallyException> { wrapped(1) }
            val wrappedCall = canceled.wrapCall { calls++ }
            shouldThrow<CanceledManuallyException> { wrappedCall() }
            val wrapped2 = canceled.wrap { a: Int, b: Int -> calls++; a + b }
            shouldThrow<CanceledManuallyException> { wrapped2(1, 2) }
            calls shouldBe 1
        }
    }
})
