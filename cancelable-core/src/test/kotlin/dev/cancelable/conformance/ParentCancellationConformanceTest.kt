package dev.cancelable.conformance

import dev.cancelable.Cancelable
import dev.cancelable.OperationStatus
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import io.kotest.assertions.withClue
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.supervisorScope
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

/**
 * kotlinx.coroutines' `ParentCancellationTest`: how a failing grandchild reaches the builder around it
 * and that builder's parent, with `run` and `runOrNull` in the place of the scoped builders.
 *
 * Each case runs kotlinx's builders first, in the same test, so the expectation is what kotlinx really
 * does. Not ported: the `Job`, `SupervisorJob`, `CompletableDeferred`, `launch`-as-child, `async`,
 * `produce` and `broadcast` cases pin builders that are not scoped, which `run` never stands in for.
 */
class ParentCancellationConformanceTest : FunSpec({
    timeout = 30_000L

    /** Operations built by [operation] in the current test, to check their statuses afterwards. */
    val operations = mutableListOf<Cancelable>()

    fun operation(orNull: Boolean = false, make: () -> Cancelable): ScopedBuilder = { block ->
        val op = make().also { operations += it }
        if (orNull) op.runOrNull(block) else op.run(block)
    }

    val kotlinxScoped: Map<String, ScopedBuilder> = mapOf(
        "coroutineScope" to { block -> coroutineScope(block) },
        "withContext" to { block -> withContext(CoroutineName("fail"), block) },
        "withTimeout" to { block -> withTimeout(1000, block) },
    )

    fun ours(): Map<String, ScopedBuilder> = mapOf(
        "run" to operation { Cancelable(registry = null) },
        "Cancelable(timeout = ...).run" to operation { Cancelable(timeout = 1.seconds, registry = null) },
        "runOrNull" to operation(orNull = true) { Cancelable(timeout = 1.seconds, registry = null) },
    )

    beforeTest { operations.clear() }

    test("a failing grandchild makes run rethrow its exception to the caller, whose parent stays active (ParentCancellationTest.testCoroutineScopeChild, testWithContextChild, testWithTimeoutChild)") {
        runTest {
            for ((name, builder) in kotlinxScoped + ours()) {
                val failure = TestFailure(name)
                val reach = grandchildFails(failure, builder)
                withClue(name) {
                    reach.rethrown shouldBeSameInstanceAs failure
                    reach.unhandled.shouldBeNull()
                    reach.blockWentOn shouldBe false
                    reach.parentActive shouldBe true
                }
            }
            operations.forEach { withClue(it.name) { it.status shouldBe OperationStatus.FAILED } }
        }
    }

    test("a grandchild that throws a CancellationException ends alone and run's block goes on (ParentCancellationTest.testWithTimeoutChild, its CancellationException case)") {
        runTest {
            for ((name, builder) in kotlinxScoped + ours()) {
                val reach = grandchildFails(CancellationException("Test"), builder)
                withClue(name) {
                    reach.rethrown.shouldBeNull()
                    reach.unhandled.shouldBeNull()
                    reach.blockWentOn shouldBe true
                    reach.parentActive shouldBe true
                }
            }
            operations.forEach { withClue(it.name) { it.status shouldBe OperationStatus.COMPLETED } }
        }
    }

    test("a grandchild failing under supervisorScope inside run goes to its own handler and reaches neither run nor the parent (ParentCancellationTest.testSupervisorChild)") {
        runTest {
            val builders: Map<String, ScopedBuilder> = mapOf(
                "supervisorScope" to { block -> supervisorScope(block) },
                "run { supervisorScope }" to operation { Cancelable(registry = null) }.let { run ->
                    { block -> run { supervisorScope(block) } }
                },
            )
            for ((name, builder) in builders) {
                val failure = TestFailure(name)
                val reach = grandchildFails(failure, builder)
                withClue(name) {
                    reach.rethrown.shouldBeNull()
                    reach.unhandled shouldBeSameInstanceAs failure
                    reach.blockWentOn shouldBe true
                    reach.parentActive shouldBe true
                }
            }
            operations.single().status shouldBe OperationStatus.COMPLETED
        }
    }

    test("a launched coroutine whose run fails because of a grandchild fails in turn and cancels its parent (ParentCancellationTest.testLaunchChild)") {
        runTest {
            for ((name, builder) in mapOf("coroutineScope" to kotlinxScoped.getValue("coroutineScope")) + ours()) {
                val failure = TestFailure(name)
                val outcome = launchedCallerFails(failure, builder)
                withClue(name) {
                    outcome.parentCancelled shouldBe true
                    outcome.parentCause shouldBeSameInstanceAs failure
                    outcome.unhandled.shouldBeNull()
                }
            }
            operations.forEach { withClue(it.name) { it.status shouldBe OperationStatus.FAILED } }
        }
    }
})

/** What a failing grandchild did to the block around it, to its own handler and to the caller's parent. */
private class Reach(
    val rethrown: Throwable?,
    val unhandled: Throwable?,
    val blockWentOn: Boolean,
    val parentActive: Boolean,
)

/**
 * kotlinx's `testWithException`: a caller, child of a parent that takes failures in, runs [builder]
 * (catching what it throws) around a block that launches a grandchild throwing [thrown] and joins it.
 */
private suspend fun TestScope.grandchildFails(thrown: Throwable, builder: ScopedBuilder): Reach {
    val parent = CompletableDeferred<Unit>()
    var rethrown: Throwable? = null
    var unhandled: Throwable? = null
    var blockWentOn = false
    val caller = CoroutineScope(coroutineContext + parent).launch {
        try {
            builder {
                val handler = CoroutineExceptionHandler { _, e -> unhandled = e }
                launch(handler) { throw thrown }.join()
                blockWentOn = true
            }
        } catch (e: Throwable) {
            rethrown = e
        }
    }
    caller.join()
    val parentActive = parent.isActive
    parent.cancel()
    parent.join()
    return Reach(rethrown, unhandled, blockWentOn, parentActive)
}

private class LaunchedOutcome(val parentCancelled: Boolean, val parentCause: Throwable?, val unhandled: Throwable?)

/** As [grandchildFails], but the caller is a plain `launch` that does not catch: kotlinx's `testLaunchChild`. */
@OptIn(ExperimentalCoroutinesApi::class)
private suspend fun TestScope.launchedCallerFails(thrown: Throwable, builder: ScopedBuilder): LaunchedOutcome {
    val parent = CompletableDeferred<Unit>()
    var unhandled: Throwable? = null
    CoroutineScope(coroutineContext + parent).launch {
        builder {
            val handler = CoroutineExceptionHandler { _, e -> unhandled = e }
            launch(handler) { throw thrown }.join()
        }
    }.join()
    val cancelled = parent.isCancelled
    if (!cancelled) parent.cancel()
    parent.join()
    return LaunchedOutcome(cancelled, if (cancelled) parent.getCompletionExceptionOrNull() else null, unhandled)
}
