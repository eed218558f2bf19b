package dev.cancelable.registry

import dev.cancelable.OperationCanceledException
import dev.cancelable.Cancelable
import dev.cancelable.OperationStatus
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread

class RegistryConcurrencyTest : FunSpec({

    test("8 threads start, cancel and finish 10,000 operations each while 2 threads read; nothing leaks") {
        val registry = OperationRegistry(historyLimit = 500)
        val failures = ConcurrentLinkedQueue<Throwable>()
        val writersDone = AtomicBoolean(false)
        val reads = AtomicInteger()
        val start = CountDownLatch(1)
        val readers = List(2) {
            thread(name = "reader-$it") {
                start.await()
                while (!writersDone.get()) {
                    try {
                        val listed = registry.list()
                        val stats = registry.statistics()
                        registry.history().takeLast(10)
                        check(listed.all { it.status != OperationStatus.PENDING }) { "a pending operation was listed" }
                        check(stats.historySize <= 500) { "history over its bound" }
                        reads.incrementAndGet()
                    } catch (e: Throwable) {
                        failures += e
                    }
                }
            }
        }
        val statuses = ConcurrentLinkedQueue<OperationStatus>()
        val writers = List(8) { w ->
            thread(name = "writer-$w") {
                start.await()
                repeat(10_000) { i ->
                    val op = Cancelable(name = "w${w}_$i", registry = registry)
                    try {
                        op.callBlocking(interruptOnCancel = false) {
                            when (i % 3) {
                                0 -> it.cancel()
                                1 -> registry.cancel(it.id)
                                else -> Unit
                            }
                            it.throwIfCanceled()
                        }
                    } catch (_: OperationCanceledException) {
                    } catch (e: Throwable) {
                        failures += e
                    }
                    statuses += op.status
                }
            }
        }
        start.countDown()
        writers.forEach { it.join() }
        writersDone.set(true)
        readers.forEach { it.join() }

        failures.shouldBeEmpty()
        reads.get() shouldBeGreaterThan 0
        registry.activeCount shouldBe 0
        registry.history().size shouldBe 500
        statuses.size shouldBe 80_000
        statuses.count { it == OperationStatus.COMPLETED } shouldBe 8 * 3333
        statuses.count { it == OperationStatus.CANCELED } shouldBe 80_000 - 8 * 3333
    }
})
