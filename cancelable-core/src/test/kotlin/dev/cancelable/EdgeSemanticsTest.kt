package dev.cancelable

import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.TimeoutSource
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import java.io.IOException
import kotlin.time.Duration
import kotlin.time.Duration.Companion.days
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * Where a run meets structured concurrency, nesting and a cancel that came first: the outcomes a
 * Kotlin developer expects from `coroutineScope` and `withTimeout`, pinned one by one.
 */
class EdgeSemanticsTest : FunSpec({

    test("a launched child that fails makes run throw that exception, FAILED, with onFailed and no cancel reason [rule 3]") {
        runTest {
            val errors = mutableListOf<Throwable>()
            val op = Cancelable(registry = null).onFailed { _, e -> errors += e }
            val thrown = shouldThrow<IllegalStateException> {
                op.run {
                    launch { throw IllegalStateException("child failed") }
                    delay(100)
                }
            }
            thrown.message shouldBe "child failed"
            op.status shouldBe OperationStatus.FAILED
            op.cancelReason.shouldBeNull()
            op.isCanceled shouldBe false
            errors.single().message shouldBe "child failed"
        }
    }

    test("a child's failure escaping run reaches an enclosing launch's exception handler instead of vanishing [rule 1]") {
        runTest {
            val handled = mutableListOf<Throwable>()
            val scope = kotlinx.coroutines.CoroutineScope(
                coroutineContext + SupervisorJob() + CoroutineExceptionHandler { _, e -> handled += e },
            )
            scope.launch {
                Cancelable(registry = null).run {
                    launch { throw IllegalStateException("child failed") }
                    delay(100)
                }
            }.join()
            handled.single().shouldBeInstanceOf<IllegalStateException>().message shouldBe "child failed"
        }
    }

    test("an inner operation's timeout passing through an outer runOrNull is rethrown and keeps naming the inner operation [rule 3]") {
        runTest {
            val outer = Cancelable(timeout = 1.seconds, name = "outer", registry = null)
            val inner = Cancelable(timeout = 10.milliseconds, name = "inner", registry = null)
            val e = shouldThrow<CanceledByTimeoutException> {
                outer.runOrNull { inner.run { delay(100) } }
            }
            e.operationId shouldBe inner.id
            e.snapshot.shouldNotBeNull().id shouldBe inner.id
            inner.cancelReason shouldBe CancellationReason.TIMEOUT
            outer.status shouldBe OperationStatus.CANCELED
            currentTime shouldBe 10
        }
    }

    test("runOrNull still returns null for its own timeout when an inner operation is running [rule 3]") {
        runTest {
            val outer = Cancelable(timeout = 10.milliseconds, registry = null)
            outer.runOrNull { Cancelable(timeout = 1.seconds, registry = null).run { delay(100) } }.shouldBeNull()
            outer.cancelReason shouldBe CancellationReason.TIMEOUT
        }
    }

    test("a block that catches its timeout and throws something else: that exception leaves run and runOrNull [rule 3]") {
        runTest {
            for (orNull in listOf(false, true)) {
                val op = Cancelable(timeout = 10.milliseconds, registry = null)
                val block: suspend OperationScope.() -> String = {
                    try {
                        delay(100)
                        "late"
                    } catch (e: CancellationException) {
                        throw IOException("connection closed by the cancel")
                    }
                }
                val thrown = shouldThrow<IOException> { if (orNull) op.runOrNull(block) else op.run(block) }
                thrown.message shouldBe "connection closed by the cancel"
                op.status shouldBe OperationStatus.FAILED
                op.cancelReason shouldBe CancellationReason.TIMEOUT
            }
        }
    }

    test("an operation canceled before it starts never runs its block, on every suspend entry point [rule 3]") {
        runTest {
            val token = CancellationToken().apply { cancel(CancellationReason.SIGNAL, "early") }
            var ran = false
            shouldThrow<CanceledBySignalException> { Cancelable(token = token, registry = null).run { ran = true } }
                .message shouldBe "early"
            Cancelable(token = token, registry = null).runOrNull { ran = true; "ran" }.shouldBeNull()
            val manual = Cancelable(registry = null).apply { cancel(CancellationReason.MANUAL, "before run") }
            shouldThrow<CanceledManuallyException> { manual.run { ran = true } }
            manual.status shouldBe OperationStatus.CANCELED
            manual.cancelReason shouldBe CancellationReason.MANUAL
            shouldThrow<CanceledBySignalException> { withCancelable(Cancelable(token = token, registry = null)) { ran = true } }
            ran shouldBe false
        }
    }

    test("an operation canceled before it starts never runs its blocking block [rule 3]") {
        val token = CancellationToken().apply { cancel() }
        var ran = false
        val op = Cancelable(token = token, registry = null)
        shouldThrow<CanceledManuallyException> { op.callBlocking { ran = true } }
        ran shouldBe false
        op.status shouldBe OperationStatus.CANCELED
        Thread.interrupted() shouldBe false
    }

    test("a zero or negative timeout has already expired: the block never runs, TIMEOUT, null from runOrNull [scenario 13]") {
        runTest {
            for (timeout in listOf(Duration.ZERO, (-5).seconds)) {
                var ran = false
                val op = Cancelable(timeout = timeout, registry = null)
                shouldThrow<CanceledByTimeoutException> { op.run { ran = true } }
                op.cancelReason shouldBe CancellationReason.TIMEOUT
                Cancelable(timeout = timeout, registry = null).runOrNull { ran = true; "ran" }.shouldBeNull()
                shouldThrow<CanceledByTimeoutException> { withCancelable(Cancelable(timeout = timeout, registry = null)) { ran = true } }
                shouldThrow<CanceledByTimeoutException> {
                    Cancelable(timeout = timeout, registry = null).callBlocking { ran = true }
                }
                ran shouldBe false
            }
            currentTime shouldBe 0
        }
    }

    test("an infinite timeout is no timeout at all [scenario 13]") {
        runTest {
            val op = Cancelable(timeout = Duration.INFINITE, registry = null)
            op.sourceCount shouldBe 0
            op.run { delay(365.days); "done" } shouldBe "done"
            withCancelable(Cancelable(timeout = Duration.INFINITE, registry = null)) { "shared" } shouldBe "shared"
        }
    }

    test("a timeout from Java's Duration follows the same rules: zero expired, negative expired [scenario 13]") {
        runTest {
            val zero = Cancelable(sources = listOf(TimeoutSource(java.time.Duration.ZERO)), registry = null)
            shouldThrow<CanceledByTimeoutException> { zero.run { } }
            val negative = Cancelable(sources = listOf(TimeoutSource(java.time.Duration.ofMillis(-1))), registry = null)
            negative.runOrNull { "ran" }.shouldBeNull()
        }
    }

    test("combining a combination carries each original's callbacks and tokens once [rule 5]") {
        runTest {
            val calls = mutableListOf<String>()
            val token = CancellationToken()
            val c1 = Cancelable(token = token, name = "c1", registry = null)
                .onStart { calls += "c1 start" }
                .onCanceled { calls += "c1 canceled" }
            val c2 = Cancelable(name = "c2", registry = null).onStart { calls += "c2 start" }
            val c3 = c1.combine(c2).onStart { calls += "c3 start" }
            val c4 = c1.combine(c3)
            launch { delay(10); token.cancel() }
            shouldThrow<CanceledManuallyException> { c4.run { delay(1.seconds) } }
            calls shouldBe listOf("c1 start", "c2 start", "c3 start", "c1 canceled")
            token.registrationCount shouldBe 0
        }
    }

    test("the exception of a canceled run names its operation from the moment it is thrown [rule 3]") {
        runTest {
            val op = Cancelable(timeout = 5.milliseconds, registry = OperationRegistry())
            val e = shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds) } }
            e.operationId shouldBe op.id
            e.snapshot.shouldNotBeNull().status shouldBe OperationStatus.CANCELED
            op.snapshot().cancelReason shouldBeSameInstanceAs CancellationReason.TIMEOUT
        }
    }
})

/** How many sources the operation attaches when it runs (internal state: the factory leaves an infinite timeout out). */
private val Cancelable.sourceCount: Int
    get() = CancelableImpl::class.java.getDeclaredField("sources").apply { isAccessible = true }.get(this).let { (it as Array<*>).size }
