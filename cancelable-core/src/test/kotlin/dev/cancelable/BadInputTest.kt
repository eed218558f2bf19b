package dev.cancelable

import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.AllOfSource
import dev.cancelable.source.AnyOfSource
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.SignalSource
import dev.cancelable.source.TimeoutSource
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

    test("durations and intervals") {
        for (bad in badDurations) {
            shouldThrow<IllegalArgumentException> { ConditionSource({ true }, bad) }.message shouldContain "checkInterval"
            shouldThrow<IllegalArgumentException> { Cancelable.withCondition({ true }, bad) }.message shouldContain "checkInterval"
        }
        runTest {
            for (bad in badDurations) {
                shouldThrow<IllegalArgumentException> { cancelable(condition = { true }, checkInterval = bad) { } }.message shouldContain "checkInterval"
            }
        }
        OperationRegistry.global.activeCount shouldBe 0
    }

    test("empty compositions") {
        shouldThrow<IllegalArgumentException> { AnyOfSource() }.message shouldContain "sources"
        shouldThrow<IllegalArgumentException> { AllOfSource() }.message shouldContain "sources"
        shouldThrow<IllegalArgumentException> { Cancelable.combine() }.message shouldContain "cancelables"
    }

    test("ids, signals and registry sizes") {
        shouldThrow<IllegalArgumentException> { Cancelable(operationId = " ") }.message shouldContain "operationId"
        shouldThrow<IllegalArgumentException> { SignalSource("NOT_A_SIGNAL") }.message shouldContain "signals"
        shouldThrow<IllegalArgumentException> { OperationRegistry(historyLimit = -1) }.message shouldContain "historyLimit"
        shouldThrow<IllegalArgumentException> { OperationRegistry().history(limit = -1) }.message shouldContain "limit"
    }

    test("re-running, and adding a source once running") {
        runTest {
            val op = Cancelable(registry = null)
            op.run { shouldThrow<IllegalStateException> { op.addSource(TimeoutSource(1.seconds)) } }
            shouldThrow<IllegalStateException> { op.run { } }
        }
    }

    test("a duplicate id in one registry is refused before anything is registered, and the first keeps running") {
        runTest {
            val registry = OperationRegistry()
            val first = Cancelable(operationId = "job-1", registry = registry)
            val entered = CompletableDeferred<Unit>()
            val release = CompletableDeferred<Unit>()
            val running = launch { first.run { entered.complete(Unit); release.await() } }
            entered.await()
            val second = Cancelable(operationId = "job-1", registry = registry)
            shouldThrow<IllegalStateException> { second.run { } }.message shouldContain "job-1"
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
