package dev.cancelable

import dev.cancelable.registry.OperationRegistry
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.milliseconds

/** `callBlocking`: an operation on a plain thread, interrupted on cancel without leaking interrupts. */
class BlockingModeTest : FunSpec({
    afterTest { Thread.interrupted() }

    test("a blocking call runs on the calling thread, sees itself as current, and completes") {
        val registry = OperationRegistry()
        val op = Cancelable(name = "blocking", registry = registry)
        val caller = Thread.currentThread()
        op.callBlocking {
            Thread.currentThread() shouldBeSameInstanceAs caller
            Cancelable.current() shouldBeSameInstanceAs op
            registry.get(op.id) shouldBeSameInstanceAs op
            "done"
        } shouldBe "done"
        Cancelable.current() shouldBe null
        op.status shouldBe OperationStatus.COMPLETED
        registry.activeCount shouldBe 0
    }

    test("a cancel from another thread interrupts the blocked call, which throws the typed exception") {
        val op = Cancelable(registry = null)
        val blocked = CountDownLatch(1)
        thread { blocked.await(); op.cancel(CancellationReason.MANUAL, "stop") }
        shouldThrow<CanceledManuallyException> { op.callBlocking { blocked.countDown(); CountDownLatch(1).await() } }
        Thread.currentThread().isInterrupted shouldBe false
    }

    test("with interrupts off, a cancel is only seen by polling") {
        val op = Cancelable(registry = null)
        shouldThrow<CanceledManuallyException> {
            op.callBlocking(interruptOnCancel = false) {
                it.cancel()
                Thread.currentThread().isInterrupted shouldBe false
                it.throwIfCanceled()
            }
        }
    }

    test("an interrupt from someone else, seen by an interruptible call, is a MANUAL cancel and the flag is set again") {
        val op = Cancelable(registry = null)
        shouldThrow<CanceledManuallyException> {
            op.callBlocking {
                Thread.currentThread().interrupt()
                CountDownLatch(1).await()
            }
        }
        op.cancelReason shouldBe CancellationReason.MANUAL
        Thread.interrupted() shouldBe true
    }

    test("an interrupt from someone else, seen by throwIfCanceled, is a MANUAL cancel and the flag is set again") {
        val op = Cancelable(registry = null)
        shouldThrow<CanceledManuallyException> {
            op.callBlocking {
                Thread.currentThread().interrupt()
                it.throwIfCanceled()
            }
        }
        op.cancelReason shouldBe CancellationReason.MANUAL
        Thread.interrupted() shouldBe true
    }

    test("a parent canceled during a nested blocking call still interrupts its own blocking work afterwards") {
        val registry = OperationRegistry()
        val parent = Cancelable(name = "parent", timeout = 50.milliseconds, registry = registry)
        val outcome = CompletableFuture<Throwable?>()
        val worker = thread(isDaemon = true) {
            try {
                parent.callBlocking {
                    val child = Cancelable(name = "child", registry = registry)
                    try {
                        child.callBlocking { CountDownLatch(1).await() }
                    } catch (_: CanceledByParentException) {
                    }
                    CountDownLatch(1).await()
                }
                outcome.complete(null)
            } catch (t: Throwable) {
                outcome.complete(t)
            }
        }
        try {
            outcome.get(10, TimeUnit.SECONDS).shouldBeInstanceOf<CanceledByTimeoutException>()
            worker.join(10_000)
            registry.activeCount shouldBe 0
        } finally {
            worker.interrupt()
        }
    }

    test("the block's own exception leaves unchanged and fails the operation") {
        val boom = java.io.IOException("disk gone")
        val op = Cancelable(registry = null)
        shouldThrow<java.io.IOException> { op.callBlocking { throw boom } } shouldBeSameInstanceAs boom
        op.status shouldBe OperationStatus.FAILED
    }

    test("a failure caused by the cancel (a closed resource) ends CANCELED, with the failure attached") {
        val op = Cancelable(registry = null)
        val e = shouldThrow<CanceledManuallyException> {
            op.callBlocking(interruptOnCancel = false) {
                it.cancel()
                throw java.io.IOException("socket closed")
            }
        }
        e.suppressed.single().message shouldBe "socket closed"
        op.status shouldBe OperationStatus.CANCELED
    }

    test("cancel-request hooks run at the moment of the cancel, for resources an interrupt cannot stop") {
        val op = Cancelable(registry = null)
        val closed = CountDownLatch(1)
        shouldThrow<CanceledManuallyException> {
            op.callBlocking(interruptOnCancel = false) {
                it.onCancelRequested { closed.countDown() }
                thread { it.cancel() }
                closed.await(10, TimeUnit.SECONDS) shouldBe true
                it.throwIfCanceled()
            }
        }
    }

    test("a caller that comes in interrupted keeps its interrupt when a pending cancel interrupts the call too") {
        val registry = OperationRegistry()
        val token = CancellationToken().apply { cancel(CancellationReason.SIGNAL, "shutdown") }
        Thread.currentThread().interrupt()
        shouldThrow<CanceledBySignalException> { Cancelable(token = token, registry = registry).callBlocking { CountDownLatch(1).await() } }
        Thread.interrupted() shouldBe true
        token.registrationCount shouldBe 0
        registry.activeCount shouldBe 0
        registry.history().single().status shouldBe OperationStatus.CANCELED
    }

    test("a cancel racing throwIfCanceled is never taken for someone else's interrupt, so none leaks out of the call") {
        val leaks = ArrayList<String>()
        val barrier = java.util.concurrent.CyclicBarrier(2)
        repeat(5_000) { round ->
            val op = Cancelable(registry = null)
            val canceler = thread(name = "racing-canceler") {
                barrier.await(10, TimeUnit.SECONDS)
                repeat(round % 64) { Thread.onSpinWait() }
                op.cancel(CancellationReason.MANUAL, "stop")
            }
            val thrown = runCatching {
                op.callBlocking {
                    barrier.await(10, TimeUnit.SECONDS)
                    while (true) it.throwIfCanceled()
                }
            }.exceptionOrNull()
            canceler.join(10_000)
            val leaked = Thread.interrupted()
            if (leaked || thrown?.message != "stop") leaks += "round $round: interrupted after the call: $leaked, threw $thrown"
        }
        leaks shouldBe emptyList()
    }

    test("an inner call that hands its parent's cancel back to the thread leaves no interrupt once the parent ends") {
        // The parent's cancel reaches the inner call first (cascade) and the parent's own interrupt
        // comes later; a slow cancel-request hook holds the canceler in between, so the parent ends
        // before its own interrupt is delivered.
        val parent = Cancelable(registry = null)
        val innerBlocked = CountDownLatch(1)
        val hookEntered = CountDownLatch(1)
        val releaseHook = CountDownLatch(1)
        parent.onCancelRequested { hookEntered.countDown(); releaseHook.await(10, TimeUnit.SECONDS) }
        val canceler = thread(name = "canceler") {
            innerBlocked.await(10, TimeUnit.SECONDS)
            parent.cancel(CancellationReason.MANUAL, "stop")
        }
        shouldThrow<CanceledManuallyException> {
            parent.callBlocking { p ->
                shouldThrow<CanceledByParentException> {
                    Cancelable(registry = null).callBlocking { innerBlocked.countDown(); CountDownLatch(1).await() }
                }
                while (hookEntered.count > 0) Thread.onSpinWait() // not an interruptible wait: the flag stays
                p.throwIfCanceled()
            }
        }
        val leaked = Thread.interrupted()
        releaseHook.countDown()
        canceler.join(10_000)
        leaked shouldBe false
        Thread.interrupted() shouldBe false
    }
})
