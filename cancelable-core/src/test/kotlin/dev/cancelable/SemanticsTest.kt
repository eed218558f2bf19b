package dev.cancelable

import dev.cancelable.internal.Timers
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.ConditionSource
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

/** Pins the decided semantics of DESIGN section 4, one by one. */
class SemanticsTest : FunSpec({

    test("4.1: run opens one coroutine, a direct child of the caller's job, whose context holds the operation") {
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

    test("4.1: coroutines launched in the block are children of the operation and are canceled with it") {
        runTest {
            var childCanceled = false
            val op = Cancelable.withTimeout(50.milliseconds, registry = null)
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

    test("4.2: sources also cover the coroutines the block launched: a timeout cancels them and run throws") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable.withTimeout(100.milliseconds, name = "batch", registry = registry)
            shouldThrow<CanceledByTimeoutException> {
                op.run { launch { Cancelable(name = "child", registry = registry).run { delay(1.seconds) } } }
            }
            currentTime shouldBe 100
            op.status shouldBe OperationStatus.CANCELED
            registry.history().single { it.name == "child" }.cancelReason shouldBe CancellationReason.PARENT
        }
    }

    test("4.3: a cancel that lands while run waits for launched coroutines cancels them and ends CANCELED") {
        runTest {
            val op = Cancelable(name = "batch", registry = null)
            launch { delay(100); op.cancel(CancellationReason.MANUAL, "stop") }
            shouldThrow<CanceledManuallyException> { op.run { launch { delay(1.seconds) } } }
            currentTime shouldBe 100
            op.status shouldBe OperationStatus.CANCELED
        }
    }

    test("4.3: a launched coroutine that fails after the block returned fails the operation") {
        runTest {
            val op = Cancelable(registry = null)
            // A child's exception travels through the Job machinery, which may copy it in debug mode.
            shouldThrow<IllegalStateException> {
                op.run { launch { delay(10); throw IllegalStateException("child failed") }; "returned" }
            }.message shouldBe "child failed"
            op.status shouldBe OperationStatus.FAILED
        }
    }

    test("4.2: sources are attached at entry and disposed at exit, on every exit path") {
        runTest {
            val source = ScriptedSource()
            val outcomes = listOf<suspend () -> Unit>(
                { },
                { error("fails") },
                { currentOperation()!!.cancel(); delay(1) },
            )
            for (outcome in outcomes) {
                val op = Cancelable(registry = null).addSource(source)
                source.live shouldBe 0
                runCatching { op.run { source.live shouldBe 1; outcome() } }
                source.live shouldBe 0
            }
            source.attached.get() shouldBe 3
        }
    }

    test("4.2: the first source to fire wins and decides reason, message and which source fired") {
        runTest {
            val first = ScriptedSource(10.milliseconds, CancellationReason.CONDITION, "first", label = "first")
            val second = ScriptedSource(10.milliseconds, CancellationReason.SIGNAL, "second", label = "second")
            val op = Cancelable(registry = null).addSource(first).addSource(second)
            shouldThrow<CanceledByConditionException> { op.run { delay(1.seconds) } }
            op.context.cancelMessage shouldBe "first"
            op.context.canceledBy shouldBe "first"
        }
    }

    test("4.2: nothing a source armed outlives a blocking-mode operation") {
      runBlocking {
        val polled = CountDownLatch(3)
        val checks = java.util.concurrent.atomic.AtomicInteger()
        val op = Cancelable.withTimeout(10.seconds, registry = null)
            .addSource(ConditionSource({ checks.incrementAndGet(); polled.countDown(); false }, 5.milliseconds))
        op.callBlocking { polled.await() }
        Timers.pendingSharedTimers shouldBe 0
        val poller = (op as dev.cancelable.internal.CancelableImpl).pollers!!.coroutineContext[kotlinx.coroutines.Job]!!
        poller.isCancelled shouldBe true
        poller.join()
        (checks.get() >= 3) shouldBe true
      }
    }

    test("4.3: runOrNull returns null when the operation's own source canceled it, keeping the reason") {
        runTest {
            val op = Cancelable.withTimeout(10.milliseconds, registry = null)
            op.runOrNull { delay(1.seconds); "late" }.shouldBeNull()
            op.context.cancelReason shouldBe CancellationReason.TIMEOUT
            Cancelable.withTimeout(1.seconds, registry = null).runOrNull { "quick" } shouldBe "quick"
            shouldThrow<IllegalStateException> { Cancelable(registry = null).runOrNull { error("still thrown") } }
        }
    }

    test("4.3: runOrNull lets the caller's own cancellation propagate") {
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
            op.context.cancelReason shouldBe CancellationReason.PARENT
        }
    }

    test("4.3: the registry's cancel lands as a typed CanceledManuallyException") {
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

    test("4.3: a CompletableFuture completed with our exception reports isCancelled and keeps the reason") {
        val future = kotlinx.coroutines.CoroutineScope(Dispatchers.Default).future {
            Cancelable.withTimeout(20.milliseconds, registry = null).run { delay(10.seconds) }
        }
        val failure = runCatching { future.get() }.exceptionOrNull()
        future.isCancelled shouldBe true
        (failure is java.util.concurrent.CancellationException || failure is ExecutionException) shouldBe true
        val cause = runCatching { future.join() }.exceptionOrNull()
        cause.shouldBeInstanceOf<CanceledByTimeoutException>().reason shouldBe CancellationReason.TIMEOUT
    }

    test("4.4: our identifiers are spelled with one l") {
        OperationStatus.CANCELED.name shouldBe "CANCELED"
        OperationCanceledException::class.simpleName shouldBe "OperationCanceledException"
    }

    test("4.6: a child's cancel never reaches its parent; a parent's reaches its children with a message naming it") {
        runTest {
            val parent = Cancelable(name = "orders", registry = null)
            parent.run {
                Cancelable(registry = null).runOrNull { operation.cancel(); delay(1) }
                parent.isCanceled shouldBe false
            }
            parent.status shouldBe OperationStatus.COMPLETED
        }
    }

    test("4.9: a cancel from a plain thread reaches a block suspended on runBlocking at once") {
        runBlocking {
            val token = CancellationToken()
            val started = CountDownLatch(1)
            thread { started.await(); token.cancel() }
            shouldThrow<CanceledManuallyException> {
                Cancelable.withToken(token, registry = null).run {
                    started.countDown()
                    delay(60.seconds)
                }
            }
        }
    }

    test("4.11: timestamps come from the registry's clock") {
        runTest {
            val clock = java.time.Clock.fixed(java.time.Instant.parse("2030-05-06T07:08:09Z"), java.time.ZoneOffset.UTC)
            val op = Cancelable(registry = OperationRegistry(clock = clock))
            op.run { delay(10) }
            op.context.startTime shouldBe clock.instant()
            op.context.endTime shouldBe clock.instant()
            currentTime shouldBe 10
        }
    }

    test("4.13: ids are unique and cheap, not UUIDs") {
        val ids = List(10_000) { Cancelable(registry = null).id }
        ids.toSet().size shouldBe 10_000
        // 128 bits as 32 lowercase hex characters, without the dashes of a UUID
        ids.all { it.matches(Regex("[0-9a-f]{32}")) } shouldBe true
    }
})
