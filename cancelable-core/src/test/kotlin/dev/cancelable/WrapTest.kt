package dev.cancelable

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.test.runTest

class WrapTest : FunSpec({

    test("a wrapped function runs while the operation is live and never once it is canceled [scenario 92]") {
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
            calls shouldBe 1
        }
    }
})
