package dev.cancelable.usage

import dev.cancelable.*
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.*

class StarImportsTest : FunSpec({
    test("inside run, interruptible resolves to the operation's with kotlinx.coroutines star-imported too [scenario 109]") {
        runBlocking {
            val op = Cancelable(registry = null)
            op.run { interruptible { Cancelable.current() } } shouldBe op
        }
    }
})
