package dev.cancelable.usage

import dev.cancelable.*
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.*

class StarImportsTest : FunSpec({
    test("inside run, runInterruptible resolves to the operation's, even with kotlinx.coroutines star-imported") {
        runBlocking {
            val op = Cancelable(registry = null)
            op.run { runInterruptible { Cancelable.current() } } shouldBe op
        }
    }
})
