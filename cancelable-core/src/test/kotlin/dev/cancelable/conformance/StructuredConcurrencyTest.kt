package dev.cancelable.conformance

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationStatus
import dev.cancelable.CanceledByTimeoutException
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.supervisorScope
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.time.Duration.Companion.milliseconds

/**
 * Structured concurrency inside an operation: `run` is a scoped builder, so what the block's children
 * do must reach the caller exactly as through `coroutineScope {}` (or `withTimeout {}` where a timeout
 * is involved). Each test first runs the same code with kotlinx's builder, so the expectation is
 * kotlinx's actual behaviour.
 */
class StructuredConcurrencyTest : FunSpec({
    timeout = 30_000L

    test("a child that fails while the block waits makes run and runOrNull throw that very exception, FAILED, onFailed called, no cancel reason, as coroutineScope does") {
        runTest {
            suspend fun CoroutineScope.childFails(failure: TestFailure) {
                launch { delay(10); throw failure }
                delay(1000)
                unreached()
            }
            val reference = TestFailure("coroutineScope")
            runCatching { coroutineScope { childFails(reference) } }.exceptionOrNull() shouldBeSameInstanceAs reference

            for (orNull in listOf(false, true)) {
                val failure = TestFailure(if (orNull) "runOrNull" else "run")
                val errors = CopyOnWriteArrayList<Throwable>()
                val op = Cancelable(registry = null).onFailed { _, e -> errors += e }
                val outcome = runCatching { if (orNull) op.runOrNull { childFails(failure) } else op.run { childFails(failure) } }
                withClue(failure.label) {
                    outcome.exceptionOrNull() shouldBeSameInstanceAs failure
                    op.status shouldBe OperationStatus.FAILED
                    errors shouldContainExactly listOf(failure)
                    op.isCanceled shouldBe false
                    op.cancelReason.shouldBeNull()
                }
            }
            currentTime shouldBe 30
        }
    }

    test("a child that fails after the block returned makes run and runOrNull throw it, FAILED, as coroutineScope does") {
        runTest {
            suspend fun CoroutineScope.childFailsLater(failure: TestFailure): String {
                launch { delay(10); throw failure }
                return "returned"
            }
            val reference = TestFailure("coroutineScope")
            runCatching { coroutineScope { childFailsLater(reference) } }.exceptionOrNull() shouldBeSameInstanceAs reference

            for (orNull in listOf(false, true)) {
                val failure = TestFailure(if (orNull) "runOrNull" else "run")
                val errors = CopyOnWriteArrayList<Throwable>()
                val op = Cancelable(registry = null).onFailed { _, e -> errors += e }
                val outcome = runCatching {
                    if (orNull) op.runOrNull { childFailsLater(failure) } else op.run { childFailsLater(failure) }
                }
                withClue(failure.label) {
                    outcome.exceptionOrNull() shouldBeSameInstanceAs failure
                    op.status shouldBe OperationStatus.FAILED
                    errors shouldContainExactly listOf(failure)
                    op.cancelReason.shouldBeNull()
                }
            }
        }
    }

    test("a child that fails cancels its siblings and the block, as in coroutineScope") {
        runTest {
            suspend fun CoroutineScope.siblings(failure: TestFailure, log: MutableList<String>) {
                launch {
                    try {
                        awaitCancellation()
                    } finally {
                        log += "sibling canceled"
                    }
                }
                launch { delay(10); throw failure }
                try {
                    delay(1000)
                    log += "block went on"
                } finally {
                    log += "block canceled"
                }
            }
            val referenceLog = mutableListOf<String>()
            val reference = TestFailure("coroutineScope")
            runCatching { coroutineScope { siblings(reference, referenceLog) } }.exceptionOrNull() shouldBeSameInstanceAs reference

            val log = mutableListOf<String>()
            val failure = TestFailure("run")
            val op = Cancelable(registry = null)
            runCatching { op.run { siblings(failure, log) } }.exceptionOrNull() shouldBeSameInstanceAs failure
            log shouldBe referenceLog
            op.status shouldBe OperationStatus.FAILED
        }
    }

    test("an awaited async that fails makes run throw its exception, FAILED, as coroutineScope does") {
        runTest {
            suspend fun CoroutineScope.awaitsFailure(failure: TestFailure): Int =
                async<Int> { delay(10); throw failure }.await()

            val reference = TestFailure("coroutineScope")
            runCatching { coroutineScope { awaitsFailure(reference) } }.exceptionOrNull() shouldBeSameInstanceAs reference

            val failure = TestFailure("run")
            val op = Cancelable(registry = null)
            runCatching { op.run { awaitsFailure(failure) } }.exceptionOrNull() shouldBeSameInstanceAs failure
            op.status shouldBe OperationStatus.FAILED
            op.cancelReason.shouldBeNull()
        }
    }

    test("a child canceled on its own leaves the operation to complete with the block's value, as in coroutineScope") {
        runTest {
            suspend fun CoroutineScope.cancelsChild(): String {
                val child = launch { awaitCancellation() }
                delay(5)
                child.cancel()
                return "done"
            }
            coroutineScope { cancelsChild() } shouldBe "done"

            val op = Cancelable(registry = null)
            op.run { cancelsChild() } shouldBe "done"
            op.status shouldBe OperationStatus.COMPLETED
            op.isCanceled shouldBe false
        }
    }

    test("run waits for children that outlive the block, stays RUNNING meanwhile, and then returns the block's value, as coroutineScope does") {
        runTest {
            suspend fun CoroutineScope.outlived(): String {
                launch { delay(100) }
                return "block value"
            }
            coroutineScope { outlived() } shouldBe "block value"
            currentTime shouldBe 100

            val op = Cancelable(registry = null)
            var statusWhileWaiting: OperationStatus? = null
            launch {
                delay(50)
                statusWhileWaiting = op.status
            }
            op.run { outlived() } shouldBe "block value"
            currentTime shouldBe 200
            statusWhileWaiting shouldBe OperationStatus.RUNNING
            op.status shouldBe OperationStatus.COMPLETED
        }
    }

    test("a timeout that fires while run waits for children cancels them: CANCELED and CanceledByTimeoutException, as withTimeout throws") {
        runTest {
            suspend fun CoroutineScope.outlivedTooLong(log: MutableList<String>): String {
                launch {
                    try {
                        delay(1000)
                    } finally {
                        log += "child canceled"
                    }
                }
                return "block value"
            }
            val referenceLog = mutableListOf<String>()
            runCatching { withTimeout(100.milliseconds) { outlivedTooLong(referenceLog) } }
                .exceptionOrNull().shouldBeInstanceOf<TimeoutCancellationException>()

            val log = mutableListOf<String>()
            val op = Cancelable(timeout = 100.milliseconds, registry = null)
            runCatching { op.run { outlivedTooLong(log) } }.exceptionOrNull().shouldBeInstanceOf<CanceledByTimeoutException>()
            log shouldBe referenceLog
            op.status shouldBe OperationStatus.CANCELED
            op.cancelReason shouldBe CancellationReason.TIMEOUT
        }
    }

    test("a caller canceled while run waits for the block's children cancels them: CANCELED with reason PARENT, the caller's cancellation propagated") {
        runTest {
            val log = mutableListOf<String>()
            val op = Cancelable(registry = null)
            val caller = launch {
                op.run {
                    launch {
                        try {
                            delay(1000)
                        } finally {
                            log += "child canceled"
                        }
                    }
                    "block value"
                }
                log += "caller went on"
            }
            delay(100)
            op.status shouldBe OperationStatus.RUNNING
            caller.cancel()
            caller.join()
            log shouldBe listOf("child canceled")
            op.status shouldBe OperationStatus.CANCELED
            op.cancelReason shouldBe CancellationReason.PARENT
        }
    }

    test("a cancel requested while run waits for the block's children cancels them; one requested after they finished finds the work completed") {
        runTest {
            val waiting = Cancelable(registry = null)
            launch {
                delay(100)
                waiting.cancel(message = "stop")
            }
            runCatching { waiting.run { launch { delay(1000) }; "block value" } }
            waiting.status shouldBe OperationStatus.CANCELED
            waiting.cancelMessage shouldBe "stop"

            val finished = Cancelable(registry = null)
            finished.run { launch { delay(10) }; "block value" } shouldBe "block value"
            finished.cancel() shouldBe false
            finished.status shouldBe OperationStatus.COMPLETED
        }
    }

    test("under supervisorScope inside run a failing child does not fail the operation, and the caller's handler sees it, as with coroutineScope") {
        runTest {
            suspend fun CoroutineScope.supervised(failure: TestFailure): String {
                supervisorScope { launch { throw failure } }
                return "block value"
            }
            val reference = TestFailure("coroutineScope")
            var referenceValue: String? = null
            seenByHandler { referenceValue = coroutineScope { supervised(reference) } } shouldContainExactly listOf(reference)
            referenceValue shouldBe "block value"

            val failure = TestFailure("run")
            val op = Cancelable(registry = null)
            var value: String? = null
            seenByHandler { value = op.run { supervised(failure) } } shouldContainExactly listOf(failure)
            value shouldBe "block value"
            op.status shouldBe OperationStatus.COMPLETED
        }
    }

    test("an exception thrown from the block's finally while the operation is canceled leaves run and runOrNull, as it leaves a coroutineScope canceled the same way") {
        runTest {
            val reference = TestFailure("coroutineScope")
            runCatching {
                coroutineScope {
                    try {
                        cancel()
                        awaitCancellation()
                    } finally {
                        throw reference
                    }
                }
            }.exceptionOrNull() shouldBeSameInstanceAs reference

            val cases = listOf(
                "cancel() then run" to false, "cancel() then runOrNull" to true,
                "timeout then run" to false, "timeout then runOrNull" to true,
            )
            for ((name, orNull) in cases) {
                val failure = TestFailure(name)
                val byTimeout = name.startsWith("timeout")
                val op = if (byTimeout) Cancelable(timeout = 10.milliseconds, registry = null) else Cancelable(registry = null)
                val block: suspend dev.cancelable.OperationScope.() -> Unit = {
                    try {
                        if (!byTimeout) operation.cancel()
                        awaitCancellation()
                    } finally {
                        throw failure
                    }
                }
                val outcome = runCatching { if (orNull) op.runOrNull(block) else op.run(block) }
                withClue(name) {
                    outcome.exceptionOrNull() shouldBeSameInstanceAs failure
                    // What leaves run is a failure, not a cancellation, so the status says so.
                    op.status shouldBe OperationStatus.FAILED
                }
            }
        }
    }

    test("an exception thrown from a child's finally during a timeout leaves run and runOrNull in place of the CanceledByTimeoutException, as it leaves withTimeout") {
        runTest {
            suspend fun CoroutineScope.childFinallyThrows(failure: TestFailure) {
                launch {
                    try {
                        awaitCancellation()
                    } finally {
                        throw failure
                    }
                }
                delay(1000)
            }
            val reference = TestFailure("withTimeout")
            runCatching { withTimeout(100.milliseconds) { childFinallyThrows(reference) } }
                .exceptionOrNull() shouldBeSameInstanceAs reference

            for (orNull in listOf(false, true)) {
                val failure = TestFailure(if (orNull) "runOrNull" else "run")
                val op = Cancelable(timeout = 100.milliseconds, registry = null)
                val outcome = runCatching {
                    if (orNull) op.runOrNull { childFinallyThrows(failure) } else op.run { childFinallyThrows(failure) }
                }
                withClue(failure.label) {
                    outcome.exceptionOrNull() shouldBeSameInstanceAs failure
                    op.status shouldBe OperationStatus.FAILED
                }
            }
        }
    }

    test("when a child fails and a sibling's finally throws too, run throws the first with the second suppressed, as coroutineScope does") {
        runTest {
            suspend fun CoroutineScope.twoFailures(first: TestFailure, second: TestFailure) {
                launch {
                    try {
                        awaitCancellation()
                    } finally {
                        throw second
                    }
                }
                launch { delay(10); throw first }
                awaitCancellation()
            }
            val referenceFirst = TestFailure("coroutineScope first")
            val referenceSecond = TestFailure("coroutineScope second")
            runCatching { coroutineScope { twoFailures(referenceFirst, referenceSecond) } }
                .exceptionOrNull() shouldBeSameInstanceAs referenceFirst
            referenceFirst.suppressed.toList() shouldContainExactly listOf(referenceSecond)

            val first = TestFailure("run first")
            val second = TestFailure("run second")
            val op = Cancelable(registry = null)
            runCatching { op.run { twoFailures(first, second) } }.exceptionOrNull() shouldBeSameInstanceAs first
            first.suppressed.toList() shouldContainExactly listOf(second)
            op.status shouldBe OperationStatus.FAILED
        }
    }

    test("a handler in the caller's context sees what run lets out of a failing child or block exactly once, as with coroutineScope") {
        runTest {
            val shapes = mapOf<String, suspend CoroutineScope.(TestFailure) -> Unit>(
                "child failing after the block returned" to { failure -> launch { throw failure } },
                "child failing while the block waits" to { failure -> launch { throw failure }; awaitCancellation() },
                "failing block" to { failure -> throw failure },
            )
            for ((shape, body) in shapes) {
                val reference = TestFailure("coroutineScope $shape")
                val failure = TestFailure("run $shape")
                val op = Cancelable(registry = null)
                withClue(shape) {
                    seenByHandler { coroutineScope { body(reference) } } shouldContainExactly listOf(reference)
                    seenByHandler { op.run { body(failure) } } shouldContainExactly listOf(failure)
                    op.status shouldBe OperationStatus.FAILED
                }
            }
        }
    }

    test("a handler in the caller's context sees nothing of an operation's own cancellation, as it sees nothing of withTimeout's") {
        runTest {
            seenByHandler { withTimeout(10.milliseconds) { delay(100) } }.shouldBeEmpty()
            seenByHandler { Cancelable(timeout = 10.milliseconds, registry = null).run { delay(100) } }.shouldBeEmpty()
            seenByHandler { Cancelable(timeout = 10.milliseconds, registry = null).runOrNull { delay(100) } }.shouldBeEmpty()
            seenByHandler { Cancelable(registry = null).run { operation.cancel(); delay(100) } }.shouldBeEmpty()
        }
    }
})

/**
 * Runs [body] as a root coroutine whose context holds a [CoroutineExceptionHandler], as a caller's
 * context would, and returns every exception that handler was given.
 */
private suspend fun TestScope.seenByHandler(body: suspend CoroutineScope.() -> Unit): List<Throwable> {
    val seen = CopyOnWriteArrayList<Throwable>()
    val handler = CoroutineExceptionHandler { _, e -> seen += e }
    CoroutineScope(coroutineContext + SupervisorJob() + handler).launch(block = body).join()
    return seen.toList()
}
