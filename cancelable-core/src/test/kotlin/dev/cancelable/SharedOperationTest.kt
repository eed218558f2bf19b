package dev.cancelable

import dev.cancelable.source.ConditionSource
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * An operation made and run in one expression, `Cancelable(...).run { }`, and one operation shared by
 * several functions through [withCancelable] and [currentOperation].
 */
class SharedOperationTest : FunSpec({

    test("run returns the block's value, hands the block its operation and lets its exceptions through [rule 3]") {
        runTest {
            var given: Cancelable? = null
            val op = Cancelable(name = "test_op", timeout = 5.seconds, registry = null)
            val value = op.run {
                given = operation
                operation.name shouldBe "test_op"
                currentOperation() shouldBeSameInstanceAs operation
                "value"
            }
            value shouldBe "value"
            given shouldBeSameInstanceAs op
            given!!.status shouldBe OperationStatus.COMPLETED
            val boom = IllegalStateException("boom")
            shouldThrow<IllegalStateException> { Cancelable(timeout = 5.seconds, registry = null).run { throw boom } } shouldBeSameInstanceAs boom
        }
    }

    test("a quick job beats a 1 s timeout; a 1 s job is canceled by a 100 ms one [scenario 11]") {
        runTest {
            Cancelable(timeout = 1.seconds, registry = null).run { delay(10); "quick" } shouldBe "quick"
            val start = currentTime
            shouldThrow<CanceledByTimeoutException> { Cancelable(timeout = 100.milliseconds, registry = null).run { delay(1.seconds) } }
            currentTime - start shouldBe 100
        }
    }

    test("a helper that takes the current operation gets the enclosing one, or null outside [scenario 112]") {
        runTest {
            suspend fun helper(): String? = currentOperation()?.name
            helper().shouldBeNull()
            Cancelable(name = "outer", registry = null).run { helper() } shouldBe "outer"
        }
    }

    test("a fresh operation per call bound to a token runs while the token is live and is canceled at once after [scenario 41]") {
        runTest {
            val token = CancellationToken()
            suspend fun call() = Cancelable(token = token, registry = null).run { delay(10); "ran" }
            call() shouldBe "ran"
            token.cancel()
            val start = currentTime
            shouldThrow<CanceledManuallyException> { call() }
            currentTime shouldBe start

            var ready = false
            launch { delay(50); ready = true }
            shouldThrow<CanceledByConditionException> {
                Cancelable(sources = listOf(ConditionSource({ ready }, 20.milliseconds)), registry = null).run { delay(1.seconds) }
            }
        }
    }

    test("a 10 s timeout combined with a token canceled at 100 ms cancels at 100 ms [scenario 61]") {
        runTest {
            val token = CancellationToken()
            launch { delay(100); token.cancel() }
            val start = currentTime
            shouldThrow<CanceledManuallyException> {
                Cancelable(timeout = 10.seconds, registry = null).combine(Cancelable(token = token, registry = null))
                    .run { delay(1.seconds) }
            }
            currentTime - start shouldBe 100
        }
    }

    test("functions sharing one operation see it as current and share its timeout budget [scenario 115]") {
        runTest {
            val shared = Cancelable(name = "shared_context", timeout = 100.milliseconds, registry = null)
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

    test("withCancelable runs a pending operation around the block, joins a running one, and refuses an ended one [scenario 115]") {
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
