package dev.cancelable.reliability

import io.kotest.core.spec.style.FunSpec
import io.kotest.assertions.withClue
import io.kotest.matchers.shouldBe

/**
 * The reliability run of [ReliabilityStressTest], scaled down to run in every build (well under a
 * minute on two cores): the same mix and the same invariants over fewer operations.
 */
class ReliabilityScaledTest : FunSpec({
    test("a scaled-down reliability run keeps every invariant") {
        val operations = Integer.getInteger("cancelable.reliability.operations", 150_000)
        val (summary, ok) = ReliabilityEngine(operations, deadlineMillis = 120_000).run()
        println(summary)
        withClue(summary) { ok shouldBe true }
    }
})
