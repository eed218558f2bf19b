package dev.cancelable

import dev.cancelable.testing.capturingLogs
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import java.util.concurrent.CountDownLatch
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.seconds

class CrossThreadTest : FunSpec({

    test("a plain thread cancels a token and the coroutine side sees reason and message [scenario 34]") {
        runBlocking {
            val token = CancellationToken()
            thread { token.cancel(CancellationReason.SIGNAL, "from thread") }.join()
            token.isCanceled shouldBe true
            token.reason shouldBe CancellationReason.SIGNAL
            token.message shouldBe "from thread"
        }
    }

    test("ten threads cancel at once and exactly one call returns true [scenario 35]") {
        repeat(20) {
            val token = CancellationToken()
            val barrier = CyclicBarrier(10)
            val wins = AtomicInteger()
            val threads = List(10) { thread { barrier.await(); if (token.cancel()) wins.incrementAndGet() } }
            threads.forEach { it.join() }
            wins.get() shouldBe 1
        }
    }

    test("callbacks registered by coroutine code run when a plain thread cancels, even past a throwing one [scenario 36]") {
        runBlocking {
            val token = CancellationToken()
            val ran = mutableListOf<String>()
            withContext(Dispatchers.Default) {
                token.onCancelRequested { ran += "first" }
                token.onCancelRequested { error("broken") }
                token.onCancelRequested { ran += "third" }
            }
            capturingLogs { thread { token.cancel() }.join() }
            ran shouldBe listOf("first", "third")
        }
    }

    test("a coroutine in awaitCancel resumes when a plain thread cancels [scenario 37]") {
        runBlocking {
            val token = CancellationToken()
            val waiting = CountDownLatch(1)
            thread {
                waiting.await()
                token.cancel(CancellationReason.MANUAL, "wake")
            }
            withTimeout(10.seconds) {
                waiting.countDown()
                token.awaitCancel()
            } shouldBe CancellationReason.MANUAL
        }
    }

    test("a loop polling isCanceled stops early when a thread cancels [scenario 39]") {
        val token = CancellationToken()
        val started = CountDownLatch(1)
        var iterations = 0L
        val worker = thread {
            started.countDown()
            while (!token.isCanceled) iterations++
        }
        started.await()
        token.cancel()
        worker.join(10_000)
        worker.isAlive shouldBe false
    }

    test("a cancel from a plain thread reaches a suspended operation block at once [rule 9]") {
        runBlocking {
            val token = CancellationToken()
            val suspended = CountDownLatch(1)
            thread {
                suspended.await(10, TimeUnit.SECONDS)
                token.cancel(CancellationReason.MANUAL, "operator")
            }
            val op = Cancelable(token = token, registry = null)
            withTimeout(10.seconds) {
                shouldThrow<CanceledManuallyException> {
                    op.run {
                        suspended.countDown()
                        awaitCancellation()
                    }
                }
            }
            op.cancelMessage shouldBe "operator"
            token.registrationCount shouldBe 0
        }
    }
})
