package dev.cancelable.reliability

import io.kotest.core.spec.style.FunSpec
import io.kotest.assertions.withClue
import io.kotest.matchers.shouldBe

/**
 * One million operations mixing timeouts, tokens canceled from four threads, registry and direct
 * cancels, failures, progress, shields and nested children, suspending and blocking; then the
 * checks of [Invariant]. Runs only in the `stress` profile: `mvn -B verify -Pstress`.
 */
class ReliabilityStressTest : FunSpec({
    test("a million operations keep every invariant") {
        val operations = Integer.getInteger("cancelable.reliability.operations", 1_000_000)
        val (summary, ok) = ReliabilityEngine(operations, deadlineMillis = 30 * 60_000L).run()
        println(summary)
        withClue(summary) { ok shouldBe true }
    }
})
