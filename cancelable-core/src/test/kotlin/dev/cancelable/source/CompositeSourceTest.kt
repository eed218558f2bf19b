package dev.cancelable.source

import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.Cancelable
import dev.cancelable.OperationCanceledException
import dev.cancelable.OperationStatus
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.testing.ScriptedSource
import dev.cancelable.testing.capturingLogs
import io.kotest.assertions.throwables.shouldNotThrowAny
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.advanceUntilIdle
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class CompositeSourceTest : FunSpec({

    test("any-of and all-of over no sources are rejected [scenario 54]") {
        shouldThrow<IllegalArgumentException> { AnyOfSource() }.message shouldContain "At least one source is required"
        shouldThrow<IllegalArgumentException> { AllOfSource() }.message shouldContain "At least one source is required"
    }

    test("any-of fires with the first child and reports which one [scenario 55]") {
        runTest {
            val quick = ScriptedSource(10.milliseconds, label = "quick")
            val any = AnyOfSource(quick, TimeoutSource(10.seconds))
            val op = Cancelable(registry = null, sources = listOf(any))
            shouldThrow<OperationCanceledException> { op.run { delay(1.seconds) } }
            currentTime shouldBe 10
            any.firedSource shouldBeSameInstanceAs quick
            op.canceledBy shouldBe any.name
            quick.live shouldBe 0
        }
    }

    test("any-of names no child when another request had already canceled the operation") {
        runTest {
            val late = ScriptedSource(10.milliseconds, label = "late")
            val any = AnyOfSource(late, TimeoutSource(10.seconds))
            val op = Cancelable(registry = null, sources = listOf(any))
            shouldThrow<OperationCanceledException> {
                op.run {
                    delay(5.milliseconds)
                    op.cancel()
                    // Handling the cancel takes a while; the sources stay attached meanwhile.
                    withContext(NonCancellable) { delay(20.milliseconds) }
                    op.throwIfCanceled()
                }
            }
            late.hasFired shouldBe true
            any.firedSource shouldBe null
            op.cancelReason shouldBe CancellationReason.MANUAL
        }
    }

    test("any-of takes the reason of the child that fired [scenario 56]") {
        runTest {
            val op = Cancelable(registry = null, sources = listOf(AnyOfSource(TimeoutSource(20.milliseconds), ScriptedSource())))
            shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds) } }
            op.cancelReason shouldBe CancellationReason.TIMEOUT
        }
    }

    test("all-of waits for every child [scenario 57]") {
        runTest {
            val fires = ScriptedSource(10.milliseconds, label = "fires")
            val never = ScriptedSource(label = "never")
            val op = Cancelable(registry = null, sources = listOf(AllOfSource(fires, never)))
            op.run { delay(50) } shouldBe Unit
            fires.hasFired shouldBe true
            never.hasFired shouldBe false
            op.status shouldBe OperationStatus.COMPLETED
            op.isCanceled shouldBe false

            val both = Cancelable(registry = null, sources = listOf(
                AllOfSource(ScriptedSource(10.milliseconds, CancellationReason.CONDITION), TimeoutSource(20.milliseconds)),
            ))
            val start = currentTime
            shouldThrow<CanceledByTimeoutException> { both.run { delay(1.seconds) } }
            currentTime - start shouldBe 20
            both.cancelMessage shouldBe "All 2 sources have fired"
        }
    }

    test("a child whose attach or dispose throws does not make the composite throw [scenario 58]") {
        runTest {
            capturingLogs { logs ->
                for (composite in listOf(
                    AnyOfSource(ScriptedSource(failOnAttach = true), ScriptedSource(failOnDispose = true), TimeoutSource(10.milliseconds)),
                    AllOfSource(ScriptedSource(failOnDispose = true), TimeoutSource(10.milliseconds)),
                )) {
                    val op = Cancelable(registry = null, sources = listOf(composite))
                    shouldNotThrowAny { op.runOrNull { delay(1.seconds) } }
                }
                logs.warnings.size shouldBe 3
            }
        }
    }

    test("all-of disposes a child's registration as soon as it has fired, and the rest when the operation ends") {
        runTest {
            val t1 = CancellationToken()
            val t2 = CancellationToken()
            val op = Cancelable(registry = null, sources = listOf(AllOfSource(TokenSource(t1), TokenSource(t2))))
            launch {
                delay(10)
                t1.registrationCount shouldBe 1
                t1.cancel()
                t1.registrationCount shouldBe 0
                t2.registrationCount shouldBe 1
            }
            op.run { delay(50) }
            op.isCanceled shouldBe false
            t2.registrationCount shouldBe 0
        }
    }

    test("any-of releases every child when the operation ends, whatever ended it") {
        runTest {
            val token = CancellationToken()
            val scripted = ScriptedSource()
            val op = Cancelable(registry = null, sources = listOf(AnyOfSource(TokenSource(token), scripted, TimeoutSource(5.seconds))))
            op.run { delay(10) }
            token.registrationCount shouldBe 0
            scripted.live shouldBe 0
            advanceUntilIdle()
            currentTime shouldBe 10
        }
    }

    test("composites nest: any-of over an all-of") {
        runTest {
            val inner = AllOfSource(TimeoutSource(10.milliseconds), TimeoutSource(30.milliseconds))
            val op = Cancelable(registry = null, sources = listOf(AnyOfSource(inner, TimeoutSource(100.milliseconds))))
            shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds) } }
            currentTime shouldBe 30
        }
    }
})
