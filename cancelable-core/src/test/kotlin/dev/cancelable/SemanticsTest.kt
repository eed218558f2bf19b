package dev.cancelable

import dev.cancelable.internal.Timers
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.SourceScope
import dev.cancelable.testing.ScriptedSource
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.future.future
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext
import java.util.concurrent.CountDownLatch
import java.util.concurrent.ExecutionException
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** Pins the rules of docs/semantics.md, one by one. */
class SemanticsTest : FunSpec({

    test("run opens one coroutine, a direct child of the caller's job, whose context holds the operation [rule 1]") {
        runTest {
            val callerJob = currentCoroutineContext().job
            val op = Cancelable(registry = null)
            withContext(CoroutineName("caller")) {
                val caller = currentCoroutineContext().job
                op.run {
                    val job = currentCoroutineContext().job
                    job.parent shouldBeSameInstanceAs caller
                    currentCoroutineContext()[Cancelable] shouldBeSameInstanceAs op
                    currentCoroutineContext()[CoroutineName]?.name shouldBe "caller"
                    coroutineContext.job shouldBeSameInstanceAs job
                }
            }
            callerJob.isActive shouldBe true
        }
    }

    test("coroutines launched in the block are children of the operation and are canceled with it [rule 1]") {
        runTest {
            var childCanceled = false
            val op = Cancelable(timeout = 50.milliseconds, registry = null)
            shouldThrow<CanceledByTimeoutException> {
                op.run {
                    launch {
                        try {
                            awaitCancellation()
                        } finally {
                            childCanceled = true
                        }
                    }
                    delay(1.seconds)
                }
            }
            childCanceled shouldBe true
        }
    }

    test("sources also cover the coroutines the block launched: a timeout cancels them and run throws [rule 2]") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(timeout = 100.milliseconds, name = "batch", registry = registry)
            shouldThrow<CanceledByTimeoutException> {
                op.run { launch { Cancelable(name = "child", registry = registry).run { delay(1.seconds) } } }
            }
            currentTime shouldBe 100
            op.status shouldBe OperationStatus.CANCELED
            registry.history().single { it.name == "child" }.cancelReason shouldBe CancellationReason.PARENT
        }
    }

    test("a cancel that lands while run waits for launched coroutines cancels them and ends CANCELED [rule 3]") {
        runTest {
            val op = Cancelable(name = "batch", registry = null)
            launch { delay(100); op.cancel(CancellationReason.MANUAL, "stop") }
            shouldThrow<CanceledManuallyException> { op.run { launch { delay(1.seconds) } } }
            currentTime shouldBe 100
            op.status shouldBe OperationStatus.CANCELED
        }
    }

    test("a launched coroutine that fails after the block returned fails the operation [rule 3]") {
        runTest {
            val op = Cancelable(registry = null)
            // A child's exception travels through the Job machinery, which may copy it in debug mode.
            shouldThrow<IllegalStateException> {
                op.run { launch { delay(10); throw IllegalStateException("child failed") }; "returned" }
            }.message shouldBe "child failed"
            op.status shouldBe OperationStatus.FAILED
        }
    }

    test("sources are attached at entry and disposed at exit, on every exit path [rule 2]") {
        runTest {
            val source = ScriptedSource()
            val outcomes = listOf<suspend () -> Unit>(
                { },
                { error("fails") },
                { currentOperation()!!.cancel(); delay(1) },
            )
            for (outcome in outcomes) {
                val op = Cancelable(sources = listOf(source), registry = null)
                source.live shouldBe 0
                runCatching { op.run { source.live shouldBe 1; outcome() } }
                source.live shouldBe 0
            }
            source.attached.get() shouldBe 3
        }
    }

    test("the first source to fire wins and decides reason, message and which source fired [rule 2]") {
        runTest {
            val first = ScriptedSource(10.milliseconds, CancellationReason.CONDITION, "first", label = "first")
            val second = ScriptedSource(10.milliseconds, CancellationReason.SIGNAL, "second", label = "second")
            val op = Cancelable(sources = listOf(first, second), registry = null)
            shouldThrow<CanceledByConditionException> { op.run { delay(1.seconds) } }
            op.cancelMessage shouldBe "first"
            op.canceledBy shouldBe "first"
        }
    }

    test("nothing a source armed outlives a blocking-mode operation [rule 2]") {
      runBlocking {
        val polled = CountDownLatch(3)
        val checks = java.util.concurrent.atomic.AtomicInteger()
        val op = Cancelable(
            timeout = 10.seconds,
            sources = listOf(ConditionSource({ checks.incrementAndGet(); polled.countDown(); false }, 5.milliseconds)),
            registry = null,
        )
        op.callBlocking { polled.await() }
        Timers.pendingSharedTimers shouldBe 0
        val poller = (op as SourceScope).coroutineScope.coroutineContext[kotlinx.coroutines.Job]!!
        poller.isCancelled shouldBe true
        poller.join()
        (checks.get() >= 3) shouldBe true
      }
    }

    test("runOrNull returns null when the operation's own source canceled it, keeping the reason [rule 3]") {
        runTest {
            val op = Cancelable(timeout = 10.milliseconds, registry = null)
            op.runOrNull { delay(1.seconds); "late" }.shouldBeNull()
            op.cancelReason shouldBe CancellationReason.TIMEOUT
            Cancelable(timeout = 1.seconds, registry = null).runOrNull { "quick" } shouldBe "quick"
            shouldThrow<IllegalStateException> { Cancelable(registry = null).runOrNull { error("still thrown") } }
        }
    }

    test("runOrNull lets the caller's own cancellation propagate [rule 3]") {
        runTest {
            val op = Cancelable(registry = null)
            var reachedAfter = false
            val caller = launch {
                op.runOrNull { awaitCancellation() }
                reachedAfter = true
            }
            delay(5)
            caller.cancel()
            caller.join()
            reachedAfter shouldBe false
            op.cancelReason shouldBe CancellationReason.PARENT
        }
    }

    test("the registry's cancel lands as a typed CanceledManuallyException [rule 3]") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(name = "remote", registry = registry)
            launch {
                delay(10)
                registry.cancel(op.id, CancellationReason.MANUAL, "operator") shouldBe true
            }
            shouldThrow<CanceledManuallyException> { op.run { delay(1.seconds) } }.message shouldBe "operator"
        }
    }

    test("a CompletableFuture completed with our exception reports isCancelled and keeps the reason [rule 3]") {
        val future = kotlinx.coroutines.CoroutineScope(Dispatchers.Default).future {
            Cancelable(timeout = 20.milliseconds, registry = null).run { delay(10.seconds) }
        }
        val failure = runCatching { future.get() }.exceptionOrNull()
        future.isCancelled shouldBe true
        (failure is java.util.concurrent.CancellationException || failure is ExecutionException) shouldBe true
        val cause = runCatching { future.join() }.exceptionOrNull()
        cause.shouldBeInstanceOf<CanceledByTimeoutException>().reason shouldBe CancellationReason.TIMEOUT
    }

    test("our identifiers are spelled with one l [rule 4]") {
        OperationStatus.CANCELED.name shouldBe "CANCELED"
        OperationCanceledException::class.simpleName shouldBe "OperationCanceledException"
    }

    test("a child's cancel never reaches its parent; a parent's reaches its children with a message naming it [rule 6]") {
        runTest {
            val parent = Cancelable(name = "orders", registry = null)
            parent.run {
                Cancelable(registry = null).runOrNull { operation.cancel(); delay(1) }
                parent.isCanceled shouldBe false
            }
            parent.status shouldBe OperationStatus.COMPLETED
        }
    }

    test("a cancel from a plain thread reaches a block suspended on runBlocking at once [rule 9]") {
        runBlocking {
            val token = CancellationToken()
            val started = CountDownLatch(1)
            thread { started.await(); token.cancel() }
            shouldThrow<CanceledManuallyException> {
                Cancelable(token = token, registry = null).run {
                    started.countDown()
                    delay(60.seconds)
                }
            }
        }
    }

    test("timestamps come from the registry's clock [rule 11]") {
        runTest {
            val clock = java.time.Clock.fixed(java.time.Instant.parse("2030-05-06T07:08:09Z"), java.time.ZoneOffset.UTC)
            val op = Cancelable(registry = OperationRegistry(clock = clock))
            op.run { delay(10) }
            op.startTime shouldBe clock.instant()
            op.endTime shouldBe clock.instant()
            currentTime shouldBe 10
        }
    }

    test("ids are unique and cheap, not UUIDs [rule 13]") {
        val ids = List(10_000) { Cancelable(registry = null).id }
        ids.toSet().size shouldBe 10_000
        // 128 bits as 32 lowercase hex characters, without the dashes of a UUID
        ids.all { it.matches(Regex("[0-9a-f]{32}")) } shouldBe true
    }
})
