package dev.cancelable

import dev.cancelable.registry.OperationFilter
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.AllOfSource
import dev.cancelable.source.AnyOfSource
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.SignalSource
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/** Bad input is rejected at the call, names the parameter, and leaves nothing behind. */
class BadInputTest : FunSpec({
    val badDurations = listOf(Duration.ZERO, (-5).seconds, Duration.INFINITE, -Duration.INFINITE)

    test("zero, negative and infinite check intervals are refused, naming checkInterval [rule 12]") {
        for (bad in badDurations) {
            shouldThrow<IllegalArgumentException> { ConditionSource({ true }, bad) }.message shouldContain "checkInterval"
            shouldThrow<IllegalArgumentException> { Cancelable(sources = listOf(ConditionSource({ true }, bad))) }.message shouldContain "checkInterval"
        }
        OperationRegistry.global.activeCount shouldBe 0
    }

    test("empty compositions are refused, naming sources [rule 12]") {
        shouldThrow<IllegalArgumentException> { AnyOfSource() }.message shouldContain "sources"
        shouldThrow<IllegalArgumentException> { AllOfSource() }.message shouldContain "sources"
    }

    test("a blank id, an unknown signal, negative registry sizes and limits are refused, naming the parameter [rule 12]") {
        shouldThrow<IllegalArgumentException> { Cancelable(id = " ") }.message shouldContain "id"
        shouldThrow<IllegalArgumentException> { SignalSource("NOT_A_SIGNAL") }.message shouldContain "signals"
        shouldThrow<IllegalArgumentException> { OperationRegistry(historyLimit = -1) }.message shouldContain "historyLimit"
        shouldThrow<IllegalArgumentException> { OperationFilter(minAge = java.time.Duration.ofSeconds(-1)) }.message shouldContain "minAge"
        shouldThrow<IllegalArgumentException> { OperationFilter(maxAge = java.time.Duration.ofSeconds(-1)) }.message shouldContain "maxAge"
    }

    test("running an operation a second time is refused [rule 12]") {
        runTest {
            val op = Cancelable(registry = null)
            op.run { }
            shouldThrow<IllegalStateException> { op.run { } }
        }
    }

    test("a duplicate id in one registry is refused before anything is registered, and the first keeps running [rule 10]") {
        runTest {
            val registry = OperationRegistry()
            val first = Cancelable(id = "job-1", registry = registry)
            val entered = CompletableDeferred<Unit>()
            val release = CompletableDeferred<Unit>()
            val running = launch { first.run { entered.complete(Unit); release.await() } }
            entered.await()
            val second = Cancelable(id = "job-1", registry = registry)
            shouldThrow<IllegalStateException> { second.run { } }.message shouldBe "operation id 'job-1' is already running in this registry"
            second.status shouldBe OperationStatus.PENDING
            registry.get("job-1") shouldBe first
            release.complete(Unit)
            running.join()
            registry.activeCount shouldBe 0
            registry.history().single().id shouldBe "job-1"
            second.run { "now it can run" } shouldBe "now it can run"
        }
    }
})
