package dev.cancelable

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class OneLinersTest : FunSpec({

    test("scenario 110: the one-liner returns the block's value, hands it its operation and lets exceptions through") {
        runTest {
            var given: Cancelable? = null
            val value = cancelable(timeout = 5.seconds, name = "test_op", registry = null) { op ->
                given = op
                op.name shouldBe "test_op"
                currentOperation() shouldBeSameInstanceAs op
                "value"
            }
            value shouldBe "value"
            given!!.status shouldBe OperationStatus.COMPLETED
            val boom = IllegalStateException("boom")
            shouldThrow<IllegalStateException> { cancelable(timeout = 5.seconds, registry = null) { throw boom } } shouldBeSameInstanceAs boom
        }
    }

    test("scenario 111: a quick job beats a 1 s timeout; a 1 s job is canceled by a 100 ms one") {
        runTest {
            cancelable(timeout = 1.seconds, registry = null) { delay(10); "quick" } shouldBe "quick"
            val start = currentTime
            shouldThrow<CanceledByTimeoutException> { cancelable(timeout = 100.milliseconds, registry = null) { delay(1.seconds) } }
            currentTime - start shouldBe 100
        }
    }

    test("scenario 112: a helper that takes the current operation gets the enclosing one, or null outside") {
        runTest {
            suspend fun helper(): String? = currentOperation()?.name
            helper().shouldBeNull()
            cancelable(name = "outer", registry = null) { helper() } shouldBe "outer"
        }
    }

    test("scenario 113: a one-liner bound to a token runs while it is live and is canceled at once after") {
        runTest {
            val token = CancellationToken()
            suspend fun call() = cancelable(token = token, registry = null) { delay(10); "ran" }
            call() shouldBe "ran"
            token.cancel()
            val start = currentTime
            shouldThrow<CanceledManuallyException> { call() }
            currentTime shouldBe start

            var ready = false
            launch { delay(50); ready = true }
            shouldThrow<CanceledByConditionException> {
                cancelable(condition = { ready }, checkInterval = 20.milliseconds, registry = null) { delay(1.seconds) }
            }
        }
    }

    test("a bad checkInterval is refused even without a condition, and nothing runs") {
        runTest {
            var ran = false
            for (bad in listOf(kotlin.time.Duration.ZERO, (-1).seconds, kotlin.time.Duration.INFINITE)) {
                shouldThrow<IllegalArgumentException> { cancelable(checkInterval = bad) { ran = true } }.message!! shouldContain "checkInterval"
            }
            ran shouldBe false
        }
    }

    test("scenario 114: combining nothing is rejected; a 10 s timeout combined with a token canceled at 100 ms cancels at 100 ms") {
        runTest {
            shouldThrow<IllegalArgumentException> { Cancelable.combine() }.message!! shouldContain "At least one cancelable must be provided"
            val token = CancellationToken()
            launch { delay(100); token.cancel() }
            val start = currentTime
            shouldThrow<CanceledManuallyException> {
                Cancelable.combine(Cancelable.withTimeout(10.seconds, registry = null), Cancelable.withToken(token, registry = null))
                    .run { delay(1.seconds) }
            }
            currentTime - start shouldBe 100
        }
    }

    test("scenario 115: functions sharing one operation see it as current and share its timeout budget") {
        runTest {
            val shared = Cancelable.withTimeout(100.milliseconds, name = "shared_context", registry = null)
            val seen = mutableListOf<String?>()
            suspend fun first() = withCancelable(shared) { seen += currentOperation()?.name; delay(60) }
            suspend fun second() = withCancelable(shared) { seen += currentOperation()?.name; delay(1.seconds) }
            shouldThrow<CanceledByTimeoutException> {
                shared.run {
                    first()
                    second()
                }
            }
            seen shouldBe listOf("shared_context", "shared_context")
            currentTime shouldBe 100
        }
    }

    test("withCancelable runs a pending operation around the block, joins a running one, and refuses an ended one") {
        runTest {
            val pending = Cancelable(name = "p", registry = null)
            withCancelable(pending) { it.status } shouldBe OperationStatus.RUNNING
            pending.status shouldBe OperationStatus.COMPLETED
            shouldThrow<IllegalStateException> { withCancelable(pending) { } }

            val running = Cancelable(name = "r", registry = null)
            val owner = launch { running.runOrNull { delay(10.seconds) } }
            delay(1)
            val joined = launch {
                runCatching {
                    withCancelable(running) {
                        currentOperation() shouldBeSameInstanceAs running
                        delay(10.seconds)
                    }
                }.exceptionOrNull().shouldBeInstanceOfManual()
            }
            delay(10)
            running.cancel()
            joined.join()
            owner.join()
            currentTime shouldBe 11
        }
    }
})

private fun Throwable?.shouldBeInstanceOfManual() {
    (this is CanceledManuallyException) shouldBe true
}
