package dev.cancelable.ktor

import dev.cancelable.testing.ApiDump
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.io.File

class ApiDumpTest : FunSpec({
    test("public API matches the committed api/cancelable-ktor.api") {
        ApiDump.check(dumpFile = File("api/cancelable-ktor.api")) shouldBe null
    }
})
