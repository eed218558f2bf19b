package dev.cancelable.registry

import dev.cancelable.Cancelable
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.slf4j.MDC

private const val ID = "cancelable.operationId"
private const val NAME = "cancelable.operationName"

class MdcTest : FunSpec({
    afterTest { MDC.clear() }

    test("the MDC holds the operation's id and name inside it, on every thread it runs on, and is restored after") {
        runBlocking {
            MDC.put(ID, "outer-value")
            val op = Cancelable(name = "billing", registry = null)
            op.run {
                MDC.get(ID) shouldBe op.id
                MDC.get(NAME) shouldBe "billing"
                delay(1)
                MDC.get(ID) shouldBe op.id
                withContext(Dispatchers.Default) {
                    MDC.get(ID) shouldBe op.id
                    MDC.get(NAME) shouldBe "billing"
                }
                launch(Dispatchers.IO) { MDC.get(ID) shouldBe op.id }.join()
                val inner = Cancelable(name = "tax", registry = null)
                inner.run { MDC.get(NAME) shouldBe "tax" }
                MDC.get(NAME) shouldBe "billing"
            }
            MDC.get(ID) shouldBe "outer-value"
            MDC.get(NAME).shouldBeNull()
        }
    }

    test("a blocking call puts the operation in the MDC of its thread and restores it") {
        val op = Cancelable(name = "import", registry = null)
        op.callBlocking {
            MDC.get(ID) shouldBe op.id
            MDC.get(NAME) shouldBe "import"
        }
        MDC.get(ID).shouldBeNull()
        MDC.get(NAME).shouldBeNull()
    }
})
