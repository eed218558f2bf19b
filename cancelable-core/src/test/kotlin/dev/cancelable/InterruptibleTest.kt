package dev.cancelable

import dev.cancelable.registry.OperationRegistry
import dev.cancelable.test.EventKind
import dev.cancelable.test.OperationRecorder
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.slf4j.MDC
import java.util.concurrent.CountDownLatch
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.milliseconds

private const val WAIT_SECONDS = 30L

private class Seen(val thread: Thread, val current: Cancelable?, val mdcId: String?, val mdcName: String?)

private fun seeHere() = Seen(Thread.currentThread(), Cancelable.current(), MDC.get("cancelable.operationId"), MDC.get("cancelable.operationName"))

class InterruptibleTest : FunSpec({
    val registry = OperationRegistry()
    afterTest { registry.activeCount shouldBe 0 }

    test("interruptible runs on another thread with the operation and the MDC visible there, restored afterwards [scenario 109]") {
        val executor = Executors.newSingleThreadExecutor { Thread(it, "blocking-worker").apply { isDaemon = true } }
        try {
            val worker = executor.asCoroutineDispatcher()
            runBlocking {
                val op = Cancelable(name = "blocking", registry = registry)
                val caller = Thread.currentThread()
                val seen = op.run { interruptible(worker) { seeHere() } }
                seen.thread shouldNotBe caller
                seen.thread.name shouldStartWith "blocking-worker"
                seen.current shouldBeSameInstanceAs op
                seen.mdcId shouldBe op.id
                seen.mdcName shouldBe "blocking"
                val after = withContext(worker) { seeHere() }
                after.current shouldBe null
                after.mdcId shouldBe null
                after.mdcName shouldBe null
            }
        } finally {
            executor.shutdownNow()
        }
    }

    test("the default context is Dispatchers.IO and the caller's MDC is untouched [scenario 109]") {
        runBlocking {
            MDC.put("cancelable.operationId", "outer")
            try {
                val op = Cancelable(registry = registry)
                val seen = op.run { interruptible { seeHere() } }
                seen.thread.name.startsWith("DefaultDispatcher-worker") shouldBe true
                seen.mdcId shouldBe op.id
                MDC.get("cancelable.operationId") shouldBe "outer"
            } finally {
                MDC.remove("cancelable.operationId")
            }
        }
    }

    test("canceling the operation interrupts the thread and run throws the typed exception [scenario 109]") {
        runBlocking {
            val started = CountDownLatch(1)
            val interrupted = CountDownLatch(1)
            val recorder = OperationRecorder()
            val op = recorder.record(Cancelable(name = "sleeper", registry = registry))
            val call = async(Dispatchers.Default) {
                op.run {
                    interruptible {
                        started.countDown()
                        try {
                            Thread.sleep(TimeUnit.SECONDS.toMillis(WAIT_SECONDS))
                        } catch (e: InterruptedException) {
                            interrupted.countDown()
                            throw e
                        }
                    }
                }
            }
            started.await(WAIT_SECONDS, TimeUnit.SECONDS) shouldBe true
            op.cancel(CancellationReason.MANUAL, "stop the query")
            val e = shouldThrow<CanceledManuallyException> { call.await() }
            e.message shouldBe "stop the query"
            interrupted.await(WAIT_SECONDS, TimeUnit.SECONDS) shouldBe true
            op.status shouldBe OperationStatus.CANCELED
            recorder.assertKinds(EventKind.START, EventKind.CANCEL)
        }
    }

    test("a timeout interrupts a blocking call [scenario 109]") {
        runBlocking(Dispatchers.Default) {
            val op = Cancelable(timeout = 50.milliseconds, registry = registry)
            shouldThrow<CanceledByTimeoutException> {
                op.run { interruptible { Thread.sleep(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)) } }
            }
            op.cancelReason shouldBe CancellationReason.TIMEOUT
        }
    }

    test("five concurrent calls each see their own operation [scenario 109]") {
        runBlocking {
            val together = CyclicBarrier(5)
            val ops = (1..5).map { Cancelable(name = "op-$it", registry = registry) }
            val seen = ops.map { op ->
                async(Dispatchers.Default) {
                    op.run {
                        interruptible {
                            together.await(WAIT_SECONDS, TimeUnit.SECONDS)
                            seeHere()
                        }
                    }
                }
            }.awaitAll()
            seen.map { it.thread }.toSet().size shouldBe 5
            seen.map { it.current } shouldBe ops
            seen.map { it.mdcId } shouldBe ops.map { it.id }
            seen.map { it.mdcName } shouldBe ops.map { it.name }
        }
    }

    test("the block's value is returned and its exception propagates, failing the operation [scenario 109]") {
        runBlocking {
            val op = Cancelable(registry = registry)
            op.run { interruptible { 21 * 2 } } shouldBe 42
            val failing = Cancelable(registry = registry)
            val e = shouldThrow<IllegalStateException> { failing.run { interruptible { error("disk gone") } } }
            e.message shouldBe "disk gone"
            failing.status shouldBe OperationStatus.FAILED
        }
    }

    test("a pending operation runs around the blocking call in one expression, and refuses to run again once ended [rule 12]") {
        runBlocking {
            val op = Cancelable(name = "lazy", registry = registry)
            val seen = op.run { interruptible { seeHere() } }
            seen.current shouldBeSameInstanceAs op
            op.status shouldBe OperationStatus.COMPLETED
            shouldThrow<IllegalStateException> { op.run { interruptible { 1 } } }
        }
    }

    test("a canceled operation does not start the blocking call [scenario 109]") {
        runBlocking {
            var ran = false
            val op = Cancelable(registry = registry)
            shouldThrow<CanceledManuallyException> {
                op.run {
                    operation.cancel()
                    interruptible { ran = true }
                }
            }
            ran shouldBe false
        }
    }
})
