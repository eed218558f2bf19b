package dev.cancelable.conformance

import dev.cancelable.Cancelable
import dev.cancelable.OperationCanceledException
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.CanceledManuallyException
import dev.cancelable.OperationStatus
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldNotBeInstanceOf
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.cancel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.supervisorScope
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.time.Duration.Companion.hours

/**
 * kotlinx.coroutines' `ScopedBuildersCancelledStartTest` (kotlinx issue 4457): a scoped builder called
 * from a caller that is already canceled. Ours goes further: whatever asked for the cancel before the
 * block could start (the caller, the operation's token, `cancel()`), the block never runs.
 */
class CanceledStartConformanceTest : FunSpec({
    timeout = 30_000L

    val callerCanceled = "the caller was canceled"

    /** Three operations of the same shape run in a canceled caller: plain, with a timeout, and through runOrNull. */
    fun oursInCanceledCaller(): List<Pair<Cancelable, ScopedBuilder>> {
        val plain = Cancelable(name = "run", registry = null)
        // kotlinx passes Long.MAX_VALUE milliseconds: a timeout that never fires.
        val timed = Cancelable(timeout = 24.hours, name = "Cancelable(timeout = ...).run", registry = null)
        val orNull = Cancelable(timeout = 24.hours, name = "runOrNull", registry = null)
        return listOf(
            plain to { block -> plain.run(block) },
            timed to { block -> timed.run(block) },
            orNull to { block -> orNull.runOrNull(block) },
        )
    }

    suspend fun TestScope.checkOursNeverStart() {
        for ((op, builder) in oursInCanceledCaller()) {
            val start = startInCanceledCaller(callerCanceled, builder)
            withClue(op.name) {
                start.ran shouldBe false
                // The caller's own cancellation, not one of ours: runOrNull does not turn it into null.
                val thrown = start.thrown.shouldBeInstanceOf<CancellationException>()
                thrown.shouldNotBeInstanceOf<OperationCanceledException>()
                thrown.message shouldBe callerCanceled
                op.status shouldBe OperationStatus.CANCELED
                op.cancelReason shouldBe CancellationReason.PARENT
            }
        }
    }

    test("in a canceled caller, coroutineScope and supervisorScope still run their block but run never starts it (ScopedBuildersCancelledStartTest.testCancelledCoroutineScope, testCancelledSupervisorScope)") {
        runTest {
            // Difference: kotlinx's scoped builders run the block (its test calls finish(1) inside) and
            // throw the caller's cancellation after; run does not start a block it would only cancel.
            for ((name, builder) in mapOf<String, ScopedBuilder>(
                "coroutineScope" to { block -> coroutineScope(block) },
                "supervisorScope" to { block -> supervisorScope(block) },
            )) {
                val start = startInCanceledCaller(callerCanceled, builder)
                withClue(name) {
                    start.ran shouldBe true
                    start.thrown.shouldBeInstanceOf<CancellationException>().message shouldBe callerCanceled
                }
            }
            checkOursNeverStart()
        }
    }

    test("in a canceled caller, run of an operation with a timeout never starts its block (ScopedBuildersCancelledStartTest.testCancelledWithTimeout)") {
        runTest {
            // Difference: kotlinx's withTimeout runs the block, then throws the caller's cancellation.
            val start = startInCanceledCaller(callerCanceled) { block -> withTimeout(Long.MAX_VALUE, block) }
            start.ran shouldBe true
            start.thrown.shouldBeInstanceOf<CancellationException>().message shouldBe callerCanceled
            checkOursNeverStart()
        }
    }

    test("in a canceled caller, run never starts its block, as withContext does not (ScopedBuildersCancelledStartTest.testWithContext, testWithContextWithDispatcher)") {
        runTest {
            for ((name, builder) in mapOf<String, ScopedBuilder>(
                "withContext(EmptyCoroutineContext)" to { block -> withContext(EmptyCoroutineContext, block) },
                "withContext(Dispatchers.Unconfined)" to { block -> withContext(Dispatchers.Unconfined, block) },
            )) {
                val start = startInCanceledCaller(callerCanceled, builder)
                withClue(name) {
                    start.ran shouldBe false
                    start.thrown.shouldBeInstanceOf<CancellationException>().message shouldBe callerCanceled
                }
            }
            checkOursNeverStart()
        }
    }

    test("an operation whose token is already canceled never starts its block: run throws the typed exception, runOrNull gives null (ScopedBuildersCancelledStartTest.testCancelledCoroutineScope, with the operation's own token)") {
        runTest {
            val token = CancellationToken().apply { cancel(CancellationReason.MANUAL, "stopped before the start") }
            var ran = false
            val op = Cancelable(token = token, registry = null)
            val e = shouldThrow<CanceledManuallyException> { op.run { ran = true } }
            ran shouldBe false
            e.operationId shouldBe op.id
            op.status shouldBe OperationStatus.CANCELED
            op.cancelReason shouldBe CancellationReason.MANUAL

            val orNull = Cancelable(token = token, registry = null)
            orNull.runOrNull { ran = true }.shouldBeNull()
            ran shouldBe false
            orNull.status shouldBe OperationStatus.CANCELED
        }
    }

    test("an operation canceled before run never starts its block: run throws CanceledManuallyException, runOrNull gives null (ScopedBuildersCancelledStartTest.testCancelledCoroutineScope, with cancel() before run)") {
        runTest {
            var ran = false
            val op = Cancelable(registry = null)
            op.cancel(CancellationReason.MANUAL, "not needed any more") shouldBe true
            val e = shouldThrow<CanceledManuallyException> { op.run { ran = true } }
            ran shouldBe false
            e.operationId shouldBe op.id
            e.message shouldBe "not needed any more"
            op.status shouldBe OperationStatus.CANCELED

            val orNull = Cancelable(registry = null)
            orNull.cancel() shouldBe true
            orNull.runOrNull { ran = true }.shouldBeNull()
            ran shouldBe false
            orNull.status shouldBe OperationStatus.CANCELED
            orNull.cancelReason shouldBe CancellationReason.MANUAL
        }
    }
})

private class Start(val ran: Boolean, val thrown: Throwable?)

/** Runs [builder] from a coroutine that has just canceled itself with [message]: did the block run, and what came out? */
private suspend fun TestScope.startInCanceledCaller(message: String, builder: ScopedBuilder): Start {
    var ran = false
    var thrown: Throwable? = null
    launch {
        cancel(CancellationException(message))
        try {
            builder { ran = true }
        } catch (e: Throwable) {
            thrown = e
        }
    }.join()
    return Start(ran, thrown)
}
